import { describe, expect, it } from 'vitest';
import { IR_MAX, SignalGenerator } from './signal.js';
import { seededRandom } from '../random.js';

function run(seed: number, samples: number, stepMs = 100, overrides = {}) {
  const gen = new SignalGenerator({ random: seededRandom(seed), ...overrides });
  const out = [];
  for (let i = 0; i < samples; i += 1) out.push({ ...gen.sample(1_000_000 + i * stepMs), phase: gen.currentPhase });
  return out;
}

describe('SignalGenerator', () => {
  it('is reproducible from a seed and a clock', () => {
    expect(run(7, 200)).toEqual(run(7, 200));
    expect(run(7, 200)).not.toEqual(run(8, 200));
  });

  it('keeps every channel in its physical range', () => {
    for (const s of run(1, 5_000)) {
      expect(Number.isInteger(s.ir)).toBe(true);
      expect(s.ir).toBeGreaterThanOrEqual(0);
      expect(s.ir).toBeLessThanOrEqual(IR_MAX);
      expect(s.temp).toBeGreaterThan(15);
      expect(s.temp).toBeLessThan(30);
      expect(Number.isInteger(s.light)).toBe(true);
      expect(s.light).toBeGreaterThanOrEqual(0);
      expect(s.light).toBeLessThanOrEqual(4095);
    }
  });

  it('shows objects approaching and leaving: far readings low, near readings high', () => {
    const samples = run(3, 3_000, 100, { spikeProbability: 0 });
    const phases = new Set(samples.map((s) => s.phase));
    expect(phases).toEqual(new Set(['idle', 'approach', 'near', 'leave']));
    const mean = (phase: string) => {
      const xs = samples.filter((s) => s.phase === phase).map((s) => s.ir);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('idle')).toBeLessThan(400);
    expect(mean('near')).toBeGreaterThan(2_000);
    expect(mean('approach')).toBeGreaterThan(mean('idle'));
    expect(mean('approach')).toBeLessThan(mean('near'));
  });

  it('adds noise, and spikes only when asked', () => {
    const noisy = run(4, 50, 10, { spikeProbability: 0 }).filter((s) => s.phase === 'idle').map((s) => s.ir);
    expect(new Set(noisy).size).toBeGreaterThan(5);
    const spiky = run(5, 2_000, 100, { spikeProbability: 0.5 });
    expect(spiky.filter((s) => s.ir === IR_MAX || s.ir === 0).length).toBeGreaterThan(500);
    const calm = run(5, 2_000, 100, { spikeProbability: 0 });
    expect(calm.filter((s) => s.ir === IR_MAX || s.ir === 0).length).toBe(0);
  });
});
