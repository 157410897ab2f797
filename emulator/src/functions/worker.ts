// Runs in its own Node process (forked by worker-process.ts): loads the functions package
// once, reports its endpoints and runs invocations sent over IPC. Keeping user code here
// means a crash or an endless loop never stops the database.
// The environment (FIREBASE_CONFIG, emulator hosts) is set by the host before fork, so
// `initializeApp()` at import time already points at the local stack (docs/protocol.md §17).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ExportedEndpoint } from './discovery.js';
import type { ErrorInfo, FromWorker, InvokeEvent, ToWorker } from './worker-protocol.js';

type Callable = ((...args: unknown[]) => unknown) & { __endpoint?: unknown; run?: (event: unknown) => unknown };

const functionsByName = new Map<string, Callable>();

let outbox: FromWorker[] = [];

/** Queues a message; everything queued in this turn leaves in one IPC write. */
function send(message: FromWorker): void {
  if (outbox.length === 0) setImmediate(flush);
  outbox.push(message);
}

function flush(): void {
  const messages = outbox;
  outbox = [];
  if (messages.length === 1) process.send?.(messages[0]);
  else if (messages.length > 1) process.send?.({ type: 'batch', messages } satisfies FromWorker);
}

function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) return { message: err.message, stack: err.stack ?? err.message };
  return { message: String(err), stack: String(err) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Flattens nested export groups with `-`, as firebase-functions `runtime/loader.ts` extractStack does. */
function collect(exportsObject: Record<string, unknown>, prefix: string, depth: number): void {
  for (const [key, value] of Object.entries(exportsObject)) {
    if (typeof value === 'function' && typeof (value as Callable).__endpoint === 'object') {
      functionsByName.set(prefix + key, value as Callable);
    } else if (isPlainObject(value) && depth < 8) {
      collect(value, `${prefix}${key}-`, depth + 1);
    }
  }
}

type ExpressionLike = { value: () => unknown; toCEL: unknown };

function isExpression(value: unknown): value is ExpressionLike {
  const v = value as Partial<ExpressionLike> | null;
  return typeof v === 'object' && v !== null && typeof v.value === 'function' && typeof v.toCEL === 'function';
}

/**
 * Params that the environment (.env files) leaves unset take their default, as the Firebase CLI
 * resolves them before it deploys or emulates (firebase-tools `deploy/functions/params.ts`): a
 * param's `value()` reads only `process.env` (firebase-functions `params/types.ts`), so a param
 * known only by its default would read "" in handlers and options. The list is the user's own
 * firebase-functions' `declaredParams` (shared by its CommonJS and ESM builds).
 */
function applyParamDefaults(entry: string): void {
  let declared: unknown;
  try {
    declared = (createRequire(entry)('firebase-functions/params') as { declaredParams?: unknown }).declaredParams;
  } catch {
    return; // no firebase-functions next to this package: no params either
  }
  if (!Array.isArray(declared)) return;
  for (const param of declared as Array<{ name?: unknown; options?: { default?: unknown } } | null>) {
    const name = param?.name;
    const fallback = param?.options?.default;
    if (typeof name !== 'string' || process.env[name] !== undefined || fallback === undefined) continue;
    const value = isExpression(fallback) ? fallback.value() : fallback;
    process.env[name] = Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
}

/**
 * Param expressions (defineString …) are resolved here, where the user's env lives. The replacer
 * looks at the holder's own value (`this[key]`): JSON.stringify hands it `value` only after calling
 * `toJSON`, which firebase-functions' Expression (params/types.ts) defines to return the
 * expression's text, e.g. "params.FIRELINK_REGION".
 */
function endpointJson(endpoint: unknown): Record<string, unknown> {
  const text = JSON.stringify(endpoint, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return isExpression(raw) ? raw.value() : value;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

async function load(entry: string): Promise<ExportedEndpoint[]> {
  const namespace = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  applyParamDefaults(entry);
  const { default: defaultExport, ...named } = namespace;
  collect(named, '', 0);
  // CommonJS packages whose exports the ESM loader could not name arrive only as `default`.
  if (functionsByName.size === 0 && isPlainObject(defaultExport)) collect(defaultExport, '', 0);
  return [...functionsByName].map(([name, fn]) => ({ name, endpoint: endpointJson(fn.__endpoint) }));
}

async function invoke(message: InvokeEvent): Promise<void> {
  const fn = functionsByName.get(message.name);
  if (!fn) throw new Error(`function ${message.name} is not exported by this build`);
  if (message.kind === 'database') {
    await fn(message.payload);
    return;
  }
  // onSchedule wraps the handler in an HTTP function that swallows the error's stack
  // (firebase-functions v2/providers/scheduler.ts); call the handler itself instead.
  if (typeof fn.run !== 'function') throw new Error(`function ${message.name} has no handler to run`);
  await fn.run(message.payload);
}

/** Routes console output through IPC so the host logs it in order with the invocations. */
function captureOutput(stream: 'stdout' | 'stderr'): void {
  const target = process[stream];
  target.write = ((chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    send({ type: 'output', stream, text });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as typeof target.write;
}
if (process.send) {
  captureOutput('stdout');
  captureOutput('stderr');
}

function start(message: InvokeEvent): void {
  invoke(message).then(
    () => send({ type: 'done', id: message.id, error: null }),
    (err: unknown) => send({ type: 'done', id: message.id, error: errorInfo(err) }),
  );
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'batch') message.messages.forEach(start);
  else start(message);
});

// User code may leave a rejected promise or throw from a timer; report it and keep serving.
process.on('uncaughtException', (err) => send({ type: 'uncaught', error: errorInfo(err) }));
process.on('unhandledRejection', (err) => send({ type: 'uncaught', error: errorInfo(err) }));
process.on('disconnect', () => process.exit(0));

const entry = process.argv[2];
if (!entry) {
  send({ type: 'loadFailed', error: errorInfo(new Error('worker started without the functions entry path')) });
} else {
  load(entry).then(
    (endpoints) => send({ type: 'loaded', endpoints }),
    (err: unknown) => send({ type: 'loadFailed', error: errorInfo(err) }),
  );
}
