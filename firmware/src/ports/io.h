// The board's other hardware, one small interface each: display, servo, keypad, sensors, and the
// platform (radio strength, heap, randomness, restart).
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace fl {

class DisplayPort {
 public:
  /** Two lines of at most 16 printable ASCII characters; the adapter pads them to clear old text. */
  virtual void show(const char* line1, const char* line2) = 0;
  virtual void backlight(bool on) = 0;

 protected:
  ~DisplayPort() = default;
};

class ServoPort {
 public:
  virtual void write(int32_t angleDeg) = 0;

 protected:
  ~ServoPort() = default;
};

class KeypadPort {
 public:
  /** The key pressed since the last call ('0'-'9', 'A'-'D', '*', '#'), or 0. */
  virtual char key() = 0;

 protected:
  ~KeypadPort() = default;
};

class SensorPort {
 public:
  /** One raw 12-bit IR ADC sample, or -1 when the sensor failed. */
  virtual int32_t irRaw() = 0;
  /** One 12-bit light ADC sample, or -1 when there is none (failed or not fitted). */
  virtual int32_t lightRaw() = 0;

 protected:
  ~SensorPort() = default;
};

class PlatformPort {
 public:
  /** Wi-Fi RSSI in dBm, or 1 when not connected/unknown. */
  virtual int32_t rssiDbm() = 0;
  virtual uint32_t freeHeapBytes() = 0;
  virtual uint32_t random32() = 0;
  /** A real restart (the board) or nothing (the host). */
  virtual void restart() = 0;

 protected:
  ~PlatformPort() = default;
};

/** Where the core reports what happens: one JSON object per event (Serial on the board, stdout on the host). */
class EventPort {
 public:
  virtual void event(const char* json) = 0;

 protected:
  ~EventPort() = default;
};

}  // namespace fl
