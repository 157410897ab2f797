#include "sse.h"

#include <string.h>

namespace fl {

void SseParser::reset() {
  lineLen_ = 0;
  lineTooLong_ = false;
  event_[0] = '\0';
  dataLen_ = 0;
  hasData_ = false;
  oversized_ = false;
  sawCr_ = false;
}

void SseParser::feed(const char* bytes, size_t n, SseHandler& handler) {
  for (size_t i = 0; i < n; ++i) {
    const char c = bytes[i];
    if (c == '\n' && sawCr_) {
      // The \n of a \r\n whose \r already ended the line (possibly in the previous piece).
      sawCr_ = false;
      continue;
    }
    sawCr_ = c == '\r';
    if (c == '\n' || c == '\r') {
      line(handler);
      lineLen_ = 0;
      lineTooLong_ = false;
      continue;
    }
    if (lineLen_ < kSseLineCap) {
      line_[lineLen_++] = c;
    } else {
      lineTooLong_ = true;
    }
  }
}

void SseParser::line(SseHandler& handler) {
  line_[lineLen_] = '\0';
  if (lineTooLong_) {
    oversized_ = true;
    return;
  }
  if (lineLen_ == 0) {
    if (oversized_) {
      handler.onSseOversized();
    } else if (hasData_ || event_[0] != '\0') {
      data_[dataLen_] = '\0';
      handler.onSseEvent(event_[0] ? event_ : "message", data_, dataLen_);
    }
    event_[0] = '\0';
    dataLen_ = 0;
    hasData_ = false;
    oversized_ = false;
    return;
  }
  if (line_[0] == ':') return;  // comment
  char* colon = strchr(line_, ':');
  const char* value = "";
  if (colon) {
    *colon = '\0';
    value = colon + 1;
    if (*value == ' ') ++value;
  }
  const size_t valueLen = strlen(value);
  if (strcmp(line_, "event") == 0) {
    if (valueLen > kSseEventCap) {
      oversized_ = true;
      return;
    }
    memcpy(event_, value, valueLen + 1);
  } else if (strcmp(line_, "data") == 0) {
    const size_t extra = (hasData_ ? 1 : 0) + valueLen;
    if (dataLen_ + extra > kSseDataCap) {
      oversized_ = true;
      return;
    }
    if (hasData_) data_[dataLen_++] = '\n';
    memcpy(data_ + dataLen_, value, valueLen);
    dataLen_ += valueLen;
    hasData_ = true;
  }
}

}  // namespace fl
