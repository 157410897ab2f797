// Keypad password entry, sign-in and token refresh through the Identity Toolkit REST API
// (https://firebase.google.com/docs/reference/rest/auth), the two requests of device-sim/src/auth.ts:
//   POST {identitytoolkit}/v1/accounts:signInWithPassword?key=K  {email,password,returnSecureToken}
//   POST {securetoken}/v1/token?key=K  grant_type=refresh_token&refresh_token=R
// The token is refreshed a margin before it expires (5 min, at most a quarter of its lifetime),
// at once when a server refuses it, and by signing in again when the refresh token is refused.
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "json_writer.h"

namespace fl {

namespace {

// Identity Toolkit error strings that mean "these credentials will not work".
const char* const kCredentialErrors[] = {"EMAIL_NOT_FOUND", "INVALID_PASSWORD", "INVALID_LOGIN_CREDENTIALS", "USER_DISABLED",
                                         "INVALID_EMAIL", "MISSING_PASSWORD", "INVALID_REFRESH_TOKEN", "TOKEN_EXPIRED",
                                         "USER_NOT_FOUND", "API key not valid", "API_KEY_INVALID", "INVALID_GRANT_TYPE"};

const char* credentialError(const char* body) {
  for (const char* e : kCredentialErrors) {
    if (strstr(body, e)) return e;
  }
  return nullptr;
}

// What the 16-column LCD says about a refusal.
const char* lcdReason(const char* error) {
  if (!strcmp(error, "INVALID_PASSWORD") || !strcmp(error, "INVALID_LOGIN_CREDENTIALS") || !strcmp(error, "MISSING_PASSWORD")) {
    return "wrong password";
  }
  if (!strcmp(error, "EMAIL_NOT_FOUND") || !strcmp(error, "USER_NOT_FOUND") || !strcmp(error, "INVALID_EMAIL")) return "unknown device";
  if (!strcmp(error, "USER_DISABLED")) return "device disabled";
  return "bad API key";
}

// Percent-encodes form/query values (RFC 3986 unreserved characters pass through).
bool urlEncode(const char* in, char* out, size_t cap) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = 0;
  for (; *in; ++in) {
    const unsigned char c = static_cast<unsigned char>(*in);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (n + (plain ? 1 : 3) >= cap) return false;
    if (plain) {
      out[n++] = static_cast<char>(c);
    } else {
      out[n++] = '%';
      out[n++] = hex[c >> 4];
      out[n++] = hex[c & 15];
    }
  }
  out[n] = '\0';
  return true;
}

// Decodes the base64url payload of a JWT into `out` (NUL-terminated).
bool jwtPayload(const char* token, char* out, size_t cap) {
  const char* p = strchr(token, '.');
  if (!p) return false;
  ++p;
  uint32_t acc = 0;
  int bits = 0;
  size_t n = 0;
  for (; *p && *p != '.'; ++p) {
    const char c = *p;
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-' || c == '+') v = 62;
    else if (c == '_' || c == '/') v = 63;
    else if (c == '=') break;
    else return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n + 1 >= cap) return false;
      out[n++] = static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  out[n] = '\0';
  return true;
}

}  // namespace

void Device::tickPassword() {
  const char k = p_.keypad.key();
  if (refusalShownUntil_ != 0) {
    // The reason stays on the LCD for a moment or until the next key, which starts the new entry.
    if (now_ < refusalShownUntil_ && k == 0) return;
    refusalShownUntil_ = 0;
    show("Password:", "");
  }
  if (k == 0) return;
  if (k == '#') {
    if (passwordLen_ == 0) return;
    phase_ = Phase::SignIn;
    signInAt_ = now_;
    show("Signing in...", "");
    return;
  }
  if (k == '*') {
    if (passwordLen_ > 0) password_[--passwordLen_] = '\0';
  } else if (passwordLen_ < kPasswordCap) {
    password_[passwordLen_++] = k;
    password_[passwordLen_] = '\0';
  }
  // The LCD masks what was typed.
  char mask[kLcdColumns + 1];
  const size_t shown = passwordLen_ > static_cast<size_t>(kLcdColumns) ? kLcdColumns : passwordLen_;
  memset(mask, '*', shown);
  mask[shown] = '\0';
  show("Password:", mask);
}

void Device::refused(const char* error) {
  ++signInRefusals_;
  JsonWriter w(event_, sizeof event_);
  w.beginObject().key("event").str("sign-in-refused").key("reason").str(error).endObject();
  emit(w);
  closeStream("signed out", false);
  if (s_.password != nullptr) {
    char msg[256];
    snprintf(msg, sizeof msg, "sign-in of %s was refused: %s. Check the device's e-mail and password.", s_.email, error);
    fail(Fatal::BadCredentials, msg);
    return;
  }
  // Keypad: show why, then ask again.
  passwordLen_ = 0;
  password_[0] = '\0';
  phase_ = Phase::Password;
  refusalShownUntil_ = now_ + 2000;
  show("Sign-in refused", lcdReason(error));
}

void Device::signIn() {
  char path[160];
  if (s_.authEmulatorHost) {
    snprintf(path, sizeof path, "http://%s/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=", s_.authEmulatorHost);
  } else {
    snprintf(path, sizeof path, "https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=");
  }
  snprintf(url_, sizeof url_, "%s%s", path, s_.apiKey);
  JsonWriter w(authBody_, sizeof authBody_);
  w.beginObject().key("email").str(s_.email).key("password").str(password_).key("returnSecureToken").boolean(true).endObject();
  HttpRequest req;
  req.method = HttpMethod::Post;
  req.url = url_;
  req.contentType = "application/json";
  req.body = authBody_;
  req.bodyLen = w.size();
  req.timeoutMs = s_.requestTimeoutMs;
  mark(&high_.authBody, req.bodyLen);
  const HttpResult res = p_.http.send(req, response_, sizeof response_);
  now();
  mark(&high_.response, res.bodyLen);
  if (res.status == kHttpNoAnswer || res.status >= 500) {
    ++authNoAnswer_;
    signInAt_ = now_ + sendBackoff_.nextDelayMs(p_.platform.random32());
    JsonWriter e(event_, sizeof event_);
    e.beginObject().key("event").str("sign-in-failed").key("status").num(res.status).key("url").str(path).endObject();
    emit(e);
    show("Signing in...", "no server");
    return;
  }
  authNoAnswer_ = 0;
  if (res.status == 200 && !res.truncated && takeSession("idToken", "refreshToken", "expiresIn")) {
    sendBackoff_.reset();
    phase_ = Phase::Running;
    seqKnown_ = false;
    beatNow();
    nextSampleAt_ = now_;
    streamRetryAt_ = now_;
    emit("{\"event\":\"signed-in\"}");
    show("Signed in", "");
    return;
  }
  if (fatal_ != Fatal::None) return;
  const char* error = credentialError(response_);
  if (error) {
    refused(error);
    return;
  }
  char msg[256];
  snprintf(msg, sizeof msg, "sign-in failed with HTTP %d: %.100s", res.status, response_);
  fail(Fatal::BadRequest, msg);
}

bool Device::takeSession(const char* idKey, const char* refreshKey, const char* expiresKey) {
  JsonValue root, v;
  if (!jsonParse(response_, strlen(response_), &root)) return false;
  if (!jsonGet(root, idKey, &v) || !jsonString(v, idToken_, sizeof idToken_)) return false;
  if (!jsonGet(root, refreshKey, &v) || !jsonString(v, refreshToken_, sizeof refreshToken_)) return false;
  int64_t expiresS = 3600;
  char num[16];
  if (jsonGet(root, expiresKey, &v) && jsonString(v, num, sizeof num)) {
    JsonValue n;
    if (!jsonParse(num, strlen(num), &n) || !jsonInt(n, &expiresS, 1, 86400 * 7)) expiresS = 3600;
  }
  uint64_t lifetimeMs = static_cast<uint64_t>(expiresS) * 1000;
  if (s_.tokenLifetimeMs && s_.tokenLifetimeMs < lifetimeMs) lifetimeMs = s_.tokenLifetimeMs;
  const uint64_t margin = s_.refreshMarginMs < lifetimeMs / 4 ? s_.refreshMarginMs : lifetimeMs / 4;
  tokenDueAt_ = now_ + lifetimeMs - margin;
  // The account must be this device's: its `device` claim names the device id (device-sim: not-owner).
  char claims[1536];
  if (jwtPayload(idToken_, claims, sizeof claims) && jsonParse(claims, strlen(claims), &root)) {
    char claimed[72] = "";
    if (!jsonGet(root, "device", &v) || !jsonString(v, claimed, sizeof claimed) || strcmp(claimed, s_.deviceId) != 0) {
      char msg[256];
      snprintf(msg, sizeof msg, "the account %s is not device %s (its device claim is \"%s\")", s_.email, s_.deviceId, claimed);
      fail(Fatal::NotOwner, msg);
      return false;
    }
  }
  return true;
}

bool Device::refresh(const char* reason) {
  if (s_.authEmulatorHost) {
    snprintf(url_, sizeof url_, "http://%s/securetoken.googleapis.com/v1/token?key=%s", s_.authEmulatorHost, s_.apiKey);
  } else {
    snprintf(url_, sizeof url_, "https://securetoken.googleapis.com/v1/token?key=%s", s_.apiKey);
  }
  static const char kGrant[] = "grant_type=refresh_token&refresh_token=";
  memcpy(authBody_, kGrant, sizeof kGrant);
  if (!urlEncode(refreshToken_, authBody_ + sizeof kGrant - 1, sizeof authBody_ - (sizeof kGrant - 1))) authBody_[0] = '\0';
  const size_t n = strlen(authBody_);
  HttpRequest req;
  req.method = HttpMethod::Post;
  req.url = url_;
  req.contentType = "application/x-www-form-urlencoded";
  req.body = authBody_;
  req.bodyLen = n;
  req.timeoutMs = s_.requestTimeoutMs;
  mark(&high_.authBody, req.bodyLen);
  const HttpResult res = p_.http.send(req, response_, sizeof response_);
  now();
  mark(&high_.response, res.bodyLen);
  JsonWriter w(event_, sizeof event_);
  if (res.status == 200 && !res.truncated && takeSession("id_token", "refresh_token", "expires_in")) {
    ++refreshes_;
    refreshRetryAt_ = 0;
    w.beginObject().key("event").str("token-refreshed").key("reason").str(reason).endObject();
    emit(w);
    reopenAfterRefresh_ = true;
    return true;
  }
  if (fatal_ != Fatal::None) return false;
  if (res.status != kHttpNoAnswer && res.status < 500 && credentialError(response_)) {
    // The refresh token itself was refused: sign in again with the password.
    w.beginObject().key("event").str("refresh-refused").key("reason").str(credentialError(response_)).endObject();
    emit(w);
    signIn();
    if (phase_ == Phase::Running) ++refreshes_;
    return phase_ == Phase::Running;
  }
  refreshRetryAt_ = now_ + s_.backoffBaseMs * 4;
  char detail[96];
  snprintf(detail, sizeof detail, "%.95s", res.status == kHttpNoAnswer ? "no answer" : response_);
  w.beginObject().key("event").str("refresh-failed").key("status").num(res.status).key("response").str(detail).endObject();
  emit(w);
  return false;
}

}  // namespace fl
