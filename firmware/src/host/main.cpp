// firelink-device: the real core on Linux with a POSIX socket transport and simulated hardware.
//   firelink-device map --in-min A --in-max B --out-min C --out-max D [--invert] IR...
//   firelink-device run --device ID --email E --password P --auth-host H:P (--db-host H:P | --database-url URL)
//                       [--namespace NS] [--directory-url URL] [--api-key K] [--readings N] [--sample-ms MS] [--keypad KEYS]
// `run` prints one JSON line per event on stdout. Exit codes follow device-sim (docs/device-sim.md):
// 0 ok, 2 usage, 3 bad credentials, 4 not this device, 5 permission denied, 6 unreachable.
#if !defined(ARDUINO)
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../adapters/posix/posix_http.h"
#include "../adapters/posix/sim_hardware.h"
#include "../core/device.h"
#include "../core/mapping.h"

namespace {

volatile sig_atomic_t gStop = 0;
void onSignal(int) { gStop = 1; }

enum Exit { kOk = 0, kUsage = 2, kBadCredentials = 3, kNotOwner = 4, kPermissionDenied = 5, kUnreachable = 6 };

int usage(const char* why) {
  fprintf(stderr,
          "firelink-device: %s\n"
          "usage: firelink-device map --in-min A --in-max B --out-min C --out-max D [--invert] IR...\n"
          "       firelink-device run --device ID --email E (--password P | --keypad KEYS) --auth-host HOST:PORT\n"
          "                           (--db-host HOST:PORT [--namespace NS] | --database-url URL) [--directory-url URL]\n"
          "                           [--api-key K] [--readings N] [--sample-ms MS]\n"
          "                           [--token-lifetime-ms MS] [--stream-idle-ms MS] [--request-timeout-ms MS]\n"
          "                           [--backoff-max-ms MS] [--seed N] [--fw VERSION]\n",
          why);
  return kUsage;
}

bool parseInt(const char* s, long long lo, long long hi, long long* out) {
  char* end = nullptr;
  const long long v = strtoll(s, &end, 10);
  if (!s[0] || *end || v < lo || v > hi) return false;
  *out = v;
  return true;
}

int runMap(int argc, char** argv) {
  fl::Mapping m;
  bool seen[4] = {};
  int firstIr = argc;
  for (int i = 2; i < argc; ++i) {
    const char* a = argv[i];
    const char* const names[] = {"--in-min", "--in-max", "--out-min", "--out-max"};
    int32_t* const targets[] = {&m.inMin, &m.inMax, &m.outMin, &m.outMax};
    bool matched = false;
    for (int k = 0; k < 4; ++k) {
      if (strcmp(a, names[k]) != 0) continue;
      long long v;
      if (i + 1 >= argc || !parseInt(argv[i + 1], -1000000, 1000000, &v)) {
        char why[96];
        snprintf(why, sizeof why, "%s needs an integer", names[k]);
        return usage(why);
      }
      *targets[k] = static_cast<int32_t>(v);
      seen[k] = matched = true;
      ++i;
    }
    if (matched) continue;
    if (!strcmp(a, "--invert")) {
      m.invert = true;
    } else if (a[0] == '-' && a[1] == '-') {
      char why[96];
      snprintf(why, sizeof why, "unknown option %s for map", a);
      return usage(why);
    } else {
      firstIr = i;
      break;
    }
  }
  for (bool s : seen) {
    if (!s) return usage("map needs --in-min, --in-max, --out-min and --out-max");
  }
  if (const char* problem = fl::mappingProblem(m)) {
    fprintf(stderr, "firelink-device: invalid mapping: %s (ranges must be increasing, in 0..4095 and 0..180 degrees)\n", problem);
    return kUsage;
  }
  if (firstIr >= argc) return usage("map needs at least one IR value");
  for (int i = firstIr; i < argc; ++i) {
    long long ir;
    if (!parseInt(argv[i], -9007199254740991LL, 9007199254740991LL, &ir)) {
      char why[96];
      snprintf(why, sizeof why, "IR value \"%.40s\" is not an integer", argv[i]);
      return usage(why);
    }
    printf("%d\n", fl::mapReadingToAngle(ir, m));
  }
  return kOk;
}

class StdoutEvents final : public fl::EventPort {
 public:
  void event(const char* json) override {
    fputs(json, stdout);
    fputc('\n', stdout);
    fflush(stdout);
  }
};

// Everything the run needs, static: the device's buffers are not on the stack.
fl::PosixHttp gHttp;
fl::PosixClock gClock;
fl::SimDisplay gDisplay;
fl::SimServo gServo;
StdoutEvents gEvents;

int runDevice(int argc, char** argv) {
  fl::DeviceSettings s;
  static char dbUrl[160];
  const char* dbHost = nullptr;
  const char* keys = nullptr;
  long long seed = 1;
  s.ns = "demo-firelink-default-rtdb";
  for (int i = 2; i < argc; ++i) {
    const char* a = argv[i];
    if (i + 1 >= argc) return usage("every run option takes a value");
    const char* v = argv[++i];
    long long n = 0;
    auto num = [&](long long lo, long long hi) { return parseInt(v, lo, hi, &n); };
    if (!strcmp(a, "--device")) s.deviceId = v;
    else if (!strcmp(a, "--email")) s.email = v;
    else if (!strcmp(a, "--password")) s.password = v;
    else if (!strcmp(a, "--auth-host")) s.authEmulatorHost = v;
    else if (!strcmp(a, "--db-host")) dbHost = v;
    else if (!strcmp(a, "--namespace")) s.ns = v;
    else if (!strcmp(a, "--database-url")) s.databaseUrl = v;
    else if (!strcmp(a, "--directory-url")) s.directoryUrl = v;
    else if (!strcmp(a, "--api-key")) s.apiKey = v;
    else if (!strcmp(a, "--keypad")) keys = v;
    else if (!strcmp(a, "--fw")) s.fw = v;
    else if (!strcmp(a, "--readings") && num(1, 1000000)) s.maxReadings = static_cast<uint32_t>(n);
    else if (!strcmp(a, "--sample-ms") && num(100, 3600000)) s.sampleMsOverride = static_cast<uint32_t>(n);
    else if (!strcmp(a, "--token-lifetime-ms") && num(1000, 86400000)) s.tokenLifetimeMs = static_cast<uint32_t>(n);
    else if (!strcmp(a, "--stream-idle-ms") && num(500, 3600000)) s.streamIdleMs = static_cast<uint32_t>(n);
    else if (!strcmp(a, "--request-timeout-ms") && num(100, 600000)) s.requestTimeoutMs = static_cast<uint32_t>(n);
    else if (!strcmp(a, "--backoff-max-ms") && num(100, 600000)) s.backoffMaxMs = static_cast<uint32_t>(n);
    else if (!strcmp(a, "--seed") && num(1, 4294967295LL)) seed = n;
    else {
      char why[128];
      snprintf(why, sizeof why, "bad option or value: %s %.40s", a, v);
      return usage(why);
    }
  }
  if (!s.deviceId || !s.email || !s.authEmulatorHost || (!dbHost && !s.databaseUrl)) {
    return usage("run needs --device, --email, --auth-host and --db-host or --database-url");
  }
  if (!s.password == !keys) return usage("run needs exactly one of --password and --keypad");
  if (s.backoffBaseMs > s.backoffMaxMs) s.backoffBaseMs = s.backoffMaxMs;
  if (s.databaseUrl == nullptr) {
    snprintf(dbUrl, sizeof dbUrl, "http://%s", dbHost);
    s.databaseUrl = dbUrl;
  }

  static fl::SimSensors sensors(static_cast<uint32_t>(seed));
  static fl::SimKeypad keypad(keys);
  static fl::SimPlatform platform(static_cast<uint32_t>(seed) ^ static_cast<uint32_t>(getpid()) ^ static_cast<uint32_t>(gClock.epochMs()));
  static fl::Device device(s, fl::DevicePorts{gHttp, gDisplay, gServo, keypad, sensors, platform, gEvents, gClock});
  signal(SIGINT, onSignal);
  signal(SIGTERM, onSignal);
  signal(SIGPIPE, SIG_IGN);
  device.begin(gClock.monotonicMs());
  for (;;) {
    device.tick(gClock.monotonicMs());
    switch (device.fatal()) {
      case fl::Fatal::None: break;
      case fl::Fatal::BadCredentials: fprintf(stderr, "firelink-device: %s\n", device.fatalMessage()); return kBadCredentials;
      case fl::Fatal::NotOwner: fprintf(stderr, "firelink-device: %s\n", device.fatalMessage()); return kNotOwner;
      case fl::Fatal::PermissionDenied: fprintf(stderr, "firelink-device: %s\n", device.fatalMessage()); return kPermissionDenied;
      case fl::Fatal::BadRequest: fprintf(stderr, "firelink-device: %s\n", device.fatalMessage()); return kUsage;
    }
    if (keys && keypad.exhausted() && device.awaitingPassword() && device.signInRefusals() > 0) {
      fprintf(stderr, "firelink-device: sign-in of %s was refused and the keypad script has no more keys\n", s.email);
      return kBadCredentials;
    }
    if (!device.signedIn() && device.authNoAnswerInARow() >= 3) {
      fprintf(stderr, "firelink-device: no answer from the Auth server at http://%s (3 attempts); is the Auth emulator running?\n", s.authEmulatorHost);
      return kUnreachable;
    }
    if (device.signedIn() && !device.databaseAnswered() && device.databaseNoAnswerInARow() >= 3) {
      fprintf(stderr, "firelink-device: no answer from the database at %s (3 attempts); is the RTDB emulator running?\n", dbUrl);
      return kUnreachable;
    }
    if (device.finished() || gStop) {
      device.stop();
      fprintf(stderr, "firelink-device: %s: taken %u, acked %u, dropped %u, queued %zu, token refreshes %u\n",
              gStop ? "stopped" : "done", device.taken(), device.acked(), device.dropped(), device.queued(), device.tokenRefreshes());
      return kOk;
    }
    usleep(2000);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage("missing command (map or run)");
  if (!strcmp(argv[1], "map")) return runMap(argc, argv);
  if (!strcmp(argv[1], "run")) return runDevice(argc, argv);
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage("the Firelink device core on Linux");
    return kOk;
  }
  char why[96];
  snprintf(why, sizeof why, "unknown command %.40s (map or run)", argv[1]);
  return usage(why);
}
#endif
