// Chronologically sortable push ids like the SDK's (core/util/NextPushId.ts): 8 characters of
// time in an ordered base-64 alphabet, then 12 random characters incremented within one millisecond.
import { randomInt } from 'node:crypto';

const ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

export class PushIdGenerator {
  private lastMs = -1;
  private readonly random: number[] = new Array<number>(12).fill(0);

  next(nowMs: number): string {
    const duplicate = nowMs === this.lastMs;
    this.lastMs = nowMs;
    let time = '';
    let t = nowMs;
    for (let i = 0; i < 8; i++) {
      time = ALPHABET.charAt(t % 64) + time;
      t = Math.floor(t / 64);
    }
    if (!duplicate) {
      for (let i = 0; i < 12; i++) this.random[i] = randomInt(64);
    } else {
      let i = 11;
      for (; i >= 0 && this.random[i] === 63; i--) this.random[i] = 0;
      if (i >= 0) this.random[i]! += 1;
    }
    return time + this.random.map((n) => ALPHABET.charAt(n)).join('');
  }
}
