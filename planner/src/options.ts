/**
 * The planner's options: defaults in one literal, each flag parsed and range-checked by commander
 * (`InvalidArgumentError` names the flag and the value), the result frozen.
 */
import { InvalidArgumentError } from 'commander';
import { DEFAULT_CONFIG, HEARTBEAT_MS_MAX, HEARTBEAT_MS_MIN, SAMPLE_MS_MAX, SAMPLE_MS_MIN } from '@firelink/model';
import { FUNCTION_DEFAULTS, TRANSPORTS, type Transport } from './assumptions.js';
import type { AuthPlan } from './cost.js';

export interface PlannerOptions {
  devices: number;
  sampleMs: number;
  heartbeatMs: number;
  transport: Transport;
  watchersPerDevice: number;
  zoneSize: number;
  retentionRead: 'current' | 'fixed';
  headroom: number;
  instances: number;
  months: number;
  owners: number;
  auth: AuthPlan;
  functionMs: number;
  concurrency: number;
  dbRttMs: number;
  json: boolean;
}

export const DEFAULTS: Readonly<Omit<PlannerOptions, 'devices'>> = Object.freeze({
  sampleMs: DEFAULT_CONFIG.sampleMs,
  heartbeatMs: DEFAULT_CONFIG.heartbeatMs,
  transport: 'rest',
  watchersPerDevice: 0,
  zoneSize: 0,
  retentionRead: 'current',
  headroom: 0.3,
  instances: 0,
  months: 12,
  owners: 0,
  auth: 'identity-platform',
  functionMs: 100,
  concurrency: FUNCTION_DEFAULTS.concurrency,
  dbRttMs: 20,
  json: false,
});

export const TRANSPORT_NAMES = Object.keys(TRANSPORTS) as Transport[];
export const AUTH_PLANS: readonly AuthPlan[] = ['identity-platform', 'firebase'];

const fmt = (n: number) => n.toLocaleString('en-US');

/** A commander argument parser: a number in [min, max], whole when `integer`. */
export function numberIn(min: number, max: number, integer: boolean, what: string): (value: string) => number {
  return (value: string) => {
    const n = value.trim() === '' ? Number.NaN : Number(value.replaceAll('_', ''));
    const ok = Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n));
    if (!ok) {
      throw new InvalidArgumentError(
        `must be ${integer ? 'a whole number' : 'a number'} of ${what} from ${fmt(min)} to ${fmt(max)} (got "${value}")`,
      );
    }
    return n;
  };
}

export const PARSERS = Object.freeze({
  devices: numberIn(1, 100_000_000, true, 'devices'),
  sampleMs: numberIn(SAMPLE_MS_MIN, SAMPLE_MS_MAX, true, 'milliseconds (the rules accept this sampleMs range)'),
  heartbeatMs: numberIn(HEARTBEAT_MS_MIN, HEARTBEAT_MS_MAX, true, 'milliseconds (the rules accept this heartbeatMs range)'),
  watchersPerDevice: numberIn(0, 1000, false, 'open dashboards per device'),
  zoneSize: numberIn(0, 100_000, true, 'devices per zone'),
  headroom: numberIn(0, 0.9, false, 'each limit kept free (0.3 = use at most 70 %)'),
  instances: numberIn(0, 100_000, true, 'database instances in use (0: plan the count)'),
  months: numberIn(0, 120, true, 'months of rollups kept'),
  owners: numberIn(0, 100_000_000, true, 'owners signing in per month'),
  functionMs: numberIn(1, 540_000, true, 'milliseconds per trigger invocation'),
  concurrency: numberIn(1, 1000, true, 'requests per function instance (Cloud Run allows 1..1000)'),
  dbRttMs: numberIn(1, 10_000, true, 'milliseconds per database round trip'),
});
