// Host stand-in (see Arduino.h).
#pragma once
#include "WiFiClient.h"

class WiFiClientSecure : public WiFiClient {
 public:
  void setCACertBundle(const uint8_t* bundle, size_t size) {
    bundle_ = bundle;
    size_ = size;
  }

 private:
  const uint8_t* bundle_ = nullptr;
  size_t size_ = 0;
};
