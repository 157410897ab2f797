// The project's own database.rules.json must compile: it is what every environment enforces.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRules } from './index.js';

const source = readFileSync(new URL('../../../database.rules.json', import.meta.url), 'utf8');

describe('database.rules.json', () => {
  it('compiles with the rules engine', () => {
    const ruleset = compileRules(source);
    expect(ruleset.source).toBe(source);
    expect(ruleset.indexOn(['devices', 'd1', 'readings'])).toContain('ts');
  });
});
