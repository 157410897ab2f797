// Incremental decoder of HTTP/1.1 chunked transfer coding (RFC 9112 section 7.1), for event
// streams read byte by byte from a socket: Node servers send SSE responses chunked.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace fl {

class ChunkedDecoder {
 public:
  void reset();
  /** Decodes `n` bytes into `out` (room for n bytes always suffices); returns the bytes written. */
  size_t feed(const char* in, size_t n, char* out);
  bool failed() const { return state_ == State::Error; }
  bool done() const { return state_ == State::Done; }

 private:
  enum class State : uint8_t { Size, Ext, SizeLf, Data, DataCr, DataLf, Trailer, TrailerLf, Done, Error };
  State state_ = State::Size;
  uint32_t remaining_ = 0;
  uint8_t digits_ = 0;
  bool trailerEmpty_ = true;
};

}  // namespace fl
