// `--admin` writes bypass the rules, so they are checked here against the model's schemas
// instead (unless `--force`): a write is applied to the current value of every schema node it
// touches, and the result must be a valid node. Deleting a whole node is always allowed.
import {
  CommandSchema,
  ConfigSchema,
  FirmwareSchema,
  MetaSchema,
  ReadingSchema,
  RollupSchema,
  StateSchema,
  StatusSchema,
  UserDevicesSchema,
  ZoneSchema,
  validate,
} from '@firelink/model';
import type { z } from 'zod';
import { SimError } from '../errors.js';
import { setAt, type Json } from '@firelink/model';

/** Schema nodes by path pattern (`*` is any key), as database.rules.json lays them out. */
const NODES: { pattern: string[]; schema: z.ZodType; name: string }[] = [
  { pattern: ['devices', '*', 'meta'], schema: MetaSchema, name: 'meta' },
  { pattern: ['devices', '*', 'config'], schema: ConfigSchema, name: 'config' },
  { pattern: ['devices', '*', 'state'], schema: StateSchema, name: 'state' },
  { pattern: ['devices', '*', 'status'], schema: StatusSchema, name: 'status' },
  { pattern: ['devices', '*', 'readings', '*'], schema: ReadingSchema, name: 'reading' },
  { pattern: ['devices', '*', 'commands', '*'], schema: CommandSchema, name: 'command' },
  { pattern: ['users', '*', 'devices'], schema: UserDevicesSchema, name: 'devices' },
  { pattern: ['zones', '*'], schema: ZoneSchema, name: 'zone' },
  { pattern: ['rollups', '*', '*'], schema: RollupSchema, name: 'rollup' },
  { pattern: ['firmware', '*'], schema: FirmwareSchema, name: 'firmware' },
];

const segmentsOf = (path: string): string[] => path.split('/').filter((s) => s.length > 0);
const matches = (pattern: string[], segments: string[]): boolean =>
  segments.length >= pattern.length && pattern.every((p, i) => p === '*' || p === segments[i]);

/** Server values become what the server would store (`{".sv": "timestamp"}` → now). */
function resolveServerValues(value: unknown, nowMs: number): Json {
  return JSON.parse(JSON.stringify(value ?? null, (_key, v: unknown) => (v && typeof v === 'object' && (v as { '.sv'?: unknown })['.sv'] === 'timestamp' ? nowMs : v))) as Json;
}

export type AdminWrite = { kind: 'set'; path: string; value: unknown } | { kind: 'update'; path: string; values: Record<string, unknown> };

/**
 * Throws a `bad-request` SimError naming the node and the broken rule when the write would leave
 * an invalid node. `read` fetches a node's current value (only for writes inside a node).
 */
export async function checkAdminWrite(write: AdminWrite, read: (path: string) => Promise<Json>, nowMs = Date.now()): Promise<void> {
  const writes: [string[], Json][] =
    write.kind === 'set'
      ? [[segmentsOf(write.path), resolveServerValues(write.value, nowMs)]]
      : Object.entries(write.values).map(([key, v]) => [[...segmentsOf(write.path), ...segmentsOf(key)], resolveServerValues(v, nowMs)]);
  // Writes inside a schema node: apply them all to the node's current value, then validate it.
  const inside = new Map<string, { name: string; schema: z.ZodType; changes: [string, Json][] }>();
  const problems: string[] = [];
  for (const [segments, value] of writes) {
    const node = NODES.find((n) => matches(n.pattern, segments));
    if (node) {
      const nodePath = segments.slice(0, node.pattern.length).join('/');
      const entry = inside.get(nodePath) ?? { name: node.name, schema: node.schema, changes: [] };
      entry.changes.push([segments.slice(node.pattern.length).join('/'), value]);
      inside.set(nodePath, entry);
    } else {
      // A write above schema nodes: every node inside the value is replaced by what it holds.
      for (const n of NODES) {
        const below = n.pattern.length > segments.length && n.pattern.slice(0, segments.length).every((p, i) => p === '*' || p === segments[i]);
        if (!below) continue;
        problems.push(...validateWithin(value, n.pattern.slice(segments.length), segments, n));
      }
    }
  }
  for (const [nodePath, { name, schema, changes }] of inside) {
    let next: Json = changes.some(([rel]) => rel === '') ? null : await read(nodePath);
    for (const [rel, value] of changes) next = setAt(next, rel, value);
    if (next === null) continue;
    const result = validate(schema, next, name);
    if (!result.ok) problems.push(`/${nodePath}: ${result.error.message}`);
  }
  if (problems.length > 0) {
    throw new SimError('bad-request', `the --admin write would store invalid data (the rules do not check admin writes):\n  ${problems.join('\n  ')}\nFix the value, or pass --force to write it anyway.`, { path: write.path });
  }
}

/** Validates each node of `value` found at the relative `pattern` below `base`. */
function validateWithin(value: Json, pattern: string[], base: string[], node: { schema: z.ZodType; name: string }): string[] {
  const [head, ...rest] = pattern;
  if (head === undefined) {
    if (value === null) return [];
    const result = validate(node.schema, value, node.name);
    return result.ok ? [] : [`/${base.join('/')}: ${result.error.message}`];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const keys = head === '*' ? Object.keys(value) : Object.hasOwn(value, head) ? [head] : [];
  return keys.flatMap((key) => validateWithin((value as Record<string, Json>)[key] ?? null, rest, [...base, key], node));
}
