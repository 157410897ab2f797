// Turns client/REST JSON (export format, may hold `.sv` server values) into stored nodes,
// validating keys, priorities and limits. Server values resolve against the value that is
// at the same location before the write (spec §1.10; core/util/ServerValues.ts).
import { RtdbError } from '../errors.js';
import { isValidKey, MAX_PATH_DEPTH, MAX_PATH_LENGTH_BYTES, pathBytes, pathToString } from './keys.js';
import { Branch, childOf, leafValue, PriorityLeaf, priorityOf, type Node } from './node.js';

/**
 * Most children one location can hold here: a JavaScript Map holds at most 2^24 entries. A
 * larger object or array is refused with a 400 naming the location, never a 500.
 */
export const MAX_CHILDREN = 2 ** 24 - 1;

/** Longest string leaf (core/util/validation.ts MAX_LEAF_SIZE_). */
export const MAX_LEAF_BYTES = 10 * 1024 * 1024;

export interface ParseContext {
  /** One server time for every `{".sv":"timestamp"}` in the operation. */
  readonly nowMs: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(path: readonly string[], what: string): RtdbError {
  return new RtdbError('invalid_data', `Invalid data at ${pathToString(path)}: ${what}`);
}

function tooManyChildren(path: readonly string[], count: number): RtdbError {
  return invalid(path, `${count} children at one location; rtdb-emulator stores at most ${MAX_CHILDREN} per location (split the data over several locations)`);
}

function resolveServerValue(sv: unknown, existing: Node | null, path: readonly string[], ctx: ParseContext): number {
  if (sv === 'timestamp') return ctx.nowMs;
  if (isObject(sv) && 'increment' in sv) {
    const delta = sv['increment'];
    if (typeof delta !== 'number' || !Number.isFinite(delta)) {
      throw invalid(path, 'increment needs a finite number');
    }
    const current = existing === null ? null : leafValue(existing);
    const sum = typeof current === 'number' ? current + delta : delta;
    // Stored, Infinity would read back as null (JSON has no Infinity): refuse the write instead.
    if (!Number.isFinite(sum)) throw invalid(path, `increment by ${delta} overflows the stored number ${String(current)}`);
    return normaliseNumber(sum);
  }
  throw invalid(path, `unrecognized server value ${JSON.stringify(sv)}`);
}

function normaliseNumber(n: number): number {
  // -0 would hash differently from the 0 the client sees after JSON (spec §1.10).
  return n === 0 ? 0 : n;
}

function parsePriority(raw: unknown, existing: Node | null, path: readonly string[], ctx: ParseContext): string | number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return normaliseNumber(raw);
  if (isObject(raw) && '.sv' in raw) {
    const prior = priorityOf(existing);
    return resolveServerValue(raw['.sv'], prior === null ? null : prior, path, ctx);
  }
  throw invalid(path, `priority must be a string, a number or null, got ${JSON.stringify(raw)}`);
}

/**
 * Parses `json` to be written at `path`; `existing` is the node there now (for increments).
 * Returns null for anything that is empty (null, {}, objects of nulls).
 */
export function parseNode(json: unknown, existing: Node | null, path: readonly string[], ctx: ParseContext): Node | null {
  if (path.length > MAX_PATH_DEPTH) {
    throw new RtdbError('too_big', `Data at ${pathToString(path.slice(0, MAX_PATH_DEPTH))} is nested deeper than ${MAX_PATH_DEPTH} levels`);
  }
  let value: unknown = json;
  let priority: string | number | null = null;
  if (isObject(value)) {
    if ('.sv' in value) {
      const siblings = Object.keys(value).filter((k) => k !== '.sv');
      if (siblings.length > 0) throw invalid(path, `a server value {".sv": …} cannot have other keys (found ${siblings.map((k) => JSON.stringify(k)).join(', ')})`);
      return resolveServerValue(value['.sv'], existing, path, ctx);
    }
    if ('.priority' in value) priority = parsePriority(value['.priority'], existing, path, ctx);
    if ('.value' in value) {
      value = value['.value'];
      if (isObject(value) && '.sv' in value) value = resolveServerValue(value['.sv'], existing, path, ctx);
    }
  }
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      if (value.length * 3 > MAX_LEAF_BYTES && Buffer.byteLength(value, 'utf8') > MAX_LEAF_BYTES) {
        throw new RtdbError('too_big', `String at ${pathToString(path)} is longer than ${MAX_LEAF_BYTES} bytes`);
      }
      return priority === null ? value : new PriorityLeaf(value, priority);
    case 'boolean':
      return priority === null ? value : new PriorityLeaf(value, priority);
    case 'number': {
      if (!Number.isFinite(value)) throw invalid(path, 'numbers must be finite');
      const n = normaliseNumber(value);
      return priority === null ? n : new PriorityLeaf(n, priority);
    }
    case 'object':
      return parseChildren(value as Json[] | Record<string, Json>, priority, existing, path, ctx);
    default:
      throw invalid(path, `unsupported value type ${typeof value}`);
  }
}

function parseChildren(
  value: Json[] | Record<string, Json>,
  priority: string | number | null,
  existing: Node | null,
  path: readonly string[],
  ctx: ParseContext,
): Node | null {
  const count = Array.isArray(value) ? value.length : null;
  if (count !== null && count > MAX_CHILDREN) throw tooManyChildren(path, count);
  const keys: string[] = [];
  const values: Node[] = [];
  // Full key paths are limited like request paths (core/util/Path.ts MAX_PATH_LENGTH_BYTES):
  // a longer one could be stored but never be read or deleted by path again.
  const parentBytes = pathBytes(path);
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (entries.length > MAX_CHILDREN) throw tooManyChildren(path, entries.length);
  for (const [key, child] of entries) {
    if (key === '.priority' || key === '.value') continue;
    if (!isValidKey(key)) {
      throw invalid(path, `key "${key}" is empty or contains one of ". # $ [ ] /" or a control character`);
    }
    if (parentBytes + 1 + key.length * 3 > MAX_PATH_LENGTH_BYTES && parentBytes + 1 + Buffer.byteLength(key, 'utf8') > MAX_PATH_LENGTH_BYTES) {
      throw invalid(path, `key path ${pathToString([...path, key]).slice(0, 60)}… is longer than ${MAX_PATH_LENGTH_BYTES} bytes`);
    }
    const childPath = [...path, key];
    const node = parseNode(child, childOf(existing, key), childPath, ctx);
    if (node !== null) {
      keys.push(key);
      values.push(node);
    }
  }
  if (keys.length === 0) return null;
  return Branch.of(keys, values, priority);
}
