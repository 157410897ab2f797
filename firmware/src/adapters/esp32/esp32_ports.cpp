#if defined(ARDUINO)
#include "esp32_ports.h"

#include <HTTPClient.h>
#include <esp_timer.h>
#include <WiFi.h>
#include <sys/time.h>

#include "../../core/url.h"

// The ESP-IDF root certificate bundle that Arduino-ESP32 3.x links in (Mozilla's CA list, which
// holds Google Trust Services' roots): https://docs.espressif.com/projects/esp-idf/en/stable/esp32/api-reference/protocols/esp_crt_bundle.html
extern const uint8_t x509_crt_bundle_start[] asm("_binary_x509_crt_bundle_start");
extern const uint8_t x509_crt_bundle_end[] asm("_binary_x509_crt_bundle_end");

namespace fl {

namespace {

// A Stream that fills a caller's buffer: HTTPClient::writeToStream de-chunks into it without a String.
class BufferStream final : public Stream {
 public:
  BufferStream(char* buf, size_t cap) : buf_(buf), cap_(cap) {
    if (cap_) buf_[0] = '\0';
  }
  size_t write(uint8_t c) override {
    if (len_ + 1 >= cap_) {
      truncated_ = true;
      return 1;  // keep draining the socket
    }
    buf_[len_++] = static_cast<char>(c);
    buf_[len_] = '\0';
    return 1;
  }
  size_t write(const uint8_t* data, size_t n) override {
    for (size_t i = 0; i < n; ++i) write(data[i]);
    return n;
  }
  int available() override { return 0; }
  int read() override { return -1; }
  int peek() override { return -1; }
  void flush() override {}
  size_t length() const { return len_; }
  bool truncated() const { return truncated_; }

 private:
  char* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool truncated_ = false;
};

const char* methodName(HttpMethod m) {
  switch (m) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Put: return "PUT";
    case HttpMethod::Patch: return "PATCH";
    case HttpMethod::Post: return "POST";
  }
  return "GET";
}

// Reads one header line (without CRLF) within the deadline; false on timeout or overflow.
bool readLine(Client& c, char* line, size_t cap, uint32_t deadline) {
  size_t n = 0;
  while (static_cast<int32_t>(deadline - millis()) > 0) {
    if (!c.available()) {
      if (!c.connected()) return false;
      delay(1);
      continue;
    }
    const int ch = c.read();
    if (ch == '\n') {
      if (n && line[n - 1] == '\r') --n;
      line[n] = '\0';
      return true;
    }
    if (n + 1 < cap) line[n++] = static_cast<char>(ch);
  }
  return false;
}

}  // namespace

uint64_t Esp32Clock::monotonicMs() { return static_cast<uint64_t>(esp_timer_get_time() / 1000); }

int64_t Esp32Clock::epochMs() {
  timeval tv;
  gettimeofday(&tv, nullptr);
  // Before SNTP answers the clock starts at 1970; anything before 2025 means "not synced".
  if (tv.tv_sec < 1735689600) return 0;
  return static_cast<int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

Client& Esp32Http::connectClient(bool tls, WiFiClient& plain, WiFiClientSecure& secure) {
  if (!tls) return plain;
  secure.setCACertBundle(x509_crt_bundle_start, static_cast<size_t>(x509_crt_bundle_end - x509_crt_bundle_start));
  return secure;
}

HttpResult Esp32Http::send(const HttpRequest& req, char* body, size_t cap) {
  HttpResult res;
  res.status = kHttpNoAnswer;
  UrlParts url;
  if (!splitUrl(req.url, &url)) return res;
  HTTPClient http;
  http.setTimeout(static_cast<uint16_t>(req.timeoutMs > 65000 ? 65000 : req.timeoutMs));
  http.setConnectTimeout(static_cast<int32_t>(req.timeoutMs));
  http.setReuse(true);  // keep the TLS session of the write connection between requests
  WiFiClient& client = url.tls ? static_cast<WiFiClient&>(write_) : writePlain_;
  if (url.tls) connectClient(true, writePlain_, write_);
  if (!http.begin(client, req.url)) return res;
  if (req.contentType) http.addHeader("Content-Type", req.contentType);
  const int code = http.sendRequest(methodName(req.method), reinterpret_cast<uint8_t*>(const_cast<char*>(req.body)), req.bodyLen);
  if (code <= 0) {
    http.end();
    return res;
  }
  BufferStream out(body, cap);
  if (code != 204) http.writeToStream(&out);
  http.end();
  res.status = code;
  res.bodyLen = out.length();
  res.truncated = out.truncated();
  return res;
}

int Esp32Http::streamOpen(const char* url, uint32_t timeoutMs, bool* chunked, char* errBody, size_t errCap) {
  streamClose();
  if (errCap) errBody[0] = '\0';
  UrlParts u;
  if (!splitUrl(url, &u)) return kHttpNoAnswer;
  Client& c = connectClient(u.tls, streamPlain_, stream_);
  if (!c.connect(u.host, u.port)) return kHttpNoAnswer;
  c.print("GET ");
  c.print(u.target);
  c.print(" HTTP/1.1\r\nHost: ");
  c.print(u.host);
  c.print("\r\nAccept: text/event-stream\r\n\r\n");
  const uint32_t deadline = millis() + timeoutMs;
  char line[160];
  int status = kHttpNoAnswer;
  *chunked = false;
  if (!readLine(c, line, sizeof line, deadline) || sscanf(line, "HTTP/1.%*d %d", &status) != 1) {
    c.stop();
    return kHttpNoAnswer;
  }
  while (readLine(c, line, sizeof line, deadline) && line[0] != '\0') {
    if (strncasecmp(line, "Transfer-Encoding:", 18) == 0 && strstr(line, "chunked")) *chunked = true;
  }
  if (status != 200) {
    size_t n = 0;
    while (static_cast<int32_t>(deadline - millis()) > 0 && (c.connected() || c.available()) && n + 1 < errCap) {
      if (c.available()) errBody[n++] = static_cast<char>(c.read());
    }
    if (errCap) errBody[n] = '\0';
    c.stop();
    return status;
  }
  streamClient_ = &c;
  return status;
}

int Esp32Http::streamRead(char* buf, size_t cap) {
  if (!streamClient_) return -1;
  const int available = streamClient_->available();
  if (available <= 0) return streamClient_->connected() ? 0 : -1;
  return streamClient_->read(reinterpret_cast<uint8_t*>(buf), cap < static_cast<size_t>(available) ? cap : static_cast<size_t>(available));
}

void Esp32Http::streamClose() {
  if (streamClient_) streamClient_->stop();
  streamClient_ = nullptr;
}

void LcdDisplay::show(const char* line1, const char* line2) {
  // Pad to 16 columns so the previous, longer text does not linger.
  char row[17];
  snprintf(row, sizeof row, "%-16.16s", line1);
  lcd_.setCursor(0, 0);
  lcd_.print(row);
  snprintf(row, sizeof row, "%-16.16s", line2);
  lcd_.setCursor(0, 1);
  lcd_.print(row);
}

void LcdDisplay::backlight(bool on) {
  if (on) lcd_.backlight();
  else lcd_.noBacklight();
}

int32_t AdcSensors::irRaw() {
  // analogRead gives 0..4095 at 12 bits; a disconnected sensor floats, which no ADC read reveals.
  return analogRead(irPin_);
}

int32_t AdcSensors::lightRaw() {
  if (lightPin_ < 0) return -1;  // not fitted
  return analogRead(lightPin_);
}

int32_t Esp32Platform::rssiDbm() { return WiFi.status() == WL_CONNECTED ? WiFi.RSSI() : 1; }
uint32_t Esp32Platform::freeHeapBytes() { return ESP.getFreeHeap(); }
uint32_t Esp32Platform::random32() { return esp_random(); }
void Esp32Platform::restart() { ESP.restart(); }

void SerialEvents::event(const char* json) { Serial.println(json); }

}  // namespace fl
#endif
