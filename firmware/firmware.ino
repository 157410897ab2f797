// Firelink ESP32 firmware. This sketch holds only pin I/O and library calls; the device's logic
// (sign-in, readings, state stream, commands) is the portable core in src/core, host-tested on Linux.
// Wiring, libraries and flashing: README.md.
#include <Arduino.h>
#include <ESP32Servo.h>
#include <Keypad.h>
#include <LiquidCrystal_I2C.h>
#include <WiFi.h>
#include <Wire.h>

#ifndef FIRELINK_SECRETS
#include "secrets.h"  // from `npm run provision`, or copy secrets.example.h and fill it in
#endif
// Optional in secrets.h: the Auth emulator (Google's hosts without it), the password (typed on
// the keypad without it), the directory (the database URL is the directory without it).
#ifndef FIRELINK_AUTH_EMULATOR_HOST
#define FIRELINK_AUTH_EMULATOR_HOST nullptr
#endif
#ifndef FIRELINK_DEVICE_PASSWORD
#define FIRELINK_DEVICE_PASSWORD nullptr
#endif
#ifndef FIRELINK_DIRECTORY_URL
#define FIRELINK_DIRECTORY_URL nullptr
#endif
#include "src/adapters/esp32/esp32_ports.h"
#include "src/core/device.h"

// Pins: README.md "Wiring".
const int kIrPin = 34, kLightPin = 35, kServoPin = 13, kSdaPin = 21, kSclPin = 22;
byte kRowPins[4] = {32, 33, 25, 26};
byte kColPins[4] = {27, 14, 16, 17};
char kKeys[4][4] = {{'1', '2', '3', 'A'}, {'4', '5', '6', 'B'}, {'7', '8', '9', 'C'}, {'*', '0', '#', 'D'}};
const uint32_t kWifiRetryMs = 5000;

LiquidCrystal_I2C lcd(0x27, 16, 2);
Servo servo;
Keypad keypad(makeKeymap(kKeys), kRowPins, kColPins, 4, 4);

fl::Esp32Http http;
fl::Esp32Clock clock_;
fl::LcdDisplay display(lcd);
fl::ServoOut servoOut(servo);
fl::KeypadIn keys(keypad);
fl::AdcSensors sensors(kIrPin, kLightPin);
fl::Esp32Platform platform;
fl::SerialEvents events;

fl::DeviceSettings settings() {
  fl::DeviceSettings s;
  s.deviceId = FIRELINK_DEVICE_ID;
  s.email = FIRELINK_DEVICE_EMAIL;
  s.password = FIRELINK_DEVICE_PASSWORD;
  s.apiKey = FIRELINK_API_KEY;
  s.databaseUrl = FIRELINK_DATABASE_URL;  // the device's shard
  s.directoryUrl = FIRELINK_DIRECTORY_URL;
  s.authEmulatorHost = FIRELINK_AUTH_EMULATOR_HOST;
  return s;
}

fl::Device device(settings(), fl::DevicePorts{http, display, servoOut, keys, sensors, platform, events, clock_});
uint32_t lastWifiTryMs = 0;

void setup() {
  Serial.begin(115200);
  analogReadResolution(12);
  Wire.begin(kSdaPin, kSclPin);
  lcd.init();
  lcd.backlight();
  servo.setPeriodHertz(50);
  servo.attach(kServoPin, 500, 2400);
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);
  WiFi.begin(FIRELINK_WIFI_SSID, FIRELINK_WIFI_PASSWORD);
  configTime(0, 0, "time.google.com", "pool.ntp.org");  // deviceTs and the seq floor need the time
  device.begin(clock_.monotonicMs());
}

void loop() {
  // Offline the core keeps sampling and maps locally; requests fail fast until Wi-Fi is back.
  if (WiFi.status() != WL_CONNECTED && millis() - lastWifiTryMs > kWifiRetryMs) {
    lastWifiTryMs = millis();
    WiFi.reconnect();
  }
  device.tick(clock_.monotonicMs());  // 64-bit: millis() wraps after 49 days
  delay(5);
}
