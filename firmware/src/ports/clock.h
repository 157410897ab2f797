// Time, passed into the core: a monotonic millisecond counter and the wall clock when known.
#pragma once
#include <stdint.h>

namespace fl {

class ClockPort {
 public:
  virtual uint64_t monotonicMs() = 0;
  /** Milliseconds since the Unix epoch, or 0 while the clock is not synced (SNTP on the board). */
  virtual int64_t epochMs() = 0;

 protected:
  ~ClockPort() = default;
};

}  // namespace fl
