#include "json_reader.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

namespace fl {

namespace {

const char* skipWs(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  return p;
}

bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

const char* skipString(const char* p, const char* end) {
  // p at the opening quote.
  ++p;
  while (p < end) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"') return p + 1;
    if (c < 0x20) return nullptr;
    if (c == '\\') {
      ++p;
      if (p >= end) return nullptr;
      const char e = *p;
      if (e == 'u') {
        if (end - p < 5) return nullptr;
        for (int i = 1; i <= 4; ++i) {
          if (!isHex(p[i])) return nullptr;
        }
        p += 5;
        continue;
      }
      if (strchr("\"\\/bfnrt", e) == nullptr || e == '\0') return nullptr;
    }
    ++p;
  }
  return nullptr;
}

const char* skipNumber(const char* p, const char* end) {
  if (p < end && *p == '-') ++p;
  if (p >= end) return nullptr;
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    while (p < end && *p >= '0' && *p <= '9') ++p;
  } else {
    return nullptr;
  }
  if (p < end && *p == '.') {
    ++p;
    if (p >= end || *p < '0' || *p > '9') return nullptr;
    while (p < end && *p >= '0' && *p <= '9') ++p;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (p >= end || *p < '0' || *p > '9') return nullptr;
    while (p < end && *p >= '0' && *p <= '9') ++p;
  }
  return p;
}

const char* literal(const char* p, const char* end, const char* word) {
  const size_t n = strlen(word);
  if (static_cast<size_t>(end - p) < n || memcmp(p, word, n) != 0) return nullptr;
  return p + n;
}

// Returns the end of the value starting at p (no leading whitespace), or nullptr.
const char* skipValue(const char* p, const char* end, int depth, JsonType* type) {
  if (p >= end) return nullptr;
  switch (*p) {
    case '"':
      *type = JsonType::String;
      return skipString(p, end);
    case 't':
      *type = JsonType::Bool;
      return literal(p, end, "true");
    case 'f':
      *type = JsonType::Bool;
      return literal(p, end, "false");
    case 'n':
      *type = JsonType::Null;
      return literal(p, end, "null");
    case '{':
    case '[': {
      if (depth >= kJsonMaxDepth) return nullptr;
      const bool object = *p == '{';
      *type = object ? JsonType::Object : JsonType::Array;
      const char close = object ? '}' : ']';
      p = skipWs(p + 1, end);
      if (p < end && *p == close) return p + 1;
      for (;;) {
        JsonType t;
        if (object) {
          if (p >= end || *p != '"') return nullptr;
          p = skipString(p, end);
          if (!p) return nullptr;
          p = skipWs(p, end);
          if (p >= end || *p != ':') return nullptr;
          p = skipWs(p + 1, end);
        }
        p = skipValue(p, end, depth + 1, &t);
        if (!p) return nullptr;
        p = skipWs(p, end);
        if (p >= end) return nullptr;
        if (*p == close) return p + 1;
        if (*p != ',') return nullptr;
        p = skipWs(p + 1, end);
      }
    }
    default:
      *type = JsonType::Number;
      return skipNumber(p, end);
  }
}

// Compares a quoted JSON key with a plain string, unescaping as it goes.
bool keyEquals(const JsonValue& quoted, const char* key) {
  char buf[128];
  if (!jsonString(quoted, buf, sizeof buf)) return false;
  return strcmp(buf, key) == 0;
}

void putUtf8(uint32_t cp, char* out, size_t cap, size_t* n, bool* fits) {
  char tmp[4];
  size_t len;
  if (cp < 0x80) {
    tmp[0] = static_cast<char>(cp);
    len = 1;
  } else if (cp < 0x800) {
    tmp[0] = static_cast<char>(0xC0 | (cp >> 6));
    tmp[1] = static_cast<char>(0x80 | (cp & 0x3F));
    len = 2;
  } else if (cp < 0x10000) {
    tmp[0] = static_cast<char>(0xE0 | (cp >> 12));
    tmp[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    tmp[2] = static_cast<char>(0x80 | (cp & 0x3F));
    len = 3;
  } else {
    tmp[0] = static_cast<char>(0xF0 | (cp >> 18));
    tmp[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    tmp[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    tmp[3] = static_cast<char>(0x80 | (cp & 0x3F));
    len = 4;
  }
  if (*n + len >= cap) {
    *fits = false;
    return;
  }
  memcpy(out + *n, tmp, len);
  *n += len;
}

uint32_t hex4(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = p[i];
    v = v * 16 + static_cast<uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

}  // namespace

bool jsonParse(const char* text, size_t len, JsonValue* out) {
  const char* end = text + len;
  const char* p = skipWs(text, end);
  JsonType type = JsonType::Invalid;
  const char* after = skipValue(p, end, 0, &type);
  if (!after) return false;
  if (skipWs(after, end) != end) return false;
  out->p = p;
  out->n = static_cast<size_t>(after - p);
  out->type = type;
  return true;
}

JsonIter::JsonIter(const JsonValue& c)
    : p_(c.p), end_(c.p + c.n), object_(c.type == JsonType::Object), ok_(c.type == JsonType::Object || c.type == JsonType::Array) {
  if (ok_) p_ = skipWs(p_ + 1, end_);
}

bool JsonIter::next(JsonValue* key, JsonValue* value) {
  if (!ok_ || p_ >= end_ || *p_ == '}' || *p_ == ']') return false;
  // The container was validated by jsonParse, so the structure below is known to be well formed.
  if (object_) {
    const char* k = p_;
    p_ = skipString(p_, end_);
    if (!p_) return ok_ = false;
    if (key) {
      key->p = k;
      key->n = static_cast<size_t>(p_ - k);
      key->type = JsonType::String;
    }
    p_ = skipWs(p_, end_);
    p_ = skipWs(p_ + 1, end_);  // ':'
  }
  JsonType t = JsonType::Invalid;
  const char* v = p_;
  p_ = skipValue(p_, end_, 0, &t);
  if (!p_) return ok_ = false;
  if (value) {
    value->p = v;
    value->n = static_cast<size_t>(p_ - v);
    value->type = t;
  }
  p_ = skipWs(p_, end_);
  if (p_ < end_ && *p_ == ',') p_ = skipWs(p_ + 1, end_);
  return true;
}

bool jsonGet(const JsonValue& object, const char* key, JsonValue* out) {
  if (object.type != JsonType::Object) return false;
  JsonIter it(object);
  JsonValue k, v;
  while (it.next(&k, &v)) {
    if (keyEquals(k, key)) {
      *out = v;
      return true;
    }
  }
  return false;
}

bool jsonPath(const JsonValue& root, const char* path, JsonValue* out) {
  JsonValue cur = root;
  char seg[64];
  while (*path) {
    size_t n = 0;
    while (path[n] && path[n] != '/') ++n;
    if (n > 0) {
      if (n >= sizeof seg) return false;
      memcpy(seg, path, n);
      seg[n] = '\0';
      if (!jsonGet(cur, seg, &cur)) return false;
    }
    path += n;
    if (*path == '/') ++path;
  }
  *out = cur;
  return true;
}

bool jsonInt(const JsonValue& v, int64_t* out, int64_t min, int64_t max) {
  if (v.type != JsonType::Number) return false;
  bool plain = true;
  for (size_t i = 0; i < v.n; ++i) {
    if (v.p[i] == '.' || v.p[i] == 'e' || v.p[i] == 'E') plain = false;
  }
  if (plain) {
    size_t i = 0;
    const bool neg = v.p[0] == '-';
    if (neg) i = 1;
    // Accumulate negatively so INT64_MIN fits; 19 digits is the most an int64 can hold.
    if (v.n - i > 19) return false;
    int64_t acc = 0;
    for (; i < v.n; ++i) {
      const int d = v.p[i] - '0';
      if (acc < (INT64_MIN + d) / 10) return false;
      acc = acc * 10 - d;
    }
    if (!neg) {
      if (acc == INT64_MIN) return false;
      acc = -acc;
    }
    if (acc < min || acc > max) return false;
    *out = acc;
    return true;
  }
  double d;
  if (!jsonDouble(v, &d)) return false;
  if (!(d == floor(d)) || d < -9.0e15 || d > 9.0e15) return false;
  const int64_t i = static_cast<int64_t>(d);
  if (i < min || i > max) return false;
  *out = i;
  return true;
}

bool jsonDouble(const JsonValue& v, double* out) {
  if (v.type != JsonType::Number) return false;
  char tmp[40];
  if (v.n >= sizeof tmp) return false;
  memcpy(tmp, v.p, v.n);
  tmp[v.n] = '\0';
  char* endp = nullptr;
  const double d = strtod(tmp, &endp);
  if (endp != tmp + v.n || !isfinite(d)) return false;
  *out = d;
  return true;
}

bool jsonBool(const JsonValue& v, bool* out) {
  if (v.type != JsonType::Bool) return false;
  *out = v.p[0] == 't';
  return true;
}

bool jsonString(const JsonValue& v, char* out, size_t cap) {
  if (v.type != JsonType::String || cap == 0) return false;
  size_t n = 0;
  bool fits = true;
  const char* p = v.p + 1;
  const char* end = v.p + v.n - 1;
  while (p < end && fits) {
    char c = *p++;
    if (c != '\\') {
      if (n + 1 >= cap) {
        fits = false;
        break;
      }
      out[n++] = c;
      continue;
    }
    c = *p++;
    uint32_t cp = 0;
    switch (c) {
      case 'b': cp = '\b'; break;
      case 'f': cp = '\f'; break;
      case 'n': cp = '\n'; break;
      case 'r': cp = '\r'; break;
      case 't': cp = '\t'; break;
      case 'u':
        cp = hex4(p);
        p += 4;
        // A surrogate pair becomes one code point; a lone surrogate becomes U+FFFD.
        if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
          const uint32_t lo = hex4(p + 2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        break;
      default: cp = static_cast<unsigned char>(c); break;
    }
    putUtf8(cp, out, cap, &n, &fits);
  }
  out[fits ? n : 0] = '\0';
  return fits;
}

bool jsonStringIs(const JsonValue& v, const char* s) {
  char buf[64];
  if (strlen(s) >= sizeof buf) return false;
  return jsonString(v, buf, sizeof buf) && strcmp(buf, s) == 0;
}

}  // namespace fl
