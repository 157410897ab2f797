#if !defined(ARDUINO)
#include "posix_http.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../core/chunked.h"
#include "../../core/url.h"

namespace fl {

namespace {

uint64_t nowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

struct Url {
  char host[128];
  char port[8];
  const char* target;  // path and query
};

bool parseUrl(const char* url, Url* out) {
  UrlParts parts;
  if (!splitUrl(url, &parts) || parts.tls) return false;  // TLS is the board's job (WiFiClientSecure)
  memcpy(out->host, parts.host, sizeof out->host);
  snprintf(out->port, sizeof out->port, "%u", static_cast<unsigned>(parts.port));
  out->target = parts.target;
  return true;
}

int connectTo(const Url& u, uint64_t deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(u.host, u.port, &hints, &res) != 0) return -1;
  int fd = -1;
  for (addrinfo* ai = res; ai && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
      close(fd);
      fd = -1;
      continue;
    }
    pollfd p{fd, POLLOUT, 0};
    const uint64_t t = nowMs();
    int err = 0;
    socklen_t len = sizeof err;
    if (poll(&p, 1, t < deadline ? static_cast<int>(deadline - t) : 0) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  return fd;
}

bool writeAll(int fd, const char* data, size_t n, uint64_t deadline) {
  while (n > 0) {
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w > 0) {
      data += w;
      n -= static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno != EAGAIN && errno != EINTR) return false;
    pollfd p{fd, POLLOUT, 0};
    const uint64_t t = nowMs();
    if (t >= deadline || poll(&p, 1, static_cast<int>(deadline - t)) != 1) return false;
  }
  return true;
}

const char* methodName(HttpMethod m) {
  switch (m) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Put: return "PUT";
    case HttpMethod::Patch: return "PATCH";
    case HttpMethod::Post: return "POST";
  }
  return "GET";
}

bool sendHead(int fd, const Url& u, const char* method, const char* extra, const HttpRequest* req, uint64_t deadline) {
  char head[8192];
  int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: %s:%s\r\n%s", method, u.target, u.host, u.port, extra);
  if (req && req->contentType) {
    n += snprintf(head + n, sizeof head - static_cast<size_t>(n), "Content-Type: %s\r\nContent-Length: %zu\r\n", req->contentType, req->bodyLen);
  }
  if (n <= 0 || static_cast<size_t>(n) + 3 >= sizeof head) return false;
  n += snprintf(head + n, sizeof head - static_cast<size_t>(n), "\r\n");
  if (!writeAll(fd, head, static_cast<size_t>(n), deadline)) return false;
  return !(req && req->contentType) || writeAll(fd, req->body, req->bodyLen, deadline);
}

// Reads until the blank line after the headers; returns the header length (body starts there).
long readHead(int fd, char* raw, size_t cap, size_t* got, uint64_t deadline) {
  *got = 0;
  for (;;) {
    raw[*got] = '\0';
    const char* end = strstr(raw, "\r\n\r\n");
    if (end) return end + 4 - raw;
    if (*got + 1 >= cap) return -1;
    pollfd p{fd, POLLIN, 0};
    const uint64_t t = nowMs();
    if (t >= deadline || poll(&p, 1, static_cast<int>(deadline - t)) != 1) return -1;
    const ssize_t r = recv(fd, raw + *got, cap - 1 - *got, 0);
    if (r <= 0) {
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      return -1;
    }
    *got += static_cast<size_t>(r);
  }
}

int statusOf(const char* raw) {
  int status = 0;
  if (sscanf(raw, "HTTP/1.%*d %d", &status) != 1) return kHttpNoAnswer;
  return status;
}

bool headerIs(const char* raw, long headLen, const char* name, const char* value) {
  const size_t nameLen = strlen(name);
  for (const char* line = strstr(raw, "\r\n"); line && line - raw < headLen; line = strstr(line + 2, "\r\n")) {
    const char* h = line + 2;
    if (strncasecmp(h, name, nameLen) == 0 && h[nameLen] == ':') {
      const char* v = h + nameLen + 1;
      while (*v == ' ') ++v;
      return strncasecmp(v, value, strlen(value)) == 0;
    }
  }
  return false;
}

// Body of a complete response in raw[headLen, got): de-chunked or as is, into out.
size_t extractBody(const char* raw, long headLen, size_t got, bool chunked, char* out, size_t cap, bool* truncated) {
  const char* body = raw + headLen;
  size_t n = got - static_cast<size_t>(headLen);
  if (chunked) {
    ChunkedDecoder d;
    // De-chunked text is never longer than its input.
    static char tmp[16384];
    n = d.feed(body, n, tmp);
    body = tmp;
  }
  *truncated = n + 1 > cap;
  if (*truncated) n = cap - 1;
  memcpy(out, body, n);
  out[n] = '\0';
  return n;
}

}  // namespace

PosixHttp::~PosixHttp() { streamClose(); }

HttpResult PosixHttp::send(const HttpRequest& req, char* body, size_t cap) {
  HttpResult res;
  res.status = kHttpNoAnswer;
  if (cap) body[0] = '\0';
  Url u;
  const uint64_t deadline = nowMs() + req.timeoutMs;
  if (!parseUrl(req.url, &u)) return res;
  const int fd = connectTo(u, deadline);
  if (fd < 0) return res;
  size_t got = 0;
  long headLen = -1;
  if (sendHead(fd, u, methodName(req.method), "Connection: close\r\nAccept: application/json\r\n", &req, deadline)) {
    headLen = readHead(fd, raw_, kRawCap, &got, deadline);
  }
  if (headLen < 0) {
    close(fd);
    return res;
  }
  // Connection: close, so the body ends when the server closes (or at Content-Length/last chunk).
  for (;;) {
    if (got + 1 >= kRawCap) break;
    pollfd p{fd, POLLIN, 0};
    const uint64_t t = nowMs();
    if (t >= deadline || poll(&p, 1, static_cast<int>(deadline - t)) != 1) {
      close(fd);
      return res;  // timed out mid-body: no answer
    }
    const ssize_t r = recv(fd, raw_ + got, kRawCap - 1 - got, 0);
    if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  close(fd);
  raw_[got] = '\0';
  res.status = statusOf(raw_);
  res.bodyLen = extractBody(raw_, headLen, got, headerIs(raw_, headLen, "Transfer-Encoding", "chunked"), body, cap, &res.truncated);
  res.truncated = res.truncated || got + 1 >= kRawCap;
  return res;
}

int PosixHttp::streamOpen(const char* url, uint32_t timeoutMs, bool* chunked, char* errBody, size_t errCap) {
  streamClose();
  if (errCap) errBody[0] = '\0';
  Url u;
  const uint64_t deadline = nowMs() + timeoutMs;
  if (!parseUrl(url, &u)) return kHttpNoAnswer;
  const int fd = connectTo(u, deadline);
  if (fd < 0) return kHttpNoAnswer;
  size_t got = 0;
  long headLen = -1;
  if (sendHead(fd, u, "GET", "Accept: text/event-stream\r\n", nullptr, deadline)) headLen = readHead(fd, raw_, kRawCap, &got, deadline);
  if (headLen < 0) {
    close(fd);
    return kHttpNoAnswer;
  }
  const int status = statusOf(raw_);
  *chunked = headerIs(raw_, headLen, "Transfer-Encoding", "chunked");
  if (status != 200) {
    // Error answers are short: take what came with the headers, then up to the deadline.
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      const uint64_t t = nowMs();
      if (got + 1 >= kRawCap || t >= deadline || poll(&p, 1, static_cast<int>(deadline - t)) != 1) break;
      const ssize_t r = recv(fd, raw_ + got, kRawCap - 1 - got, 0);
      if (r <= 0) break;
      got += static_cast<size_t>(r);
    }
    close(fd);
    raw_[got] = '\0';
    bool truncated = false;
    extractBody(raw_, headLen, got, *chunked, errBody, errCap, &truncated);
    return status;
  }
  stream_ = fd;
  pendingLen_ = got - static_cast<size_t>(headLen);
  memcpy(pending_, raw_ + headLen, pendingLen_);
  pendingOff_ = 0;
  return status;
}

int PosixHttp::streamRead(char* buf, size_t cap) {
  if (stream_ < 0) return -1;
  if (pendingOff_ < pendingLen_) {
    size_t n = pendingLen_ - pendingOff_;
    if (n > cap) n = cap;
    memcpy(buf, pending_ + pendingOff_, n);
    pendingOff_ += n;
    return static_cast<int>(n);
  }
  const ssize_t r = recv(stream_, buf, cap, MSG_DONTWAIT);
  if (r > 0) return static_cast<int>(r);
  if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
  return -1;
}

void PosixHttp::streamClose() {
  if (stream_ >= 0) close(stream_);
  stream_ = -1;
  pendingLen_ = pendingOff_ = 0;
}

}  // namespace fl
#endif
