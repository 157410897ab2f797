// Host stand-in (see Arduino.h): Wi-Fi that stays disconnected.
#pragma once
#include "Arduino.h"

enum wl_status_t { WL_IDLE_STATUS = 0, WL_CONNECTED = 3, WL_DISCONNECTED = 6 };
enum wifi_mode_t { WIFI_STA = 1 };

class WiFiClass {
 public:
  bool mode(wifi_mode_t) { return true; }
  bool setAutoReconnect(bool) { return true; }
  wl_status_t begin(const char* ssid, const char* password);
  bool reconnect();
  wl_status_t status() { return WL_DISCONNECTED; }
  int8_t RSSI() { return 0; }
  int reconnects = 0;
};
extern WiFiClass WiFi;
