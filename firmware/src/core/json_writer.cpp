#include "json_writer.h"

#include <stdio.h>
#include <string.h>

namespace fl {

JsonWriter::JsonWriter(char* buf, size_t cap) : buf_(buf), cap_(cap) {
  if (cap_ == 0) {
    overflow_ = true;
  } else {
    buf_[0] = '\0';
  }
}

void JsonWriter::put(char c) {
  if (overflow_) return;
  if (len_ + 1 >= cap_) {
    overflow_ = true;
    return;
  }
  buf_[len_++] = c;
  buf_[len_] = '\0';
}

void JsonWriter::puts(const char* s) {
  while (*s) put(*s++);
}

void JsonWriter::comma() {
  if (afterKey_) {
    afterKey_ = false;
    needComma_ = true;
    return;
  }
  if (needComma_) put(',');
  needComma_ = true;
}

JsonWriter& JsonWriter::beginObject() {
  comma();
  put('{');
  ++depth_;
  needComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  put('}');
  --depth_;
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(const char* k) {
  comma();
  quoted(k, strlen(k));
  put(':');
  afterKey_ = true;
  return *this;
}

JsonWriter& JsonWriter::str(const char* v) { return str(v, strlen(v)); }

JsonWriter& JsonWriter::str(const char* v, size_t n) {
  comma();
  quoted(v, n);
  return *this;
}

void JsonWriter::quoted(const char* v, size_t n) {
  put('"');
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
    if (c == '"' || c == '\\') {
      put('\\');
      put(static_cast<char>(c));
    } else if (c == '\n') {
      puts("\\n");
    } else if (c == '\r') {
      puts("\\r");
    } else if (c == '\t') {
      puts("\\t");
    } else if (c < 0x20 || c == 0x7f) {
      char esc[8];
      snprintf(esc, sizeof esc, "\\u%04x", c);
      puts(esc);
    } else {
      put(static_cast<char>(c));
    }
  }
  put('"');
}

JsonWriter& JsonWriter::num(int64_t v) {
  comma();
  char tmp[24];
  snprintf(tmp, sizeof tmp, "%lld", static_cast<long long>(v));
  puts(tmp);
  return *this;
}

JsonWriter& JsonWriter::unum(uint64_t v) {
  comma();
  char tmp[24];
  snprintf(tmp, sizeof tmp, "%llu", static_cast<unsigned long long>(v));
  puts(tmp);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool v) {
  comma();
  puts(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  comma();
  puts("null");
  return *this;
}

JsonWriter& JsonWriter::serverTimestamp() { return beginObject().key(".sv").str("timestamp").endObject(); }

}  // namespace fl
