// Bounded exponential backoff with full jitter, as device-sim/src/backoff.ts:
// delay = random(0, min(max, base * 2^n)), never below base / 2.
#pragma once
#include <stdint.h>

namespace fl {

class Backoff {
 public:
  Backoff(uint32_t baseMs, uint32_t maxMs) : baseMs_(baseMs), maxMs_(maxMs) {}
  uint32_t nextDelayMs(uint32_t random32) {
    uint64_t ceiling = static_cast<uint64_t>(baseMs_) << (failures_ < 20 ? failures_ : 20);
    if (ceiling > maxMs_) ceiling = maxMs_;
    ++failures_;
    uint32_t d = static_cast<uint32_t>(random32 % (ceiling + 1));
    return d < baseMs_ / 2 ? baseMs_ / 2 : d;
  }
  void reset() { failures_ = 0; }
  uint32_t failures() const { return failures_; }

 private:
  uint32_t baseMs_;
  uint32_t maxMs_;
  uint32_t failures_ = 0;
};

}  // namespace fl
