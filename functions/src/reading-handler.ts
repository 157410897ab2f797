/**
 * The I/O half of `onReadingCreated`: reads what the plan needs (full admin, the event's database),
 * writes the plan's one update as the rules-guarded functions identity (writer.ts), and when the
 * rules refuse it because a newer state or a stamp landed meanwhile, plans again from fresh data.
 *
 * Reads per reading: the reading, config and state (3 gets, in parallel). Writes: one (readings.ts).
 */
import type { Reference } from 'firebase-admin/database';
import { configPath, readingPath, statePath } from '@firelink/model';
import { logs } from './logs.js';
import { planReadingUpdate, resolveConfig, type ReadingPlan } from './readings.js';
import { KeyedSerializer } from './serial.js';
import { isPermissionDenied } from './writer.js';

export type ReadingOutcome = ReadingPlan['kind'] | 'gone';

export interface ReadingDatabases {
  /** Reads: full admin on the event's database. */
  reader: Reference;
  /** Writes: the same database as the rules-guarded functions identity. */
  writer: Reference;
  /** Test hook: runs between planning and writing (to stage a lost race). */
  beforeWrite?: (plan: ReadingPlan, attempt: number) => Promise<void>;
}

/** A plan is retried after a refused write at most this often; each retry sees fresher data. */
const MAX_ATTEMPTS = 3;

const perDevice = new KeyedSerializer();

export function handleReadingCreated(dbs: ReadingDatabases, deviceId: string, readingId: string): Promise<ReadingOutcome> {
  // One device's events one after another in this instance: a backlog maps in order without
  // refused writes. Across instances the rules keep the write conditional.
  return perDevice.run(deviceId, () => processReading(dbs, deviceId, readingId));
}

async function processReading(dbs: ReadingDatabases, deviceId: string, readingId: string): Promise<ReadingOutcome> {
  for (let attempt = 1; ; attempt++) {
    // The stored reading, not the event's copy: on a replay it already carries `ts`.
    const [reading, config, state] = await Promise.all([
      dbs.reader.child(readingPath(deviceId, readingId)).get(),
      dbs.reader.child(configPath(deviceId)).get(),
      dbs.reader.child(statePath(deviceId)).get(),
    ]);
    if (!reading.exists()) return 'gone';
    const resolved = resolveConfig(config.val());
    if (resolved.problem !== undefined && attempt === 1) logs.configInvalid(deviceId, { problem: resolved.problem });
    const plan = planReadingUpdate({ deviceId, readingId, reading: reading.val(), config: config.val(), state: state.val() });
    const seq = Number(reading.child('seq').val());
    if (plan.kind === 'invalid') {
      logs.readingInvalid(deviceId, { readingId, problem: plan.problem });
      return plan.kind;
    }
    if (plan.kind === 'replay') {
      logs.readingReplayed(deviceId, { readingId, seq });
      return plan.kind;
    }
    await dbs.beforeWrite?.(plan, attempt);
    try {
      await dbs.writer.update(plan.updates);
    } catch (err) {
      if (!isPermissionDenied(err) || attempt >= MAX_ATTEMPTS) throw err;
      logs.readingRaceLost(deviceId, { readingId, seq, attempt });
      continue;
    }
    if (plan.kind === 'map') {
      logs.readingMapped(deviceId, { readingId, seq: plan.state.seq, ir: plan.state.ir, angle: plan.state.angle });
    } else {
      logs.readingStale(deviceId, { readingId, seq, stateSeq: plan.stateSeq, stamped: true });
    }
    return plan.kind;
  }
}
