// Host stand-in (see Arduino.h): the ESP-IDF 64-bit microsecond timer.
#pragma once
#include <stdint.h>
int64_t esp_timer_get_time();
