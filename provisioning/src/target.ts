/**
 * Where provisioning runs. The local emulators by default (a `demo-*` project, Auth on
 * 127.0.0.1:9099 and the database on 127.0.0.1:9000, as `npm start` runs them), so nothing can
 * reach Google. A real project only when `--project` names a non-demo project explicitly; it is
 * then reached with Application Default Credentials
 * (https://cloud.google.com/docs/authentication/application-default-credentials).
 */
import { ProvisionError } from './errors.js';

export const DEFAULT_PROJECT = 'demo-firelink';
export const DEFAULT_AUTH_EMULATOR_HOST = '127.0.0.1:9099';
export const DEFAULT_DATABASE_EMULATOR_HOST = '127.0.0.1:9000';
/** The Auth emulator accepts any API key (firebase-tools), so firmware built for it gets this one. */
export const EMULATOR_API_KEY = 'demo-api-key';

export interface EmulatorTarget {
  kind: 'emulators';
  projectId: string;
  authEmulatorHost: string;
  databaseEmulatorHost: string;
  /** Database namespace (`?ns=`); `<project>-default-rtdb`, where the functions write. */
  namespace: string;
}

export interface ProjectTarget {
  kind: 'project';
  projectId: string;
  /** https://<project>-default-rtdb.firebaseio.com unless `--database-url` says otherwise. */
  databaseUrl: string;
}

export type Target = EmulatorTarget | ProjectTarget;

export interface TargetOptions {
  project?: string | undefined;
  databaseUrl?: string | undefined;
  namespace?: string | undefined;
  authEmulatorHost?: string | undefined;
  databaseEmulatorHost?: string | undefined;
}

const HOST_PORT = /^[^\s/:]+:\d{1,5}$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

function hostPort(value: string, flag: string): string {
  if (!HOST_PORT.test(value)) throw new ProvisionError('invalid-argument', `${flag}: must be host:port, e.g. 127.0.0.1:9000 (got ${JSON.stringify(value)})`);
  return value;
}

/** Flags win over the environment (FIREBASE_*_EMULATOR_HOST, GCLOUD_PROJECT), which wins over defaults. */
export function resolveTarget(options: TargetOptions, env: NodeJS.ProcessEnv): Target {
  const project = options.project;
  if (project !== undefined && !project.startsWith('demo-')) {
    if (!PROJECT_ID.test(project)) throw new ProvisionError('invalid-argument', `--project: must be a Firebase project id such as my-project-123 (got ${JSON.stringify(project)})`);
    const emulatorFlags = [options.authEmulatorHost && '--auth-emulator-host', options.databaseEmulatorHost && '--database-emulator-host', options.namespace && '--namespace'].filter(Boolean);
    const emulatorEnv = ['FIREBASE_AUTH_EMULATOR_HOST', 'FIREBASE_DATABASE_EMULATOR_HOST'].filter((name) => env[name]);
    if (emulatorFlags.length > 0 || emulatorEnv.length > 0) {
      throw new ProvisionError(
        'unsafe-target',
        `refusing to provision: --project ${project} is a real project, but ${[...emulatorFlags, ...emulatorEnv].join(', ')} point at emulators (the Admin SDK would follow them). Unset them for the real project, or give a demo-* project for the emulators`,
      );
    }
    const databaseUrl = options.databaseUrl ?? `https://${project}-default-rtdb.firebaseio.com`;
    if (!/^https:\/\/[^\s/]+\/?$/.test(databaseUrl)) {
      throw new ProvisionError('invalid-argument', `--database-url: must be the database URL, e.g. https://${project}-default-rtdb.firebaseio.com (got ${JSON.stringify(databaseUrl)})`);
    }
    return { kind: 'project', projectId: project, databaseUrl: databaseUrl.replace(/\/$/, '') };
  }
  if (options.databaseUrl !== undefined) {
    throw new ProvisionError('invalid-argument', '--database-url is for a real project: give it with --project <id> (the emulators are chosen with --database-emulator-host)');
  }
  // A non-demo GCLOUD_PROJECT in the shell never leaves the emulators: only --project does.
  const envProject = env.GCLOUD_PROJECT?.startsWith('demo-') ? env.GCLOUD_PROJECT : undefined;
  const projectId = project ?? envProject ?? DEFAULT_PROJECT;
  return {
    kind: 'emulators',
    projectId,
    authEmulatorHost: hostPort(options.authEmulatorHost ?? (env.FIREBASE_AUTH_EMULATOR_HOST || DEFAULT_AUTH_EMULATOR_HOST), '--auth-emulator-host'),
    databaseEmulatorHost: hostPort(options.databaseEmulatorHost ?? (env.FIREBASE_DATABASE_EMULATOR_HOST || DEFAULT_DATABASE_EMULATOR_HOST), '--database-emulator-host'),
    namespace: options.namespace ?? `${projectId}-default-rtdb`,
  };
}

/** The database URL a client (firmware, SDK) uses for this target. */
export function clientDatabaseUrl(target: Target): string {
  return target.kind === 'project' ? target.databaseUrl : `http://${target.databaseEmulatorHost}/?ns=${target.namespace}`;
}
