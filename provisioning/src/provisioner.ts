/**
 * A provisioner bound to one target: its own Admin SDK app (emulators, or a real project with
 * Application Default Credentials), errors in the provisioning vocabulary. What the CLI,
 * device-sim's fleet and the test stacks use.
 */
import { applicationDefault, deleteApp, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase } from 'firebase-admin/database';
import { ProvisionError, isProvisionError, toProvisionError } from './errors.js';
import { moveDevice, type MoveReport, type MoveRequest } from './move.js';
import { provisionDevice, type DeviceCredentials, type ProvisionRequest } from './provision.js';
import { SHARDS_ENV, deviceShard, parseShardList, shardRouter, type ShardRouter, type ShardSpec } from './shards.js';
import type { Target } from './target.js';
import { statusPath } from '@firelink/model';

export interface Provisioner {
  readonly target: Target;
  /** Fails with `already-exists` for a provisioned device unless `request.rotate`. */
  provision(request: ProvisionRequest): Promise<DeviceCredentials>;
  /**
   * Provisions, or issues a new password when the device already exists (same owner). A device
   * that is online (another simulator or a real device signed in with it) keeps its password
   * unless `request.rotate`: `failed-precondition`.
   */
  provisionOrRotate(request: ProvisionRequest): Promise<DeviceCredentials>;
  /** Moves a device to another configured shard (move.ts). */
  move(request: MoveRequest): Promise<MoveReport>;
  /** The instances this provisioner writes to. */
  readonly shards: ShardRouter;
  close(): Promise<void>;
}

export interface ProvisionerOptions {
  /** Instances new devices may go to; default: FIRELINK_SHARDS of `env`, else the default instance. */
  shards?: readonly ShardSpec[] | null;
  env?: NodeJS.ProcessEnv;
}

let appCounter = 0;

export function openProvisioner(target: Target, options: ProvisionerOptions = {}): Provisioner {
  if (target.kind === 'emulators') {
    // The Admin SDK finds the Auth emulator only through this variable (read at each request), and
    // its database client prefers FIREBASE_DATABASE_EMULATOR_HOST over the databaseURL's host: a
    // stale value would send the writes elsewhere and hang, so both are set to the target.
    process.env.FIREBASE_AUTH_EMULATOR_HOST = target.authEmulatorHost;
    process.env.FIREBASE_DATABASE_EMULATOR_HOST = target.databaseEmulatorHost;
  } else {
    const set = ['FIREBASE_AUTH_EMULATOR_HOST', 'FIREBASE_DATABASE_EMULATOR_HOST'].filter((name) => process.env[name]);
    if (set.length > 0) {
      throw new ProvisionError('unsafe-target', `refusing to provision in project ${target.projectId}: ${set.join(', ')} would send the Admin SDK to an emulator; unset them`);
    }
  }
  const app = initializeApp(
    target.kind === 'emulators'
      ? { projectId: target.projectId, databaseURL: `http://${target.databaseEmulatorHost}?ns=${target.namespace}` }
      : { projectId: target.projectId, databaseURL: target.databaseUrl, credential: applicationDefault() },
    `firelink-provision-${(appCounter += 1)}`,
  );
  const configured = options.shards !== undefined ? options.shards : parseShardList((options.env ?? process.env)[SHARDS_ENV], SHARDS_ENV, target.projectId);
  const db = getDatabase(app);
  const shards = shardRouter(db, configured);
  const deps = { auth: getAuth(app), db, shards };
  const provision = async (request: ProvisionRequest) => {
    try {
      return await provisionDevice(deps, request);
    } catch (error) {
      throw toProvisionError(error, request.deviceId);
    }
  };
  return {
    target,
    shards,
    provision,
    async move(request) {
      try {
        return await moveDevice(shards, request);
      } catch (error) {
        throw toProvisionError(error, request.deviceId);
      }
    },
    async provisionOrRotate(request) {
      try {
        return await provision(request);
      } catch (error) {
        if (!isProvisionError(error, 'already-exists')) throw error;
        if (request.rotate !== true) {
          const { instance } = await deviceShard(shards, request.deviceId);
          const online = await shards.database(instance).ref(`${statusPath(request.deviceId)}/online`).get();
          if (online.val() === true) {
            throw new ProvisionError(
              'failed-precondition',
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
