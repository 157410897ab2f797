// The reading counter `seq`. The rules accept a reading only if its seq is above the state's
// (database.rules.json `readings/$readingId/seq`), so seq must keep increasing across reconnects
// and restarts. It is the larger of: the last seq + 1, the state's seq + 1 seen at start, and
// the time in tenths of a second since 2025-01-01 UTC (the fastest sampling is 100 ms), which
// keeps increasing across restarts without storing anything and fits the uint32 range until 2038.
import { SEQ_MAX } from '@firelink/model';

const SEQ_EPOCH_MS = Date.UTC(2025, 0, 1);
const SEQ_UNIT_MS = 100;

export class SeqCounter {
  private last = 0;

  /** Raise the floor (the state's seq, or the largest queued seq after a restart). */
  atLeast(seq: number): void {
    if (Number.isSafeInteger(seq) && seq > this.last) this.last = seq;
  }

  next(nowMs: number): number {
    const fromTime = Math.floor((nowMs - SEQ_EPOCH_MS) / SEQ_UNIT_MS);
    this.last = Math.min(SEQ_MAX, Math.max(this.last + 1, fromTime));
    return this.last;
  }
}
