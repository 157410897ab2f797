// HttpPort over POSIX sockets, plain HTTP only (the local emulators): one connection per request
// (`Connection: close`) and one non-blocking socket for the event stream.
#pragma once
#if !defined(ARDUINO)
#include <stddef.h>

#include "../../ports/http.h"

namespace fl {

class PosixHttp final : public HttpPort {
 public:
  ~PosixHttp();
  HttpResult send(const HttpRequest& req, char* body, size_t cap) override;
  int streamOpen(const char* url, uint32_t timeoutMs, bool* chunked, char* errBody, size_t errCap) override;
  int streamRead(char* buf, size_t cap) override;
  void streamClose() override;

 private:
  static constexpr size_t kRawCap = 16384;
  char raw_[kRawCap];
  int stream_ = -1;
  char pending_[kRawCap];
  size_t pendingLen_ = 0;
  size_t pendingOff_ = 0;
};

}  // namespace fl
#endif
