// Host stand-in (see Arduino.h): every request fails like an unreachable server
// (HTTPC_ERROR_CONNECTION_REFUSED is -1 in Arduino-ESP32's HTTPClient.h).
#pragma once
#include "WiFiClient.h"

class HTTPClient {
 public:
  void setTimeout(uint16_t) {}
  void setConnectTimeout(int32_t) {}
  void setReuse(bool) {}
  bool begin(WiFiClient& client, const char* url);
  void addHeader(const char*, const char*) {}
  int sendRequest(const char* method, uint8_t* payload, size_t size);
  int writeToStream(Stream* stream);
  void end() {}
};
