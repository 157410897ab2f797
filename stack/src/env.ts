// `import '@firelink/stack/env'` FIRST in every test setup, script and bench: before any Firebase
// code is loaded, the SDKs are pointed at loopback emulator hosts and a `demo-*` project, so nothing
// can reach real Firebase or Google (the SDKs read these variables when an app first connects:
// firebase-admin's database and auth emulator detection, firebase-functions' project id).
// startStack() overwrites the hosts with the ports it really uses.
import { stackConfig } from './config.js';

/** A port nothing listens on (discard): a client that runs before its stack fails fast. */
const NOWHERE = '127.0.0.1:9';
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/;

function emulatorHost(name: 'FIREBASE_DATABASE_EMULATOR_HOST' | 'FIREBASE_AUTH_EMULATOR_HOST'): void {
  const value = process.env[name];
  if (value === undefined || value === '') {
    process.env[name] = NOWHERE;
    return;
  }
  if (!LOOPBACK.test(value)) {
    throw new Error(`@firelink/stack/env: ${name}=${value} is not a loopback host:port; the local system and its tests only talk to emulators on this machine (unset it or use 127.0.0.1:PORT)`);
  }
}

export function applyEnvGuard(): void {
  const { projectId } = stackConfig();
  process.env.GCLOUD_PROJECT = projectId;
  process.env.GOOGLE_CLOUD_PROJECT = projectId;
  emulatorHost('FIREBASE_DATABASE_EMULATOR_HOST');
  emulatorHost('FIREBASE_AUTH_EMULATOR_HOST');
  // firebase-tools: no prompts, no update check against the registry.
  process.env.CI = 'true';
  process.env.FIREBASE_CLI_DISABLE_UPDATE_CHECK = 'true';
}

applyEnvGuard();
