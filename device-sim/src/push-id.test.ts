import { describe, expect, it } from 'vitest';
import { pushIdGenerator, pushIdTimeMs } from './push-id.js';
import { seededRandom } from './random.js';

describe('pushIdGenerator', () => {
  it('makes 20-character keys that encode the time and sort by creation', () => {
    const next = pushIdGenerator(seededRandom(1));
    const ids = [next(1_700_000_000_000), next(1_700_000_000_000), next(1_700_000_000_000), next(1_700_000_000_001)];
    for (const id of ids) {
      expect(id).toMatch(/^[-0-9A-Za-z_]{20}$/);
    }
    expect(pushIdTimeMs(ids[0]!)).toBe(1_700_000_000_000);
    expect(pushIdTimeMs(ids[3]!)).toBe(1_700_000_000_001);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it('differs between generators with different seeds in the same millisecond', () => {
    expect(pushIdGenerator(seededRandom(1))(5)).not.toBe(pushIdGenerator(seededRandom(2))(5));
  });
});
