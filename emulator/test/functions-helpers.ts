// Test doubles for the functions host: a JSON-backed CommitSource that behaves like the
// database's commit callback, and log capture.
import type { CommitSource, CommittedWrite, Identity, NodeView } from '../src/contracts.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function jsonView(value: unknown): NodeView {
  const isObj = typeof value === 'object' && value !== null;
  const present = value !== null && value !== undefined;
  return {
    exists: () => present,
    val: () => (present ? value : null),
    exportVal: () => (present ? value : null),
    isLeaf: () => present && !isObj,
    priority: () => null,
    child: (key) => jsonView(isObj ? (value as Record<string, unknown>)[key] : null),
    childKeys: () => (isObj ? Object.keys(value as object).sort() : []),
    hasChildren: () => isObj,
  };
}

/** A tiny in-memory namespace set that reports each write as a CommittedWrite. */
export class FakeDatabase implements CommitSource {
  private readonly roots = new Map<string, Json>();
  private readonly listeners = new Set<(write: CommittedWrite) => void>();

  onCommit(listener: (write: CommittedWrite) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(path: string, value: unknown, options: { namespace?: string; identity?: Identity; disableTriggers?: boolean } = {}): void {
    this.update({ [path]: value }, options);
  }

  update(values: Record<string, unknown>, options: { namespace?: string; identity?: Identity; disableTriggers?: boolean } = {}): void {
    const namespace = options.namespace ?? 'demo-functions-host-default-rtdb';
    const before = this.roots.get(namespace) ?? null;
    let after: Json = structuredClone(before);
    const paths = Object.keys(values).map((p) => p.split('/').filter(Boolean));
    paths.forEach((segments, i) => {
      after = setAt(after, segments, structuredClone(Object.values(values)[i] as Json));
    });
    this.roots.set(namespace, after);
    const write: CommittedWrite = {
      namespace,
      paths,
      before: jsonView(before),
      after: jsonView(after),
      identity: options.identity ?? { kind: 'admin' },
      disableTriggers: options.disableTriggers ?? false,
      timestampMs: Date.now(),
    };
    for (const listener of this.listeners) listener(write);
  }
}

function setAt(node: Json, path: readonly string[], value: Json): Json {
  if (path.length === 0) return prune(value);
  const [head, ...rest] = path as [string, ...string[]];
  const obj: Record<string, Json> = typeof node === 'object' && node !== null && !Array.isArray(node) ? { ...node } : {};
  const child = setAt(obj[head] ?? null, rest, value);
  if (child === null) delete obj[head];
  else obj[head] = child;
  return Object.keys(obj).length === 0 ? null : obj;
}

function prune(value: Json): Json {
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    const pruned = prune(v);
    if (pruned !== null) out[k] = pruned;
  }
  return Object.keys(out).length === 0 ? null : out;
}

/** Collects log lines; `seen()` parses the fixture's `{"seen": …}` lines. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly log = (line: string): void => {
    this.lines.push(line);
    if (process.env['FUNCTIONS_TEST_VERBOSE']) process.stderr.write(`${line}\n`);
  };

  seen(fn?: string): Array<Record<string, unknown> & { seen: string }> {
    const out: Array<Record<string, unknown> & { seen: string }> = [];
    for (const line of this.lines) {
      const at = line.indexOf('{"seen"');
      if (at < 0) continue;
      const parsed = JSON.parse(line.slice(at)) as Record<string, unknown> & { seen: string };
      if (fn === undefined || parsed.seen === fn) out.push(parsed);
    }
    return out;
  }

  matching(pattern: RegExp): string[] {
    return this.lines.filter((l) => pattern.test(l));
  }
}

/** Polls until `check` returns a value other than undefined; generous bound, no timing asserts. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
