// Host stand-in (see Arduino.h): a client that never connects (the sketch test runs offline).
#pragma once
#include "Arduino.h"

class Client : public Stream {
 public:
  virtual int connect(const char* host, uint16_t port) = 0;
  virtual int read(uint8_t* buf, size_t size) = 0;
  using Stream::read;
  virtual void stop() = 0;
  virtual uint8_t connected() = 0;
};

class WiFiClient : public Client {
 public:
  int connect(const char* host, uint16_t port) override;
  size_t write(uint8_t) override { return 0; }
  int available() override { return 0; }
  int read() override { return -1; }
  int read(uint8_t*, size_t) override { return -1; }
  int peek() override { return -1; }
  void stop() override {}
  uint8_t connected() override { return 0; }
};
