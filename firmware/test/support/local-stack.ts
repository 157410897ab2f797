// The ONE place the firmware-in-the-loop tests get the local stack from: our RTDB emulator with
// database.rules.json and the functions, and the firebase-tools Auth emulator, on free ports.
// Until `@firelink/stack` lands this wraps device-sim's test stack (which builds on
// functions/test/support/{emulator,auth-emulator}.ts); switching is a change to this file only.
import { startAuthEmulator } from '../../../functions/test/support/auth-emulator.js';
import { functionsMissing, startStack, type Stack } from '../../../device-sim/test/support/stack.js';

export { eventually } from '../../../device-sim/test/support/stack.js';

export interface LocalStack {
  dbHost: string;
  authHost: string;
  namespace: string;
  /** Provisions (or re-provisions) a device owned by `owner-1`; returns its credentials. */
  provision(deviceId: string): Promise<{ email: string; password: string }>;
  /** Admin read of a path in the functions' namespace. */
  read(path: string): Promise<unknown>;
  /** Admin write (PUT) of a path, e.g. a config or a command, as the owner's dashboard would. */
  write(path: string, value: unknown): Promise<void>;
  /** Waits until the functions host has run every queued trigger. */
  idle(): Promise<void>;
  /** Stops the database for `downMs`, keeping its data, then starts it on the same port. */
  restartDatabase(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export const NAMESPACE = 'demo-firelink-default-rtdb';

/** Why the stack cannot run here (something not built), or null. */
export function stackMissing(): string | null {
  return functionsMissing();
}

export interface LocalStackOptions {
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
  /** Use this stack's Auth emulator instead of starting another (firebase-tools takes many seconds to start). */
  shareAuthWith?: LocalStack;
}

const authOf = new WeakMap<LocalStack, Stack['auth']>();

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const { shareAuthWith, ...rest } = options;
  // firebase-tools needs well over a minute to start on a busy machine: wait longer than its default.
  const auth = (shareAuthWith ? authOf.get(shareAuthWith) : undefined) ?? (await startAuthEmulator({ projectId: 'demo-firelink', startTimeoutMs: 180_000 }));
  const ownsAuth = !shareAuthWith;
  const stack: Stack = await startStack({ ...rest, auth });
  const local: LocalStack = {
    dbHost: stack.db.hostPort,
    authHost: stack.auth.hostAndPort,
    namespace: NAMESPACE,
    provision: async (deviceId) => {
      const d = await stack.provision(deviceId);
      return { email: d.email, password: d.password };
    },
    read: (path) => stack.read(path),
    write: async (path, value) => {
      const res = await fetch(`${stack.db.url}/${path}.json?ns=${NAMESPACE}`, {
        method: 'PUT',
        headers: { authorization: 'Bearer owner' },
        body: JSON.stringify(value),
      });
      if (!res.ok) throw new Error(`admin PUT ${path}: HTTP ${res.status}: ${await res.text()}`);
    },
    idle: () => stack.idle(),
    restartDatabase: (downMs) => stack.db.restart(downMs),
    stop: async () => {
      await stack.stop();
      if (ownsAuth) await auth.stop();
    },
  };
  authOf.set(local, stack.auth);
  return local;
}
