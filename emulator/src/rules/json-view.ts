// A NodeView over plain export-format JSON (docs/protocol.md §7: `.value` / `.priority`), for unit tests
// and benchmarks of the rules engine. The database server has its own views over its tree.
import type { NodeView, PathSegments, Priority } from '../contracts.js';
import { nameCompare } from '../tree/keys.js';

type Json = unknown;

/** Key order of RTDB (the project's toolkit, SDK core/util/util.ts nameCompare). */
export const compareKeys = nameCompare;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null;
}

class JsonView implements NodeView {
  constructor(private readonly raw: Json) {}

  private leafValue(): Json {
    if (isObject(this.raw)) return '.value' in this.raw ? this.raw['.value'] : undefined;
    return this.raw;
  }

  isLeaf(): boolean {
    const leaf = this.leafValue();
    return leaf !== undefined && leaf !== null && !isObject(leaf);
  }

  exists(): boolean {
    if (this.isLeaf()) return true;
    if (!isObject(this.raw)) return false;
    for (const key of Object.keys(this.raw)) {
      if (!key.startsWith('.') && new JsonView(this.raw[key]).exists()) return true;
    }
    return false;
  }

  val(): unknown {
    if (this.isLeaf()) return this.leafValue();
    const keys = this.childKeys();
    if (keys.length === 0) return null;
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = this.child(key).val();
    return out;
  }

  exportVal(): unknown {
    if (!this.exists()) return null;
    const priority = this.priority();
    if (this.isLeaf()) return priority === null ? this.leafValue() : { '.value': this.leafValue(), '.priority': priority };
    const out: Record<string, unknown> = {};
    for (const key of this.childKeys()) out[key] = this.child(key).exportVal();
    if (priority !== null) out['.priority'] = priority;
    return out;
  }

  priority(): Priority {
    if (!isObject(this.raw) || !this.exists()) return null;
    const priority = this.raw['.priority'];
    return typeof priority === 'string' || typeof priority === 'number' ? priority : null;
  }

  child(key: string): NodeView {
    if (!isObject(this.raw) || key.startsWith('.') || this.isLeaf() || !Object.hasOwn(this.raw, key)) return EMPTY;
    return new JsonView(this.raw[key]);
  }

  childKeys(): string[] {
    if (!isObject(this.raw) || this.isLeaf()) return [];
    return Object.keys(this.raw)
      .filter((key) => !key.startsWith('.') && new JsonView((this.raw as Record<string, Json>)[key]).exists())
      .sort(compareKeys);
  }

  hasChildren(): boolean {
    return !this.isLeaf() && this.exists();
  }
}

const EMPTY: NodeView = new JsonView(null);

/** A view of export-format JSON; `null`, `{}` and all-empty objects are absent. */
export function jsonView(value: unknown): NodeView {
  return new JsonView(value);
}

/** A copy of `root` with `value` set at `path` (null deletes); untouched branches are shared. */
export function setAtPath(root: unknown, path: PathSegments, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [string, ...string[]];
  const base: Record<string, unknown> = isObject(root) && !('.value' in root) ? { ...root } : {};
  const next = setAtPath(Object.hasOwn(base, key) ? base[key] : null, rest, value);
  // defineProperty, not assignment: `__proto__` is an ordinary key in the database.
  if (next === null) delete base[key];
  else Object.defineProperty(base, key, { value: next, enumerable: true, writable: true, configurable: true });
  return base;
}
