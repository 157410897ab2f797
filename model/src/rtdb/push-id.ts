// Push ids: 8 characters of milliseconds then 12 random characters, in an alphabet whose order is
// ASCII order, so ids sort by creation time; within one millisecond the random part is
// incremented, so ids of one generator stay strictly increasing. The shape of the SDK's push()
// keys: @firebase/database src/core/util/NextPushId.ts (PUSH_CHARS, nextPushId).

export const PUSH_ID_CHARS = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 8;
const RANDOM_CHARS = 12;

/** Uniform in [0, 1), like Math.random (tests pass a seeded one). */
export type RandomSource = () => number;

export class PushIdGenerator {
  private lastMs = -1;
  private readonly lastRandom: number[] = new Array<number>(RANDOM_CHARS).fill(0);

  constructor(private readonly random: RandomSource = Math.random) {}

  next(nowMs: number): string {
    if (nowMs === this.lastMs) {
      let i = RANDOM_CHARS - 1;
      while (i >= 0 && this.lastRandom[i] === 63) {
        this.lastRandom[i] = 0;
        i -= 1;
      }
      if (i >= 0) this.lastRandom[i] = this.lastRandom[i]! + 1;
    } else {
      this.lastMs = nowMs;
      for (let i = 0; i < RANDOM_CHARS; i += 1) this.lastRandom[i] = Math.floor(this.random() * 64);
    }
    let time = '';
    let rest = Math.floor(nowMs);
    for (let i = 0; i < TIME_CHARS; i += 1) {
      time = PUSH_ID_CHARS.charAt(rest % 64) + time;
      rest = Math.floor(rest / 64);
    }
    return time + this.lastRandom.map((d) => PUSH_ID_CHARS.charAt(d)).join('');
  }
}

/** Milliseconds encoded in a push id's first 8 characters. */
export function pushIdTimeMs(id: string): number {
  let ms = 0;
  for (const ch of id.slice(0, TIME_CHARS)) ms = ms * 64 + PUSH_ID_CHARS.indexOf(ch);
  return ms;
}
