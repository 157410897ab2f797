// Host stand-in (see Arduino.h): keeps the two rows so the sketch test can read the display.
#pragma once
#include "Arduino.h"

class LiquidCrystal_I2C : public Print {
 public:
  LiquidCrystal_I2C(uint8_t addr, uint8_t cols, uint8_t rows);
  void init() {}
  void backlight() { backlightOn = true; }
  void noBacklight() { backlightOn = false; }
  void setCursor(uint8_t col, uint8_t row) {
    col_ = col;
    row_ = row < 2 ? row : 1;
  }
  size_t write(uint8_t c) override {
    if (col_ < 16) rows[row_][col_++] = static_cast<char>(c);
    return 1;
  }
  char rows[2][17] = {};
  bool backlightOn = false;

 private:
  uint8_t col_ = 0;
  uint8_t row_ = 0;
};
