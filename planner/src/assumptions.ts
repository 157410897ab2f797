/**
 * What the planner assumes about traffic, apart from prices (prices.ts) and the write budget
 * (model/src/budget.ts). Document sizes are measured from representative documents of the data
 * contract (the tests check each one against the model's schema); overheads and timings are
 * estimates, each with its reason. Change one here and every figure follows.
 */
import { DEFAULT_CONFIG, formatLcd, mapReadingToAngle } from '@firelink/model';

const TS_MS = 1_764_650_000_123;
const PUSH_ID = '-OFxKq3Zt2bLw9YcV1aB';

/** A stored reading as the functions see it: every optional sensor present, stamped. */
export const EXAMPLE_READING = Object.freeze({ ir: 2048, temp: 21.5, light: 1234, seq: 176_465_000, deviceTs: TS_MS - 40, ts: TS_MS });
/** What a device writes for one reading (no `ts`). */
export const EXAMPLE_READING_WRITE = Object.freeze({ ir: 2048, temp: 21.5, light: 1234, seq: 176_465_000, deviceTs: TS_MS - 40 });
const angle = mapReadingToAngle(2048, DEFAULT_CONFIG.mapping);
/** A mapped state: it carries the calibration it was computed with (`mapping`, functions/src/readings.ts). */
export const EXAMPLE_STATE = Object.freeze({ angle, ir: 2048, readingId: PUSH_ID, seq: 176_465_000, lcd: formatLcd({ ir: 2048, angle }), ts: TS_MS, mapping: DEFAULT_CONFIG.mapping });
export const EXAMPLE_STATUS = Object.freeze({ online: true, lastSeen: TS_MS, fw: '1.0.0', rssi: -61 });
export const EXAMPLE_CONFIG = DEFAULT_CONFIG;
export const EXAMPLE_META = Object.freeze({ name: 'Hallway sensor 12', owner: 'u-4f8a9c2e1b7d', zone: 'building-a', createdAt: TS_MS });
export const EXAMPLE_ROLLUP = Object.freeze({
  count: 60, irMin: 120, irMax: 3980, irAvg: 2011.4, firstTs: TS_MS - 59_000, lastTs: TS_MS,
  tempMin: 21.1, tempMax: 21.9, tempAvg: 21.52, tempCount: 60,
  lightMin: 1180, lightMax: 1290, lightAvg: 1233.7, lightCount: 60,
});

/** UTF-8 bytes of a value as JSON: what RTDB sends and, roughly, what it bills as stored. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** `"<key>":` before a child in a query result or stored parent. */
function keyed(key: string, value: unknown): number {
  return jsonBytes(key) + 1 + jsonBytes(value) + 1;
}

export const BYTES = Object.freeze({
  readingWrite: jsonBytes(EXAMPLE_READING_WRITE),
  reading: jsonBytes(EXAMPLE_READING),
  /** A reading inside a query result or its parent node: `"<pushId>":{...},`. */
  readingKeyed: keyed(PUSH_ID, EXAMPLE_READING),
  state: jsonBytes(EXAMPLE_STATE),
  status: jsonBytes(EXAMPLE_STATUS),
  config: jsonBytes(EXAMPLE_CONFIG),
  meta: jsonBytes(EXAMPLE_META),
  rollupKeyed: keyed('202612020559', EXAMPLE_ROLLUP),
  /** The ownership index entry `users/{uid}/devices/{id}: true`. */
  ownershipEntry: keyed('dev-000001', true),
  /** The shard directory entry `deviceShards/{id}: "<instance>"` (designed, not built yet). */
  directoryEntry: keyed('dev-000001', 'firelink-shard-01'),
  /**
   * Response headers of a REST request (status line, content type and length, cache-control,
   * HSTS, CORS, date): an estimate, ~300 bytes, since a REST write answers with the data written
   * (device-sim does not ask for `print=silent`).
   */
  httpResponseHeaders: 300,
  /** SSE framing around one `put` event: `event: put\ndata: {"path":"/","data":` ... `}\n\n`. */
  sseEvent: Buffer.byteLength('event: put\ndata: {"path":"/","data":}\n\n'),
  /**
   * The realtime protocol's framing of one data push or reply over WebSocket, path included, e.g.
   * `{"t":"d","d":{"b":{"p":"devices/dev-000001/state","d":...},"a":"d"}}` (firebase-js-sdk
   * packages/database/src/core/PersistentConnection.ts message shapes).
   */
  wireMessage: Buffer.byteLength('{"t":"d","d":{"b":{"p":"devices/dev-000001/state","d":},"a":"d"}}'),
  /** A write's acknowledgement: `{"t":"d","d":{"r":42,"b":{"s":"ok","d":""}}}`. */
  wireAck: Buffer.byteLength('{"t":"d","d":{"r":42,"b":{"s":"ok","d":""}}}'),
  /**
   * TLS record overhead per outgoing message: the billing page counts "tens of bytes for TLS
   * record headers on each outgoing message"; TLS 1.2 AES-GCM adds 5 + 8 + 16 = 29 bytes.
   */
  tlsRecord: 29,
  /** "approximately 3.5KB for the initial handshake" (docs/database/usage/billing). */
  tlsHandshake: 3_500,
});

/**
 * New TLS sessions per device and hour: devices refresh their ID token hourly and reopen their
 * streams with it (docs/device-sim.md, "Sign-in and tokens"); counted as one full handshake.
 */
export const HANDSHAKES_PER_DEVICE_HOUR = 1;

/** How a device talks to its database, and the streams (connections) it holds open. */
export const TRANSPORTS = Object.freeze({
  /** REST + SSE like the firmware and device-sim's default: state, config and commands streams. */
  rest: { streams: 3, rest: true, pollsPerHeartbeat: 0 },
  /** REST, streaming only `state`; config and commands are read every heartbeat (`--streams state`). */
  'rest-state': { streams: 1, rest: true, pollsPerHeartbeat: 2 },
  /** The firebase SDK: one WebSocket carries every listener. */
  sdk: { streams: 1, rest: false, pollsPerHeartbeat: 0 },
});
export type Transport = keyof typeof TRANSPORTS;

/**
 * Function defaults of firebase-functions v2 for functions that set none, as ours
 * (node_modules/firebase-functions/lib/v2/options.d.ts: cpu "Defaults to 1 for functions with
 * <= 2GB RAM", concurrency "80 when CPU >= 1"; firebase-tools lib/deploy/functions/backend.js
 * DEFAULT_MEMORY 256).
 */
export const FUNCTION_DEFAULTS = Object.freeze({ memoryMiB: 256, cpu: 1, concurrency: 80 });

/**
 * The scheduled jobs visit devices 16 at a time (functions/src/fleet.ts `forEachDevice`), shards
 * one after another (functions/src/triggers/schedules.ts), within `timeoutSeconds: 300`. Database
 * round trips per device and run: presence 1 (two parallel gets), rollups 3 (last key, readings,
 * update), retention 4 (age query, count query, boundary query, delete), commands 1.
 */
export const JOBS = Object.freeze({
  deviceConcurrency: 16,
  timeoutS: 300,
  /** Jobs that list devices through the ownership index every run. */
  listingJobs: 4,
  roundTrips: { presence: 1, rollups: 3, retention: 4, commands: 1 },
  /** Reads per device and run, counted as responses: presence 2, rollups 2, retention 3, commands 1. */
  readsPerDevice: 8,
});

/** Google's billing month: 730 hours. */
export const SECONDS_PER_MONTH = 730 * 3600;
export const BYTES_PER_GB = 1e9;
export const BYTES_PER_GIB = 2 ** 30;
