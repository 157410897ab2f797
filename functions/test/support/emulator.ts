// Our RTDB emulator (emulator/, no Java) started in-process on a free port, with the repository's
// database.rules.json and, on request, this package's compiled functions (functions/lib).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '@firelink/emulator';

export const PROJECT_ID = 'demo-firelink';
export const NAMESPACE = `${PROJECT_ID}-default-rtdb`;
export const functionsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rulesFile = join(functionsDir, '..', 'database.rules.json');

export interface TestEmulator {
  emulator: RunningEmulator;
  /** Every log line the emulator (and the functions it hosts) printed. */
  lines: string[];
  stop(): Promise<void>;
}

export async function startTestEmulator(options: { functions?: boolean; authEmulatorHost?: string } = {}): Promise<TestEmulator> {
  const lines: string[] = [];
  const emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    projectId: PROJECT_ID,
    rules: rulesFile,
    ...(options.functions ? { functions: functionsDir } : {}),
    ...(options.authEmulatorHost ? { authEmulatorHost: options.authEmulatorHost } : {}),
    log: (line) => {
      lines.push(line);
      if (process.env.FIRELINK_TEST_VERBOSE) process.stderr.write(`${line}\n`);
    },
  });
  // The SDKs read the emulator host when a database is first created.
  process.env.FIREBASE_DATABASE_EMULATOR_HOST = emulator.hostPort;
  return { emulator, lines, stop: () => emulator.stop() };
}

/** POST /.functions/idle: resolves once every queued trigger (cascades included) has run. */
export async function functionsIdle(emulator: RunningEmulator, timeoutMs = 25_000): Promise<void> {
  const res = await fetch(`${emulator.url}/.functions/idle?timeoutMs=${timeoutMs}`, { method: 'POST' });
  if (!res.ok) throw new Error(`functions idle: HTTP ${res.status}: ${await res.text()}`);
}

/** POST /.functions/schedules/<name>:run: runs a scheduled function now; throws with its error. */
export async function runSchedule(emulator: RunningEmulator, name: string): Promise<void> {
  const res = await fetch(`${emulator.url}/.functions/schedules/${encodeURIComponent(name)}:run`, { method: 'POST' });
  if (!res.ok) throw new Error(`run schedule ${name}: HTTP ${res.status}: ${await res.text()}`);
}
