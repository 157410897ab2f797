/**
 * The I/O half of `onReadingCreated`: reads what the plan needs (full admin, the event's database),
 * writes the plan's one update as the rules-guarded functions identity (writer.ts), and when the
 * rules refuse it because a newer state, a stamp or a config change landed meanwhile, plans again
 * from fresh data.
 *
 * Round trips per reading, in the steady state: the update only. The reading is the event's own
 * copy, the config comes from a listener this instance keeps per device (watched-values.ts), and
 * the state is the one this instance last wrote or read for the device (`knownStates`). All three
 * are only shortcuts to a plan the rules check anyway: the update is refused unless the state's
 * seq rises, its `mapping` is the stored config's and the reading exists unstamped
 * (database.rules.json), and a refused
 * update falls back to the full read of reading, config and state (3 gets), as does any reading the
 * shortcut cannot plan (first of a device here, older than the known state, carrying `ts`).
 *
 * Once a reading is mapped (its state written), the device's zone is re-evaluated in the same
 * invocation (zone-of-device.ts): after the write, so it never delays it.
 */
import type { Reference } from 'firebase-admin/database';
import { configPath, devicePath, readingPath, statePath } from '@firelink/model';
import { writeSummaryState } from './fleet-summary.js';
import { logs } from './logs.js';
import { parseState, planReadingUpdate, resolveConfig, type ReadingPlan } from './readings.js';
import { KeyedSerializer } from './serial.js';
import { WatchedValues } from './watched-values.js';
import { isPermissionDenied } from './writer.js';
import { evaluateZoneOfDevice } from './zone-of-device.js';
import type { ZoneRule } from './zones.js';

export type ReadingOutcome = ReadingPlan['kind'] | 'gone';

export interface ReadingDatabases {
  /** Reads: full admin on the event's database. */
  reader: Reference;
  /** Writes: the same database as the rules-guarded functions identity. */
  writer: Reference;
  /**
   * The database instance (the event's `instance`): names whose state `knownStates` holds. Without
   * it nothing is remembered and every reading is planned from stored data.
   */
  instance?: string;
  /**
   * The default zone rule (config.ts): after a mapped reading the device's zone is evaluated by
   * it. Without it no zone is evaluated (tests of the mapping alone).
   */
  zoneRule?: ZoneRule;
  /**
   * Log every mapped reading (FIRELINK_LOG_MAPPED_READINGS, config.ts); default off: one line per
   * reading. Every other outcome is logged regardless.
   */
  logMapped?: boolean;
  /** Test hook: runs between planning and writing (to stage a lost race); attempt 0 is the event-copy plan. */
  beforeWrite?: (plan: ReadingPlan, attempt: number) => Promise<void>;
}

/** A plan is retried after a refused write at most this often; each retry sees fresher data. */
const MAX_ATTEMPTS = 3;

/** Devices whose last state this instance remembers; the oldest is forgotten past this. */
const KNOWN_STATES_LIMIT = 10_000;

interface KnownState {
  seq: number;
  readingId: string;
}

const perDevice = new KeyedSerializer();
/** Configs of the devices planned from the event copy, kept by listeners (watched-values.ts). */
const configs = new WatchedValues(KNOWN_STATES_LIMIT);
const configKey = (known: string): string => `${known}/config`;
/** Per database and device: the state this instance last wrote or read (insertion order = age). */
const knownStates = new Map<string, KnownState>();
function remember(key: string | null, state: KnownState | null): void {
  if (key === null) return;
  knownStates.delete(key);
  if (state === null) return;
  knownStates.set(key, state);
  if (knownStates.size > KNOWN_STATES_LIMIT) knownStates.delete(knownStates.keys().next().value as string);
}

/**
 * `eventReading` is the reading as the event carries it (its value when created); without it (or
 * when it cannot be used) the stored reading is read.
 */
export async function handleReadingCreated(
  dbs: ReadingDatabases,
  deviceId: string,
  readingId: string,
  eventReading?: unknown,
): Promise<ReadingOutcome> {
  // One device's events one after another in this instance: a backlog maps in order without
  // refused writes, and the known state is current for the next one. Across instances the rules
  // keep the write conditional. The fleet summary's copy of the state and the zone are awaited
  // after the device is released, so its next reading is not held up by them: the summary may wait
  // for its owner's next coalesced batch (summary-coalescer.ts). 'map' means the new state is
  // written, so the zone's member states read now include it.
  const summaries: Promise<void>[] = [];
  let outcome: ReadingOutcome;
  try {
    outcome = await perDevice.run(deviceId, () => processReading(dbs, deviceId, readingId, eventReading, summaries));
  } catch (err) {
    await Promise.allSettled(summaries);
    throw err;
  }
  const zone = outcome === 'map' && dbs.zoneRule !== undefined ? evaluateZoneOfDevice(dbs.reader, dbs.instance, deviceId, dbs.zoneRule, Date.now()) : undefined;
  await Promise.all([...summaries, zone]);
  return outcome;
}

async function processReading(
  dbs: ReadingDatabases,
  deviceId: string,
  readingId: string,
  eventReading: unknown,
  summaries: Promise<void>[],
): Promise<ReadingOutcome> {
  const known = dbs.instance === undefined ? null : `${dbs.instance}/${deviceId}`;
  const fast = await fastPlan(dbs, known, deviceId, readingId, eventReading);
  if (fast !== null) {
    await dbs.beforeWrite?.(fast, 0);
    try {
      await write(dbs, deviceId, fast.updates);
      summaries.push(writeSummaryState(dbs.reader, dbs.writer, dbs.instance, deviceId, fast.updates[statePath(deviceId)]));
      remember(known, { seq: fast.state.seq, readingId });
      if (dbs.logMapped === true) logs.readingMapped(deviceId, { readingId, seq: fast.state.seq, ir: fast.state.ir, angle: fast.state.angle });
      return 'map';
    } catch (err) {
      if (!isPermissionDenied(err)) throw err;
      // The known state was behind (another instance), or the reading is gone: read everything.
      remember(known, null);
    }
  }
  // The listener's config goes first: with it, a get would answer from its copy (watched-values.ts).
  if (known !== null) configs.forget(configKey(known));
  for (let attempt = 1; ; attempt++) {
    // The stored reading, not the event's copy: on a replay it already carries `ts`.
    const [reading, config, state] = await Promise.all([
      dbs.reader.child(readingPath(deviceId, readingId)).get(),
      dbs.reader.child(configPath(deviceId)).get(),
      dbs.reader.child(statePath(deviceId)).get(),
    ]);
    const stored = parseState(state.val());
    remember(known, stored === null ? null : { seq: stored.seq, readingId: stored.readingId });
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
      await write(dbs, deviceId, plan.updates);
    } catch (err) {
      if (!isPermissionDenied(err) || attempt >= MAX_ATTEMPTS) throw err;
      logs.readingRaceLost(deviceId, { readingId, seq, attempt });
      continue;
    }
    if (plan.kind === 'map') {
      summaries.push(writeSummaryState(dbs.reader, dbs.writer, dbs.instance, deviceId, plan.updates[statePath(deviceId)]));
      remember(known, { seq: plan.state.seq, readingId });
      if (dbs.logMapped === true) logs.readingMapped(deviceId, { readingId, seq: plan.state.seq, ir: plan.state.ir, angle: plan.state.angle });
    } else {
      logs.readingStale(deviceId, { readingId, seq, stateSeq: plan.stateSeq, stamped: true });
    }
    return plan.kind;
  }
}

/**
 * The map plan from the event's reading and the known state, when both allow one: a valid reading
 * without `ts` (so the update stamps it, which the rules allow only while it exists unstamped) and
 * newer than the known state. Null: plan from the stored data instead.
 */
async function fastPlan(
  dbs: ReadingDatabases,
  known: string | null,
  deviceId: string,
  readingId: string,
  eventReading: unknown,
): Promise<Extract<ReadingPlan, { kind: 'map' }> | null> {
  if (known === null) return null;
  const state = knownStates.get(known);
  if (state === undefined || eventReading === null || typeof eventReading !== 'object') return null;
  const { seq, ts } = eventReading as { seq?: unknown; ts?: unknown };
  if (ts !== undefined || typeof seq !== 'number' || seq <= state.seq || state.readingId === readingId) return null;
  // Kept by a listener, whose copy may lag the trigger's event (a reading written right after a
  // calibration change). The plan's state carries the mapping it used, and the rules refuse a state
  // whose mapping is not the stored one: a stale copy costs a refused write and the full read.
  const config = await configs.read(configKey(known), dbs.reader.child(configPath(deviceId)));
  const resolved = resolveConfig(config);
  if (resolved.problem !== undefined) logs.configInvalid(deviceId, { problem: resolved.problem });
  // No state: the known one is older than the reading by seq, so the plan maps it.
  const plan = planReadingUpdate({ deviceId, readingId, reading: eventReading, config, state: null });
  return plan.kind === 'map' ? plan : null;
}

/**
 * The plan's update, written at the device's node with paths relative to it. Not at the root: the
 * SDK keeps every unacknowledged write in its write tree, and acknowledging a write whose path
 * contains another pending write's path rebuilds that tree from all pending writes (@firebase/database
 * `writeTreeRemoveWrite`), which costs O(writes in flight) per reading when every update sits at
 * the root. Per device they never overlap: one reading of a device is written at a time.
 */
function write(dbs: ReadingDatabases, deviceId: string, updates: Record<string, unknown>): Promise<void> {
  const base = devicePath(deviceId);
  const relative: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(updates)) {
    if (!path.startsWith(`${base}/`)) throw new Error(`reading update path ${path} is outside ${base}`);
    relative[path.slice(base.length + 1)] = value;
  }
  return dbs.writer.child(base).update(relative);
}
