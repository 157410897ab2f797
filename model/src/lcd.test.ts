import { describe, expect, it } from 'vitest';
import { formatLcd } from './lcd.js';

describe('formatLcd', () => {
  it.each([
    ['typical', { ir: 2048, angle: 90 }, 'IR 2048', 'Servo  90 deg'],
    ['zeros', { ir: 0, angle: 0 }, 'IR 0', 'Servo   0 deg'],
    ['largest', { ir: 4095, angle: 180 }, 'IR 4095', 'Servo 180 deg'],
    ['no reading yet', {}, 'IR --', 'Servo  -- deg'],
    ['explicit nulls', { ir: null, angle: null }, 'IR --', 'Servo  -- deg'],
    ['ir above range', { ir: 4096, angle: 1 }, 'IR ERR', 'Servo   1 deg'],
    ['negative ir', { ir: -1, angle: 1 }, 'IR ERR', 'Servo   1 deg'],
    ['NaN', { ir: NaN, angle: NaN }, 'IR ERR', 'Servo ERR'],
    ['Infinity', { ir: Infinity, angle: -Infinity }, 'IR ERR', 'Servo ERR'],
    ['huge numbers', { ir: 1e300, angle: Number.MAX_VALUE }, 'IR ERR', 'Servo ERR'],
    ['fractions', { ir: 12.5, angle: 90.5 }, 'IR ERR', 'Servo ERR'],
    ['angle 181', { ir: 1, angle: 181 }, 'IR 1', 'Servo ERR'],
    ['strings', { ir: '2048', angle: '90' }, 'IR ERR', 'Servo ERR'],
    ['a long string', { ir: 'x'.repeat(100), angle: 'ÿ'.repeat(100) }, 'IR ERR', 'Servo ERR'],
    ['objects', { ir: { a: 1 }, angle: [1] }, 'IR ERR', 'Servo ERR'],
  ])('%s', (_, input, line1, line2) => {
    expect(formatLcd(input)).toEqual({ line1, line2 });
  });

  it('never exceeds 16 printable ASCII characters, whatever the input', () => {
    const values: unknown[] = [
      undefined, null, NaN, Infinity, -Infinity, -0, 0, 1, 99, 100, 180, 181, 4095, 4096, -1,
      1e21, -1e21, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 0.1, '', 'a'.repeat(1000), '🙂', true, {}, [], 10n,
    ];
    for (const ir of values) {
      for (const angle of values) {
        const { line1, line2 } = formatLcd({ ir, angle });
        for (const line of [line1, line2]) {
          expect(line.length).toBeLessThanOrEqual(16);
          expect(line).toMatch(/^[\x20-\x7e]*$/);
        }
      }
    }
  });
});
