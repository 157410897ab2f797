import { describe, expect, it } from 'vitest';
import { PUSH_ID_PATTERN, SEQ_MAX } from '@firelink/model';
import { readingIdForSeq } from './reading-id.js';

describe('readingIdForSeq', () => {
  it('is the same for the same seq (a redelivery lands on the same key)', () => {
    expect(readingIdForSeq(12345)).toBe(readingIdForSeq(12345));
    expect(readingIdForSeq(12345)).not.toBe(readingIdForSeq(12346));
  });

  it('is a valid reading id over the whole seq range and sorts by seq', () => {
    const seqs = [0, 1, 63, 64, 4095, 1_000_000, 2 ** 31, SEQ_MAX];
    const ids = seqs.map(readingIdForSeq);
    for (const id of ids) expect(id).toMatch(PUSH_ID_PATTERN);
    expect([...ids].sort()).toEqual(ids);
    expect(readingIdForSeq(0)).toBe('mq------');
  });

  it('refuses seqs outside the contract', () => {
    expect(() => readingIdForSeq(-1)).toThrow(RangeError);
    expect(() => readingIdForSeq(SEQ_MAX + 1)).toThrow(/between 0 and 4294967295/);
    expect(() => readingIdForSeq(1.5)).toThrow(RangeError);
  });
});
