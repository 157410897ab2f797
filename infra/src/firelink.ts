/**
 * Firelink's Firebase project as Pulumi resources (@pulumi/gcp). This program owns what exists
 * once per project: the project (optionally), its APIs, Firebase on it, the Realtime Database
 * instances, Identity Platform with Email/Password sign-in, the web app and Hosting site, and the
 * roles of the account the functions run as. What changes with the code (database rules,
 * functions, the dashboard's files) stays with `firebase deploy` (docs/deploy.md, "Two tools").
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { databaseUrl, defaultInstanceId, hostingUrls, shardInstanceId } from './names.js';
import type { Settings } from './settings.js';

/**
 * APIs the deploy and the running system call. Cloud Functions v2 build with Cloud Build into
 * Artifact Registry and run on Cloud Run; database triggers arrive through Eventarc (Pub/Sub),
 * schedules through Cloud Scheduler (firebase.google.com/docs/functions/manage-functions,
 * "Deployment requirements"); firebase-tools checks the billing plan through Cloud Billing.
 */
export const SERVICES = [
  'artifactregistry.googleapis.com',
  'cloudbilling.googleapis.com',
  'cloudbuild.googleapis.com',
  'cloudfunctions.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'cloudscheduler.googleapis.com',
  'eventarc.googleapis.com',
  'firebase.googleapis.com',
  'firebasedatabase.googleapis.com',
  'firebasehosting.googleapis.com',
  'iam.googleapis.com',
  'identitytoolkit.googleapis.com',
  'logging.googleapis.com',
  'pubsub.googleapis.com',
  'run.googleapis.com',
  'serviceusage.googleapis.com',
  'storage.googleapis.com',
] as const;

/**
 * Roles of the Compute Engine default service account, which 2nd-gen functions run as and (since
 * 2024) Cloud Build builds them as, unless told otherwise. Granted explicitly because organizations
 * created since May 2024 no longer give that account Editor (the
 * `iam.automaticIamGrantsForDefaultServiceAccounts` policy).
 */
export const FUNCTIONS_ROLES = [
  'roles/firebasedatabase.admin', // the Admin SDK reads and writes every instance
  'roles/eventarc.eventReceiver', // database events reach the triggers through Eventarc
  'roles/run.invoker', // Eventarc and Cloud Scheduler invoke the functions as this account
  'roles/logging.logWriter', // structured logs (firebase-functions/logger)
  'roles/cloudbuild.builds.builder', // builds the deploy package into a container
] as const;

/** The dashboard's `initializeApp` options. */
export interface WebConfig {
  apiKey: string;
  authDomain: string;
  databaseURL: string;
  projectId: string;
  appId: string;
}

export interface FirelinkOutputs {
  projectId: pulumi.Output<string>;
  databaseInstanceIds: pulumi.Output<string>[];
  databaseUrls: pulumi.Output<string>[];
  /** The line for functions/.env.<project> when there are shards (else empty: the default database). */
  functionsDatabaseUrlsEnv: pulumi.Output<string>;
  functionsServiceAccount: pulumi.Output<string>;
  webAppId: pulumi.Output<string>;
  webConfig: pulumi.Output<WebConfig>;
  hostingUrls: pulumi.Output<string[]>;
  /** Every resource registered, so callers (the tests) can wait for their registration. */
  resources: pulumi.Resource[];
}

const service = (name: string): string => name.split('.')[0] as string;

export function createFirelink(settings: Settings): FirelinkOutputs {
  const { projectId } = settings;

  // The project: created (and linked to billing, i.e. Blaze) when a billing account is given,
  // otherwise an existing one. Deleting a project is a console/gcloud act, never a side effect.
  const resources: pulumi.Resource[] = [];
  const track = <R extends pulumi.Resource>(resource: R): R => {
    resources.push(resource);
    return resource;
  };
  const project = settings.billingAccount
    ? track(new gcp.organizations.Project('project', {
        projectId,
        name: projectId,
        billingAccount: settings.billingAccount,
        ...(settings.orgId ? { orgId: settings.orgId } : {}),
        ...(settings.folderId ? { folderId: settings.folderId } : {}),
        labels: { firebase: 'enabled' },
        autoCreateNetwork: false,
        deletionPolicy: 'PREVENT',
      }))
    : undefined;
  const projectNumber = project ? project.number : gcp.organizations.getProjectOutput({ projectId }).apply((p) => p.number as string);
  const parent = project ? { dependsOn: [project] } : {};

  // disableOnDestroy false: `pulumi destroy` must not switch off APIs other tools may use.
  const services = Object.fromEntries(
    SERVICES.map((name) => [
      name,
      track(new gcp.projects.Service(`api-${service(name)}`, { project: projectId, service: name, disableOnDestroy: false }, parent)),
    ]),
  ) as Record<(typeof SERVICES)[number], gcp.projects.Service>;

  const firebase = track(new gcp.firebase.Project('firebase', { project: projectId }, { dependsOn: [services['firebase.googleapis.com']] }));

  const instances = [
    track(new gcp.firebase.DatabaseInstance(
      'rtdb-default',
      { project: projectId, region: settings.databaseRegion, instanceId: defaultInstanceId(projectId), type: 'DEFAULT_DATABASE' },
      { dependsOn: [firebase, services['firebasedatabase.googleapis.com']] },
    )),
  ];
  for (let n = 1; n <= settings.databaseShards; n += 1) {
    instances.push(
      track(new gcp.firebase.DatabaseInstance(
        `rtdb-shard-${n}`,
        { project: projectId, region: settings.databaseRegion, instanceId: shardInstanceId(projectId, n), type: 'USER_DATABASE' },
        { dependsOn: [firebase, services['firebasedatabase.googleapis.com']] },
      )),
    );
  }
  const databaseUrls = instances.map((i) => i.instanceId.apply((id) => databaseUrl(id, settings.databaseRegion)));

  // Identity Platform: devices and owners sign in with e-mail and password (docs/backend.md).
  track(new gcp.identityplatform.Config(
    'auth',
    {
      project: projectId,
      signIn: { email: { enabled: true, passwordRequired: true }, allowDuplicateEmails: false },
      authorizedDomains: ['localhost', `${projectId}.firebaseapp.com`, `${projectId}.web.app`],
    },
    { dependsOn: [firebase, services['identitytoolkit.googleapis.com']] },
  ));

  const webApp = track(new gcp.firebase.WebApp(
    'web',
    { project: projectId, displayName: settings.webAppName, deletionPolicy: 'DELETE' },
    { dependsOn: [firebase] },
  ));
  const site = track(new gcp.firebase.HostingSite(
    'hosting',
    { project: projectId, siteId: projectId, appId: webApp.appId },
    { dependsOn: [firebase, services['firebasehosting.googleapis.com']] },
  ));
  const appConfig = gcp.firebase.getWebAppConfigOutput({ project: projectId, webAppId: webApp.appId });

  const functionsServiceAccount = pulumi.interpolate`${projectNumber}-compute@developer.gserviceaccount.com`;
  for (const role of FUNCTIONS_ROLES) {
    track(new gcp.projects.IAMMember(
      `functions-${role.split('/')[1]?.replace(/\./g, '-')}`,
      { project: projectId, role, member: pulumi.interpolate`serviceAccount:${functionsServiceAccount}` },
      { dependsOn: [services['iam.googleapis.com'], services['cloudfunctions.googleapis.com']] },
    ));
  }

  const allUrls = pulumi.all(databaseUrls);
  return {
    projectId: pulumi.output(projectId),
    databaseInstanceIds: instances.map((i) => i.instanceId),
    databaseUrls,
    functionsDatabaseUrlsEnv: allUrls.apply((urls) => (urls.length > 1 ? `FIRELINK_DATABASE_URLS=${urls.join(',')}` : '')),
    functionsServiceAccount,
    webAppId: webApp.appId,
    // The dashboard's firebase config (web/); the database is the default instance.
    webConfig: pulumi.all([appConfig, databaseUrls[0] as pulumi.Output<string>, webApp.appId]).apply(([c, url, appId]) => ({
      apiKey: c.apiKey,
      authDomain: c.authDomain,
      databaseURL: url,
      projectId,
      appId,
    })),
    hostingUrls: site.siteId.apply((id) => hostingUrls(id ?? projectId)),
    resources,
  };
}
