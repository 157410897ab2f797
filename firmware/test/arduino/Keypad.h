// Host stand-in (see Arduino.h): keys come from a script the sketch test sets.
#pragma once
#include "Arduino.h"

#define makeKeymap(x) ((char*)x)

class Keypad {
 public:
  Keypad(char* userKeymap, byte* row, byte* col, byte numRows, byte numCols);
  char getKey();
  static const char* script;
};
