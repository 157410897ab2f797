// Database requests of docs/device-sim.md "The REST protocol": seq floor, readings (exactly once:
// a retry reuses the key, and the create-once rule's refusal of a retried key means "stored"),
// status heartbeats, config and commands (read at every heartbeat: the state is the one stream,
// so at most two connections are open) and command acks.
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "json_writer.h"

namespace fl {

namespace {
bool containsNoCase(const char* hay, const char* needle) {
  const size_t n = strlen(needle);
  for (; *hay; ++hay) {
    size_t i = 0;
    while (i < n && hay[i] && (hay[i] | 0x20) == (needle[i] | 0x20)) ++i;
    if (i == n) return true;
  }
  return false;
}
}  // namespace

Device::Db Device::db(HttpMethod method, const char* path, const char* query, const char* body, size_t bodyLen) {
  return dbAt(db_, method, path, query, body, bodyLen);
}

Device::Db Device::dbAt(const DbLocation& where, HttpMethod method, const char* path, const char* query, const char* body, size_t bodyLen) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!buildUrl(where, path, query, true)) return Db::BadRequest;
    HttpRequest req;
    req.method = method;
    req.url = url_;
    req.contentType = body ? "application/json" : nullptr;
    req.body = body;
    req.bodyLen = bodyLen;
    req.timeoutMs = s_.requestTimeoutMs;
    mark(&high_.body, bodyLen);
    const HttpResult res = p_.http.send(req, response_, sizeof response_);
    now();
    mark(&high_.response, res.bodyLen);
    if (res.status == kHttpNoAnswer || res.status >= 500) {
      ++dbNoAnswer_;
      return Db::NoAnswer;
    }
    dbAnswered_ = true;
    dbNoAnswer_ = 0;
    if (res.status == 200 || res.status == 204) return Db::Ok;
    if (res.status == 401 && containsNoCase(response_, "permission denied")) return Db::PermissionDenied;
    if (res.status == 401 || res.status == 403) {
      // The token was refused (expired, revoked): refresh once and repeat the request.
      if (attempt == 0 && refresh("rejected") && phase_ == Phase::Running) continue;
      return Db::TokenRejected;
    }
    return Db::BadRequest;
  }
  return Db::TokenRejected;
}

// The directory entry deviceShards/<id> names the device's shard (docs/scaling.md "How: the shard
// design"): read at boot and after a `reconnect` command (acked on the old shard already). No
// entry: the URL from secrets.h is right. Unreadable (rules without a directory): stay. No answer:
// ask again after a backoff; nothing is sent meanwhile, so no reading lands on a shard it left.
void Device::resolveShard() {
  char path[96];
  snprintf(path, sizeof path, "deviceShards/%s", s_.deviceId);
  const Db r = dbAt(dir_, HttpMethod::Get, path, "", nullptr, 0);
  if (r == Db::NoAnswer || r == Db::TokenRejected) {
    shardRetryAt_ = now_ + streamBackoff_.nextDelayMs(p_.platform.random32());
    return;
  }
  shardKnown_ = true;
  JsonWriter e(event_, sizeof event_);
  JsonValue v;
  char instance[kInstanceCap] = "";
  DbLocation next;
  if (r != Db::Ok) {
    e.beginObject().key("event").str("directory-unreadable").key("staying").str(db_.ns[0] ? db_.ns : db_.origin).endObject();
  } else if (!jsonParse(response_, strlen(response_), &v) || v.is(JsonType::Null)) {
    e.beginObject().key("event").str("shard").key("entry").boolean(false).key("ns").str(db_.ns).key("origin").str(db_.origin).endObject();
  } else if (!jsonString(v, instance, sizeof instance) || !siblingLocation(dir_, instance, &next)) {
    e.beginObject().key("event").str("directory-entry-invalid").key("staying").str(db_.ns[0] ? db_.ns : db_.origin).endObject();
  } else if (sameLocation(next, db_)) {
    e.beginObject().key("event").str("shard").key("entry").boolean(true).key("ns").str(db_.ns).key("origin").str(db_.origin).endObject();
  } else {
    // Move: the state stream reopens there, status is written there at once, the ring is sent there.
    db_ = next;
    closeStream("shard moved", true);
    beatNow();
    sendAt_ = now_;
    e.beginObject().key("event").str("shard-moved").key("ns").str(db_.ns).key("origin").str(db_.origin).endObject();
  }
  emit(e);
}

void Device::readSeqFloor() {
  char path[96];
  snprintf(path, sizeof path, "devices/%s/state/seq", s_.deviceId);
  const Db r = db(HttpMethod::Get, path, "", nullptr, 0);
  if (r == Db::PermissionDenied) {
    char msg[256];
    snprintf(msg, sizeof msg, "permission denied: GET /%.80s. The account %.40s may not read this device's state.", path, s_.email);
    fail(Fatal::PermissionDenied, msg);
    return;
  }
  // Offline at start: the time floor of SeqCounter still keeps seq rising; try again next pass.
  if (r != Db::Ok) return;
  seqKnown_ = true;
  JsonValue v;
  int64_t floor = 0;
  if (jsonParse(response_, strlen(response_), &v) && jsonInt(v, &floor, 0, kSeqMax)) seq_.atLeast(static_cast<uint64_t>(floor));
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str("seq-floor").key("seq").unum(seq_.last()).endObject();
  emit(w);
}

void Device::sendOne() {
  Reading* r = ring_.front();
  JsonWriter w(body_, sizeof body_);
  w.beginObject().key("ir").num(r->ir);
  if (r->light >= 0) w.key("light").num(r->light);
  w.key("seq").unum(r->seq);
  if (r->deviceTs > 0) w.key("deviceTs").num(r->deviceTs);
  w.endObject();
  char path[128];
  snprintf(path, sizeof path, "devices/%s/readings/%s", s_.deviceId, r->id);
  Pending& slot = latency_[latencyNext_];
  bool tracked = false;
  for (const Pending& p : latency_) tracked = tracked || strcmp(p.id, r->id) == 0;
  if (!tracked) {
    memcpy(slot.id, r->id, sizeof slot.id);
    slot.startMs = now_;
    latencyNext_ = (latencyNext_ + 1) % kLatencySlots;
  }
  const Db res = db(HttpMethod::Put, path, "&print=silent", body_, w.size());
  JsonWriter e(event_, sizeof event_);
  e.beginObject().key("id").str(r->id).key("seq").unum(r->seq);
  const char* what = nullptr;
  if (res == Db::Ok) {
    what = "acked";
  } else if (res == Db::PermissionDenied && r->attempted) {
    what = "already-stored";  // an earlier attempt reached the server and its answer was lost
  } else if (res == Db::PermissionDenied || res == Db::BadRequest) {
    what = "reading-rejected";  // retrying cannot help; the reading is logged in full
  }
  if (what) {
    if (strcmp(what, "reading-rejected") == 0) {
      e.key("reading").str(body_).key("response").str(response_);
    } else {
      ++acked_;
      if (r->seq > maxAckedSeq_) maxAckedSeq_ = r->seq;
    }
    e.key("event").str(what).endObject();
    emit(e);
    ring_.pop();
    sendBackoff_.reset();
    writesFailing_ = false;
    sendAt_ = now_;
    if (streamOpen_) setOnline(true, "");
    return;
  }
  if (res == Db::NoAnswer) r->attempted = true;
  writesFailing_ = true;
  const uint32_t delay = sendBackoff_.nextDelayMs(p_.platform.random32());
  sendAt_ = now_ + delay;
  e.key("event").str("send-failed").key("retryMs").unum(delay).key("queued").unum(ring_.size()).endObject();
  emit(e);
  setOnline(false, res == Db::NoAnswer ? "no answer" : "token refused");
}

/** Beats at the next pass, out of schedule: the status says at once that the device is here. */
void Device::beatNow() {
  nextHeartbeatAt_ = now_;
  beatOffSchedule_ = true;
}

void Device::heartbeat() {
  char path[96];
  snprintf(path, sizeof path, "devices/%s/status", s_.deviceId);
  JsonWriter w(body_, sizeof body_);
  w.beginObject().key("online").boolean(true).key("lastSeen").serverTimestamp().key("fw").str(s_.fw);
  const int32_t rssi = p_.platform.rssiDbm();
  if (rssi <= 0 && rssi >= -127) w.key("rssi").num(rssi);
  const uint32_t freeHeap = p_.platform.freeHeapBytes();
  if (freeHeap <= kHeapMaxBytes) w.key("heap").unum(freeHeap);  // model HEAP_MAX_BYTES
  w.endObject();
  const Db r = db(HttpMethod::Put, path, "&print=silent", body_, w.size());
  JsonWriter e(event_, sizeof event_);
  e.beginObject().key("event").str("heartbeat").key("ok").boolean(r == Db::Ok).key("fw").str(s_.fw);
  if (rssi <= 0) e.key("rssi").num(rssi);
  e.key("freeHeap").unum(freeHeap).endObject();
  emit(e);
  if (r != Db::Ok) return;
  snprintf(path, sizeof path, "devices/%s/config", s_.deviceId);
  if (db(HttpMethod::Get, path, "", nullptr, 0) == Db::Ok) {
    JsonValue v;
    if (jsonParse(response_, strlen(response_), &v)) applyConfig(v);
  }
  pollCommands();
}

void Device::applyConfig(const JsonValue& v) {
  DeviceConfig next;  // null: the defaults (model DEFAULT_CONFIG)
  const char* problem = nullptr;
  if (!v.is(JsonType::Null)) {
    JsonValue m, f;
    int64_t n;
    if (!jsonGet(v, "mapping", &m) || !m.is(JsonType::Object)) problem = "mapping";
    const char* const fields[] = {"inMin", "inMax", "outMin", "outMax"};
    int32_t* const targets[] = {&next.mapping.inMin, &next.mapping.inMax, &next.mapping.outMin, &next.mapping.outMax};
    for (int i = 0; i < 4 && !problem; ++i) {
      if (!jsonGet(m, fields[i], &f) || !jsonInt(f, &n, -1000000, 1000000)) problem = fields[i];
      else *targets[i] = static_cast<int32_t>(n);
    }
    if (!problem && (!jsonGet(m, "invert", &f) || !jsonBool(f, &next.mapping.invert))) problem = "mapping.invert";
    if (!problem) problem = mappingProblem(next.mapping);
    if (!problem && (!jsonGet(v, "sampleMs", &f) || !jsonInt(f, &n, kSampleMsMin, kSampleMsMax))) problem = "sampleMs";
    if (!problem) next.sampleMs = static_cast<uint32_t>(n);
    if (!problem && (!jsonGet(v, "heartbeatMs", &f) || !jsonInt(f, &n, kHeartbeatMsMin, kHeartbeatMsMax))) problem = "heartbeatMs";
    if (!problem) next.heartbeatMs = static_cast<uint32_t>(n);
  }
  JsonWriter w(event_, sizeof event_);
  if (problem) {
    // An invalid config is reported and the previous one kept.
    w.beginObject().key("event").str("config-rejected").key("field").str(problem).endObject();
    emit(w);
    return;
  }
  const Mapping& a = config_.mapping;
  const Mapping& b = next.mapping;
  const bool same = a.inMin == b.inMin && a.inMax == b.inMax && a.outMin == b.outMin && a.outMax == b.outMax &&
                    a.invert == b.invert && config_.sampleMs == next.sampleMs && config_.heartbeatMs == next.heartbeatMs;
  if (same) return;
  // New periods apply at once rather than after the old (maybe hour-long) period.
  if (next.sampleMs != config_.sampleMs) nextSampleAt_ = now_ + (s_.sampleMsOverride ? s_.sampleMsOverride : next.sampleMs);
  if (next.heartbeatMs != config_.heartbeatMs) nextHeartbeatAt_ = now_ + next.heartbeatMs;
  config_ = next;
  w.beginObject().key("event").str("config-applied").key("sampleMs").unum(next.sampleMs).key("heartbeatMs").unum(next.heartbeatMs);
  w.key("inMin").num(b.inMin).key("inMax").num(b.inMax).key("outMin").num(b.outMin).key("outMax").num(b.outMax).key("invert").boolean(b.invert);
  w.endObject();
  emit(w);
}

void Device::pollCommands() {
  char path[96];
  snprintf(path, sizeof path, "devices/%s/commands", s_.deviceId);
  // The newest few commands only, so the answer fits the buffer however long the history grows.
  if (db(HttpMethod::Get, path, "&orderBy=%22%24key%22&limitToLast=8", nullptr, 0) != Db::Ok) return;
  JsonValue root;
  if (!jsonParse(response_, strlen(response_), &root) || !root.is(JsonType::Object)) return;
  // Unacked commands, oldest first (push ids sort by time). Ids are copied out: acking reuses response_.
  char ids[8][kPushIdChars * 3 + 1];
  int count = 0;
  JsonIter it(root);
  JsonValue k, v, x;
  while (count < 8 && it.next(&k, &v)) {
    if (!v.is(JsonType::Object) || jsonGet(v, "ackAt", &x) || jsonGet(v, "result", &x)) continue;
    if (!jsonString(k, ids[count], sizeof ids[count])) continue;
    int i = count++;
    while (i > 0 && strcmp(ids[i - 1], ids[i]) > 0) {
      char tmp[sizeof ids[0]];
      memcpy(tmp, ids[i], sizeof tmp);
      memcpy(ids[i], ids[i - 1], sizeof tmp);
      memcpy(ids[i - 1], tmp, sizeof tmp);
      --i;
    }
  }
  for (int i = 0; i < count && phase_ == Phase::Running; ++i) {
    // Re-read: the previous ack reused the response buffer.
    if (i > 0 && (db(HttpMethod::Get, path, "&orderBy=%22%24key%22&limitToLast=8", nullptr, 0) != Db::Ok ||
                  !jsonParse(response_, strlen(response_), &root))) {
      return;
    }
    JsonValue cmd;
    if (jsonGet(root, ids[i], &cmd)) execute(ids[i], cmd);
  }
}

}  // namespace fl
