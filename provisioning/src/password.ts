import { randomInt } from 'node:crypto';

/**
 * Device passwords are typed on the device's 4x4 keypad (README.md "The core loop"), so
 * they use the keys it has: digits and A-D (`*` and `#` stay free for backspace and enter).
 * 16 symbols from 14 give about 61 bits, drawn with the CSPRNG (`crypto.randomInt`).
 */
export const KEYPAD_ALPHABET = '0123456789ABCD';
export const PASSWORD_LENGTH = 16;

export function generateKeypadPassword(length = PASSWORD_LENGTH): string {
  let out = '';
  for (let i = 0; i < length; i++) out += KEYPAD_ALPHABET[randomInt(KEYPAD_ALPHABET.length)];
  return out;
}
