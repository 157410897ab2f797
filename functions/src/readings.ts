/**
 * What one reading changes: the pure half of `onReadingCreated`. Given the reading, the device's
 * config and current state, it returns the ONE path map to write (or nothing). The trigger does the
 * I/O (triggers/on-reading-created.ts, reading-handler.ts) and writes it as the rules-guarded
 * functions identity (writer.ts), so the map is only accepted while the state is still older.
 *
 * Write budget: a mapped reading costs exactly one function write (`state` + the reading's `ts`,
 * one multi-path update); a stale reading costs one (its `ts` only); a replay costs none.
 */
import {
  ConfigSchema,
  DEFAULT_CONFIG,
  DEFAULT_MAPPING,
  ReadingSchema,
  StateSchema,
  formatLcd,
  mapReadingToAngle,
  readingTsPath,
  statePath,
  validate,
  type Config,
  type Mapping,
  type Reading,
  type State,
} from '@firelink/model';

/** `ServerValue.TIMESTAMP` as written on the wire; both `ts` fields of one update resolve to the same instant. */
export const SERVER_TIMESTAMP = Object.freeze({ '.sv': 'timestamp' });

/** A state as written: `ts` may still be the server-timestamp placeholder. */
export type StateWrite = Omit<State, 'ts' | 'mapping'> & { ts: number | typeof SERVER_TIMESTAMP; mapping?: StoredMapping };

export type ReadingPlan =
  /** The newest reading so far: write its state and stamp its `ts`. */
  | { kind: 'map'; updates: Record<string, unknown>; state: StateWrite }
  /** Older than (or a duplicate `seq` of) the current state: stamp `ts` only, keep the newer state. */
  | { kind: 'stale'; updates: Record<string, unknown>; stateSeq: number }
  /** Already handled (a replayed event): nothing to write. */
  | { kind: 'replay' }
  /** Not a reading (only an admin can write one past the rules): nothing to write. */
  | { kind: 'invalid'; problem: string };

export interface ReadingInput {
  deviceId: string;
  readingId: string;
  /** The reading as stored now (the event's value, or a fresh read on replay). */
  reading: unknown;
  /** `devices/{id}/config` as stored; null when absent (the default config applies). */
  config: unknown;
  /** `devices/{id}/state` as stored; null when absent. */
  state: unknown;
}

export interface ResolvedConfig {
  config: Config;
  /** Set when the stored config was present but invalid. */
  problem?: string;
}

/** The device's config, or the default one when absent or invalid (a reading must still map). */
export function resolveConfig(raw: unknown): ResolvedConfig {
  if (raw === null || raw === undefined) return { config: DEFAULT_CONFIG };
  const parsed = validate(ConfigSchema, raw, 'config');
  return parsed.ok ? { config: parsed.value } : { config: DEFAULT_CONFIG, problem: parsed.error.message };
}

/** The stored state, or null when absent or unusable (then any reading is newer). */
export function parseState(raw: unknown): State | null {
  if (raw === null || raw === undefined) return null;
  // `mapping` copies the stored config verbatim, which an admin may have left invalid: it says
  // nothing about which reading the state is, so it never makes the state unusable here.
  let fields = raw;
  if (typeof raw === 'object' && 'mapping' in raw) {
    const { mapping: _ignored, ...rest } = raw as Record<string, unknown>;
    fields = rest;
  }
  const parsed = validate(StateSchema, fields, 'state');
  return parsed.ok ? parsed.value : null;
}

/** A mapping's fields, as the model defines them (every one has a default). */
const MAPPING_KEYS = Object.keys(DEFAULT_MAPPING) as (keyof Mapping)[];
export type StoredMapping = Partial<Record<keyof Mapping, number | boolean | string>>;

/**
 * `config/mapping` as stored, for the state's `mapping` (database.rules.json accepts a state only
 * while the two are equal): its leaf values verbatim, valid or not, so the copy always matches;
 * undefined when nothing is stored.
 */
export function storedMapping(rawConfig: unknown): StoredMapping | undefined {
  const raw = typeof rawConfig === 'object' && rawConfig !== null ? (rawConfig as { mapping?: unknown }).mapping : undefined;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const copy: StoredMapping = {};
  for (const key of MAPPING_KEYS) {
    const value = (raw as Record<string, unknown>)[key];
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') copy[key] = value;
  }
  return Object.keys(copy).length > 0 ? copy : undefined;
}

/**
 * The state a reading produces. `mapping` is the stored `config/mapping` it was computed from
 * (storedMapping), left out when none is stored.
 */
export function stateFor(
  readingId: string,
  reading: Pick<Reading, 'ir' | 'seq'>,
  config: Config,
  ts: number | typeof SERVER_TIMESTAMP,
  mapping?: StoredMapping,
): StateWrite {
  const angle = mapReadingToAngle(reading.ir, config.mapping);
  return {
    angle,
    ir: reading.ir,
    readingId,
    seq: reading.seq,
    lcd: formatLcd({ ir: reading.ir, angle }),
    ts,
    ...(mapping === undefined ? {} : { mapping }),
  };
}

export function planReadingUpdate(input: ReadingInput): ReadingPlan {
  const parsed = validate(ReadingSchema, input.reading, 'reading');
  if (!parsed.ok) return { kind: 'invalid', problem: parsed.error.message };
  const reading = parsed.value;
  const state = parseState(input.state);
  const tsPath = readingTsPath(input.deviceId, input.readingId);

  // Dedupe by device and seq: a state at this seq or later means this reading must not map again.
  if (state !== null && (state.readingId === input.readingId || state.seq >= reading.seq)) {
    if (reading.ts !== undefined) return { kind: 'replay' };
    return { kind: 'stale', updates: { [tsPath]: SERVER_TIMESTAMP }, stateSeq: state.seq };
  }
  const { config } = resolveConfig(input.config);
  const next = stateFor(input.readingId, reading, config, SERVER_TIMESTAMP, storedMapping(input.config));
  const updates: Record<string, unknown> = { [statePath(input.deviceId)]: next };
  // A reading that already carries `ts` (written by an admin tool) keeps it.
  if (reading.ts === undefined) updates[tsPath] = SERVER_TIMESTAMP;
  return { kind: 'map', state: next, updates };
}
