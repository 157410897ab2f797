// Splits `http[s]://host[:port]/target` for the socket adapters (no allocation).
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace fl {

struct UrlParts {
  bool tls = false;
  char host[128] = "";
  uint16_t port = 0;
  const char* target = "/";  // path and query, inside the original string
};

inline bool splitUrl(const char* url, UrlParts* out) {
  const char* h;
  if (strncmp(url, "https://", 8) == 0) {
    out->tls = true;
    h = url + 8;
  } else if (strncmp(url, "http://", 7) == 0) {
    out->tls = false;
    h = url + 7;
  } else {
    return false;
  }
  const char* slash = strchr(h, '/');
  out->target = slash ? slash : "/";
  const size_t hostLen = slash ? static_cast<size_t>(slash - h) : strlen(h);
  const char* colon = static_cast<const char*>(memchr(h, ':', hostLen));
  const size_t nameLen = colon ? static_cast<size_t>(colon - h) : hostLen;
  if (nameLen == 0 || nameLen >= sizeof out->host) return false;
  memcpy(out->host, h, nameLen);
  out->host[nameLen] = '\0';
  uint32_t port = out->tls ? 443 : 80;
  if (colon) {
    port = 0;
    const char* p = colon + 1;
    if (p == h + hostLen) return false;
    for (; p < h + hostLen; ++p) {
      if (*p < '0' || *p > '9') return false;
      port = port * 10 + static_cast<uint32_t>(*p - '0');
      if (port > 65535) return false;
    }
  }
  if (port == 0) return false;
  out->port = static_cast<uint16_t>(port);
  return true;
}

}  // namespace fl
