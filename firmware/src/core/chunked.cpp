#include "chunked.h"

namespace fl {

void ChunkedDecoder::reset() {
  state_ = State::Size;
  remaining_ = 0;
  digits_ = 0;
  trailerEmpty_ = true;
}

size_t ChunkedDecoder::feed(const char* in, size_t n, char* out) {
  size_t written = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = in[i];
    switch (state_) {
      case State::Size: {
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        if (d >= 0) {
          // More than 7 hex digits (256 MiB) is no chunk an event stream sends.
          if (++digits_ > 7) state_ = State::Error;
          else remaining_ = remaining_ * 16 + static_cast<uint32_t>(d);
        } else if (digits_ == 0) {
          state_ = State::Error;
        } else if (c == ';' || c == ' ' || c == '\t') {
          state_ = State::Ext;
        } else if (c == '\r') {
          state_ = State::SizeLf;
        } else {
          state_ = State::Error;
        }
        break;
      }
      case State::Ext:
        if (c == '\r') state_ = State::SizeLf;
        break;
      case State::SizeLf:
        if (c != '\n') {
          state_ = State::Error;
        } else if (remaining_ == 0) {
          state_ = State::Trailer;
          trailerEmpty_ = true;
        } else {
          state_ = State::Data;
        }
        digits_ = 0;
        break;
      case State::Data:
        out[written++] = c;
        if (--remaining_ == 0) state_ = State::DataCr;
        break;
      case State::DataCr:
        state_ = c == '\r' ? State::DataLf : State::Error;
        break;
      case State::DataLf:
        state_ = c == '\n' ? State::Size : State::Error;
        break;
      case State::Trailer:
        if (c == '\r') state_ = State::TrailerLf;
        else trailerEmpty_ = false;
        break;
      case State::TrailerLf:
        if (c != '\n') {
          state_ = State::Error;
        } else if (trailerEmpty_) {
          state_ = State::Done;
        } else {
          state_ = State::Trailer;
          trailerEmpty_ = true;
        }
        break;
      case State::Done:
      case State::Error:
        return written;
    }
  }
  return written;
}

}  // namespace fl
