/**
 * The calibration form: typed text → a config checked with the model's ConfigSchema, with the
 * model's own messages per field, and the mapping curve the preview draws (the model's mapping).
 */
import { ConfigSchema, IR_MAX, IR_MIN, formatIssues, mapReadingToAngle, type Config, type Mapping } from '@firelink/model';

export const CONFIG_FIELDS = ['mapping.inMin', 'mapping.inMax', 'mapping.outMin', 'mapping.outMax', 'mapping.invert', 'sampleMs', 'heartbeatMs'] as const;
export type ConfigField = (typeof CONFIG_FIELDS)[number];

export interface CalibrationForm {
  inMin: string;
  inMax: string;
  outMin: string;
  outMax: string;
  invert: boolean;
  sampleMs: string;
  heartbeatMs: string;
}

export type CalibrationCheck = { ok: true; config: Config } | { ok: false; errors: Partial<Record<ConfigField | 'config', string>> };

/** Empty text is "missing" (the schema says "is required"); anything else is Number(text), NaN included. */
function num(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text.trim());
}

export function formFromConfig(config: Config): CalibrationForm {
  const m = config.mapping;
  return {
    inMin: String(m.inMin),
    inMax: String(m.inMax),
    outMin: String(m.outMin),
    outMax: String(m.outMax),
    invert: m.invert,
    sampleMs: String(config.sampleMs),
    heartbeatMs: String(config.heartbeatMs),
  };
}

export function checkCalibration(form: CalibrationForm): CalibrationCheck {
  const candidate = {
    mapping: { inMin: num(form.inMin), inMax: num(form.inMax), outMin: num(form.outMin), outMax: num(form.outMax), invert: form.invert },
    sampleMs: num(form.sampleMs),
    heartbeatMs: num(form.heartbeatMs),
  };
  const result = ConfigSchema.safeParse(candidate, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  const errors: Partial<Record<ConfigField | 'config', string>> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.');
    const field: ConfigField | 'config' = (CONFIG_FIELDS as readonly string[]).includes(key) ? (key as ConfigField) : 'config';
    // The model's wording, one message per broken rule (model/src/validate.ts).
    const message = formatIssues('config', [issue]);
    errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
  }
  return { ok: false, errors };
}

/** Points of the mapping curve over the whole IR range (with both bends exactly), for the preview. */
export function mappingCurve(mapping: Mapping, steps = 64): Array<[ir: number, angle: number]> {
  const irs = new Set<number>([IR_MIN, IR_MAX, mapping.inMin, mapping.inMax]);
  for (let i = 0; i <= steps; i += 1) irs.add(Math.round(IR_MIN + ((IR_MAX - IR_MIN) * i) / steps));
  return [...irs].sort((a, b) => a - b).map((ir) => [ir, mapReadingToAngle(ir, mapping)]);
}

/** An SVG polyline `points` attribute for the curve in a `width` x `height` box (y grows down). */
export function curvePoints(curve: Array<[number, number]>, width: number, height: number): string {
  return curve
    .map(([ir, angle]) => `${((ir - IR_MIN) / (IR_MAX - IR_MIN)) * width},${height - (angle / 180) * height}`)
    .map((p) => p.replace(/(\.\d{2})\d+/g, '$1'))
    .join(' ');
}

/**
 * After a save, whether a state follows the saved calibration: it must come from a reading mapped
 * after the save (server time at or after `savedAtMs`) and carry the angle the model computes.
 */
export function followsCalibration(state: { ir: number; angle: number; ts: number }, mapping: Mapping, savedAtMs: number): 'waiting' | 'follows' | 'differs' {
  if (state.ts < savedAtMs) return 'waiting';
  return mapReadingToAngle(state.ir, mapping) === state.angle ? 'follows' : 'differs';
}
