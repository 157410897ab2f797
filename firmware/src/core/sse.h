// Incremental, bounded parser for Server-Sent Events as RTDB REST streaming sends them
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation,
// https://firebase.google.com/docs/reference/rest/database#section-streaming). Bytes arrive in
// arbitrary pieces; lines end in \n, \r\n or \r; an event ends at a blank line. An event whose
// line or data does not fit is reported as oversized (its text is dropped, nothing overflows).
#pragma once
#include <stddef.h>

namespace fl {

constexpr size_t kSseLineCap = 1024;  // longest line kept (a state event is ~250 bytes)
constexpr size_t kSseDataCap = 1024;  // data of one event
constexpr size_t kSseEventCap = 24;   // event name ("keep-alive", "auth_revoked")

class SseHandler {
 public:
  virtual void onSseEvent(const char* event, const char* data, size_t dataLen) = 0;
  /** An event too large for the buffers was skipped (the stream should be reopened to resync). */
  virtual void onSseOversized() = 0;

 protected:
  ~SseHandler() = default;
};

class SseParser {
 public:
  void reset();
  void feed(const char* bytes, size_t n, SseHandler& handler);

 private:
  void line(SseHandler& handler);
  char line_[kSseLineCap + 1];
  size_t lineLen_ = 0;
  bool lineTooLong_ = false;
  char event_[kSseEventCap + 1] = "";
  char data_[kSseDataCap + 1];
  size_t dataLen_ = 0;
  bool hasData_ = false;
  bool oversized_ = false;
  bool sawCr_ = false;
};

}  // namespace fl
