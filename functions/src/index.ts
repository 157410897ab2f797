/**
 * Every deployed function, and nothing else (firebase-tools deploys each export). The logic lives
 * in plain modules beside this one; see docs/backend.md for paths, writes and schedules.
 */
export { onReadingCreated } from './triggers/on-reading-created.js';
export { onMetaWritten } from './triggers/on-meta-written.js';
export { onStatusWritten } from './triggers/on-status-written.js';
export { sweepPresence, sweepZones, rollupReadings, pruneReadings, expireCommands } from './triggers/schedules.js';
