// Where the device's data lives (docs/scaling.md "How: the shard design"): a database location
// (REST origin and, on the emulator, the namespace), parsed from the URLs of secrets.h and derived
// for the shard the directory names: the same host with `?ns=<instance>` on the emulator, the
// instance as the first host label in production (model/src/instance-url.ts, siblingInstanceUrl).
#pragma once
#include <stddef.h>

namespace fl {

constexpr size_t kOriginCap = 160;
constexpr size_t kInstanceCap = 64;  // RTDB instance names: at most 63 characters

struct DbLocation {
  char origin[kOriginCap] = "";  // `http://h:p` or `https://<instance>.firebaseio.com` (no slash)
  char ns[kInstanceCap] = "";    // emulator namespace; empty in production
};

/** `[a-z0-9][a-z0-9-]{0,62}` (model/src/shards.ts INSTANCE_NAME_PATTERN). */
bool isInstanceName(const char* name);

/**
 * `http://h:p/?ns=<name>`, `http://h:p` with `nsFallback`, `https://<name>.firebaseio.com` or
 * `https://<name>.<region>.firebasedatabase.app`. False when the URL is none of these.
 */
bool parseDbLocation(const char* url, const char* nsFallback, DbLocation* out);

/** The location of `instance` in the form of `directory`'s. False for a bad name or location. */
bool siblingLocation(const DbLocation& directory, const char* instance, DbLocation* out);

bool sameLocation(const DbLocation& a, const DbLocation& b);

}  // namespace fl
