// Commands, answered like device-sim/src/commands.ts: one PATCH {ackAt: server time, result}
// (the rules accept both keys only together); set-angle moves the servo until the next state,
// calibrate samples the IR now and returns it in result.value, identify blinks the backlight,
// reboot restarts the listens (and the board, once nothing is queued), reconnect re-reads the
// directory after its ack (so the ack lands on the old shard) and moves; an unknown type is
// answered `unsupported`, bad arguments `error`.
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "json_writer.h"

namespace fl {

namespace {
constexpr int64_t kDefaultIdentifyMs = 5000;
}

void Device::execute(const char* id, const JsonValue& cmd) {
  char type[40] = "(none)";
  JsonValue v, args;
  if (jsonGet(cmd, "type", &v) && !jsonString(v, type, sizeof type)) snprintf(type, sizeof type, "(too long)");
  const bool hasArgs = jsonGet(cmd, "args", &args) && args.is(JsonType::Object);
  const char* status = "ok";
  char message[kResultMessageMaxChars + 1] = "";
  bool hasValue = false;
  int64_t value = 0;
  int64_t n = 0;
  enum { None, SetAngle, Identify, Reboot, Reconnect } effect = None;
  if (!strcmp(type, "set-angle")) {
    if (hasArgs && jsonGet(args, "angle", &v) && jsonInt(v, &n, kAngleMin, kAngleMax)) {
      snprintf(message, sizeof message, "servo at %d deg", static_cast<int>(n));
      effect = SetAngle;
    } else {
      status = "error";
      snprintf(message, sizeof message, "args.angle: must be an integer from 0 to 180 degrees");
    }
  } else if (!strcmp(type, "calibrate")) {
    const bool min = hasArgs && jsonGet(args, "bound", &v) && jsonStringIs(v, "min");
    const bool max = hasArgs && jsonGet(args, "bound", &v) && jsonStringIs(v, "max");
    const int32_t ir = (min || max) ? p_.sensors.irRaw() : -1;
    if (!min && !max) {
      status = "error";
      snprintf(message, sizeof message, "args.bound: must be one of min, max");
    } else if (ir < 0) {
      status = "error";
      snprintf(message, sizeof message, "the IR sensor gave no reading");
    } else {
      snprintf(message, sizeof message, "sampled ir for %s", min ? "inMin" : "inMax");
      hasValue = true;
      value = ir;
    }
  } else if (!strcmp(type, "identify")) {
    n = kDefaultIdentifyMs;
    if (hasArgs && (!jsonGet(args, "durationMs", &v) || !jsonInt(v, &n, 1, kIdentifyMsMax))) {
      status = "error";
      snprintf(message, sizeof message, "args.durationMs: must be an integer from 1 to 60000 ms");
    } else {
      snprintf(message, sizeof message, "identifying for %lld ms", static_cast<long long>(n));
      effect = Identify;
    }
  } else if (!strcmp(type, "reboot")) {
    snprintf(message, sizeof message, "rebooting");
    effect = Reboot;
  } else if (!strcmp(type, "reconnect")) {
    snprintf(message, sizeof message, "reconnecting to the shard of the directory");
    effect = Reconnect;
  } else {
    status = "unsupported";
    snprintf(message, sizeof message, "unknown command type: %.64s", type);
    for (char* c = message; *c; ++c) {
      if (*c < 0x20 || *c == 0x7f) *c = '?';
    }
  }
  JsonWriter w(body_, sizeof body_);
  w.beginObject().key("ackAt").serverTimestamp().key("result").beginObject().key("status").str(status).key("message").str(message);
  if (hasValue) w.key("value").num(value);
  w.endObject().endObject();
  char path[128];
  snprintf(path, sizeof path, "devices/%s/commands/%s", s_.deviceId, id);
  const Db r = db(HttpMethod::Patch, path, "&print=silent", body_, w.size());
  JsonWriter e(event_, sizeof event_);
  e.beginObject().key("event").str("command").key("id").str(id).key("type").str(type).key("status").str(status).key("acked").boolean(r == Db::Ok);
  if (hasValue) e.key("value").num(value);
  e.endObject();
  emit(e);
  // Not acknowledged: it stays pending and is tried again at the next heartbeat.
  if (r != Db::Ok) return;
  if (effect == SetAngle) {
    p_.servo.write(static_cast<int32_t>(n));
    JsonWriter s(event_, sizeof event_);
    s.beginObject().key("event").str("servo").key("angle").num(n).key("source").str("command").endObject();
    emit(s);
  } else if (effect == Identify) {
    identifyUntil_ = now_ + static_cast<uint64_t>(n);
  } else if (effect == Reboot) {
    // RAM is the queue: restart the board only when nothing waits to be sent, else restart the listens.
    state_ = StateView();
    show("Rebooting...", "");
    closeStream("reboot", true);
    beatNow();
    if (ring_.empty()) p_.platform.restart();
  } else if (effect == Reconnect) {
    // The next pass reads deviceShards/<id> again (net.cpp resolveShard) before anything else is sent.
    shardKnown_ = false;
    shardRetryAt_ = now_;
  }
}

}  // namespace fl
