/**
 * Table-driven schema tests. From one or more valid samples it derives the generic rejects every
 * node must have (missing keys, unknown keys, keys with characters RTDB forbids, NaN/±Infinity
 * and wrong types in every leaf, non-object roots), then runs the schema's own range rejects.
 * Every reject asserts that the message names the field and the rule.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { validate } from '../../src/validate.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ValidSample {
  name: string;
  value: Record<string, unknown>;
  /** Dotted paths (from the root) that may be removed and still validate. */
  optional?: string[];
  /** Dotted paths of `{id: true}` maps (`''` for the root): their keys are data, not shape. */
  maps?: string[];
}

export interface RejectCase {
  name: string;
  value: unknown;
  /** Dotted field path expected in the message, e.g. `reading.ir`. */
  field: string;
  /** A fragment of the rule expected in the message. */
  rule: string | RegExp;
}

export const FORBIDDEN_KEYS = ['a.b', 'a#b', 'a$b', 'a[b', 'a]b', 'a/b', 'a\u0001b', '\u007f'];

const clone = <T>(v: T): T => structuredClone(v);

function getAt(obj: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj);
}

function withChange(
  value: Record<string, unknown>,
  path: string[],
  change: (parent: Record<string, unknown>, key: string) => void,
): Record<string, unknown> {
  const copy = clone(value);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string, unknown>;
  change(parent, path[path.length - 1]!);
  return copy;
}

/** Every [path, value] pair of the sample, objects included (maps not descended into). */
function walk(value: unknown, maps: string[], prefix: string[] = []): Array<[string[], unknown]> {
  const out: Array<[string[], unknown]> = [];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const path = [...prefix, k];
      out.push([path, v]);
      if (!maps.includes(path.join('.'))) out.push(...walk(v, maps, path));
    }
  }
  return out;
}

const fieldOf = (root: string, path: string[]): string => [root, ...path].join('.');

function expectRejected(schema: z.ZodType, root: string, value: unknown, field: string, rule: string | RegExp): void {
  const result = validate(schema, value, root);
  expect(result.ok, `expected a rejection of ${JSON.stringify(value)}`).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('invalid-data');
  expect(result.error.message).toContain(`${field}:`);
  if (typeof rule === 'string') expect(result.error.message).toContain(rule);
  else expect(result.error.message).toMatch(rule);
}

export function schemaCases(
  root: string,
  schema: z.ZodType,
  valid: ValidSample[],
  rejects: RejectCase[],
  /** Optional paths and `{id: true}` maps common to every sample. */
  common: { optional?: string[]; maps?: string[] } = {},
): void {
  describe(`${root} schema`, () => {
    it.each(valid.map((s) => [s.name, s] as const))('accepts %s unchanged', (_, sample) => {
      const result = validate(schema, sample.value, root);
      expect(result.ok ? 'ok' : result.error.message).toBe('ok');
      if (result.ok) expect(result.value).toEqual(sample.value);
    });

    it.each([
      ['null', null],
      ['an array', []],
      ['a string', 'x'],
      ['a number', 42],
      ['undefined', undefined],
    ])('rejects %s as the whole node', (_, value) => {
      expectRejected(schema, root, value, root, 'must be');
    });

    for (const sample of valid) {
      const maps = [...(common.maps ?? []), ...(sample.maps ?? [])];
      const optional = [...(common.optional ?? []), ...(sample.optional ?? [])];
      const entries = walk(sample.value, maps);

      const removals = entries.map(([path]) => [path.join('.'), path] as const);
      it.each(removals)(`${sample.name}: without %s`, (dotted, path) => {
        const value = withChange(sample.value, path, (parent, key) => delete parent[key]);
        const result = validate(schema, value, root);
        if (optional.includes(dotted)) {
          expect(result.ok ? 'ok' : result.error.message).toBe('ok');
        } else {
          expectRejected(schema, root, value, fieldOf(root, path), 'is required');
        }
      });

      const objectPaths: string[][] = [
        ...(maps.includes('') ? [] : [[]]),
        ...entries
          .filter(([path, v]) => v && typeof v === 'object' && !maps.includes(path.join('.')))
          .map(([path]) => path),
      ];
      it.each(objectPaths.map((p) => [p.join('.') || '(root)', p] as const))(
        `${sample.name}: rejects an unknown key in %s`,
        (_, path) => {
          const value = clone(sample.value);
          (getAt(value, path) as Record<string, unknown>).extra = 1;
          expectRejected(schema, root, value, [root, ...path].join('.'), 'unknown key "extra"');
        },
      );
      it.each(FORBIDDEN_KEYS.flatMap((key) => objectPaths.map((p) => [JSON.stringify(key), p.join('.') || '(root)', key, p] as const)))(
        `${sample.name}: rejects key %s in %s`,
        (_, __, key, path) => {
          const value = clone(sample.value);
          (getAt(value, path) as Record<string, unknown>)[key] = 1;
          expectRejected(schema, root, value, [root, ...path].join('.'), 'not a valid database key');
        },
      );

      const leaves = entries.filter(([, v]) => v === null || typeof v !== 'object');
      const badLeafValues = (v: unknown): Array<[string, Json | number]> => {
        if (typeof v === 'number') return [['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['a string', '1'], ['null', null], ['a boolean', true]];
        if (typeof v === 'string') return [['a number', 1], ['null', null], ['an object', { a: 1 }], ['a boolean', true]];
        if (typeof v === 'boolean') return [['a string', 'true'], ['a number', 1], ['null', null]];
        return [];
      };
      const leafCases = leaves.flatMap(([path, v]) =>
        badLeafValues(v).map(([label, bad]) => [path.join('.'), label, path, bad] as const),
      );
      it.each(leafCases)(`${sample.name}: rejects %s = %s`, (_, __, path, bad) => {
        const value = withChange(sample.value, path, (parent, key) => (parent[key] = bad));
        expectRejected(schema, root, value, fieldOf(root, path), 'must be');
      });
    }

    it.each(rejects.map((r) => [r.name, r] as const))('rejects %s', (_, r) => {
      expectRejected(schema, root, r.value, r.field, r.rule);
    });
  });
}
