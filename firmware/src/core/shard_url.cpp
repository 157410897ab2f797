#include "shard_url.h"

#include <stdio.h>
#include <string.h>

namespace fl {

bool isInstanceName(const char* name) {
  if (name == nullptr || *name == '\0') return false;
  size_t n = 0;
  for (const char* c = name; *c; ++c, ++n) {
    const bool alnum = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9');
    if (!alnum && !(*c == '-' && n > 0)) return false;
  }
  return n < kInstanceCap;
}

namespace {
bool copy(char* dst, size_t cap, const char* src, size_t n) {
  if (n >= cap) return false;
  memcpy(dst, src, n);
  dst[n] = '\0';
  return true;
}

/** The production host suffixes after the instance label. */
bool productionSuffix(const char* dot) {
  if (strcmp(dot, ".firebaseio.com") == 0) return true;
  const char* const app = ".firebasedatabase.app";
  const size_t len = strlen(dot), appLen = strlen(app);
  // `.<region>.firebasedatabase.app`: one label for the region
  if (len <= appLen + 1 || strcmp(dot + len - appLen, app) != 0) return false;
  for (const char* c = dot + 1; c < dot + len - appLen; ++c) {
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')) return false;
  }
  return true;
}
}  // namespace

bool parseDbLocation(const char* url, const char* nsFallback, DbLocation* out) {
  if (url == nullptr) return false;
  *out = DbLocation();
  const bool https = strncmp(url, "https://", 8) == 0;
  if (!https && strncmp(url, "http://", 7) != 0) return false;
  const char* host = url + (https ? 8 : 7);
  const char* end = host + strcspn(host, "/?");
  if (end == host || !copy(out->origin, sizeof out->origin, url, static_cast<size_t>(end - url))) return false;
  const char* rest = end;
  if (*rest == '/') ++rest;
  const char* ns = nullptr;
  size_t nsLen = 0;
  if (*rest == '?') {
    if (strncmp(rest, "?ns=", 4) != 0) return false;
    ns = rest + 4;
    nsLen = strcspn(ns, "&");
    if (ns[nsLen] != '\0') return false;
  } else if (*rest != '\0') {
    return false;  // a path: not a database URL
  }
  if (ns == nullptr && nsFallback != nullptr) {
    ns = nsFallback;
    nsLen = strlen(nsFallback);
  }
  if (ns != nullptr) {
    if (!copy(out->ns, sizeof out->ns, ns, nsLen) || !isInstanceName(out->ns)) return false;
    return true;
  }
  // Production: the first host label is the instance.
  if (!https) return false;
  char name[kInstanceCap];
  const size_t label = strcspn(host, ".");
  if (host[label] != '.' || !copy(name, sizeof name, host, label) || !isInstanceName(name)) return false;
  char suffix[kOriginCap];
  if (!copy(suffix, sizeof suffix, host + label, static_cast<size_t>(end - host) - label)) return false;
  return productionSuffix(suffix);
}

bool siblingLocation(const DbLocation& directory, const char* instance, DbLocation* out) {
  if (!isInstanceName(instance)) return false;
  *out = DbLocation();
  if (directory.ns[0] != '\0') {
    memcpy(out->origin, directory.origin, sizeof out->origin);
    snprintf(out->ns, sizeof out->ns, "%s", instance);
    return true;
  }
  const char* host = directory.origin + 8;  // production origins are https://
  const char* dot = strchr(host, '.');
  if (strncmp(directory.origin, "https://", 8) != 0 || dot == nullptr) return false;
  const int n = snprintf(out->origin, sizeof out->origin, "https://%s%s", instance, dot);
  return n > 0 && static_cast<size_t>(n) < sizeof out->origin;
}

bool sameLocation(const DbLocation& a, const DbLocation& b) { return strcmp(a.origin, b.origin) == 0 && strcmp(a.ns, b.ns) == 0; }

}  // namespace fl
