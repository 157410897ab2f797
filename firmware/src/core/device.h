// The device: device-sim's REST transport request for request (docs/device-sim.md, "The REST
// protocol"), as one cooperative state machine. tick() does one pass of the loop; every buffer is
// a member, so the only allocation is the one static Device object (see the README's table).
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "../ports/clock.h"
#include "../ports/http.h"
#include "../ports/io.h"
#include "backoff.h"
#include "chunked.h"
#include "json_reader.h"
#include "json_writer.h"
#include "lcd.h"
#include "mapping.h"
#include "push_id.h"
#include "ring.h"
#include "seq.h"
#include "shard_url.h"
#include "sse.h"

namespace fl {

constexpr size_t kRingCapacity = 64;       // readings kept while offline
constexpr size_t kIdTokenCap = 2048;       // Google ID tokens are ~1 KB
constexpr size_t kRefreshTokenCap = 1024;
constexpr size_t kUrlCap = kIdTokenCap + 512;
constexpr size_t kResponseCap = 4096;      // sign-in answer: two tokens plus account fields
constexpr size_t kBodyCap = 512;           // database request bodies (a reading is ~90 bytes)
constexpr size_t kAuthBodyCap = kRefreshTokenCap + 64;  // sign-in JSON and refresh form
constexpr size_t kEventCap = 512;          // one event line
constexpr size_t kPasswordCap = 32;
constexpr size_t kStreamReadCap = 512;     // one socket read of the event stream
constexpr size_t kLatencySlots = 16;       // readings whose write time is remembered for latency

struct DeviceSettings {
  const char* deviceId = nullptr;
  const char* email = nullptr;
  /** nullptr: the password is typed on the keypad. */
  const char* password = nullptr;
  const char* apiKey = "demo-api-key";
  /** `127.0.0.1:9099` for the Auth emulator; nullptr for Google's hosts over TLS. */
  const char* authEmulatorHost = nullptr;
  /**
   * The device's shard, as provisioning writes it (secrets.h FIRELINK_DATABASE_URL):
   * `http://<host>:9000/?ns=<instance>` (emulator), `https://<instance>.firebaseio.com`, or
   * `http://<host>:9000` with `ns`.
   */
  const char* databaseUrl = nullptr;
  /** `?ns=` for the emulator when `databaseUrl` has none; nullptr for production. */
  const char* ns = nullptr;
  /**
   * The default instance, which holds the directory `deviceShards/<id>` (secrets.h
   * FIRELINK_DIRECTORY_URL); same forms. nullptr: `databaseUrl` is also the directory.
   */
  const char* directoryUrl = nullptr;
  const char* fw = "1.0.0";
  uint32_t sampleMsOverride = 0;   // 0: config.sampleMs
  uint32_t maxReadings = 0;        // 0: sample forever
  uint32_t tokenLifetimeMs = 0;    // 0: as the server says (expiresIn)
  uint32_t refreshMarginMs = 300000;
  uint32_t streamIdleMs = 90000;   // the server sends keep-alive every ~30 s
  uint32_t requestTimeoutMs = 10000;
  uint32_t backoffBaseMs = 500;
  uint32_t backoffMaxMs = 30000;
  uint8_t irSamples = 8;
};

struct DevicePorts {
  HttpPort& http;
  DisplayPort& display;
  ServoPort& servo;
  KeypadPort& keypad;
  SensorPort& sensors;
  PlatformPort& platform;
  EventPort& events;
  ClockPort& clock;
};

enum class Fatal : uint8_t { None, BadCredentials, NotOwner, PermissionDenied, BadRequest };

struct DeviceConfig {
  Mapping mapping;
  uint32_t sampleMs = 1000;
  uint32_t heartbeatMs = 30000;
};

struct StateView {
  bool hasAngle = false;
  LcdNumber angle;
  LcdNumber ir;
  uint64_t seq = 0;
  char readingId[kPushIdChars + 1] = "";
  bool hasLcd = false;
  LcdLines lcd{};
};

class Device final : public SseHandler {
 public:
  Device(const DeviceSettings& settings, DevicePorts ports);
  void begin(uint64_t nowMs);
  void tick(uint64_t nowMs);
  /** Says goodbye in `status` (best effort). */
  void stop();

  bool finished() const;
  Fatal fatal() const { return fatal_; }
  const char* fatalMessage() const { return fatalMessage_; }
  bool signedIn() const { return phase_ == Phase::Running; }
  bool awaitingPassword() const { return phase_ == Phase::Password; }
  uint32_t signInRefusals() const { return signInRefusals_; }
  uint32_t authNoAnswerInARow() const { return authNoAnswer_; }
  bool databaseAnswered() const { return dbAnswered_; }
  uint32_t databaseNoAnswerInARow() const { return dbNoAnswer_; }
  uint32_t taken() const { return taken_; }
  uint32_t acked() const { return acked_; }
  uint32_t dropped() const { return ring_.dropped(); }
  size_t queued() const { return ring_.size(); }
  uint32_t tokenRefreshes() const { return refreshes_; }
  const DeviceConfig& config() const { return config_; }
  /** The database the device reads and writes now (its shard). */
  const DbLocation& location() const { return db_; }

  void onSseEvent(const char* event, const char* data, size_t dataLen) override;
  void onSseOversized() override;

 private:
  enum class Phase : uint8_t { Password, SignIn, Running, Failed };
  enum class Db : uint8_t { Ok, PermissionDenied, TokenRejected, BadRequest, NoAnswer };

  // auth.cpp
  void tickPassword();
  void signIn();
  bool refresh(const char* reason);
  bool takeSession(const char* idKey, const char* refreshKey, const char* expiresKey);
  void refused(const char* reason);
  void fail(Fatal f, const char* message);
  // net.cpp
  Db db(HttpMethod method, const char* path, const char* query, const char* body, size_t bodyLen);
  Db dbAt(const DbLocation& where, HttpMethod method, const char* path, const char* query, const char* body, size_t bodyLen);
  void resolveShard();
  void readSeqFloor();
  void sendOne();
  void heartbeat();
  void beatNow();
  void applyConfig(const JsonValue& v);
  void pollCommands();
  void execute(const char* id, const JsonValue& cmd);
  // stream.cpp
  void tickStream();
  void openStream();
  void closeStream(const char* why, bool retryNow);
  void applyStatePath(const char* path, const JsonValue& data);
  void applyStateField(const char* field, const JsonValue& v);
  void stateChanged();
  // device.cpp
  void sample();
  void showLocal(int32_t ir);
  void setOnline(bool online, const char* why);
  void emit(const char* json);
  void emit(const JsonWriter& w);
  void show(const char* l1, const char* l2);
  bool buildUrl(const DbLocation& where, const char* path, const char* query, bool withAuth);
  uint64_t now();

  DeviceSettings s_;
  DevicePorts p_;
  Phase phase_ = Phase::SignIn;
  Fatal fatal_ = Fatal::None;
  char fatalMessage_[256] = "";
  uint64_t now_ = 0;

  // sign-in
  char password_[kPasswordCap + 1] = "";
  size_t passwordLen_ = 0;
  uint64_t refusalShownUntil_ = 0;
  uint32_t signInRefusals_ = 0;
  uint32_t authNoAnswer_ = 0;
  uint64_t signInAt_ = 0;
  char idToken_[kIdTokenCap] = "";
  char refreshToken_[kRefreshTokenCap] = "";
  uint64_t tokenDueAt_ = 0;
  uint64_t refreshRetryAt_ = 0;
  uint32_t refreshes_ = 0;

  // database: where the data lives (the shard) and the directory that says so
  DbLocation db_;
  DbLocation dir_;
  bool locationsOk_ = false;
  bool shardKnown_ = false;  // the directory was read (at boot, and again after a `reconnect`)
  uint64_t shardRetryAt_ = 0;
  bool dbAnswered_ = false;
  uint32_t dbNoAnswer_ = 0;
  bool seqKnown_ = false;
  SeqCounter seq_;
  PushIdGenerator ids_;
  ReadingRing<kRingCapacity> ring_;
  Backoff sendBackoff_;
  uint64_t sendAt_ = 0;
  bool writesFailing_ = false;
  uint32_t taken_ = 0;
  uint32_t acked_ = 0;
  uint64_t maxAckedSeq_ = 0;
  uint64_t nextSampleAt_ = 0;
  uint64_t nextHeartbeatAt_ = 0;
  /** The last beat was out of schedule (beatNow): the next one comes at a random point of the period. */
  bool beatOffSchedule_ = false;
  DeviceConfig config_;
  uint64_t identifyUntil_ = 0;
  struct Pending {
    char id[kPushIdChars + 1];
    uint64_t startMs;
  } latency_[kLatencySlots] = {};
  size_t latencyNext_ = 0;

  // stream
  bool streamOpen_ = false;
  bool streamChunked_ = false;
  uint64_t streamRetryAt_ = 0;
  uint64_t lastStreamByteAt_ = 0;
  bool reopenAfterRefresh_ = false;
  bool streamCancelled_ = false;
  Backoff streamBackoff_;
  SseParser sse_;
  ChunkedDecoder chunked_;
  StateView state_;
  bool online_ = false;

  // High-water marks of the buffers, reported in the `stats` event (the README's measured sizes).
  struct {
    size_t url, response, authBody, body, event, sseData, idToken, refreshToken, queued;
  } high_ = {};
  void mark(size_t* high, size_t n) {
    if (n > *high) *high = n;
  }
  void emitStats();

  // buffers
  char url_[kUrlCap];
  char response_[kResponseCap];
  char body_[kBodyCap];
  char authBody_[kAuthBodyCap];  // own buffer: a refresh inside db() must not overwrite its body
  char event_[kEventCap];
  char streamRaw_[kStreamReadCap];
  char streamBytes_[kStreamReadCap];
};

}  // namespace fl
