// The core's ports on the ESP32 board (Arduino-ESP32 core 3.x): ADC sensors, ESP32Servo,
// LiquidCrystal_I2C, Keypad, HTTPClient for writes and a raw WiFiClient(Secure) for the event
// stream. At most two TLS connections exist: `write_` and `stream_`.
#pragma once
#if defined(ARDUINO)
#include <Arduino.h>
#include <ESP32Servo.h>
#include <Keypad.h>
#include <LiquidCrystal_I2C.h>
#include <WiFiClient.h>
#include <WiFiClientSecure.h>

#include "../../ports/clock.h"
#include "../../ports/http.h"
#include "../../ports/io.h"

namespace fl {

class Esp32Clock final : public ClockPort {
 public:
  uint64_t monotonicMs() override;
  int64_t epochMs() override;  // 0 until SNTP set the clock (configTime in setup)
};

class Esp32Http final : public HttpPort {
 public:
  HttpResult send(const HttpRequest& req, char* body, size_t cap) override;
  int streamOpen(const char* url, uint32_t timeoutMs, bool* chunked, char* errBody, size_t errCap) override;
  int streamRead(char* buf, size_t cap) override;
  void streamClose() override;

 private:
  Client& connectClient(bool tls, WiFiClient& plain, WiFiClientSecure& secure);
  WiFiClient writePlain_;
  WiFiClientSecure write_;
  WiFiClient streamPlain_;
  WiFiClientSecure stream_;
  Client* streamClient_ = nullptr;
};

class LcdDisplay final : public DisplayPort {
 public:
  explicit LcdDisplay(LiquidCrystal_I2C& lcd) : lcd_(lcd) {}
  void show(const char* line1, const char* line2) override;
  void backlight(bool on) override;

 private:
  LiquidCrystal_I2C& lcd_;
};

class ServoOut final : public ServoPort {
 public:
  explicit ServoOut(Servo& servo) : servo_(servo) {}
  void write(int32_t angleDeg) override { servo_.write(static_cast<int>(angleDeg)); }

 private:
  Servo& servo_;
};

class KeypadIn final : public KeypadPort {
 public:
  explicit KeypadIn(Keypad& keypad) : keypad_(keypad) {}
  char key() override { return keypad_.getKey(); }

 private:
  Keypad& keypad_;
};

class AdcSensors final : public SensorPort {
 public:
  AdcSensors(int irPin, int lightPin) : irPin_(irPin), lightPin_(lightPin) {}
  int32_t irRaw() override;
  int32_t lightRaw() override;

 private:
  int irPin_;
  int lightPin_;
};

class Esp32Platform final : public PlatformPort {
 public:
  int32_t rssiDbm() override;
  uint32_t freeHeapBytes() override;
  uint32_t random32() override;
  void restart() override;
};

class SerialEvents final : public EventPort {
 public:
  void event(const char* json) override;
};

}  // namespace fl
#endif
