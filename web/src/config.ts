/**
 * The dashboard's one config entry point. In production the Firebase web config comes from
 * Hosting's reserved URL `/__/firebase/init.json` (https://firebase.google.com/docs/hosting/reserved-urls);
 * the Hosting emulator serves it too (firebase-tools `src/hosting/implicitInit.ts`, a default
 * config for `demo-*` projects). Served locally, or for a `demo-*` project, the dashboard talks to
 * the Auth and Database emulators: at the firebase.json ports unless the page URL names others
 * (`?auth-emulator=127.0.0.1:PORT&database-emulator=127.0.0.1:PORT`, kept for the browser tab).
 */
import type { FirebaseOptions } from 'firebase/app';

export interface EmulatorHosts {
  auth: string;
  database: string;
}

export interface AppConfig {
  firebase: FirebaseOptions & { projectId: string; apiKey: string; databaseURL: string };
  emulators: EmulatorHosts | null;
}

/** firebase.json `emulators` ports. */
export const DEFAULT_EMULATORS: EmulatorHosts = Object.freeze({ auth: '127.0.0.1:9099', database: '127.0.0.1:9000' });
export const LOCAL_PROJECT = 'demo-firelink';
const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function hostParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!HOST_PORT.test(value)) {
    throw new ConfigError(`URL parameter ${name}: must be host:port, e.g. 127.0.0.1:9000 (got ${JSON.stringify(value)})`);
  }
  return value;
}

function parseStored(stored: string | null): Partial<EmulatorHosts> {
  if (!stored) return {};
  try {
    const value = JSON.parse(stored) as Partial<EmulatorHosts>;
    return {
      ...(typeof value.auth === 'string' && HOST_PORT.test(value.auth) ? { auth: value.auth } : {}),
      ...(typeof value.database === 'string' && HOST_PORT.test(value.database) ? { database: value.database } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * Pure: `init` is the parsed init.json (undefined when it could not be fetched, as under the Vite
 * dev server), `location` the page's, `stored` the tab's remembered emulator hosts.
 */
export function resolveConfig(init: unknown, location: { hostname: string; search: string }, stored: string | null): AppConfig {
  const fromInit = typeof init === 'object' && init !== null ? (init as Record<string, unknown>) : undefined;
  const local = LOCAL_HOSTNAMES.has(location.hostname);
  if (!fromInit && !local) {
    throw new ConfigError('no Firebase config: /__/firebase/init.json did not answer; deploy with firebase deploy --only hosting, or serve locally');
  }
  const projectId = typeof fromInit?.projectId === 'string' ? fromInit.projectId : LOCAL_PROJECT;
  const useEmulators = local || projectId.startsWith('demo-');
  if (!useEmulators && (typeof fromInit?.apiKey !== 'string' || typeof fromInit?.databaseURL !== 'string')) {
    throw new ConfigError('init.json lacks apiKey or databaseURL: add a Realtime Database and a web app to the Firebase project');
  }
  const firebase = {
    ...(fromInit ?? {}),
    projectId,
    apiKey: typeof fromInit?.apiKey === 'string' ? fromInit.apiKey : 'demo-key',
    // Locally the functions write to `<project>-default-rtdb`, the namespace of a default
    // database created today (init.json of a demo project names `<project>.firebaseio.com`).
    databaseURL: useEmulators ? `https://${projectId}-default-rtdb.firebaseio.com` : String(fromInit?.databaseURL),
  };
  if (!useEmulators) return { firebase, emulators: null };
  const params = new URLSearchParams(location.search);
  const remembered = parseStored(stored);
  return {
    firebase,
    emulators: {
      auth: hostParam(params, 'auth-emulator') ?? remembered.auth ?? DEFAULT_EMULATORS.auth,
      database: hostParam(params, 'database-emulator') ?? remembered.database ?? DEFAULT_EMULATORS.database,
    },
  };
}
