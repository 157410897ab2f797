// One contract suite, two targets: tests run against our emulator, started
// in-process on a free port, or — with FIRELINK_EMULATOR_TARGET=official and
// FIREBASE_DATABASE_EMULATOR_HOST set — against an external official emulator.
import { randomBytes } from 'node:crypto';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/index.js';

export const PROJECT_ID = 'demo-firelink';

export interface Target {
  readonly kind: 'ours' | 'official';
  /** `host:port` */
  readonly hostPort: string;
  /** Our emulator when kind = 'ours' (fault injection, export); null for the official one. */
  readonly emulator: RunningEmulator | null;
  stop(): Promise<void>;
}

export const TARGET_KIND: 'ours' | 'official' = process.env['FIRELINK_EMULATOR_TARGET'] === 'official' ? 'official' : 'ours';
const officialHost = process.env['FIREBASE_DATABASE_EMULATOR_HOST'];
if (TARGET_KIND === 'official' && !officialHost) {
  throw new Error('FIRELINK_EMULATOR_TARGET=official needs FIREBASE_DATABASE_EMULATOR_HOST=<host:port> of a running official emulator');
}
let announced = false;

export async function startTarget(options: EmulatorOptions = {}): Promise<Target> {
  if (!announced) {
    announced = true;
    console.log(`[conformance] target: ${TARGET_KIND === 'ours' ? 'rtdb-emulator (in-process)' : `official emulator at ${officialHost}`}`);
  }
  if (TARGET_KIND === 'official') {
    return { kind: 'official', hostPort: officialHost!, emulator: null, stop: async () => {} };
  }
  const emulator = await startEmulator({ port: 0, log: () => {}, ...options });
  process.env['FIREBASE_DATABASE_EMULATOR_HOST'] = emulator.hostPort;
  return { kind: 'ours', hostPort: emulator.hostPort, emulator, stop: () => emulator.stop() };
}

/** A fresh namespace per test keeps tests independent on either target. */
export function freshNamespace(prefix = 'conf'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Reason printed for a test that needs our emulator's fault injection. */
export function onlyOurs(reason: string): boolean {
  if (TARGET_KIND === 'ours') return true;
  console.warn(`[conformance] SKIPPED on the official emulator: ${reason}`);
  return false;
}

export function restUrl(target: Target, path: string, ns: string, params: Record<string, string> = {}): string {
  const q = new URLSearchParams({ ns, ...params });
  const p = path.replace(/^\/+/, '');
  return `http://${target.hostPort}/${p}${p.length > 0 ? '' : ''}.json?${q.toString()}`;
}

export function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      const v = fn();
      if (v !== undefined && v !== null && v !== false) return resolve(v);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** Polls an async check until it returns true. */
export async function waitForAsync(fn: () => Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!(await fn())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
