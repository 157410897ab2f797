// Host side of the worker: forks it, sends invocations, enforces timeouts by killing it,
// and forks a fresh one on the next invocation after a kill or a crash.
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ExportedEndpoint } from './discovery.js';
import type { ErrorInfo, FromWorker, InvokeEvent, ToWorker } from './worker-protocol.js';

/**
 * Extra Node flags for the worker, space-separated (e.g. `--cpu-prof --cpu-prof-dir=prof`).
 * The worker's environment drops NODE_OPTIONS (config.ts functionsEnv), so this is the way in.
 */
export const WORKER_NODE_ARGS_ENV = 'RTDB_EMULATOR_WORKER_NODE_ARGS';

export function workerNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[WORKER_NODE_ARGS_ENV] ?? '').split(/\s+/).filter((arg) => arg.length > 0);
}

/** With extra Node flags, how long a stopping worker may take to exit by itself. */
const PROFILED_EXIT_GRACE_MS = 5_000;

/** Workers ended because of a timeout: their other invocations are innocent. */
const killedOnTimeout = new WeakSet<ChildProcess>();

export type FailureKind = 'error' | 'timeout' | 'interrupted' | 'unavailable';

/** Why an invocation did not succeed: the handler threw, ran out of time, lost its worker. */
export class InvocationFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly handlerStack: string | null = null,
  ) {
    super(message);
    this.name = 'InvocationFailure';
  }
}

export interface WorkerProcessOptions {
  scriptPath: string;
  entryPath: string;
  /** Called at every fork, so `.env` edits apply on reload; a throw is a load failure. */
  env: () => NodeJS.ProcessEnv;
  cwd: string;
  /** Each fork's endpoints: the first load and every restart. */
  onLoaded(endpoints: ExportedEndpoint[]): void;
  onOutput(line: string, stream: 'stdout' | 'stderr'): void;
  onUncaught(error: ErrorInfo): void;
  onExit(code: number | null, signal: NodeJS.Signals | null, expected: boolean): void;
}

interface Pending {
  resolve(): void;
  reject(err: InvocationFailure): void;
  timer: NodeJS.Timeout;
}

export class WorkerProcess {
  private child: ChildProcess | null = null;
  private ready: Promise<ChildProcess> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopping = false;

  constructor(private readonly options: WorkerProcessOptions) {}

  get inFlight(): number {
    return this.pending.size;
  }

  /** Forks the worker (if not running) and resolves with its endpoints once loaded. */
  start(): Promise<ChildProcess> {
    this.stopping = false;
    this.ready ??= this.spawn();
    return this.ready;
  }

  async invoke(name: string, kind: InvokeEvent['kind'], payload: unknown, timeoutMs: number): Promise<void> {
    let child: ChildProcess;
    try {
      child = await this.start();
    } catch (err) {
      throw new InvocationFailure('unavailable', (err as Error).message);
    }
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new InvocationFailure('timeout', `${name} timed out after ${timeoutMs / 1000} s (timeoutSeconds)`));
        // A synchronous endless loop cannot be interrupted from outside: end the process.
        killedOnTimeout.add(child);
        this.kill(child);
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.queue(child, { type: 'invoke', id, name, kind, payload });
    });
  }

  private outbox: InvokeEvent[] = [];

  /** Invocations queued in one event-loop turn leave in one IPC write. */
  private queue(child: ChildProcess, message: InvokeEvent): void {
    if (this.outbox.length === 0) setImmediate(() => this.flush(child));
    this.outbox.push(message);
  }

  private flush(child: ChildProcess): void {
    const messages = this.outbox;
    this.outbox = [];
    if (messages.length === 0) return;
    const packet: ToWorker = messages.length === 1 ? (messages[0] as InvokeEvent) : { type: 'batch', messages };
    if (child !== this.child) return this.failUnsent(messages, 'the functions worker restarted before this invocation was sent');
    child.send(packet, (err) => {
      if (err) this.failUnsent(messages, `could not reach the functions worker: ${err.message}`);
    });
  }

  private failUnsent(messages: readonly InvokeEvent[], reason: string): void {
    for (const { id } of messages) {
      const entry = this.pending.get(id);
      if (!entry) continue;
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(new InvocationFailure('interrupted', reason));
    }
  }

  /** Ends the worker; in-flight invocations fail as interrupted. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) {
      this.ready = null;
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (workerNodeArgs().length > 0 && child.connected) {
      // Flags such as --cpu-prof write their output only at a normal exit: let the worker end
      // itself (it exits on disconnect), and kill it only if it does not within the grace.
      child.disconnect();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, PROFILED_EXIT_GRACE_MS).unref())]);
    }
    this.kill(child);
    await exited;
  }

  private kill(child: ChildProcess): void {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private spawn(): Promise<ChildProcess> {
    const { scriptPath, entryPath, cwd } = this.options;
    let env: NodeJS.ProcessEnv;
    try {
      env = this.options.env();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const child = fork(scriptPath, [entryPath], {
      cwd,
      env,
      // Maps user stack traces to their TypeScript sources through functions/lib's source maps;
      // plus any Node flags asked for (profiling the worker: WORKER_NODE_ARGS_ENV).
      execArgv: ['--enable-source-maps', ...workerNodeArgs()],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    for (const stream of ['stdout', 'stderr'] as const) {
      const input = child[stream];
      if (input) createInterface({ input }).on('line', (line) => this.options.onOutput(line, stream));
    }
    return new Promise<ChildProcess>((resolve, reject) => {
      let loaded = false;
      let loadFailed = false;
      const onMessage = (message: FromWorker): void => {
        switch (message.type) {
          case 'loaded':
            loaded = true;
            this.options.onLoaded(message.endpoints);
            resolve(child);
            break;
          case 'loadFailed':
            loadFailed = true;
            reject(new Error(`functions failed to load: ${message.error.stack}`));
            this.kill(child);
            break;
          case 'done':
            this.settle(message.id, message.error);
            break;
          case 'uncaught':
            this.options.onUncaught(message.error);
            break;
          case 'output':
            for (const line of message.text.replace(/\n$/, '').split('\n')) this.options.onOutput(line, message.stream);
            break;
          case 'batch':
            message.messages.forEach(onMessage);
            break;
        }
      };
      child.on('message', onMessage);
      child.on('error', (err) => {
        if (!loaded) reject(new Error(`functions worker could not start: ${err.message}`));
      });
      child.on('exit', (code, signal) => {
        if (this.child === child) {
          this.child = null;
          this.ready = null;
        }
        if (!loaded) reject(new Error(`functions worker exited while loading (code ${code}, signal ${signal})`));
        // Alone in flight during an unplanned exit, an invocation is the cause (process.exit,
        // a native crash): it fails like a throw. Otherwise nobody can tell; all are re-delivered.
        const culprit = !this.stopping && !killedOnTimeout.has(child) && this.pending.size === 1;
        for (const [id, entry] of this.pending) {
          clearTimeout(entry.timer);
          this.pending.delete(id);
          entry.reject(
            culprit
              ? new InvocationFailure('error', `the functions worker exited (code ${code}, signal ${signal}) during this invocation`)
              : new InvocationFailure('interrupted', 'the functions worker stopped during this invocation'),
          );
        }
        this.options.onExit(code, signal, this.stopping || loadFailed);
      });
    });
  }

  private settle(id: number, error: ErrorInfo | null): void {
    const entry = this.pending.get(id);
    if (!entry) return; // already timed out
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (error) entry.reject(new InvocationFailure('error', error.message, error.stack));
    else entry.resolve();
  }
}
