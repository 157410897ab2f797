// A bounded JSON encoder writing into a caller's buffer: no heap, never writes past the buffer, and
// remembers an overflow instead (check ok() before sending). Hand-written because ArduinoJson
// cannot be installed for host builds and the same code must run on the ESP32 and on Linux.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace fl {

class JsonWriter {
 public:
  JsonWriter(char* buf, size_t cap);

  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& key(const char* k);
  JsonWriter& str(const char* v);
  JsonWriter& str(const char* v, size_t n);
  JsonWriter& num(int64_t v);
  JsonWriter& unum(uint64_t v);
  JsonWriter& boolean(bool v);
  JsonWriter& null();
  /** `{".sv":"timestamp"}`: the server's time (RTDB REST server values). */
  JsonWriter& serverTimestamp();

  bool ok() const { return !overflow_ && depth_ == 0; }
  const char* c_str() const { return buf_; }
  size_t size() const { return len_; }

 private:
  void put(char c);
  void puts(const char* s);
  void comma();
  void quoted(const char* v, size_t n);
  char* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool overflow_ = false;
  int depth_ = 0;
  bool needComma_ = false;
  bool afterKey_ = false;
};

}  // namespace fl
