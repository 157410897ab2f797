/**
 * Where provisioning may run. Against the emulators: both emulator hosts set and a `demo-*`
 * project (nothing can reach Google). Against a real project: only when `--project` names it.
 */
import { ProvisionError } from './errors.js';

export interface Target {
  projectId: string;
  databaseURL: string;
  emulated: boolean;
}

export function resolveTarget(env: NodeJS.ProcessEnv, project: string | undefined, databaseUrl: string | undefined): Target {
  const authHost = env.FIREBASE_AUTH_EMULATOR_HOST;
  const dbHost = env.FIREBASE_DATABASE_EMULATOR_HOST;
  const emulated = Boolean(authHost) && Boolean(dbHost);
  const projectId = project ?? env.GCLOUD_PROJECT ?? env.GOOGLE_CLOUD_PROJECT;

  if (project === undefined) {
    if (!emulated || projectId === undefined || !projectId.startsWith('demo-')) {
      throw new ProvisionError(
        'unsafe-target',
        'refusing to provision: set FIREBASE_AUTH_EMULATOR_HOST, FIREBASE_DATABASE_EMULATOR_HOST and ' +
          'GCLOUD_PROJECT=demo-<name> to use the emulators, or pass --project <id> to provision in a real project ' +
          `(now: auth emulator ${authHost ?? 'unset'}, database emulator ${dbHost ?? 'unset'}, project ${projectId ?? 'unset'})`,
      );
    }
  } else if (project.startsWith('demo-') && !emulated) {
    throw new ProvisionError(
      'unsafe-target',
      `refusing to provision: ${project} is a demo project, which only exists in the emulators; set FIREBASE_AUTH_EMULATOR_HOST and FIREBASE_DATABASE_EMULATOR_HOST`,
    );
  } else if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project)) {
    throw new ProvisionError('invalid-argument', `--project: must be a Firebase project id such as my-project-123 (got ${JSON.stringify(project)})`);
  }
  const id = projectId as string;
  // With FIREBASE_DATABASE_EMULATOR_HOST the Admin SDK keeps only the namespace of this URL.
  const url = databaseUrl ?? `https://${id}-default-rtdb.firebaseio.com`;
  if (!/^https?:\/\/[^\s/]+/.test(url)) {
    throw new ProvisionError('invalid-argument', `--database-url: must be the database URL, e.g. https://${id}-default-rtdb.firebaseio.com (got ${JSON.stringify(url)})`);
  }
  return { projectId: id, databaseURL: url, emulated: project === undefined || project.startsWith('demo-') };
}
