// What the device makes of the values it listens to: `config` (validated with the model's
// schema; an invalid one is refused and the previous kept) and `state` (servo angle and LCD
// lines, written by the backend). Pure functions: the device applies the result.
import { ConfigSchema, DEFAULT_CONFIG, formatLcd, validate, type Config, type Lcd } from '@firelink/model';
import type { Json } from '../transport/types.js';

export type ConfigUpdate = { ok: true; config: Config } | { ok: false; error: string };

/** An absent config means the defaults (a device provisioned without one). */
export function configFrom(value: Json): ConfigUpdate {
  if (value === null) return { ok: true, config: DEFAULT_CONFIG };
  const parsed = validate(ConfigSchema, value, 'config');
  return parsed.ok ? { ok: true, config: parsed.value } : { ok: false, error: parsed.error.message };
}

export interface StateUpdate {
  angle: number | null;
  lcd: Lcd;
  readingId: string | null;
}

/** The state's angle and LCD lines (formatted from ir and angle when the lines are missing); null for no state. */
export function stateFrom(value: Json): StateUpdate | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const state = value as { angle?: unknown; readingId?: unknown; lcd?: unknown; ir?: unknown };
  const lcd = state.lcd as Partial<Lcd> | undefined;
  return {
    angle: typeof state.angle === 'number' ? state.angle : null,
    lcd: typeof lcd?.line1 === 'string' && typeof lcd.line2 === 'string' ? { line1: lcd.line1, line2: lcd.line2 } : formatLcd({ ir: state.ir, angle: state.angle }),
    readingId: typeof state.readingId === 'string' ? state.readingId : null,
  };
}
