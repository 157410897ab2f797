// Provisioning for the fleet and the test stacks: the provisioning package
// (@firelink/provisioning, one Auth user per device with the claim `device: <id>`, plus the owner
// index, meta and default config in one update), aimed at the simulator's target. Its errors stay
// ProvisionErrors (provisioning/src/errors.ts); `toSimError` maps them where device-sim reports.
import { ProvisionError, openProvisioner as openTargetProvisioner, type Provisioner, type Target } from '@firelink/provisioning';
import { databaseTarget, isProduction, type ConnectionConfig } from './config.js';
import { SimError } from '../errors.js';

export type { DeviceCredentials as ProvisionedDevice, Provisioner, ProvisionRequest } from '@firelink/provisioning';

/** The provisioning target of a simulator configuration (emulators, or the real project). */
export function provisioningTarget(config: ConnectionConfig): Target {
  if (isProduction(config)) return { kind: 'project', projectId: config.project, databaseUrl: databaseTarget(config).sdkUrl };
  return {
    kind: 'emulators',
    projectId: config.project,
    authEmulatorHost: config.authEmulatorHost,
    databaseEmulatorHost: config.databaseEmulatorHost,
    namespace: databaseTarget(config).namespace ?? `${config.project}-default-rtdb`,
  };
}

export async function openProvisioner(config: ConnectionConfig): Promise<Provisioner> {
  return openTargetProvisioner(provisioningTarget(config));
}

/** A provisioning failure in the simulator's vocabulary (exit codes of docs/device-sim.md). */
export function toSimError(error: unknown, deviceId: string): SimError {
  if (error instanceof SimError) return error;
  if (!(error instanceof ProvisionError)) return new SimError('internal', `provision ${deviceId}: ${String(error)}`, { cause: error });
  const code = ({
    'invalid-argument': 'bad-config',
    'unsafe-target': 'bad-config',
    'already-exists': 'bad-request',
    'failed-precondition': 'bad-request',
    unreachable: 'unreachable',
    unauthenticated: 'bad-credentials',
    internal: 'internal',
  } as const)[error.code];
  return new SimError(code, error.message, { cause: error });
}


