// Realistic sensor signal for one simulated device: an IR proximity sensor (12-bit ADC, higher =
// closer) watching objects approach, linger and leave, with Gaussian noise and rare spikes
// (electrical glitches read as full-scale or zero), plus slow temperature and light drifts
// (light is a raw ADC value like IR, as in the model).
// Time and randomness are injected so a seed and a clock reproduce a run exactly.
import { IR_MAX, LIGHT_MAX } from '@firelink/model';
import { gaussian, type RandomSource } from '../random.js';

export { IR_MAX };

export interface SensorSample {
  ir: number;
  temp: number;
  light: number;
}

export interface SignalOptions {
  random: RandomSource;
  /** Gaussian noise on the IR channel, ADC counts (1 sigma). */
  irNoise: number;
  /** Probability that one sample is a spike. */
  spikeProbability: number;
  /** Ambient IR level with nothing in front, ADC counts. */
  irAmbient: number;
  /** Mean temperature, degrees Celsius. */
  tempMeanC: number;
  /** Mean light level, raw 12-bit ADC of the photoresistor divider (the model's unit). */
  lightMean: number;
}

export const DEFAULT_SIGNAL: Omit<SignalOptions, 'random'> = {
  irNoise: 25,
  spikeProbability: 0.01,
  irAmbient: 180,
  tempMeanC: 22,
  lightMean: 1_800,
};

type Phase = 'idle' | 'approach' | 'near' | 'leave';

const NEXT_PHASE: Record<Phase, Phase> = { idle: 'approach', approach: 'near', near: 'leave', leave: 'idle' };
/** Phase durations, ms [min, max). */
const PHASE_MS: Record<Phase, [number, number]> = {
  idle: [3_000, 10_000],
  approach: [1_000, 4_000],
  near: [500, 3_000],
  leave: [1_000, 4_000],
};
const TEMP_PERIOD_MS = 10 * 60_000;
const LIGHT_PERIOD_MS = 30 * 60_000;

export class SignalGenerator {
  private readonly options: SignalOptions;
  private phase: Phase = 'idle';
  private phaseStartMs: number | null = null;
  private phaseLengthMs = 0;
  private peak = 0;
  private readonly phaseOffset: number;

  constructor(options: Partial<SignalOptions> & { random: RandomSource }) {
    this.options = { ...DEFAULT_SIGNAL, ...options };
    // Desynchronise devices of a fleet: each starts somewhere in its slow cycles.
    this.phaseOffset = this.options.random();
  }

  /** Current phase, for the terminal view and tests. */
  get currentPhase(): Phase {
    return this.phase;
  }

  sample(nowMs: number): SensorSample {
    const { random } = this.options;
    this.advance(nowMs);
    const elapsed = nowMs - (this.phaseStartMs ?? nowMs);
    const progress = this.phaseLengthMs > 0 ? Math.min(1, elapsed / this.phaseLengthMs) : 1;
    // Smoothstep: objects slow down near the ends of their approach.
    const ease = progress * progress * (3 - 2 * progress);
    const span = this.peak - this.options.irAmbient;
    let level = this.options.irAmbient;
    if (this.phase === 'approach') level += span * ease;
    else if (this.phase === 'near') level = this.peak;
    else if (this.phase === 'leave') level += span * (1 - ease);
    let ir = level + gaussian(random) * this.options.irNoise;
    if (random() < this.options.spikeProbability) ir = random() < 0.5 ? IR_MAX : 0;
    const cycle = (periodMs: number) => Math.sin(2 * Math.PI * (nowMs / periodMs + this.phaseOffset));
    const temp = this.options.tempMeanC + 1.5 * cycle(TEMP_PERIOD_MS) + gaussian(random) * 0.05;
    const light = this.options.lightMean * (1 + 0.4 * cycle(LIGHT_PERIOD_MS)) + gaussian(random) * 8;
    return {
      ir: Math.round(Math.min(IR_MAX, Math.max(0, ir))),
      temp: Math.round(temp * 10) / 10,
      light: Math.round(Math.min(LIGHT_MAX, Math.max(0, light))),
    };
  }

  private advance(nowMs: number): void {
    if (this.phaseStartMs === null) {
      this.startPhase('idle', nowMs - this.options.random() * PHASE_MS.idle[0]);
    }
    // A long pause (process suspended) may skip several phases.
    while (this.phaseStartMs !== null && nowMs - this.phaseStartMs >= this.phaseLengthMs) {
      this.startPhase(NEXT_PHASE[this.phase], this.phaseStartMs + this.phaseLengthMs);
    }
  }

  private startPhase(phase: Phase, startMs: number): void {
    const { random } = this.options;
    const [minMs, maxMs] = PHASE_MS[phase];
    this.phase = phase;
    this.phaseStartMs = startMs;
    this.phaseLengthMs = minMs + random() * (maxMs - minMs);
    if (phase === 'approach') this.peak = 2_400 + random() * 1_600;
  }
}
