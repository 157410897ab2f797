// Every case of model/fixtures/mapping-cases.json, read at test time with the core's own JSON
// reader, so the C++ mapping and LCD text can never disagree with the TypeScript model.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "../../src/core/json_reader.h"
#include "../../src/core/lcd.h"
#include "../../src/core/limits.h"
#include "../../src/core/mapping.h"

using namespace fl;

namespace {

const std::string& fixtureText() {
  static std::string text = [] {
    std::ifstream in(FIXTURES_FILE);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  return text;
}

JsonValue fixture(const char* key) {
  JsonValue root, v;
  REQUIRE_MESSAGE(!fixtureText().empty(), "cannot read " FIXTURES_FILE " (npm run build -w model regenerates it)");
  REQUIRE(jsonParse(fixtureText().data(), fixtureText().size(), &root));
  REQUIRE(jsonGet(root, key, &v));
  return v;
}

int64_t intOf(const JsonValue& obj, const char* key) {
  JsonValue v;
  int64_t n = 0;
  REQUIRE(jsonGet(obj, key, &v));
  REQUIRE(jsonInt(v, &n));
  return n;
}

Mapping mappingOf(const JsonValue& c) {
  JsonValue m, inv;
  REQUIRE(jsonGet(c, "mapping", &m));
  Mapping out;
  out.inMin = static_cast<int32_t>(intOf(m, "inMin"));
  out.inMax = static_cast<int32_t>(intOf(m, "inMax"));
  out.outMin = static_cast<int32_t>(intOf(m, "outMin"));
  out.outMax = static_cast<int32_t>(intOf(m, "outMax"));
  REQUIRE(jsonGet(m, "invert", &inv));
  REQUIRE(jsonBool(inv, &out.invert));
  return out;
}

std::string str(const JsonValue& obj, const char* key) {
  JsonValue v;
  char buf[256];
  REQUIRE(jsonGet(obj, key, &v));
  REQUIRE(jsonString(v, buf, sizeof buf));
  return buf;
}

LcdNumber lcdNumber(const JsonValue& obj, const char* key) {
  JsonValue v;
  REQUIRE(jsonGet(obj, key, &v));
  if (v.is(JsonType::Null)) return LcdNumber::none();
  LcdNumber n;
  n.present = true;
  int64_t i = 0;
  n.integral = jsonInt(v, &i);
  if (!n.integral) {
    double d = 0;
    REQUIRE(jsonDouble(v, &d));  // a fraction, shown as ERR
  }
  n.value = i;
  return n;
}

}  // namespace

TEST_CASE("the limits match the model's") {
  const JsonValue limits = fixture("limits");
  CHECK(intOf(limits, "IR_MIN") == kIrMin);
  CHECK(intOf(limits, "IR_MAX") == kIrMax);
  CHECK(intOf(limits, "ANGLE_MIN") == kAngleMin);
  CHECK(intOf(limits, "ANGLE_MAX") == kAngleMax);
  CHECK(intOf(limits, "SAMPLE_MS_MIN") == kSampleMsMin);
  CHECK(intOf(limits, "SAMPLE_MS_MAX") == kSampleMsMax);
  CHECK(intOf(limits, "HEARTBEAT_MS_MIN") == kHeartbeatMsMin);
  CHECK(intOf(limits, "HEARTBEAT_MS_MAX") == kHeartbeatMsMax);
  CHECK(intOf(limits, "SEQ_MAX") == kSeqMax);
  CHECK(intOf(limits, "LCD_COLUMNS") == kLcdColumns);
  CHECK(intOf(limits, "HEAP_MAX_BYTES") == kHeapMaxBytes);
}

TEST_CASE("every mapping case of mapping-cases.json") {
  JsonIter it(fixture("mapping"));
  JsonValue c;
  int count = 0;
  while (it.next(nullptr, &c)) {
    const Mapping m = mappingOf(c);
    CAPTURE(str(c, "name"));
    REQUIRE(mappingProblem(m) == nullptr);
    CHECK(mapReadingToAngle(intOf(c, "ir"), m) == intOf(c, "angle"));
    ++count;
  }
  CHECK(count >= 20);
}

TEST_CASE("every invalid mapping is refused, naming the model's field") {
  JsonIter it(fixture("invalidMappings"));
  JsonValue c;
  int count = 0;
  while (it.next(nullptr, &c)) {
    CAPTURE(str(c, "name"));
    const char* problem = mappingProblem(mappingOf(c));
    REQUIRE(problem != nullptr);
    CHECK(std::string(problem) == str(c, "field"));
    ++count;
  }
  CHECK(count >= 8);
}

TEST_CASE("every sweep: the angle of each reading") {
  JsonIter it(fixture("sweeps"));
  JsonValue c, angles, a;
  int count = 0;
  while (it.next(nullptr, &c)) {
    CAPTURE(str(c, "name"));
    const Mapping m = mappingOf(c);
    int64_t ir = intOf(c, "irFrom");
    REQUIRE(jsonGet(c, "angles", &angles));
    JsonIter ai(angles);
    while (ai.next(nullptr, &a)) {
      int64_t expected = -1;
      REQUIRE(jsonInt(a, &expected));
      CAPTURE(ir);
      REQUIRE(mapReadingToAngle(ir, m) == expected);
      ++ir;
      ++count;
    }
  }
  CHECK(count >= 4096);
}

TEST_CASE("every LCD case of mapping-cases.json") {
  JsonIter it(fixture("lcd"));
  JsonValue c;
  int count = 0;
  while (it.next(nullptr, &c)) {
    CAPTURE(str(c, "name"));
    LcdLines lines;
    formatLcd(lcdNumber(c, "ir"), lcdNumber(c, "angle"), &lines);
    CHECK(std::string(lines.line1) == str(c, "line1"));
    CHECK(std::string(lines.line2) == str(c, "line2"));
    CHECK(isLcdText(lines.line1));
    CHECK(isLcdText(lines.line2));
    ++count;
  }
  CHECK(count >= 14);
}
