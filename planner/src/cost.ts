/**
 * Monthly usage and cost of a plan, from prices.ts. Pure. Free tiers are per project (database)
 * or per billing account (Cloud Run): both are applied once.
 */
import { SCHEDULED_FUNCTIONS, SCHEDULE_PERIOD_MS } from '@firelink/model';
import { BYTES_PER_GB, BYTES_PER_GIB, FUNCTION_DEFAULTS, JOBS, SECONDS_PER_MONTH } from './assumptions.js';
import type { Plan } from './plan.js';
import { AUTH_IDENTITY_PLATFORM_MAU_TIERS, PRICES, type Price, type Tier } from './prices.js';

export type AuthPlan = 'identity-platform' | 'firebase';

export interface CostInput {
  /** Busy time of one trigger invocation. */
  functionMs: number;
  /** Requests one function instance serves at once (firebase-functions v2 default 80). */
  concurrency: number;
  /** Signed-in dashboard users (devices sign in too: MAU = devices + owners). */
  owners: number;
  auth: AuthPlan;
}

export interface CostLine {
  item: string;
  usage: number;
  unit: string;
  free: number;
  billable: number;
  usdPerUnit: number | 'tiered';
  usd: number;
}

export interface Cost {
  lines: CostLine[];
  totalUsd: number;
  downloadGb: number;
}

function metered(item: string, usage: number, price: Price): CostLine {
  const billable = Math.max(0, usage - price.freePerMonth);
  return { item, usage, unit: price.unit, free: price.freePerMonth, billable, usdPerUnit: price.usd, usd: billable * price.usd };
}

/** Graduated tiers: each unit costs the price of the tier it falls in. */
export function tieredUsd(count: number, tiers: readonly Tier[]): number {
  let usd = 0;
  tiers.forEach((tier, i) => {
    const end = tiers[i + 1]?.fromCount ?? Number.POSITIVE_INFINITY;
    const inTier = Math.max(0, Math.min(count, end) - tier.fromCount);
    usd += inTier * tier.usd;
  });
  return usd;
}

export function monthlyCost(plan: Plan, input: CostInput): Cost {
  const devices = plan.input.devices;
  const perDevice = plan.perDevice;
  const storageGb = (perDevice.storageBytes.total * devices) / BYTES_PER_GB;
  const downloadGb = (perDevice.downloadBytesPerSecond.total * devices * SECONDS_PER_MONTH) / BYTES_PER_GB;
  const triggerInvocations = perDevice.invocationsPerSecond * devices * SECONDS_PER_MONTH;
  const scheduledInvocations = (SCHEDULED_FUNCTIONS * SECONDS_PER_MONTH) / (SCHEDULE_PERIOD_MS / 1000);
  const invocationsMillions = (triggerInvocations + scheduledInvocations) / 1e6;
  // Instances bill while they serve; `concurrency` requests share one instance's time.
  const triggerInstanceSeconds = (triggerInvocations * input.functionMs) / 1000 / input.concurrency;
  const runsPerMonth = SECONDS_PER_MONTH / (SCHEDULE_PERIOD_MS / 1000);
  // A run past its timeout is stopped, and billed, at the timeout.
  const jobInstanceSeconds = plan.jobs.reduce((sum, job) => sum + Math.min(job.seconds, JOBS.timeoutS), 0) * runsPerMonth;
  const instanceSeconds = triggerInstanceSeconds + jobInstanceSeconds;
  const vcpuSeconds = instanceSeconds * FUNCTION_DEFAULTS.cpu;
  const gibSeconds = (instanceSeconds * FUNCTION_DEFAULTS.memoryMiB * 2 ** 20) / BYTES_PER_GIB;
  const mau = devices + input.owners;
  const authUsd = input.auth === 'identity-platform' ? tieredUsd(mau, AUTH_IDENTITY_PLATFORM_MAU_TIERS) : 0;
  const lines: CostLine[] = [
    metered(`RTDB storage (readings, ${plan.input.months} months of rollups)`, storageGb, PRICES.rtdbStorageGbMonth),
    metered('RTDB download', downloadGb, PRICES.rtdbDownloadGb),
    metered('Function invocations', invocationsMillions, PRICES.functionInvocationsMillion),
    metered('Function CPU', vcpuSeconds, PRICES.functionVcpuSecond),
    metered('Function memory', gibSeconds, PRICES.functionGibSecond),
    {
      item: `Auth (${input.auth})`,
      usage: mau,
      unit: 'MAU',
      free: input.auth === 'identity-platform' ? 50_000 : mau,
      billable: input.auth === 'identity-platform' ? Math.max(0, mau - 50_000) : 0,
      usdPerUnit: 'tiered',
      usd: authUsd,
    },
  ];
  return { lines, totalUsd: lines.reduce((sum, line) => sum + line.usd, 0), downloadGb };
}
