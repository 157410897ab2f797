// The bounded JSON encoder and reader: tables of well-formed, malformed, truncated and oversized
// input (run under ASan + UBSan, so a read past a buffer fails the run).
#include <doctest/doctest.h>

#include <string.h>

#include <string>
#include <vector>

#include "../../src/core/json_reader.h"
#include "../../src/core/json_writer.h"

using namespace fl;

TEST_CASE("the writer encodes objects, escapes and server values") {
  char buf[256];
  JsonWriter w(buf, sizeof buf);
  w.beginObject().key("ir").num(2048).key("seq").unum(4294967295u).key("s").str("a\"b\\c\n\x01").key("b").boolean(true);
  w.key("n").null().key("lastSeen").serverTimestamp().key("o").beginObject().endObject().endObject();
  REQUIRE(w.ok());
  CHECK(std::string(buf) ==
        R"({"ir":2048,"seq":4294967295,"s":"a\"b\\c\n\u0001","b":true,"n":null,"lastSeen":{".sv":"timestamp"},"o":{}})");
  JsonValue v;
  CHECK(jsonParse(buf, w.size(), &v));
}

TEST_CASE("the writer never overflows its buffer and says so") {
  for (size_t cap = 0; cap < 40; ++cap) {
    std::vector<char> buf(cap + 8, '#');
    JsonWriter w(buf.data(), cap);
    w.beginObject().key("message").str("a fairly long string value").endObject();
    CAPTURE(cap);
    CHECK(w.ok() == (cap > 39));
    for (size_t i = cap; i < cap + 8; ++i) CHECK(buf[i] == '#');
  }
}

TEST_CASE("the reader accepts well-formed documents") {
  const char* good[] = {"0", "-1", "1.5e3", "true", "false", "null", "\"\"", "\"\\u00e9\\ud83d\\ude00\"", "[]", "{}",
                        "[1,[2,[3]]]", " {\"a\" : {\"b\":[true,null,\"x\"]}} ", "{\"path\":\"/\",\"data\":{\"angle\":90}}"};
  for (const char* text : good) {
    CAPTURE(text);
    JsonValue v;
    CHECK(jsonParse(text, strlen(text), &v));
  }
}

TEST_CASE("the reader refuses malformed and truncated documents") {
  const char* bad[] = {"", " ", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "01", "-", "1.", "1e", "+1", "tru", "nul",
                       "\"abc", "\"\\x\"", "\"\\u12\"", "\"a\nb\"", "[1 2]", "{\"a\":1,}", "1 2", "{\"a\":1}x", "[\"\\"};
  for (const char* text : bad) {
    CAPTURE(text);
    JsonValue v;
    CHECK_FALSE(jsonParse(text, strlen(text), &v));
  }
  // Every proper prefix of a valid object is refused (a read cut short).
  const std::string doc = R"({"path":"/","data":{"angle":90,"lcd":{"line1":"IR 2048","line2":"Servo  90 deg"},"seq":12}})";
  for (size_t n = 0; n < doc.size(); ++n) {
    JsonValue v;
    std::vector<char> exact(doc.begin(), doc.begin() + static_cast<long>(n));  // no terminator: ASan sees overreads
    CAPTURE(n);
    CHECK_FALSE(jsonParse(exact.data(), n, &v));
  }
}

TEST_CASE("nesting deeper than the bound is refused, not recursed into") {
  std::string deep(kJsonMaxDepth + 1, '[');
  deep += std::string(kJsonMaxDepth + 1, ']');
  JsonValue v;
  CHECK_FALSE(jsonParse(deep.data(), deep.size(), &v));
  std::string ok(kJsonMaxDepth, '[');
  ok += std::string(kJsonMaxDepth, ']');
  CHECK(jsonParse(ok.data(), ok.size(), &v));
}

TEST_CASE("lookups, paths, iteration and conversions") {
  const char* text = R"({"a":{"b":{"c":-42}},"s":"x\"y","f":12.5,"big":12345678901234567890,"i":1e3,"t":true,"arr":[1,2,3]})";
  JsonValue root, v;
  REQUIRE(jsonParse(text, strlen(text), &root));
  int64_t n = 0;
  REQUIRE(jsonPath(root, "a/b/c", &v));
  CHECK((jsonInt(v, &n) && n == -42));
  CHECK_FALSE(jsonInt(v, &n, 0, 10));
  REQUIRE(jsonGet(root, "f", &v));
  CHECK_FALSE(jsonInt(v, &n));
  REQUIRE(jsonGet(root, "big", &v));
  CHECK_FALSE(jsonInt(v, &n));
  REQUIRE(jsonGet(root, "i", &v));
  CHECK((jsonInt(v, &n) && n == 1000));
  char s[8];
  REQUIRE(jsonGet(root, "s", &v));
  CHECK((jsonString(v, s, sizeof s) && std::string(s) == "x\"y"));
  CHECK_FALSE(jsonString(v, s, 3));  // does not fit
  CHECK(jsonStringIs(v, "x\"y"));
  CHECK_FALSE(jsonGet(root, "missing", &v));
  CHECK_FALSE(jsonPath(root, "a/x", &v));
  REQUIRE(jsonGet(root, "arr", &v));
  JsonIter it(v);
  JsonValue e;
  int64_t sum = 0;
  while (it.next(nullptr, &e)) {
    REQUIRE(jsonInt(e, &n));
    sum += n;
  }
  CHECK(sum == 6);
  CHECK((jsonInt(JsonValue{"-9223372036854775808", 20, JsonType::Number}, &n) && n == INT64_MIN));
  CHECK_FALSE(jsonInt(JsonValue{"9223372036854775808", 19, JsonType::Number}, &n));
}

TEST_CASE("unicode escapes become UTF-8, lone surrogates U+FFFD") {
  const struct {
    const char* json;
    const char* utf8;
  } cases[] = {{"\"\\u00e9\"", "\xc3\xa9"}, {"\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80"}, {"\"\\ud83d\"", "\xef\xbf\xbd"}, {"\"\\/\\t\"", "/\t"}};
  for (const auto& c : cases) {
    JsonValue v;
    char out[16];
    REQUIRE(jsonParse(c.json, strlen(c.json), &v));
    REQUIRE(jsonString(v, out, sizeof out));
    CHECK(std::string(out) == c.utf8);
  }
}
