// LCD text of model/src/lcd.ts: `IR 2048` / `Servo  90 deg`, never longer than 16 characters.
#pragma once
#include <stdint.h>

#include "limits.h"

namespace fl {

/** A JSON number that may be absent, fractional or out of range (the LCD shows ERR for those). */
struct LcdNumber {
  bool present = false;
  bool integral = true;
  int64_t value = 0;
  static LcdNumber none() { return LcdNumber{}; }
  static LcdNumber of(int64_t v) {
    LcdNumber n;
    n.present = true;
    n.value = v;
    return n;
  }
};

struct LcdLines {
  char line1[kLcdColumns + 1];
  char line2[kLcdColumns + 1];
};

void formatLcd(LcdNumber ir, LcdNumber angle, LcdLines* out);

/** True when `s` is at most 16 printable ASCII characters (the model's LCD_TEXT_PATTERN). */
bool isLcdText(const char* s);

}  // namespace fl
