import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildFixtureTable, serializeFixtureTable } from './fixtures.js';

const FILE = new URL('../fixtures/mapping-cases.json', import.meta.url);

describe('fixtures/mapping-cases.json', () => {
  it('is current (regenerate with `npm run fixtures -w model`)', () => {
    const committed = readFileSync(FILE, 'utf8');
    expect(committed === serializeFixtureTable(buildFixtureTable()), 'fixtures/mapping-cases.json is stale: run `npm run fixtures -w model`').toBe(true);
  });

  it('covers the cases the firmware must reproduce', () => {
    const table = JSON.parse(readFileSync(FILE, 'utf8')) as ReturnType<typeof buildFixtureTable>;
    const names = table.mapping.map((c) => c.name).join('\n');
    for (const topic of ['clamps', 'inverted', 'tie', 'highest', 'lowest']) expect(names).toContain(topic);
    expect(table.invalidMappings.map((c) => c.name)).toContain('inMin equals inMax');
    expect(table.sweeps.every((s) => s.angles.length === 4096)).toBe(true);
    expect(table.lcd.some((c) => c.line1 === 'IR --')).toBe(true);
    for (const c of table.lcd) {
      expect(c.line1.length).toBeLessThanOrEqual(16);
      expect(c.line2.length).toBeLessThanOrEqual(16);
    }
  });

  it('keeps hand-checked values (the table is generated, these pin it)', () => {
    const table = buildFixtureTable();
    const angle = (name: string) => table.mapping.find((c) => c.name === name)?.angle;
    expect(angle('default: middle high')).toBe(90);
    expect(angle('tie 0.5 rounds up')).toBe(1);
    expect(angle('custom inverted: at inMin gives outMax')).toBe(150);
    expect(table.sweeps[0]?.angles.slice(0, 13)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(table.lcd.find((c) => c.name === 'typical')).toMatchObject({ line1: 'IR 2048', line2: 'Servo  90 deg' });
  });

  it('serializes number arrays on one line and ends with a newline', () => {
    const text = serializeFixtureTable(buildFixtureTable());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toMatch(/"angles": \[0,0,0,/);
  });
});

describe('fixture limits', () => {
  it('mirror src/limits.ts', async () => {
    const limits = await import('./limits.js');
    const table = buildFixtureTable();
    for (const [name, value] of Object.entries(table.limits)) {
      expect(value, name).toBe((limits as Record<string, unknown>)[name]);
    }
    expect(Object.keys(table.limits)).toContain('IR_MAX');
  });
});
