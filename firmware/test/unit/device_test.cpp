// The device loop on fake ports: a scripted HTTP server, a manual clock, a scripted keypad and
// sensors. Each case checks requests and events, the way device-sim's REST tests do.
#include <doctest/doctest.h>

#include <string.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../../src/core/device.h"

using namespace fl;

namespace {

std::string b64url(const std::string& in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) out += a[(acc >> (bits -= 6)) & 63];
  }
  if (bits) out += a[(acc << (6 - bits)) & 63];
  return out;
}

const std::string kToken = "e30." + b64url("{\"device\":\"dev-1\",\"sub\":\"device-dev-1\"}") + ".sig";
const std::string kSignedIn = "{\"idToken\":\"" + kToken + "\",\"refreshToken\":\"r1\",\"expiresIn\":\"3600\"}";
const std::string kRefreshed = "{\"id_token\":\"" + kToken + "\",\"refresh_token\":\"r2\",\"expires_in\":\"3600\"}";

struct Call {
  std::string method, url, body;
};

struct Fakes final : HttpPort, ClockPort, DisplayPort, ServoPort, KeypadPort, SensorPort, PlatformPort, EventPort {
  // HTTP: the handler answers every request; unhandled requests get 204 (writes) or "null".
  std::function<std::pair<int, std::string>(const Call&)> handler;
  std::vector<Call> calls;
  HttpResult send(const HttpRequest& req, char* body, size_t cap) override {
    static const char* names[] = {"GET", "PUT", "PATCH", "POST"};
    Call c{names[static_cast<int>(req.method)], req.url, req.body ? std::string(req.body, req.bodyLen) : ""};
    calls.push_back(c);
    auto [status, text] = handler ? handler(c) : std::make_pair(0, std::string());
    if (status == 0) {
      if (c.url.find("signInWithPassword") != std::string::npos) status = 200, text = kSignedIn;
      else if (c.method == "GET") status = 200, text = "null";
      else status = 204;
    }
    HttpResult r;
    r.status = status;
    r.bodyLen = text.size() < cap ? text.size() : cap - 1;
    memcpy(body, text.data(), r.bodyLen);
    body[r.bodyLen] = '\0';
    return r;
  }
  // Stream: opens with `streamStatus`; bytes queued in `streamBytes` are read as they come.
  int streamStatus = 200;
  bool streamIsOpen = false;
  int opens = 0;
  std::string streamBytes;
  int streamOpen(const char*, uint32_t, bool* chunked, char* err, size_t cap) override {
    ++opens;
    *chunked = false;
    if (cap) err[0] = '\0';
    streamIsOpen = streamStatus == 200;
    return streamStatus;
  }
  int streamRead(char* buf, size_t cap) override {
    if (!streamIsOpen) return -1;
    const size_t n = streamBytes.size() < cap ? streamBytes.size() : cap;
    memcpy(buf, streamBytes.data(), n);
    streamBytes.erase(0, n);
    return static_cast<int>(n);
  }
  void streamClose() override { streamIsOpen = false; }
  // Clock.
  uint64_t nowMs = 1000;
  uint64_t monotonicMs() override { return nowMs; }
  int64_t epochMs() override { return 0; }
  // Display, servo, keypad, sensors, platform, events.
  std::string line1, line2;
  void show(const char* a, const char* b) override { line1 = a, line2 = b; }
  void backlight(bool) override {}
  int32_t angle = -1;
  void write(int32_t a) override { angle = a; }
  std::deque<char> keys;
  char key() override {
    if (keys.empty()) return 0;
    const char k = keys.front();
    keys.pop_front();
    return k;
  }
  int32_t ir = 2048, light = 1000;
  int32_t irRaw() override { return ir; }
  int32_t lightRaw() override { return light; }
  int32_t rssiDbm() override { return -60; }
  uint32_t freeHeapBytes() override { return 123456; }
  uint32_t random = 7;
  uint32_t random32() override { return random; }
  void restart() override {}
  std::vector<std::string> events;
  void event(const char* json) override { events.emplace_back(json); }

  bool saw(const std::string& needle) const {
    for (const auto& e : events) {
      if (e.find(needle) != std::string::npos) return true;
    }
    return false;
  }
  int count(const std::string& method, const std::string& urlPart) const {
    int n = 0;
    for (const auto& c : calls) n += c.method == method && c.url.find(urlPart) != std::string::npos;
    return n;
  }
};

struct Rig {
  Fakes f;
  DeviceSettings s;
  std::unique_ptr<Device> device;
  explicit Rig(const char* password = "1234", uint32_t maxReadings = 0) {
    s.deviceId = "dev-1";
    s.email = "dev-1@devices.firelink.local";
    s.password = password;
    s.authEmulatorHost = "127.0.0.1:9099";
    s.databaseUrl = "http://127.0.0.1:9000";
    s.ns = "demo-firelink-default-rtdb";
    s.sampleMsOverride = 1000;
    s.maxReadings = maxReadings;
    s.streamIdleMs = 5000;
    s.irSamples = 4;
    device = std::make_unique<Device>(s, DevicePorts{f, f, f, f, f, f, f, f});
    device->begin(f.nowMs);
  }
  /** A new device with the settings as changed (s.databaseUrl, s.directoryUrl...). */
  void restart() {
    device = std::make_unique<Device>(s, DevicePorts{f, f, f, f, f, f, f, f});
    device->begin(f.nowMs);
  }
  void run(uint64_t ms, uint64_t stepMs = 10) {
    for (uint64_t t = 0; t < ms; t += stepMs) {
      f.nowMs += stepMs;
      device->tick(f.nowMs);
    }
  }
};

}  // namespace

TEST_CASE("signs in, reads the seq floor, sends readings above it, heartbeats with fw and rssi") {
  Rig rig;
  rig.f.handler = [](const Call& c) -> std::pair<int, std::string> {
    if (c.url.find("state/seq.json") != std::string::npos) return {200, "605000000"};
    return {0, ""};
  };
  rig.run(2500);
  CHECK(rig.device->signedIn());
  CHECK(rig.f.count("GET", "/devices/dev-1/state/seq.json?ns=demo-firelink-default-rtdb&auth=" + kToken) == 1);
  REQUIRE(rig.f.count("PUT", "/devices/dev-1/readings/") >= 2);
  for (const Call& c : rig.f.calls) {
    if (c.url.find("/readings/") == std::string::npos) continue;
    CHECK(c.url.find("&print=silent") != std::string::npos);
    CHECK(c.body.find("\"seq\":60500000") != std::string::npos);  // 605000001, 605000002
    CHECK(c.body.find("\"ir\":2048") != std::string::npos);
  }
  bool heartbeat = false;
  for (const Call& c : rig.f.calls) {
    if (c.url.find("/status.json") != std::string::npos) {
      heartbeat = c.body == R"({"online":true,"lastSeen":{".sv":"timestamp"},"fw":"1.0.0","rssi":-60,"heap":123456})";
    }
  }
  CHECK(heartbeat);
}

TEST_CASE("beats at sign-in, then at a random point of the period, then every period") {
  // Boards powered up together sign in together: only the random second beat sets them apart.
  for (uint32_t random : {12345u, 29999u}) {
    CAPTURE(random);
    Rig rig;
    rig.f.random = random;
    std::vector<uint64_t> beats;
    rig.f.handler = [&](const Call& c) -> std::pair<int, std::string> {
      if (c.url.find("/status.json") != std::string::npos) beats.push_back(rig.f.nowMs);
      return {0, ""};
    };
    rig.run(100000, 5);
    REQUIRE(beats.size() >= 3);
    CHECK(beats[1] - beats[0] >= 1 + random % 30000);
    CHECK(beats[1] - beats[0] <= 1 + random % 30000 + 5);
    for (size_t i = 2; i < beats.size(); ++i) {
      CHECK(beats[i] - beats[i - 1] >= 30000);
      CHECK(beats[i] - beats[i - 1] <= 30005);
    }
  }
}

TEST_CASE("exactly once: outcomes of a reading write") {
  struct Row {
    const char* name;
    std::vector<std::pair<int, std::string>> answers;  // successive answers to the reading's PUT
    const char* event;
    uint32_t acked;
  };
  const Row rows[] = {
      {"stored at once", {{204, ""}}, "\"event\":\"acked\"", 1},
      {"answer lost, then the create-once rule refuses the retry: already stored",
       {{-1, ""}, {401, "{\"error\":\"Permission denied\"}"}}, "already-stored", 1},
      {"refused on the first attempt: rejected, logged in full, dropped", {{401, "{\"error\":\"Permission denied\"}"}}, "reading-rejected", 0},
      {"server error, then stored", {{503, "busy"}, {204, ""}}, "\"event\":\"acked\"", 1},
      {"bad request: rejected", {{400, "{\"error\":\"Invalid data\"}"}}, "reading-rejected", 0},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    Rig rig("1234", 1);
    size_t next = 0;
    rig.f.handler = [&](const Call& c) -> std::pair<int, std::string> {
      if (c.method == "PUT" && c.url.find("/readings/") != std::string::npos) {
        return next < row.answers.size() ? row.answers[next++] : std::make_pair(204, std::string());
      }
      return {0, ""};
    };
    rig.run(5000);
    CHECK(rig.f.saw(row.event));
    CHECK(rig.device->acked() == row.acked);
    CHECK(rig.device->queued() == 0);
    // Every attempt used the same key: one reading, one URL.
    std::string first;
    for (const Call& c : rig.f.calls) {
      if (c.url.find("/readings/") == std::string::npos) continue;
      if (first.empty()) first = c.url;
      CHECK(c.url == first);
    }
  }
}

TEST_CASE("a 401 that is not Permission denied refreshes the token and repeats the same write once") {
  Rig rig("1234", 1);
  int puts = 0;
  rig.f.handler = [&](const Call& c) -> std::pair<int, std::string> {
    if (c.method == "PUT" && c.url.find("/readings/") != std::string::npos && puts++ == 0) return {401, "{\"error\":\"Auth token is expired.\"}"};
    if (c.url.find("securetoken") != std::string::npos) return {200, kRefreshed};
    return {0, ""};
  };
  rig.run(2000);
  std::vector<Call> writes;
  for (const Call& c : rig.f.calls) {
    if (c.url.find("/readings/") != std::string::npos || c.url.find("securetoken") != std::string::npos) writes.push_back(c);
  }
  REQUIRE(writes.size() == 3);
  CHECK(writes[1].body == "grant_type=refresh_token&refresh_token=r1");
  CHECK(writes[2].body == writes[0].body);
  CHECK(rig.device->acked() == 1);
  CHECK(rig.device->tokenRefreshes() == 1);
}

TEST_CASE("a refused refresh token means signing in again") {
  Rig rig;
  rig.f.handler = [&](const Call& c) -> std::pair<int, std::string> {
    if (c.url.find("securetoken") != std::string::npos) return {400, "{\"error\":{\"message\":\"INVALID_REFRESH_TOKEN\"}}"};
    return {0, ""};
  };
  rig.run(100);
  rig.f.streamBytes = "event: auth_revoked\ndata: credential is no longer valid\n\n";
  rig.run(100);
  CHECK(rig.f.saw("refresh-refused"));
  CHECK(rig.f.count("POST", "signInWithPassword") == 2);
  CHECK(rig.device->signedIn());
}

TEST_CASE("keypad: masked entry, * erases, # submits, a wrong password shows why and asks again") {
  Rig rig(nullptr);
  int attempts = 0;
  rig.f.handler = [&](const Call& c) -> std::pair<int, std::string> {
    if (c.url.find("signInWithPassword") != std::string::npos && attempts++ == 0) {
      CHECK(c.body.find("\"password\":\"19\"") != std::string::npos);
      return {400, "{\"error\":{\"code\":400,\"message\":\"INVALID_LOGIN_CREDENTIALS\"}}"};
    }
    return {0, ""};
  };
  CHECK(rig.f.line1 == "Password:");
  for (char k : std::string("12*9")) rig.f.keys.push_back(k);
  rig.run(40);
  CHECK(rig.f.line2 == "**");
  rig.f.keys.push_back('#');
  rig.run(20);
  CHECK(rig.f.line1 == "Sign-in refused");
  CHECK(rig.f.line2 == "wrong password");
  CHECK_FALSE(rig.device->signedIn());
  rig.run(2500);  // the reason stays a moment, then the prompt returns
  CHECK(rig.f.line1 == "Password:");
  for (char k : std::string("4321#")) rig.f.keys.push_back(k);
  rig.run(100);
  CHECK(rig.device->signedIn());
  CHECK(rig.f.calls[1].body.find("\"password\":\"4321\"") != std::string::npos);
}

TEST_CASE("offline: the ring keeps the newest 64 readings, counts the dropped, and the servo maps locally") {
  Rig rig;
  rig.f.handler = [](const Call& c) -> std::pair<int, std::string> {
    if (c.url.find("signInWithPassword") != std::string::npos) return {0, ""};
    return {-1, ""};  // the database is unreachable
  };
  rig.f.streamStatus = -1;
  rig.f.ir = 1024;
  rig.run(70 * 1000, 50);
  CHECK(rig.device->taken() >= 70);
  CHECK(rig.device->queued() == kRingCapacity);
  CHECK(rig.device->dropped() == rig.device->taken() - kRingCapacity);
  CHECK(rig.f.saw("queue-full-dropped-oldest"));
  CHECK(rig.f.angle == mapReadingToAngle(1024, Mapping{}));
  CHECK(rig.f.line1 == "IR 1024");
  CHECK(rig.f.line2 == "Servo  45 deg");
}

TEST_CASE("a failed sensor sends an explicit no-reading, never the last value") {
  Rig rig;
  rig.f.light = -1;
  rig.run(1100);
  CHECK(rig.f.saw("{\"event\":\"no-reading\",\"sensor\":\"light\"}"));
  for (const Call& c : rig.f.calls) {
    if (c.url.find("/readings/") != std::string::npos) CHECK(c.body.find("light") == std::string::npos);
  }
  const uint32_t before = rig.device->taken();
  rig.f.ir = -1;
  rig.run(2000);
  CHECK(rig.device->taken() == before);
  CHECK(rig.f.saw("{\"event\":\"no-reading\",\"sensor\":\"ir\"}"));
}

TEST_CASE("the state stream: put and patch drive the servo and LCD; a silent stream is reopened") {
  Rig rig;
  rig.run(100);
  REQUIRE(rig.f.opens == 1);
  rig.f.streamBytes =
      "event: put\ndata: {\"path\":\"/\",\"data\":{\"angle\":90,\"ir\":2048,\"seq\":7,\"readingId\":\"-abc\",\"lcd\":{\"line1\":\"IR 2048\",\"line2\":\"Servo  90 deg\"}}}\n\n";
  rig.run(20);
  CHECK(rig.f.angle == 90);
  CHECK(rig.f.line2 == "Servo  90 deg");
  rig.f.streamBytes = "event: patch\ndata: {\"path\":\"/\",\"data\":{\"angle\":5,\"ir\":7,\"seq\":8,\"lcd\":null}}\n\n";
  rig.run(20);
  CHECK(rig.f.angle == 5);
  CHECK(rig.f.line1 == "IR 7");  // no lcd in the state: the model's formatLcd
  CHECK(rig.f.line2 == "Servo   5 deg");
  rig.f.streamBytes = "event: put\ndata: {\"path\":\"/lcd/line1\",\"data\":\"IR 8\"}\n\nevent: keep-alive\ndata: null\n\n";
  rig.run(4000);
  CHECK(rig.f.opens == 1);
  rig.run(1500);  // 5 s without a byte
  CHECK(rig.f.saw("stream-silent"));
  CHECK(rig.f.opens == 2);
}

TEST_CASE("commands are acknowledged like the simulator's") {
  struct Row {
    const char* command;
    const char* ack;
  } rows[] = {
      {R"({"type":"set-angle","args":{"angle":42},"createdAt":1})", R"("result":{"status":"ok","message":"servo at 42 deg"})"},
      {R"({"type":"set-angle","args":{"angle":181},"createdAt":1})", R"("status":"error")"},
      {R"({"type":"calibrate","args":{"bound":"min"},"createdAt":1})", R"({"status":"ok","message":"sampled ir for inMin","value":2048})"},
      {R"({"type":"identify","createdAt":1})", R"({"status":"ok","message":"identifying for 5000 ms"})"},
      {R"({"type":"reboot","createdAt":1})", R"({"status":"ok","message":"rebooting"})"},
      {R"({"type":"reconnect","createdAt":1})", R"({"status":"ok","message":"reconnecting to the shard of the directory"})"},
      {R"({"type":"dance","createdAt":1})", R"({"status":"unsupported","message":"unknown command type: dance"})"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.command);
    Rig rig;
    bool acked = false;
    rig.f.handler = [&](const Call& c) -> std::pair<int, std::string> {
      if (c.method == "GET" && c.url.find("/commands.json") != std::string::npos) {
        CHECK(c.url.find("orderBy=%22%24key%22&limitToLast=8") != std::string::npos);
        return {200, acked ? "{}" : std::string("{\"-c1\":") + row.command + ",\"-c0\":{\"type\":\"reboot\",\"createdAt\":1,\"ackAt\":2,\"result\":{\"status\":\"ok\"}}}"};
      }
      if (c.method == "PATCH") {
        CHECK(c.url.find("/devices/dev-1/commands/-c1.json") != std::string::npos);
        CHECK(c.body.find(R"({"ackAt":{".sv":"timestamp"},"result":)") == 0);
        CHECK(c.body.find(row.ack) != std::string::npos);
        acked = true;
      }
      return {0, ""};
    };
    rig.run(200);
    CHECK(acked);
    CHECK(rig.f.count("PATCH", "/commands/") == 1);
  }
}

TEST_CASE("config: a valid one applies at once, an invalid one is refused and the previous kept") {
  struct Row {
    const char* config;
    bool applied;
    const char* field;
  } rows[] = {
      {R"({"mapping":{"inMin":0,"inMax":1000,"outMin":0,"outMax":90,"invert":true},"sampleMs":200,"heartbeatMs":5000})", true, ""},
      {R"({"mapping":{"inMin":1000,"inMax":1000,"outMin":0,"outMax":90,"invert":true},"sampleMs":200,"heartbeatMs":5000})", false, "mapping.inMax"},
      {R"({"mapping":{"inMin":0,"inMax":1000,"outMin":0,"outMax":90,"invert":true},"sampleMs":50,"heartbeatMs":5000})", false, "sampleMs"},
      {R"({"mapping":{"inMin":0,"inMax":1000,"outMin":0,"outMax":90},"sampleMs":200,"heartbeatMs":5000})", false, "mapping.invert"},
      {R"({"sampleMs":200,"heartbeatMs":5000})", false, "mapping"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.config);
    Rig rig;
    rig.f.handler = [&](const Call& c) -> std::pair<int, std::string> {
      if (c.method == "GET" && c.url.find("/config.json") != std::string::npos) return {200, row.config};
      return {0, ""};
    };
    rig.run(100);
    CHECK(rig.device->config().sampleMs == (row.applied ? 200u : 1000u));
    CHECK(rig.device->config().mapping.invert == row.applied);
    if (!row.applied) CHECK(rig.f.saw(std::string("\"field\":\"") + row.field + "\""));
  }
}

// Shards (docs/scaling.md "How: the shard design"): the directory deviceShards/<id> in the default
// instance names the device's shard; read at boot and after a `reconnect` command.
namespace {
const std::string kDefaultNs = "ns=demo-firelink-default-rtdb";
const std::string kShardNs = "ns=demo-firelink-shard-1";
bool on(const Call& c, const std::string& ns) { return c.url.find("?" + ns + "&") != std::string::npos; }
}  // namespace

TEST_CASE("shards: at boot the directory sends the device to its shard before anything is written") {
  Rig rig;
  rig.s.databaseUrl = "http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb";
  rig.s.ns = nullptr;
  rig.s.directoryUrl = "http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb";
  rig.f.handler = [](const Call& c) -> std::pair<int, std::string> {
    if (c.url.find("/deviceShards/dev-1.json") != std::string::npos) return {200, "\"demo-firelink-shard-1\""};
    return {0, ""};
  };
  rig.restart();
  rig.run(2500);
  CHECK(rig.f.saw("\"event\":\"shard-moved\""));
  CHECK(std::string(rig.device->location().ns) == "demo-firelink-shard-1");
  REQUIRE(rig.f.count("PUT", "/readings/") >= 2);
  for (const Call& c : rig.f.calls) {
    if (c.url.find("/deviceShards/") != std::string::npos) CHECK(on(c, kDefaultNs));
    else if (c.url.find("/devices/") != std::string::npos) CHECK(on(c, kShardNs));
  }
}

TEST_CASE("shards: reconnect is acked on the old shard, then readings, status and stream move") {
  Rig rig;
  bool moved = false;
  size_t ackAt = 0;
  int opensAtAck = 0;
  rig.f.handler = [&](const Call& c) -> std::pair<int, std::string> {
    if (c.url.find("/deviceShards/dev-1.json") != std::string::npos) return {200, moved ? "\"demo-firelink-shard-1\"" : "null"};
    if (c.method == "GET" && c.url.find("/commands.json") != std::string::npos && on(c, kDefaultNs)) {
      return {200, moved ? "{}" : R"({"-c1":{"type":"reconnect","createdAt":1}})"};
    }
    if (c.method == "PATCH" && c.url.find("/commands/-c1.json") != std::string::npos) {
      CHECK(on(c, kDefaultNs));
      ackAt = rig.f.calls.size();
      opensAtAck = rig.f.opens;
      moved = true;  // the move command switched the directory before sending reconnect
    }
    return {0, ""};
  };
  rig.run(4500);
  REQUIRE(moved);
  CHECK(rig.f.saw("\"event\":\"shard-moved\""));
  CHECK(rig.f.opens > opensAtAck);
  // After the ack: the directory is read again, then nothing goes to the old shard.
  bool sawDirectory = false, statusOnShard = false;
  int readingsOnShard = 0;
  for (size_t i = ackAt; i < rig.f.calls.size(); ++i) {
    const Call& c = rig.f.calls[i];
    if (c.url.find("/deviceShards/") != std::string::npos) {
      sawDirectory = true;
      continue;
    }
    if (c.url.find("/devices/") == std::string::npos) continue;
    CHECK(sawDirectory);
    CHECK(on(c, kShardNs));
    statusOnShard = statusOnShard || (c.method == "PUT" && c.url.find("/status.json") != std::string::npos);
    readingsOnShard += c.method == "PUT" && c.url.find("/readings/") != std::string::npos;
  }
  CHECK(statusOnShard);
  CHECK(readingsOnShard >= 2);
  // Every reading taken was sent once: none lost in the move, none sent to both shards.
  CHECK(rig.device->acked() == rig.device->taken() - rig.device->queued());
  std::vector<std::string> ids;
  for (const Call& c : rig.f.calls) {
    if (c.method != "PUT" || c.url.find("/readings/") == std::string::npos) continue;
    const size_t at = c.url.find("/readings/") + 10;
    ids.push_back(c.url.substr(at, c.url.find(".json") - at));
  }
  CHECK(ids.size() == rig.device->acked());
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t j = i + 1; j < ids.size(); ++j) CHECK(ids[i] != ids[j]);
  }
}

TEST_CASE("shards: while the directory does not answer, readings wait in the ring; then each is sent once") {
  Rig rig;
  bool up = false;
  rig.f.handler = [&](const Call& c) -> std::pair<int, std::string> {
    if (c.url.find("/deviceShards/dev-1.json") != std::string::npos) return up ? std::make_pair(200, std::string("null")) : std::make_pair(-1, std::string());
    return {0, ""};
  };
  rig.run(3500);
  CHECK(rig.device->taken() >= 3);
  CHECK(rig.f.count("PUT", "/readings/") == 0);
  CHECK(rig.f.count("GET", "/deviceShards/dev-1.json") >= 2);
  up = true;
  rig.run(5000);
  CHECK(rig.device->queued() == 0);
  CHECK(rig.f.count("PUT", "/readings/") == static_cast<int>(rig.device->taken()));
  CHECK(std::string(rig.device->location().ns) == "demo-firelink-default-rtdb");
}

TEST_CASE("shards: a directory the rules refuse leaves the device on the URL it was given") {
  Rig rig;
  rig.f.handler = [](const Call& c) -> std::pair<int, std::string> {
    if (c.url.find("/deviceShards/") != std::string::npos) return {401, "{\"error\":\"Permission denied\"}"};
    return {0, ""};
  };
  rig.run(2500);
  CHECK(rig.f.saw("directory-unreadable"));
  CHECK(rig.f.count("PUT", "/readings/") >= 2);
  CHECK(rig.device->fatal() == Fatal::None);
}

TEST_CASE("shards: a database URL of no known form stops the device with the forms it takes") {
  Rig rig;
  rig.s.databaseUrl = "ftp://127.0.0.1:9000";
  rig.restart();
  CHECK(rig.device->fatal() == Fatal::BadRequest);
  CHECK(std::string(rig.device->fatalMessage()).find("FIRELINK_DATABASE_URL") != std::string::npos);
}
