/**
 * A fleet against the per-instance limits: totals, instances needed with headroom, and what each
 * instance then carries. Devices are assumed spread evenly (the least-loaded shard choice,
 * model/src/shards.ts). Pure.
 */
import { RTDB_INSTANCE_LIMITS, SCHEDULED_FUNCTIONS, SCHEDULE_PERIOD_MS } from '@firelink/model';
import { JOBS } from './assumptions.js';
import { deviceLoad, type DeviceLoad, type DeviceProfile } from './load.js';

export interface PlanInput extends DeviceProfile {
  devices: number;
  /** Fraction of every limit kept free (0.3 = plan to use at most 70 %). */
  headroom: number;
  /** Round trip from a function to the database, for the scheduled jobs' pass time. */
  dbRttMs: number;
  /** Instances the fleet runs on now (0: plan the count). Per-instance load is shown at it. */
  instances?: number;
}

export type LimitName = keyof typeof RTDB_INSTANCE_LIMITS;
export const LIMIT_NAMES = Object.keys(RTDB_INSTANCE_LIMITS) as LimitName[];
export const LIMIT_LABELS: Readonly<Record<LimitName, string>> = Object.freeze({
  writesPerSecond: 'writes/s',
  connections: 'connections',
  responsesPerSecond: 'responses/s',
  eventBytesPerSecond: 'event bytes/s to functions',
});

export interface LimitCheck {
  name: LimitName;
  /** Whole fleet, per second (connections: at once). */
  fleetTotal: number;
  limit: number;
  /** limit * (1 - headroom). */
  usable: number;
  /** ceil(fleetTotal / usable). */
  instancesNeeded: number;
  /** Per instance once the plan's instance count is used. */
  perInstance: number;
  /** perInstance / limit. */
  utilization: number;
}

export interface JobPass {
  name: keyof typeof JOBS.roundTrips;
  /** One run over every device of every shard (shards are visited one after another). */
  seconds: number;
}

export interface Plan {
  input: PlanInput;
  perDevice: DeviceLoad;
  checks: LimitCheck[];
  /** Instances the per-instance figures use: `input.instances` when given, else `plannedInstances`. */
  instances: number;
  /** Instances needed with headroom: at least 1. */
  plannedInstances: number;
  /** Instances at 100 % of the binding limit (no headroom). */
  instancesWithoutHeadroom: number;
  binding: LimitName;
  devicesPerInstance: number;
  /** Trigger plus scheduled invocations per second, whole project. */
  invocationsPerSecond: number;
  jobs: JobPass[];
  warnings: string[];
}

export function plan(input: PlanInput): Plan {
  const perDevice = deviceLoad(input);
  const totals: Record<LimitName, number> = {
    writesPerSecond: perDevice.writesPerSecond.total * input.devices,
    connections: perDevice.connections * input.devices,
    responsesPerSecond: perDevice.responsesPerSecond * input.devices,
    eventBytesPerSecond: perDevice.eventBytesPerSecond * input.devices,
  };
  const needed = (name: LimitName, share: number) =>
    Math.max(1, Math.ceil(totals[name] / (RTDB_INSTANCE_LIMITS[name] * share)));
  let binding: LimitName = 'writesPerSecond';
  for (const name of LIMIT_NAMES) if (needed(name, 1 - input.headroom) > needed(binding, 1 - input.headroom)) binding = name;
  const planned = needed(binding, 1 - input.headroom);
  const instances = input.instances !== undefined && input.instances > 0 ? input.instances : planned;
  const instancesWithoutHeadroom = Math.max(...LIMIT_NAMES.map((name) => needed(name, 1)));
  const checks = LIMIT_NAMES.map((name): LimitCheck => {
    const limit = RTDB_INSTANCE_LIMITS[name];
    const perInstance = totals[name] / instances;
    return {
      name,
      fleetTotal: totals[name],
      limit,
      usable: limit * (1 - input.headroom),
      instancesNeeded: needed(name, 1 - input.headroom),
      perInstance,
      utilization: perInstance / limit,
    };
  });

  const batches = Math.ceil(input.devices / JOBS.deviceConcurrency);
  const jobs = (Object.keys(JOBS.roundTrips) as JobPass['name'][]).map((name) => ({
    name,
    seconds: (batches * JOBS.roundTrips[name] * input.dbRttMs) / 1000,
  }));
  const periodS = SCHEDULE_PERIOD_MS / 1000;
  const warnings: string[] = [];
  for (const c of checks) {
    if (c.perInstance > c.usable) {
      warnings.push(
        `at ${instances} instance${instances === 1 ? '' : 's'}, ${LIMIT_LABELS[c.name]} per instance is ${Math.round(c.perInstance)} ` +
          `(${Math.round(c.utilization * 100)} % of the limit, more than the ${Math.round((1 - input.headroom) * 100)} % usable): ` +
          `${c.instancesNeeded} are needed, add ${c.instancesNeeded - instances}.`,
      );
    }
  }
  const slowest = jobs.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  if (slowest.seconds > JOBS.timeoutS) {
    warnings.push(
      `scheduled job ${slowest.name} needs about ${Math.round(slowest.seconds)} s per run over ${input.devices} devices ` +
        `(16 at a time, ${input.dbRttMs} ms per round trip), past its ${JOBS.timeoutS} s timeout: runs fail and devices go unvisited. ` +
        'The jobs must fan out per shard (one run per shard, or a task queue) before this fleet size.',
    );
  } else if (slowest.seconds > periodS) {
    warnings.push(
      `scheduled job ${slowest.name} needs about ${Math.round(slowest.seconds)} s per run, longer than the ${periodS} s schedule: ` +
        'runs overlap; fan the jobs out per shard.',
    );
  }
  const retentionShare = perDevice.downloadBytesPerSecond.retentionJob / perDevice.downloadBytesPerSecond.total;
  if (retentionShare > 0.5) {
    warnings.push(
      `${Math.round(retentionShare * 100)} % of the download is pruneReadings re-reading the newest ${perDevice.readingsKept} readings ` +
        'of every device every run (functions/src/retention-job.ts count query); a keys-only or cursor-based count would remove it ' +
        '(--retention-read fixed shows the plan without it).',
    );
  }
  if (input.months > 0) {
    warnings.push('rollups are never pruned, so storage grows every month; the figure is after --months of them.');
  }
  return {
    input,
    perDevice,
    checks,
    instances,
    plannedInstances: planned,
    instancesWithoutHeadroom,
    binding,
    devicesPerInstance: Math.ceil(input.devices / instances),
    invocationsPerSecond: perDevice.invocationsPerSecond * input.devices + SCHEDULED_FUNCTIONS / periodS,
    jobs,
    warnings,
  };
}
