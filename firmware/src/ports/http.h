// HTTP as the core needs it: one blocking request at a time (the writes), and one event stream
// (the state listen). At most two connections are open at once, which is the ESP32's TLS budget.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace fl {

enum class HttpMethod : uint8_t { Get, Put, Patch, Post };

struct HttpRequest {
  HttpMethod method = HttpMethod::Get;
  const char* url = nullptr;
  const char* contentType = nullptr;  // nullptr when there is no body
  const char* body = nullptr;
  size_t bodyLen = 0;
  uint32_t timeoutMs = 10000;
};

/** status: the HTTP status, or kHttpNoAnswer when the server could not be reached or timed out. */
struct HttpResult {
  int status = 0;
  size_t bodyLen = 0;
  bool truncated = false;  // the body did not fit the buffer (the first bytes are kept)
};

constexpr int kHttpNoAnswer = -1;

class HttpPort {
 public:
  /** Sends a request and reads the whole (de-chunked) body into `body` (NUL-terminated). */
  virtual HttpResult send(const HttpRequest& req, char* body, size_t cap) = 0;

  /**
   * Opens a GET with `Accept: text/event-stream`, waiting up to `timeoutMs` for the headers.
   * Returns the status; on 200 the stream stays open, otherwise its body is read into `errBody`.
   * `*chunked` says whether the body uses chunked transfer coding (the core decodes it).
   */
  virtual int streamOpen(const char* url, uint32_t timeoutMs, bool* chunked, char* errBody, size_t errCap) = 0;
  /** Raw body bytes available now (never blocks): > 0 bytes read, 0 none yet, < 0 the stream ended. */
  virtual int streamRead(char* buf, size_t cap) = 0;
  virtual void streamClose() = 0;

 protected:
  ~HttpPort() = default;
};

}  // namespace fl
