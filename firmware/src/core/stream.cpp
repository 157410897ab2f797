// The state listen: GET {db}/devices/{id}/state.json with Accept: text/event-stream
// (https://firebase.google.com/docs/reference/rest/database#section-streaming). `put` replaces the
// value at `path`, `patch` each listed child; keep-alive only proves the link; `auth_revoked`
// means refresh and reopen; `cancel` means the rules no longer allow the read. A watchdog reopens
// a stream silent for longer than the keep-alive period allows.
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "json_writer.h"

namespace fl {

void Device::tickStream() {
  if (reopenAfterRefresh_) {
    // Streams never run on an old token.
    reopenAfterRefresh_ = false;
    if (streamOpen_) closeStream("token refreshed", true);
  }
  if (!streamOpen_) {
    if (now_ >= streamRetryAt_) openStream();
    return;
  }
  for (int reads = 0; reads < 8 && streamOpen_; ++reads) {
    const int n = p_.http.streamRead(streamRaw_, sizeof streamRaw_);
    if (n == 0) break;
    if (n < 0) {
      closeStream("closed by the server", false);
      return;
    }
    lastStreamByteAt_ = now();
    const char* bytes = streamRaw_;
    size_t len = static_cast<size_t>(n);
    if (streamChunked_) {
      len = chunked_.feed(streamRaw_, len, streamBytes_);
      bytes = streamBytes_;
    }
    // Events decoded before the end of the body still count (auth_revoked comes right before it).
    sse_.feed(bytes, len, *this);
    if (streamOpen_ && streamChunked_ && (chunked_.failed() || chunked_.done())) {
      closeStream(chunked_.failed() ? "bad chunked encoding" : "ended by the server", false);
      return;
    }
  }
  if (streamOpen_ && now() - lastStreamByteAt_ > s_.streamIdleMs) {
    JsonWriter w(event_, sizeof event_);
    w.beginObject().key("event").str("stream-silent").key("silentMs").unum(now_ - lastStreamByteAt_).endObject();
    emit(w);
    closeStream("silent past the keep-alive period", true);
  }
}

void Device::openStream() {
  char path[96];
  snprintf(path, sizeof path, "devices/%s/state", s_.deviceId);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!buildUrl(db_, path, "", true)) return;
    bool chunked = false;
    const int status = p_.http.streamOpen(url_, s_.requestTimeoutMs, &chunked, response_, sizeof response_);
    now();
    if (status == 200) {
      streamOpen_ = true;
      streamChunked_ = chunked;
      chunked_.reset();
      sse_.reset();
      lastStreamByteAt_ = now_;
      streamBackoff_.reset();
      dbAnswered_ = true;
      emit("{\"event\":\"stream-open\"}");
      if (!writesFailing_) setOnline(true, "");
      return;
    }
    if (status == 401 && attempt == 0 && strstr(response_, "ermission denied") == nullptr) {
      if (refresh("rejected") && phase_ == Phase::Running) {
        reopenAfterRefresh_ = false;
        continue;
      }
    }
    JsonWriter w(event_, sizeof event_);
    w.beginObject().key("event").str("stream-failed").key("status").num(status).endObject();
    emit(w);
    break;
  }
  if (phase_ != Phase::Running) return;
  streamRetryAt_ = now_ + streamBackoff_.nextDelayMs(p_.platform.random32());
  setOnline(false, "state stream unavailable");
}

void Device::closeStream(const char* why, bool retryNow) {
  if (!streamOpen_) {
    if (retryNow) streamRetryAt_ = now_;
    return;
  }
  p_.http.streamClose();
  streamOpen_ = false;
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str("stream-closed").key("reason").str(why).endObject();
  emit(w);
  if (retryNow) {
    streamRetryAt_ = now_;
  } else {
    streamRetryAt_ = now_ + streamBackoff_.nextDelayMs(p_.platform.random32());
    setOnline(false, why);
  }
}

void Device::onSseOversized() {
  emit("{\"event\":\"stream-event-oversized\"}");
  closeStream("oversized event", true);  // the first put of the new stream resyncs the state
}

void Device::onSseEvent(const char* event, const char* data, size_t dataLen) {
  mark(&high_.sseData, dataLen);
  if (!strcmp(event, "put") || !strcmp(event, "patch")) {
    JsonValue root, path, value;
    char p[64];
    if (!jsonParse(data, dataLen, &root) || !jsonGet(root, "path", &path) || !jsonString(path, p, sizeof p) ||
        !jsonGet(root, "data", &value)) {
      emit("{\"event\":\"stream-event-malformed\"}");
      closeStream("malformed event", true);
      return;
    }
    if (!strcmp(event, "put")) {
      applyStatePath(p, value);
    } else if (value.is(JsonType::Object)) {
      JsonIter it(value);
      JsonValue k, v;
      char key[48], child[128];
      while (it.next(&k, &v)) {
        if (!jsonString(k, key, sizeof key)) continue;
        snprintf(child, sizeof child, "%s/%s", strcmp(p, "/") ? p : "", key);
        applyStatePath(child, v);
      }
    }
    stateChanged();
  } else if (!strcmp(event, "auth_revoked")) {
    emit("{\"event\":\"stream-auth-revoked\"}");
    closeStream("auth_revoked", true);
    refresh("auth_revoked");
    reopenAfterRefresh_ = false;
  } else if (!strcmp(event, "cancel")) {
    // The rules no longer allow the read: try again only after the longest backoff.
    emit("{\"event\":\"stream-cancelled\"}");
    closeStream("cancelled by the server", false);
    streamRetryAt_ = now_ + s_.backoffMaxMs;
  }
  // keep-alive: the byte count already fed the watchdog.
}

void Device::applyStatePath(const char* path, const JsonValue& data) {
  while (*path == '/') ++path;
  if (*path == '\0') {
    state_ = StateView();
    if (!data.is(JsonType::Object)) return;
    JsonIter it(data);
    JsonValue k, v;
    char key[48];
    while (it.next(&k, &v)) {
      if (jsonString(k, key, sizeof key)) applyStateField(key, v);
    }
    return;
  }
  if (!strncmp(path, "lcd/", 4)) {
    char line[kLcdColumns + 1];
    char* target = !strcmp(path + 4, "line1") ? state_.lcd.line1 : (!strcmp(path + 4, "line2") ? state_.lcd.line2 : nullptr);
    if (target && jsonString(data, line, sizeof line) && isLcdText(line)) memcpy(target, line, sizeof line);
    return;
  }
  applyStateField(path, data);
}

void Device::applyStateField(const char* field, const JsonValue& v) {
  int64_t n = 0;
  if (!strcmp(field, "angle")) {
    state_.hasAngle = v.is(JsonType::Number);
    state_.angle = LcdNumber::none();
    if (v.is(JsonType::Number)) {
      state_.angle.present = true;
      state_.angle.integral = jsonInt(v, &n);
      state_.angle.value = n;
    }
  } else if (!strcmp(field, "ir")) {
    state_.ir = LcdNumber::none();
    if (v.is(JsonType::Number)) {
      state_.ir.present = true;
      state_.ir.integral = jsonInt(v, &n);
      state_.ir.value = n;
    }
  } else if (!strcmp(field, "seq")) {
    if (jsonInt(v, &n, 0, kSeqMax)) state_.seq = static_cast<uint64_t>(n);
  } else if (!strcmp(field, "readingId")) {
    if (!jsonString(v, state_.readingId, sizeof state_.readingId)) state_.readingId[0] = '\0';
  } else if (!strcmp(field, "lcd")) {
    JsonValue line;
    state_.hasLcd = v.is(JsonType::Object) && jsonGet(v, "line1", &line) && jsonString(line, state_.lcd.line1, sizeof state_.lcd.line1) &&
                    isLcdText(state_.lcd.line1) && jsonGet(v, "line2", &line) &&
                    jsonString(line, state_.lcd.line2, sizeof state_.lcd.line2) && isLcdText(state_.lcd.line2);
  }
}

void Device::stateChanged() {
  if (!state_.hasAngle) return;  // no state yet (or it was removed)
  if (state_.seq > 0) seq_.atLeast(state_.seq);
  int64_t latencyMs = -1;
  for (Pending& p : latency_) {
    if (p.id[0] && !strcmp(p.id, state_.readingId)) {
      latencyMs = static_cast<int64_t>(now() - p.startMs);
      p.id[0] = '\0';
    }
  }
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str("state").key("angle").num(state_.angle.value).key("seq").unum(state_.seq);
  w.key("ir").num(state_.ir.value).key("readingId").str(state_.readingId);
  if (latencyMs >= 0) w.key("latencyMs").num(latencyMs);
  w.endObject();
  emit(w);
  if (state_.angle.integral && state_.angle.value >= kAngleMin && state_.angle.value <= kAngleMax) {
    p_.servo.write(static_cast<int32_t>(state_.angle.value));
    JsonWriter s(event_, sizeof event_);
    s.beginObject().key("event").str("servo").key("angle").num(state_.angle.value).key("source").str("state").endObject();
    emit(s);
  }
  LcdLines lines;
  if (state_.hasLcd) {
    lines = state_.lcd;
  } else {
    formatLcd(state_.ir, state_.angle, &lines);
  }
  show(lines.line1, lines.line2);
}

}  // namespace fl
