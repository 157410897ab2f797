// The reading counter, device-sim's rule (device-sim/src/seq.ts): the largest of the last seq + 1,
// the state's seq read after sign-in + 1, and tenths of a second since 2025-01-01 UTC once the
// clock is synced, so it keeps rising across reboots without storage (the rules demand seq above
// state.seq).
#pragma once
#include <stdint.h>

#include "limits.h"

namespace fl {

constexpr int64_t kSeqEpochMs = 1735689600000LL;  // Date.UTC(2025, 0, 1)
constexpr int64_t kSeqUnitMs = 100;

class SeqCounter {
 public:
  void atLeast(uint64_t seq) {
    if (seq > last_ && seq <= kSeqMax) last_ = seq;
  }
  /** `epochMs` is 0 while the clock is not synced (then only the counter rule applies). */
  uint32_t next(int64_t epochMs) {
    uint64_t candidate = last_ + 1;
    if (epochMs > kSeqEpochMs) {
      const uint64_t fromTime = static_cast<uint64_t>((epochMs - kSeqEpochMs) / kSeqUnitMs);
      if (fromTime > candidate) candidate = fromTime;
    }
    last_ = candidate > kSeqMax ? kSeqMax : candidate;
    return static_cast<uint32_t>(last_);
  }
  uint64_t last() const { return last_; }

 private:
  uint64_t last_ = 0;
};

}  // namespace fl
