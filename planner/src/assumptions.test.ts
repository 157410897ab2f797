import { describe, expect, it } from 'vitest';
import { ConfigSchema, MetaSchema, ReadingSchema, ReadingWriteSchema, RollupSchema, StateSchema, StatusSchema, validate } from '@firelink/model';
import {
  BYTES,
  EXAMPLE_CONFIG,
  EXAMPLE_META,
  EXAMPLE_READING,
  EXAMPLE_READING_WRITE,
  EXAMPLE_ROLLUP,
  EXAMPLE_STATE,
  EXAMPLE_STATUS,
  jsonBytes,
} from './assumptions.js';

describe('representative documents', () => {
  it.each([
    ['reading', ReadingSchema, EXAMPLE_READING],
    ['reading write', ReadingWriteSchema, EXAMPLE_READING_WRITE],
    ['state', StateSchema, EXAMPLE_STATE],
    ['status', StatusSchema, EXAMPLE_STATUS],
    ['config', ConfigSchema, EXAMPLE_CONFIG],
    ['meta', MetaSchema, EXAMPLE_META],
    ['rollup', RollupSchema, EXAMPLE_ROLLUP],
  ] as const)('the %s is valid under the model schema, so its size is a real one', (name, schema, value) => {
    const result = validate(schema, value, name);
    expect(result.ok ? 'ok' : result.error.message).toBe('ok');
  });

  it('counts UTF-8 JSON bytes', () => {
    expect(jsonBytes({ a: 'é' })).toBe(10); // {"a":"é"}: 8 characters, é is 2 bytes
    // A keyed reading is `"<20-char push id>":` (23 bytes) + the reading + a comma.
    expect(BYTES.readingKeyed).toBe(23 + BYTES.reading + 1);
    expect(BYTES.reading).toBe(BYTES.readingWrite + ',"ts":1764650000123'.length);
  });
});
