// Host stand-in (see Arduino.h): remembers the last angle.
#pragma once
#include "Arduino.h"

class Servo {
 public:
  int setPeriodHertz(int) { return 0; }
  int attach(int pin, int minUs, int maxUs);
  void write(int angle) { angle_ = angle; }
  int read() { return angle_; }

 private:
  int angle_ = -1;
};
