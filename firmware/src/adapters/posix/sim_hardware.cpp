#if !defined(ARDUINO)
#include "sim_hardware.h"

#include <time.h>

namespace fl {

uint64_t PosixClock::monotonicMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

int64_t PosixClock::epochMs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

uint32_t SimSensors::nextRandom() {
  // xorshift32: deterministic per seed, so a run can be repeated.
  state_ ^= state_ << 13;
  state_ ^= state_ >> 17;
  state_ ^= state_ << 5;
  return state_;
}

int32_t SimSensors::irRaw() {
  // A triangle over ~64 samples (an object approaching and leaving) plus +-32 of noise.
  ++step_;
  const int32_t phase = static_cast<int32_t>((step_ / 8) % 64);
  const int32_t base = (phase < 32 ? phase : 63 - phase) * 128;
  const int32_t v = base + static_cast<int32_t>(nextRandom() % 65) - 32;
  return v < 0 ? 0 : (v > 4095 ? 4095 : v);
}

int32_t SimSensors::lightRaw() { return 1500 + static_cast<int32_t>(nextRandom() % 200); }

char SimKeypad::key() {
  if (*script_ == '\0') return 0;
  return *script_++;
}

uint32_t SimPlatform::random32() {
  state_ ^= state_ << 13;
  state_ ^= state_ >> 17;
  state_ ^= state_ << 5;
  return state_;
}

}  // namespace fl
#endif
