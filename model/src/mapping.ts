/**
 * Reading-to-angle mapping, shared by the reading function and the firmware's host tests (through
 * fixtures/mapping-cases.json).
 *
 * Algorithm, in exact integer arithmetic so C++ (`int32_t`) reproduces it bit for bit:
 *   1. clamp ir to [inMin, inMax];
 *   2. offset = ir - inMin, or inMax - ir when `invert` (the input is mirrored, not the output);
 *   3. angle = outMin + floor((2 * offset * (outMax - outMin) + span) / (2 * span)),
 *      span = inMax - inMin.
 * Step 3 is the exact quotient offset * (outMax - outMin) / span rounded half up; the quotient is
 * never negative, so this is also "half away from zero" (C's `lround`) and never depends on
 * floating point. Largest intermediate: 2 * 4095 * 180 + 4095 = 1,478,295.
 */
import { ContractError, describeValue } from './errors.js';
import { MappingSchema } from './schemas/device.js';
import type { Config, Mapping } from './types.js';
import { validate } from './validate.js';

export const DEFAULT_MAPPING: Readonly<Mapping> = Object.freeze({
  inMin: 0,
  inMax: 4095,
  outMin: 0,
  outMax: 180,
  invert: false,
});

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  mapping: DEFAULT_MAPPING,
  sampleMs: 1000,
  heartbeatMs: 30_000,
});

/** Throws a ContractError (`invalid-mapping`) unless `mapping` is a usable calibration. */
export function assertMapping(mapping: unknown): Mapping {
  const result = validate(MappingSchema, mapping, 'mapping');
  if (!result.ok) {
    throw new ContractError('invalid-mapping', result.error.field, result.error.message);
  }
  return result.value;
}

/**
 * Maps a raw IR reading onto an integer servo angle with the device's calibration. Readings
 * outside [inMin, inMax] are clamped; `ir` must be an integer (any integer, so a faulty sensor
 * value still clamps), the mapping a valid calibration.
 */
export function mapReadingToAngle(ir: number, mapping: Mapping = DEFAULT_MAPPING): number {
  if (typeof ir !== 'number' || !Number.isSafeInteger(ir)) {
    throw new ContractError('invalid-data', 'ir', `ir: must be an integer (got ${describeValue(ir)})`);
  }
  const { inMin, inMax, outMin, outMax, invert } = assertMapping(mapping);
  const clamped = Math.min(Math.max(ir, inMin), inMax);
  const span = inMax - inMin;
  const offset = invert ? inMax - clamped : clamped - inMin;
  return outMin + Math.floor((2 * offset * (outMax - outMin) + span) / (2 * span));
}
