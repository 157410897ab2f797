/**
 * The table of mapping and LCD cases that `fixtures/mapping-cases.json` holds for the firmware's
 * C++ host tests. Expected values come from this package's own `mapReadingToAngle` and
 * `formatLcd`, whose tests pin them by hand; a test checks the committed file equals this table.
 * Inputs are JSON-representable only (no NaN/Infinity): those cases stay in the TS tests.
 */
import { DEFAULT_MAPPING, mapReadingToAngle } from './mapping.js';
import { formatLcd } from './lcd.js';
import { ContractError } from './errors.js';
import {
  ANGLE_MAX,
  ANGLE_MIN,
  HEARTBEAT_MS_MAX,
  HEARTBEAT_MS_MIN,
  IR_MAX,
  IR_MIN,
  HEAP_MAX_BYTES,
  LCD_COLUMNS,
  SAMPLE_MS_MAX,
  SAMPLE_MS_MIN,
  SEQ_MAX,
} from './limits.js';
import type { Mapping } from './types.js';

export const FIXTURES_FORMAT_VERSION = 1;

const m = (inMin: number, inMax: number, outMin: number, outMax: number, invert = false): Mapping => ({
  inMin,
  inMax,
  outMin,
  outMax,
  invert,
});

const CUSTOM = m(1000, 3000, 30, 150);
const TIES = m(0, 4, 0, 2);

const MAPPING_INPUTS: ReadonlyArray<{ name: string; ir: number; mapping: Mapping }> = [
  { name: 'default: lowest reading', ir: 0, mapping: DEFAULT_MAPPING },
  { name: 'default: one step', ir: 1, mapping: DEFAULT_MAPPING },
  { name: 'default: 11 (0.484) rounds down', ir: 11, mapping: DEFAULT_MAPPING },
  { name: 'default: 12 (0.527) rounds up', ir: 12, mapping: DEFAULT_MAPPING },
  { name: 'default: 23 (1.011) rounds down', ir: 23, mapping: DEFAULT_MAPPING },
  { name: 'default: middle low', ir: 2047, mapping: DEFAULT_MAPPING },
  { name: 'default: middle high', ir: 2048, mapping: DEFAULT_MAPPING },
  { name: 'default: highest reading', ir: 4095, mapping: DEFAULT_MAPPING },
  { name: 'default: below range clamps', ir: -1, mapping: DEFAULT_MAPPING },
  { name: 'default: above range clamps', ir: 4096, mapping: DEFAULT_MAPPING },
  { name: 'default: huge clamps', ir: 2_000_000_000, mapping: DEFAULT_MAPPING },
  { name: 'default: huge negative clamps', ir: -2_000_000_000, mapping: DEFAULT_MAPPING },
  { name: 'default inverted: lowest reading', ir: 0, mapping: { ...DEFAULT_MAPPING, invert: true } },
  { name: 'default inverted: middle', ir: 2048, mapping: { ...DEFAULT_MAPPING, invert: true } },
  { name: 'default inverted: highest', ir: 4095, mapping: { ...DEFAULT_MAPPING, invert: true } },
  { name: 'custom: below inMin clamps to outMin', ir: 999, mapping: CUSTOM },
  { name: 'custom: at inMin', ir: 1000, mapping: CUSTOM },
  { name: 'custom: middle', ir: 2000, mapping: CUSTOM },
  { name: 'custom: at inMax', ir: 3000, mapping: CUSTOM },
  { name: 'custom: above inMax clamps to outMax', ir: 3001, mapping: CUSTOM },
  { name: 'custom inverted: at inMin gives outMax', ir: 1000, mapping: { ...CUSTOM, invert: true } },
  { name: 'custom inverted: at inMax gives outMin', ir: 3000, mapping: { ...CUSTOM, invert: true } },
  { name: 'custom inverted: below range clamps', ir: 0, mapping: { ...CUSTOM, invert: true } },
  { name: 'tie 0.5 rounds up', ir: 1, mapping: TIES },
  { name: 'tie 1.5 rounds up', ir: 3, mapping: TIES },
  { name: 'inverted tie: mirrored input 3 gives 1.5, rounds up', ir: 1, mapping: { ...TIES, invert: true } },
  { name: 'inverted tie: mirrored input 1 gives 0.5, rounds up', ir: 3, mapping: { ...TIES, invert: true } },
  { name: 'one-step range: below', ir: 99, mapping: m(100, 101, 0, 180) },
  { name: 'one-step range: at inMax', ir: 101, mapping: m(100, 101, 0, 180) },
  { name: 'one-degree output: tie at 2047 of 4094', ir: 2047, mapping: m(0, 4094, 0, 1) },
];

const INVALID_MAPPINGS: ReadonlyArray<{ name: string; mapping: Mapping; field: string }> = [
  { name: 'inMin equals inMax', mapping: m(2000, 2000, 0, 180), field: 'mapping.inMax' },
  { name: 'inMin above inMax', mapping: m(3000, 1000, 0, 180), field: 'mapping.inMax' },
  { name: 'outMin equals outMax', mapping: m(0, 4095, 90, 90), field: 'mapping.outMax' },
  { name: 'outMin above outMax', mapping: m(0, 4095, 180, 0), field: 'mapping.outMax' },
  { name: 'outMax above 180', mapping: m(0, 4095, 0, 181), field: 'mapping.outMax' },
  { name: 'outMin below 0', mapping: m(0, 4095, -1, 180), field: 'mapping.outMin' },
  { name: 'inMax above 4095', mapping: m(0, 4096, 0, 180), field: 'mapping.inMax' },
  { name: 'inMin below 0', mapping: m(-1, 4095, 0, 180), field: 'mapping.inMin' },
];

const SWEEPS: ReadonlyArray<{ name: string; mapping: Mapping }> = [
  { name: 'default mapping, every reading', mapping: DEFAULT_MAPPING },
  { name: 'custom inverted mapping, every reading', mapping: m(500, 3500, 10, 170, true) },
];

const LCD_INPUTS: ReadonlyArray<{ name: string; ir: number | null; angle: number | null }> = [
  { name: 'typical', ir: 2048, angle: 90 },
  { name: 'zeros', ir: 0, angle: 0 },
  { name: 'largest values', ir: 4095, angle: 180 },
  { name: 'one-digit angle', ir: 7, angle: 5 },
  { name: 'no reading yet', ir: null, angle: null },
  { name: 'reading without angle', ir: 1234, angle: null },
  { name: 'ir above range', ir: 4096, angle: 90 },
  { name: 'negative ir', ir: -1, angle: 90 },
  { name: 'huge ir', ir: 1e15, angle: 90 },
  { name: 'fractional ir', ir: 12.5, angle: 90 },
  { name: 'angle above range', ir: 100, angle: 181 },
  { name: 'negative angle', ir: 100, angle: -1 },
  { name: 'huge angle', ir: 100, angle: 1e15 },
  { name: 'fractional angle', ir: 100, angle: 90.5 },
];

export interface FixtureTable {
  formatVersion: number;
  about: string;
  limits: Record<string, number>;
  mapping: Array<{ name: string; ir: number; mapping: Mapping; angle: number }>;
  invalidMappings: Array<{ name: string; mapping: Mapping; field: string }>;
  sweeps: Array<{ name: string; mapping: Mapping; irFrom: number; angles: number[] }>;
  lcd: Array<{ name: string; ir: number | null; angle: number | null; line1: string; line2: string }>;
}

/** Builds the table; throws if an "invalid" mapping is accepted or rejected on another field. */
export function buildFixtureTable(): FixtureTable {
  const invalidMappings = INVALID_MAPPINGS.map((c) => {
    try {
      mapReadingToAngle(0, c.mapping);
    } catch (err) {
      if (err instanceof ContractError && err.code === 'invalid-mapping' && err.field === c.field) {
        return { ...c };
      }
      throw new Error(`fixture "${c.name}": rejected with ${String(err)}, expected field ${c.field}`, { cause: err });
    }
    throw new Error(`fixture "${c.name}": mapping was accepted, expected a rejection`);
  });
  const irs = Array.from({ length: IR_MAX - IR_MIN + 1 }, (_, i) => IR_MIN + i);
  return {
    formatVersion: FIXTURES_FORMAT_VERSION,
    about:
      'Generated by model/scripts/generate-fixtures.mjs from @firelink/model; do not edit. ' +
      'limits: the ranges the device must enforce. mapping: ir + calibration -> integer angle. invalidMappings: calibrations to reject, with the field named. ' +
      'sweeps: angles[i] is the angle of ir = irFrom + i. lcd: ir/angle (null = none) -> the two LCD lines.',
    limits: {
      IR_MIN,
      IR_MAX,
      ANGLE_MIN,
      ANGLE_MAX,
      SAMPLE_MS_MIN,
      SAMPLE_MS_MAX,
      HEARTBEAT_MS_MIN,
      HEARTBEAT_MS_MAX,
      SEQ_MAX,
      LCD_COLUMNS,
      HEAP_MAX_BYTES,
    },
    mapping: MAPPING_INPUTS.map((c) => ({ ...c, angle: mapReadingToAngle(c.ir, c.mapping) })),
    invalidMappings,
    sweeps: SWEEPS.map((s) => ({
      name: s.name,
      mapping: s.mapping,
      irFrom: IR_MIN,
      angles: irs.map((ir) => mapReadingToAngle(ir, s.mapping)),
    })),
    lcd: LCD_INPUTS.map((c) => ({ ...c, ...formatLcd({ ir: c.ir, angle: c.angle }) })),
  };
}

/** The file's exact text: two-space JSON, number arrays kept on one line, trailing newline. */
export function serializeFixtureTable(table: FixtureTable): string {
  const json = JSON.stringify(table, null, 2);
  return `${json.replace(/\[\s*(-?\d+(?:,\s*-?\d+)*)\s*\]/g, (_, inner: string) => `[${inner.replace(/\s+/g, '')}]`)}\n`;
}
