/**
 * Text for the 16x2 HD44780 LCD. Lines are never longer than 16 characters and only printable
 * ASCII, whatever the input; they are not padded (the firmware pads to clear old characters).
 *
 *   line1: `IR 2048`        (`IR --` without a reading, `IR ERR` for a value outside 0..4095)
 *   line2: `Servo  90 deg`  (angle right-aligned in 3 columns; `Servo  -- deg` without an angle,
 *                            `Servo ERR` for a value outside 0..180 or not an integer)
 */
import { ANGLE_MAX, ANGLE_MIN, IR_MAX, IR_MIN, LCD_COLUMNS } from './limits.js';
import type { Lcd } from './types.js';

export interface LcdInput {
  /** Raw IR reading; null/undefined when there is none yet. */
  ir?: unknown;
  /** Servo angle in degrees; null/undefined when there is none yet. */
  angle?: unknown;
}

const isIntIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const fit = (line: string): string => line.slice(0, LCD_COLUMNS);

export function formatLcd(input: LcdInput): Lcd {
  const { ir, angle } = input;
  const irText = ir === undefined || ir === null ? '--' : isIntIn(ir, IR_MIN, IR_MAX) ? String(ir) : 'ERR';
  const line2 =
    angle === undefined || angle === null
      ? 'Servo  -- deg'
      : isIntIn(angle, ANGLE_MIN, ANGLE_MAX)
        ? `Servo ${String(angle).padStart(3, ' ')} deg`
        : 'Servo ERR';
  return { line1: fit(`IR ${irText}`), line2: fit(line2) };
}
