// `device-sim provision` and the fleet's on-the-fly provisioning wrap the backend's provisioning
// module (functions/src/provisioning/provision.ts): one Auth user per device with the custom
// claim `device: <id>`, plus the owner index, meta and default config in one update. The module
// is loaded from the built functions package so both tools share one implementation.
import { statusPath } from '@firelink/model';
import { databaseTarget, isProduction, type ConnectionConfig } from './config.js';
import { SimError } from './errors.js';

export interface ProvisionRequest {
  deviceId: string;
  ownerUid: string;
  zone?: string;
  name?: string;
  rotate?: boolean;
}

export interface ProvisionedDevice {
  deviceId: string;
  uid: string;
  email: string;
  password: string;
  owner: string;
  zone: string | null;
  rotated: boolean;
}

export interface Provisioner {
  provision(request: ProvisionRequest): Promise<ProvisionedDevice>;
  /**
   * Provision, or issue a new password when the device already exists (same owner). A device that
   * is online (another simulator or a real device uses it) keeps its password unless `rotate`.
   */
  provisionOrRotate(request: ProvisionRequest): Promise<ProvisionedDevice>;
  close(): Promise<void>;
}

type ProvisionFn = (deps: { auth: unknown; db: unknown }, request: ProvisionRequest) => Promise<ProvisionedDevice>;

/** Compiled module of the backend (build it with `npm run build -w functions`). */
const MODULE = '@firelink/functions/lib/provisioning/provision.js';

function translate(error: unknown, deviceId: string): SimError {
  if (error instanceof SimError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'invalid-argument' || code === 'unsafe-target') return new SimError('bad-config', `provision ${deviceId}: ${message}`, { cause: error });
  if (code === 'already-exists' || code === 'failed-precondition') return new SimError('bad-request', `provision ${deviceId}: ${message}`, { cause: error });
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|network/i.test(message)) {
    return new SimError('unreachable', `provision ${deviceId}: cannot reach the Auth or database emulator: ${message}`, { cause: error });
  }
  return new SimError('internal', `provision ${deviceId}: ${message}`, { cause: error });
}

let appCounter = 0;

export async function openProvisioner(config: ConnectionConfig): Promise<Provisioner> {
  let provisionDevice: ProvisionFn;
  try {
    const specifier: string = MODULE;
    ({ provisionDevice } = (await import(specifier)) as { provisionDevice: ProvisionFn });
  } catch (error) {
    throw new SimError('bad-config', `the backend's provisioning module is not built (${MODULE}): run \`npm run build -w model -w functions\` first`, { cause: error });
  }
  const target = databaseTarget(config);
  if (!isProduction(config)) {
    // The Admin SDK finds the emulators only through these variables (read when it connects).
    process.env.FIREBASE_AUTH_EMULATOR_HOST = config.authEmulatorHost;
    process.env.FIREBASE_DATABASE_EMULATOR_HOST = config.databaseEmulatorHost;
  }
  const { initializeApp, deleteApp, applicationDefault } = await import('firebase-admin/app');
  const { getAuth } = await import('firebase-admin/auth');
  const { getDatabase } = await import('firebase-admin/database');
  const app = initializeApp(
    {
      projectId: config.project,
      databaseURL: target.sdkUrl,
      ...(isProduction(config) ? { credential: applicationDefault() } : {}),
    },
    `device-sim-provision-${(appCounter += 1)}`,
  );
  const deps = { auth: getAuth(app), db: getDatabase(app) };
  const provision = async (request: ProvisionRequest) => {
    try {
      return await provisionDevice(deps, request);
    } catch (error) {
      throw translate(error, request.deviceId);
    }
  };
  return {
    provision,
    async provisionOrRotate(request) {
      try {
        return await provisionDevice(deps, request);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'already-exists') throw translate(error, request.deviceId);
        if (request.rotate !== true) {
          const online = await deps.db.ref(`${statusPath(request.deviceId)}/online`).get();
          if (online.val() === true) {
            throw new SimError(
              'bad-request',
              `provision ${request.deviceId}: the device is online (another simulator or a real device is using it), so its password is not rotated; stop that one, choose another --prefix, or pass --rotate`,
            );
          }
        }
        return provision({ ...request, rotate: true });
      }
    },
    async close() {
      await deleteApp(app);
    },
  };
}
