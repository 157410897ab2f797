// Simulated board for the host binary: a clock, an IR signal (objects approach, linger, leave,
// with noise), a light sensor, a scripted keypad, and a servo/LCD that only keep their last value
// (the core reports every servo move and LCD frame as an event).
#pragma once
#if !defined(ARDUINO)
#include <stdint.h>

#include "../../ports/clock.h"
#include "../../ports/io.h"

namespace fl {

class PosixClock final : public ClockPort {
 public:
  uint64_t monotonicMs() override;
  int64_t epochMs() override;
};

class SimSensors final : public SensorPort {
 public:
  explicit SimSensors(uint32_t seed) : state_(seed ? seed : 1) {}
  int32_t irRaw() override;
  int32_t lightRaw() override;

 private:
  uint32_t nextRandom();
  uint32_t state_;
  uint32_t step_ = 0;
};

class SimKeypad final : public KeypadPort {
 public:
  /** Keys typed one per call. */
  explicit SimKeypad(const char* script) : script_(script ? script : "") {}
  char key() override;
  bool exhausted() const { return *script_ == '\0'; }

 private:
  const char* script_;
};

class SimDisplay final : public DisplayPort {
 public:
  void show(const char*, const char*) override {}
  void backlight(bool) override {}
};

class SimServo final : public ServoPort {
 public:
  void write(int32_t angle) override { angle_ = angle; }
  int32_t angle_ = -1;
};

class SimPlatform final : public PlatformPort {
 public:
  explicit SimPlatform(uint32_t seed) : state_(seed ? seed : 1) {}
  int32_t rssiDbm() override { return -55; }  // a simulated, steady Wi-Fi link
  uint32_t freeHeapBytes() override { return 0; }  // no heap budget to report on Linux
  uint32_t random32() override;
  void restart() override {}

 private:
  uint32_t state_;
};

}  // namespace fl
#endif
