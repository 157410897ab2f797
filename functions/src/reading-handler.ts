/**
 * The I/O half of `onReadingCreated`: reads what the plan needs, writes the plan's one update,
 * then makes sure no older reading's state ended up on top of a newer one.
 *
 * Reads per reading: config, state and the reading itself (3 gets, in parallel) plus one query
 * for a newer stamped reading. Writes: one (see readings.ts).
 */
import type { Reference } from 'firebase-admin/database';
import { configPath, readingPath, readingsPath, statePath } from '@firelink/model';
import { logs } from './logs.js';
import { parseState, planReadingUpdate, resolveConfig, stateFor, type ReadingPlan } from './readings.js';
import { KeyedSerializer } from './serial.js';

export type ReadingOutcome = ReadingPlan['kind'] | 'gone';

const perDevice = new KeyedSerializer();

/** `root` is the root reference of the database the event came from (sharding: any instance). */
export function handleReadingCreated(root: Reference, deviceId: string, readingId: string): Promise<ReadingOutcome> {
  return perDevice.run(deviceId, () => processReading(root, deviceId, readingId));
}

async function processReading(root: Reference, deviceId: string, readingId: string): Promise<ReadingOutcome> {
  // The stored reading, not the event's copy: on a replay it already carries `ts`.
  const [reading, config, state] = await Promise.all([
    root.child(readingPath(deviceId, readingId)).get(),
    root.child(configPath(deviceId)).get(),
    root.child(statePath(deviceId)).get(),
  ]);
  if (!reading.exists()) return 'gone';
  const resolved = resolveConfig(config.val());
  if (resolved.problem !== undefined) logs.configInvalid(deviceId, { problem: resolved.problem });

  const plan = planReadingUpdate({
    deviceId,
    readingId,
    reading: reading.val(),
    config: config.val(),
    state: state.val(),
  });
  switch (plan.kind) {
    case 'invalid':
      logs.readingInvalid(deviceId, { readingId, problem: plan.problem });
      return plan.kind;
    case 'replay':
      logs.readingReplayed(deviceId, { readingId, seq: Number(reading.child('seq').val()) });
      return plan.kind;
    case 'stale':
      await root.update(plan.updates);
      logs.readingStale(deviceId, {
        readingId,
        seq: Number(reading.child('seq').val()),
        stateSeq: plan.stateSeq,
        stamped: true,
      });
      return plan.kind;
    case 'map':
      await root.update(plan.updates);
      logs.readingMapped(deviceId, { readingId, seq: plan.state.seq, ir: plan.state.ir, angle: plan.state.angle });
      await repairIfOverwritten(root, deviceId, plan.state.seq);
      return plan.kind;
  }
}

/**
 * Another instance may have mapped a newer reading between our read of `state` and our write, and
 * our write just replaced it. Readings are stamped in the same update as their state, so a newer
 * stamped reading means exactly that; a newer unstamped one will write its state after ours anyway.
 * Costs one query; writes (conditionally, by transaction) only after such a race.
 */
async function repairIfOverwritten(root: Reference, deviceId: string, seq: number): Promise<void> {
  const newer = await root
    .child(readingsPath(deviceId))
    .orderByChild('seq')
    .startAt(seq + 1)
    .limitToLast(1)
    .get();
  let newest: { id: string; ir: number; seq: number; ts: number } | undefined;
  newer.forEach((child) => {
    const v = child.val() as { ir?: unknown; seq?: unknown; ts?: unknown } | null;
    if (v && typeof v.ir === 'number' && typeof v.seq === 'number' && typeof v.ts === 'number' && child.key) {
      newest = { id: child.key, ir: v.ir, seq: v.seq, ts: v.ts };
    }
  });
  if (newest === undefined) return;
  const target = newest;
  const config = resolveConfig((await root.child(configPath(deviceId)).get()).val()).config;
  let overwrittenSeq: number | null = null;
  const result = await root.child(statePath(deviceId)).transaction((current: unknown) => {
    const state = parseState(current);
    if (state !== null && state.seq >= target.seq) return undefined; // already newest: abort, no write
    overwrittenSeq = state?.seq ?? null;
    return stateFor(target.id, target, config, target.ts);
  });
  if (result.committed) {
    logs.stateRepaired(deviceId, { readingId: target.id, seq: target.seq, overwrittenSeq });
  }
}
