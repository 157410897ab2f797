import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, formatLcd } from '@firelink/model';
import { writableMappingCases } from '../test/support/fixtures.js';
import { SERVER_TIMESTAMP, parseState, planReadingUpdate, resolveConfig, storedMapping } from './readings.js';

const base = { deviceId: 'dev-1', readingId: 'r5', config: null, state: null };
const state = (seq: number, readingId = `r${seq}`) => ({
  angle: 10,
  ir: 100,
  readingId,
  seq,
  lcd: { line1: 'IR 100', line2: 'Servo  10 deg' },
  ts: 1_700_000_000_000,
});

describe('planReadingUpdate', () => {
  it('maps every writable case of mapping-cases.json to its angle and LCD lines in one update', () => {
    const cases = writableMappingCases();
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const plan = planReadingUpdate({ ...base, reading: { ir: c.ir, seq: 1 }, config: { ...DEFAULT_CONFIG, mapping: c.mapping } });
      expect(plan.kind, c.name).toBe('map');
      if (plan.kind !== 'map') continue;
      expect(plan.state.angle, c.name).toBe(c.angle);
      expect(plan.updates).toEqual({
        'devices/dev-1/state': {
          angle: c.angle,
          ir: c.ir,
          readingId: 'r5',
          seq: 1,
          lcd: formatLcd({ ir: c.ir, angle: c.angle }),
          ts: SERVER_TIMESTAMP,
          // The calibration it was computed with, as stored (the rules compare the two).
          mapping: c.mapping,
        },
        'devices/dev-1/readings/r5/ts': SERVER_TIMESTAMP,
      });
    }
  });

  it('maps a reading newer than the state', () => {
    const plan = planReadingUpdate({ ...base, reading: { ir: 4095, seq: 6 }, state: state(5, 'r-old') });
    expect(plan.kind).toBe('map');
    if (plan.kind === 'map') expect(plan.state).toMatchObject({ angle: 180, seq: 6, readingId: 'r5' });
  });

  it('only stamps a reading older than the state (out of order) and keeps the newer state', () => {
    const plan = planReadingUpdate({ ...base, reading: { ir: 4095, seq: 4 }, state: state(5) });
    expect(plan).toEqual({ kind: 'stale', stateSeq: 5, updates: { 'devices/dev-1/readings/r5/ts': SERVER_TIMESTAMP } });
  });

  it('treats a second reading with the state seq as a duplicate (dedupe by device and seq)', () => {
    const plan = planReadingUpdate({ ...base, readingId: 'other', reading: { ir: 1, seq: 5 }, state: state(5) });
    expect(plan.kind).toBe('stale');
  });

  it('writes nothing for a replay of a handled reading', () => {
    expect(planReadingUpdate({ ...base, reading: { ir: 1, seq: 5, ts: 123 }, state: state(5, 'r5') })).toEqual({ kind: 'replay' });
    expect(planReadingUpdate({ ...base, reading: { ir: 1, seq: 4, ts: 123 }, state: state(5) })).toEqual({ kind: 'replay' });
  });

  it('keeps a ts that is already there when mapping', () => {
    const plan = planReadingUpdate({ ...base, reading: { ir: 1, seq: 1, ts: 99 } });
    expect(plan.kind === 'map' && Object.keys(plan.updates)).toEqual(['devices/dev-1/state']);
  });

  it('rejects a value that is not a reading, naming the field', () => {
    const plan = planReadingUpdate({ ...base, reading: { ir: 5000, seq: 1 } });
    expect(plan.kind).toBe('invalid');
    if (plan.kind === 'invalid') expect(plan.problem).toContain('reading.ir');
    expect(planReadingUpdate({ ...base, reading: { ir: 1, seq: 1, extra: true } }).kind).toBe('invalid');
  });

  it('maps with the default config when the stored one is missing or broken', () => {
    expect(resolveConfig(null)).toEqual({ config: DEFAULT_CONFIG });
    const broken = resolveConfig({ mapping: { inMin: 10, inMax: 5 } });
    expect(broken.config).toEqual(DEFAULT_CONFIG);
    expect(broken.problem).toMatch(/config\./);
    const plan = planReadingUpdate({ ...base, reading: { ir: 4095, seq: 1 }, config: { sampleMs: -1 } });
    expect(plan.kind === 'map' && plan.state.angle).toBe(180);
  });

  it('treats an unusable stored state as absent', () => {
    expect(planReadingUpdate({ ...base, reading: { ir: 0, seq: 0 }, state: { seq: 'x' } }).kind).toBe('map');
  });
});

describe("the state's mapping", () => {
  it('copies the stored config/mapping as is, valid or not, and is absent without one', () => {
    expect(storedMapping(DEFAULT_CONFIG)).toEqual(DEFAULT_CONFIG.mapping);
    // An admin-written invalid mapping is copied too: the rules compare the copy with the store.
    expect(storedMapping({ mapping: { inMin: 9, inMax: 1, outMin: 'x', invert: { deep: true } } })).toEqual({ inMin: 9, inMax: 1, outMin: 'x' });
    expect(storedMapping(null)).toBeUndefined();
    expect(storedMapping({ sampleMs: 1000 })).toBeUndefined();
    expect(storedMapping({ mapping: 5 })).toBeUndefined();
  });

  it('maps with the defaults and carries no mapping when none is stored', () => {
    const plan = planReadingUpdate({ deviceId: 'dev-1', readingId: 'r1', reading: { ir: 4095, seq: 1 }, config: null, state: null });
    expect(plan.kind === 'map' && plan.state).toMatchObject({ angle: 180 });
    expect(plan.kind === 'map' && 'mapping' in plan.state).toBe(false);
  });

  it('never makes a stored state unusable for the seq check, even when its copy is invalid', () => {
    const stored = { angle: 90, ir: 2048, readingId: 'r0', seq: 10, lcd: formatLcd({ ir: 2048, angle: 90 }), ts: 1, mapping: { inMin: 9, inMax: 1 } };
    expect(parseState(stored)).toMatchObject({ seq: 10, readingId: 'r0' });
  });
});
