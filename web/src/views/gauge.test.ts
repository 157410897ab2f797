import { describe, expect, it } from 'vitest';
import { needlePoint } from './gauge.js';

describe('servo gauge', () => {
  it('points left at 0°, up at 90°, right at 180°, clamped outside', () => {
    expect(needlePoint(0, 100, 100, 80)).toEqual([20, 100]);
    expect(needlePoint(90, 100, 100, 80)).toEqual([100, 20]);
    expect(needlePoint(180, 100, 100, 80)).toEqual([180, 100]);
    expect(needlePoint(270, 100, 100, 80)).toEqual([180, 100]);
  });
});
