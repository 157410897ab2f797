// Client-generated push ids: the same shape as the SDK's `push()` keys (8 characters of
// millisecond time then 12 random characters, in an alphabet whose order equals ASCII order),
// so keys sort by creation time and a retried write lands on the same key instead of a new one.
// Shape: firebase-js-sdk packages/database/src/core/util/NextPushId.ts.
import type { RandomSource } from './random.js';

const ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 8;
const RANDOM_CHARS = 12;

export type PushIdGenerator = (nowMs: number) => string;

export function pushIdGenerator(random: RandomSource): PushIdGenerator {
  let lastMs = -1;
  const lastRandom: number[] = new Array<number>(RANDOM_CHARS).fill(0);
  return (nowMs) => {
    if (nowMs === lastMs) {
      // Same millisecond: increment the random part so ids stay strictly increasing.
      let i = RANDOM_CHARS - 1;
      while (i >= 0 && lastRandom[i] === 63) {
        lastRandom[i] = 0;
        i -= 1;
      }
      if (i >= 0) lastRandom[i] = (lastRandom[i] ?? 0) + 1;
    } else {
      lastMs = nowMs;
      for (let i = 0; i < RANDOM_CHARS; i += 1) lastRandom[i] = Math.floor(random() * 64);
    }
    let time = '';
    let rest = Math.floor(nowMs);
    for (let i = 0; i < TIME_CHARS; i += 1) {
      time = ALPHABET.charAt(rest % 64) + time;
      rest = Math.floor(rest / 64);
    }
    return time + lastRandom.map((d) => ALPHABET.charAt(d)).join('');
  };
}

/** Milliseconds encoded in a push id's first 8 characters. */
export function pushIdTimeMs(id: string): number {
  let ms = 0;
  for (const ch of id.slice(0, TIME_CHARS)) ms = ms * 64 + ALPHABET.indexOf(ch);
  return ms;
}
