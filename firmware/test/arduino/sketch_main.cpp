// Runs the real sketch (setup, then loop) on the host stand-ins, offline: the password is typed on
// the stand-in keypad, sign-in finds no server, and the LCD must say so. Exit 0 when it does.
#include <string.h>

#include "Keypad.h"
#include "LiquidCrystal_I2C.h"
#include "WiFi.h"

void setup();
void loop();
extern LiquidCrystal_I2C lcd;

int main() {
  Keypad::script = "12*34#";
  setup();
  for (int i = 0; i < 3000; ++i) loop();  // 15 s of sketch time (loop delays 5 ms)
  const bool prompt = strncmp(lcd.rows[0], "Signing in...", 13) == 0 && strncmp(lcd.rows[1], "no server", 9) == 0;
  const bool wifi = WiFi.reconnects >= 2;
  printf("\nsketch on host stand-ins: lcd \"%s\" / \"%s\", wifi reconnects %d\n", lcd.rows[0], lcd.rows[1], WiFi.reconnects);
  if (!prompt || !wifi) {
    printf("sketch test FAILED: expected the LCD to show the sign-in with no server and Wi-Fi to retry\n");
    return 1;
  }
  return 0;
}
