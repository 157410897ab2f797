// Host stand-in (see Arduino.h).
#pragma once
#include "Arduino.h"
class TwoWire {
 public:
  bool begin(int sda, int scl) {
    (void)sda;
    (void)scl;
    return true;
  }
};
extern TwoWire Wire;
