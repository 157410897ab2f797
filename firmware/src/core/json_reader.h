// A bounded, allocation-free JSON reader over a caller's text: values are spans into that text.
// jsonParse validates a whole document (nesting at most kJsonMaxDepth, so the recursion is
// bounded); lookups then walk the spans. Hand-written for the same reason as json_writer.h.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace fl {

constexpr int kJsonMaxDepth = 16;

enum class JsonType : uint8_t { Invalid, Null, Bool, Number, String, Array, Object };

struct JsonValue {
  const char* p = nullptr;  // first character of the value
  size_t n = 0;             // its length in characters
  JsonType type = JsonType::Invalid;
  bool is(JsonType t) const { return type == t; }
};

/** Parses exactly one value (surrounding whitespace allowed); false when malformed or truncated. */
bool jsonParse(const char* text, size_t len, JsonValue* out);

/** Member `key` (plain ASCII key, compared after unescaping) of an object; false when absent. */
bool jsonGet(const JsonValue& object, const char* key, JsonValue* out);

/** Follows `a/b/c` through nested objects. */
bool jsonPath(const JsonValue& root, const char* path, JsonValue* out);

/** Iterates the members of an object (key is the quoted string) or the elements of an array. */
class JsonIter {
 public:
  explicit JsonIter(const JsonValue& container);
  bool next(JsonValue* key, JsonValue* value);

 private:
  const char* p_;
  const char* end_;
  bool object_;
  bool ok_;
};

/** An integer in [min, max] (`12`, `-3`, also `12.0`/`1e3` when integral); false otherwise. */
bool jsonInt(const JsonValue& v, int64_t* out, int64_t min = INT64_MIN, int64_t max = INT64_MAX);
/** Any number as a double (temperature). */
bool jsonDouble(const JsonValue& v, double* out);
bool jsonBool(const JsonValue& v, bool* out);
/** Unescapes a string into `out` (NUL-terminated, \\u escapes to UTF-8); false when it does not fit. */
bool jsonString(const JsonValue& v, char* out, size_t cap);
/** True when the value is a string equal to `s`. */
bool jsonStringIs(const JsonValue& v, const char* s);

}  // namespace fl
