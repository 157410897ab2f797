// Definitions of the host stand-ins (see Arduino.h).
#include <time.h>

#include "Arduino.h"
#include "ESP32Servo.h"
#include "HTTPClient.h"
#include "Keypad.h"
#include "LiquidCrystal_I2C.h"
#include "WiFi.h"
#include "Wire.h"
#include "esp_timer.h"

HardwareSerial Serial;
EspClass ESP;
TwoWire Wire;
WiFiClass WiFi;
const char* Keypad::script = "";

// The linker symbols of the ESP-IDF certificate bundle (an empty bundle here).
extern const uint8_t bundleStart[] asm("_binary_x509_crt_bundle_start");
extern const uint8_t bundleEnd[] asm("_binary_x509_crt_bundle_end");
const uint8_t bundleStart[1] = {0};
const uint8_t bundleEnd[1] = {0};

static uint64_t fakeMicros = 0;
int64_t esp_timer_get_time() { return static_cast<int64_t>(fakeMicros); }
unsigned long millis() { return static_cast<unsigned long>(fakeMicros / 1000); }
void delay(unsigned long ms) { fakeMicros += ms * 1000ULL; }
int analogRead(uint8_t pin) { return pin == 34 ? 2048 : 1000; }
void analogReadResolution(uint8_t) {}
uint32_t esp_random() { return 0x12345678u; }
void configTime(long, int, const char*, const char*, const char*) {}

size_t HardwareSerial::write(uint8_t c) {
  fputc(c, stdout);
  return 1;
}
uint32_t EspClass::getFreeHeap() { return 200000; }
void EspClass::restart() {}

wl_status_t WiFiClass::begin(const char*, const char*) { return WL_DISCONNECTED; }
bool WiFiClass::reconnect() {
  ++reconnects;
  return false;
}
int WiFiClient::connect(const char*, uint16_t) { return 0; }

bool HTTPClient::begin(WiFiClient&, const char* url) { return url != nullptr; }
int HTTPClient::sendRequest(const char*, uint8_t*, size_t) {
  delay(10);
  return -1;
}
int HTTPClient::writeToStream(Stream*) { return 0; }

int Servo::attach(int, int, int) { return 0; }
LiquidCrystal_I2C::LiquidCrystal_I2C(uint8_t, uint8_t, uint8_t) {}
Keypad::Keypad(char*, byte*, byte*, byte, byte) {}
char Keypad::getKey() { return *script ? *script++ : 0; }
