// The loop: sign-in (keypad or settings), then every pass sends one queued reading, services the
// state stream, samples when due and heartbeats when due. Requests: net.cpp; stream: stream.cpp;
// sign-in and tokens: auth.cpp.
#include "device.h"

#include <stdio.h>
#include <string.h>

#include "json_writer.h"

namespace fl {

namespace {
uint32_t platformRandom(void* ctx) { return static_cast<PlatformPort*>(ctx)->random32(); }
}  // namespace

Device::Device(const DeviceSettings& settings, DevicePorts ports)
    : s_(settings),
      p_(ports),
      ids_(platformRandom, &ports.platform),
      sendBackoff_(settings.backoffBaseMs, settings.backoffMaxMs),
      streamBackoff_(settings.backoffBaseMs, settings.backoffMaxMs) {
  locationsOk_ = parseDbLocation(settings.databaseUrl, settings.ns, &db_) &&
                 (settings.directoryUrl == nullptr ? (dir_ = db_, true) : parseDbLocation(settings.directoryUrl, settings.ns, &dir_));
}

uint64_t Device::now() {
  now_ = p_.clock.monotonicMs();
  return now_;
}

void Device::begin(uint64_t nowMs) {
  now_ = nowMs;
  sse_.reset();
  if (!locationsOk_) {
    fail(Fatal::BadRequest,
         "the database or directory URL is not http://host:port/?ns=<instance>, http://host:port with a namespace, "
         "or https://<instance>.firebaseio.com (secrets.h FIRELINK_DATABASE_URL, FIRELINK_DIRECTORY_URL)");
    return;
  }
  if (s_.password == nullptr) {
    phase_ = Phase::Password;
    show("Password:", "");
  } else {
    const size_t n = strlen(s_.password);
    if (n > kPasswordCap) {
      fail(Fatal::BadCredentials, "the password is longer than the 32 characters the device keeps");
      return;
    }
    memcpy(password_, s_.password, n + 1);
    passwordLen_ = n;
    phase_ = Phase::SignIn;
    show("Signing in...", "");
  }
}

void Device::tick(uint64_t nowMs) {
  now_ = nowMs;
  switch (phase_) {
    case Phase::Failed:
      return;
    case Phase::Password:
      tickPassword();
      return;
    case Phase::SignIn:
      if (now_ >= signInAt_) signIn();
      return;
    case Phase::Running:
      break;
  }
  if (now_ >= tokenDueAt_ && now_ >= refreshRetryAt_) refresh("expiring");
  if (phase_ != Phase::Running) return;
  if (!shardKnown_ && now_ >= shardRetryAt_) resolveShard();
  if (phase_ != Phase::Running) return;
  if (shardKnown_ && !seqKnown_) readSeqFloor();
  if (phase_ != Phase::Running) return;
  const uint32_t sampleMs = s_.sampleMsOverride ? s_.sampleMsOverride : config_.sampleMs;
  if (now() >= nextSampleAt_ && (s_.maxReadings == 0 || taken_ < s_.maxReadings)) {
    nextSampleAt_ = now_ + sampleMs;
    sample();
  }
  // Until the directory has answered, nothing is sent: it may name another shard (readings wait in the ring).
  if (shardKnown_ && !ring_.empty() && now() >= sendAt_) sendOne();
  if (!shardKnown_) return;
  tickStream();
  if (now() >= nextHeartbeatAt_) {
    // After a beat out of schedule (sign-in, shard move, reboot command) the next one comes at a
    // random point of the period: boards powered up together, or moved together, would otherwise
    // beat (and read config and commands) in step for as long as they run.
    const uint32_t period = config_.heartbeatMs;
    nextHeartbeatAt_ = now_ + (beatOffSchedule_ ? 1 + p_.platform.random32() % period : period);
    beatOffSchedule_ = false;
    heartbeat();
  }
  if (identifyUntil_ != 0) {
    if (now() >= identifyUntil_) {
      identifyUntil_ = 0;
      p_.display.backlight(true);
    } else {
      p_.display.backlight(((identifyUntil_ - now_) / 250) % 2 == 0);
    }
  }
}

bool Device::finished() const {
  if (phase_ != Phase::Running || s_.maxReadings == 0) return false;
  if (taken_ < s_.maxReadings || !ring_.empty()) return false;
  return maxAckedSeq_ == 0 || state_.seq >= maxAckedSeq_;
}

void Device::sample() {
  // IR: the average of several 12-bit samples; any failed sample means no reading at all.
  int64_t sum = 0;
  const uint8_t n = s_.irSamples ? s_.irSamples : 1;
  for (uint8_t i = 0; i < n; ++i) {
    const int32_t v = p_.sensors.irRaw();
    if (v < 0) {
      emit("{\"event\":\"no-reading\",\"sensor\":\"ir\"}");
      return;
    }
    sum += v;
  }
  const int32_t ir = static_cast<int32_t>((sum + n / 2) / n);
  const int32_t light = p_.sensors.lightRaw();
  if (light < 0) emit("{\"event\":\"no-reading\",\"sensor\":\"light\"}");
  Reading r{};
  ids_.next(static_cast<uint64_t>(p_.clock.epochMs() > 0 ? p_.clock.epochMs() : static_cast<int64_t>(now_)), r.id);
  r.seq = seq_.next(p_.clock.epochMs());
  r.deviceTs = p_.clock.epochMs();
  r.ir = static_cast<int16_t>(ir > kIrMax ? kIrMax : ir);
  r.light = static_cast<int16_t>(light < 0 ? -1 : (light > kLightMax ? kLightMax : light));
  r.attempted = false;
  if (ring_.push(r)) {
    JsonWriter w(event_, sizeof event_);
    w.beginObject().key("event").str("queue-full-dropped-oldest").key("dropped").unum(ring_.dropped()).endObject();
    emit(w);
  }
  ++taken_;
  mark(&high_.queued, ring_.size());
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str("reading").key("id").str(r.id).key("seq").unum(r.seq).key("ir").num(r.ir);
  if (r.light >= 0) w.key("light").num(r.light);
  w.key("queued").unum(ring_.size()).endObject();
  emit(w);
  if (!online_) showLocal(r.ir);
}

void Device::showLocal(int32_t ir) {
  // Offline: the servo follows the config's mapping with the model's integer formula.
  const int32_t angle = mapReadingToAngle(ir, config_.mapping);
  p_.servo.write(angle);
  LcdLines lines;
  formatLcd(LcdNumber::of(ir), LcdNumber::of(angle), &lines);
  show(lines.line1, lines.line2);
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str("servo").key("angle").num(angle).key("source").str("local").endObject();
  emit(w);
}

void Device::setOnline(bool online, const char* why) {
  if (online == online_) return;
  online_ = online;
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str(online ? "online" : "offline");
  if (!online) w.key("reason").str(why).key("queued").unum(ring_.size());
  w.endObject();
  emit(w);
}

void Device::emit(const char* json) { p_.events.event(json); }

void Device::emit(const JsonWriter& w) {
  mark(&high_.event, w.size());
  // Never a cut-off line: whoever reads the events parses each one as JSON.
  p_.events.event(w.ok() ? w.c_str() : "{\"event\":\"event-too-long\"}");
}

void Device::emitStats() {
  mark(&high_.idToken, strlen(idToken_));
  mark(&high_.refreshToken, strlen(refreshToken_));
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str("stats").key("taken").unum(taken_).key("acked").unum(acked_).key("dropped").unum(ring_.dropped());
  w.key("tokenRefreshes").unum(refreshes_).key("high").beginObject();
  w.key("url").unum(high_.url).key("response").unum(high_.response).key("authBody").unum(high_.authBody).key("body").unum(high_.body);
  w.key("event").unum(high_.event).key("sseData").unum(high_.sseData).key("idToken").unum(high_.idToken);
  w.key("refreshToken").unum(high_.refreshToken).key("queued").unum(high_.queued).endObject();
  w.key("deviceBytes").unum(sizeof(Device)).endObject();
  emit(w);
}

void Device::show(const char* l1, const char* l2) {
  p_.display.show(l1, l2);
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str("lcd").key("line1").str(l1).key("line2").str(l2).endObject();
  emit(w);
}

bool Device::buildUrl(const DbLocation& where, const char* path, const char* query, bool withAuth) {
  // {origin}/{path}.json?[ns=NS&]auth=TOKEN[&query]
  const bool ns = where.ns[0] != '\0';
  const int n = snprintf(url_, sizeof url_, "%s/%s.json?%s%s%s%s%s%s", where.origin, path, ns ? "ns=" : "", where.ns,
                         (ns && withAuth) ? "&" : "", withAuth ? "auth=" : "", withAuth ? idToken_ : "",
                         query && *query ? query : "");
  if (n > 0) mark(&high_.url, static_cast<size_t>(n));
  return n > 0 && static_cast<size_t>(n) < sizeof url_;
}

void Device::fail(Fatal f, const char* message) {
  fatal_ = f;
  phase_ = Phase::Failed;
  snprintf(fatalMessage_, sizeof fatalMessage_, "%s", message);
  closeStream("stopped", false);
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str("fatal").key("message").str(fatalMessage_).endObject();
  emit(w);
}

void Device::stop() {
  emitStats();
  if (phase_ != Phase::Running) return;
  closeStream("stopped", false);
  JsonWriter w(body_, sizeof body_);
  w.beginObject().key("online").boolean(false).key("lastSeen").serverTimestamp().key("fw").str(s_.fw).endObject();
  char path[96];
  snprintf(path, sizeof path, "devices/%s/status", s_.deviceId);
  db(HttpMethod::Put, path, "&print=silent", body_, w.size());
}

}  // namespace fl
