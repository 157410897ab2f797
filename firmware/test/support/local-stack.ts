// The ONE place the firmware-in-the-loop tests get the local stack from (@firelink/stack): our RTDB
// emulator with database.rules.json and the functions, and the firebase-tools Auth emulator, on
// free ports, each its own child process.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface LocalStack {
  dbHost: string;
  authHost: string;
  namespace: string;
  /** Provisions a device for the test owner; returns its credentials. */
  provision(deviceId: string): Promise<{ email: string; password: string }>;
  /** Admin read of a path in the default namespace, or in `ns` (another instance: a shard). */
  read(path: string, ns?: string): Promise<unknown>;
  /** Admin write (PUT) of a path, e.g. a config or commands, as the owner's dashboard would. */
  write(path: string, value: unknown, ns?: string): Promise<void>;
  /** Waits until the functions host has run every queued trigger. */
  idle(): Promise<void>;
  /** Stops the database and starts it again on the same port, keeping its data. */
  restartDatabase(): Promise<void>;
  stop(): Promise<void>;
}

/** Why the stack cannot run here (a workspace not built), or null. */
export function stackMissing(): string | null {
  const need: [string, string][] = [
    ['stack/dist/index.js', 'stack'],
    ['emulator/dist/index.js', 'emulator'],
    ['functions/lib/index.js', 'functions'],
    ['model/dist/index.js', 'model'],
  ];
  for (const [file, workspace] of need) {
    if (!existsSync(join(ROOT, file))) return `${file} is not built (npm run build -w ${workspace})`;
  }
  return null;
}

export async function startLocalStack(options: { strictTokens?: boolean; tokenMaxAgeSeconds?: number } = {}): Promise<LocalStack> {
  // Loaded only here, so an unbuilt stack gives the loud skip of stackMissing() instead of a load error.
  await import('@firelink/stack/env');
  const { startStack } = await import('@firelink/stack');
  // A data folder, so restartDatabase() keeps every acknowledged write: the emulator writes its data
  // on a clean stop, after the port closed and the queued triggers ran. (Without one the stack
  // exports the data before stopping, and a write acknowledged in between is lost.)
  const dataDir = mkdtempSync(join(tmpdir(), 'firmware-stack-'));
  const stack = await startStack({ ports: 'free', processes: 'in-process', functions: true, dataDir, ...options });
  const owner = await stack.createOwner({ email: 'firmware-tests@demo.firelink.local', password: 'firmware-tests' }).catch(async (error: unknown) => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const admin = { authorization: 'Bearer owner' };
  const url = (path: string, ns = stack.namespace) => `${stack.urls.database}/${path}.json?ns=${ns}`;
  return {
    dbHost: stack.hosts.database,
    authHost: stack.hosts.auth,
    namespace: stack.namespace,
    async provision(deviceId) {
      const d = await stack.provisionDevice({ deviceId, owner: owner.uid });
      return { email: d.email, password: d.password };
    },
    async read(path, ns) {
      const res = await fetch(url(path, ns), { headers: admin });
      if (!res.ok) throw new Error(`admin GET ${path}: HTTP ${res.status}: ${await res.text()}`);
      return (await res.json()) as unknown;
    },
    async write(path, value, ns) {
      const res = await fetch(url(path, ns), { method: 'PUT', headers: admin, body: JSON.stringify(value) });
      if (!res.ok) throw new Error(`admin PUT ${path}: HTTP ${res.status}: ${await res.text()}`);
    },
    idle: () => stack.functionsIdle(),
    restartDatabase: () => stack.restartDatabase(),
    async stop() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
