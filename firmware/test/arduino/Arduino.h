// Host stand-in for the Arduino-ESP32 APIs the sketch and src/adapters/esp32 call, so the sketch
// compiles and links on Linux (no ESP32 toolchain installs here). Only what we call, same
// signatures as Arduino-ESP32 3.x; behaviour is the least that lets setup() and loop() run.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef uint8_t byte;

unsigned long millis();
void delay(unsigned long ms);
int analogRead(uint8_t pin);
void analogReadResolution(uint8_t bits);
uint32_t esp_random();
void configTime(long gmtOffsetSec, int daylightOffsetSec, const char* server1, const char* server2 = nullptr, const char* server3 = nullptr);

class Print {
 public:
  virtual ~Print() = default;
  virtual size_t write(uint8_t c) = 0;
  virtual size_t write(const uint8_t* data, size_t n) {
    for (size_t i = 0; i < n; ++i) write(data[i]);
    return n;
  }
  size_t print(const char* s) { return write(reinterpret_cast<const uint8_t*>(s), strlen(s)); }
  size_t println(const char* s) { return print(s) + print("\r\n"); }
};

class Stream : public Print {
 public:
  virtual int available() = 0;
  virtual int read() = 0;
  virtual int peek() = 0;
  virtual void flush() {}
};

class HardwareSerial final : public Stream {
 public:
  void begin(unsigned long baud) { (void)baud; }
  size_t write(uint8_t c) override;
  int available() override { return 0; }
  int read() override { return -1; }
  int peek() override { return -1; }
};
extern HardwareSerial Serial;

class EspClass {
 public:
  uint32_t getFreeHeap();
  void restart();
};
extern EspClass ESP;
