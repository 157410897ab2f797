#include "lcd.h"

#include <stdio.h>
#include <string.h>

namespace fl {

namespace {
bool intIn(const LcdNumber& n, int64_t lo, int64_t hi) { return n.integral && n.value >= lo && n.value <= hi; }
}  // namespace

void formatLcd(LcdNumber ir, LcdNumber angle, LcdLines* out) {
  if (!ir.present) {
    snprintf(out->line1, sizeof out->line1, "IR --");
  } else if (intIn(ir, kIrMin, kIrMax)) {
    snprintf(out->line1, sizeof out->line1, "IR %d", static_cast<int>(ir.value));
  } else {
    snprintf(out->line1, sizeof out->line1, "IR ERR");
  }
  if (!angle.present) {
    snprintf(out->line2, sizeof out->line2, "Servo  -- deg");
  } else if (intIn(angle, kAngleMin, kAngleMax)) {
    snprintf(out->line2, sizeof out->line2, "Servo %3d deg", static_cast<int>(angle.value));
  } else {
    snprintf(out->line2, sizeof out->line2, "Servo ERR");
  }
}

bool isLcdText(const char* s) {
  size_t n = 0;
  for (; s[n] != '\0'; ++n) {
    if (n >= static_cast<size_t>(kLcdColumns)) return false;
    if (s[n] < 0x20 || s[n] > 0x7e) return false;
  }
  return true;
}

}  // namespace fl
