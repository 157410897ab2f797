/**
 * Path:    devices/{deviceId}/readings/{readingId}, created.
 * Writer:  the device (rules: its own node only, `ts` forbidden, `seq` above `state.seq`).
 * Writes:  ONE update: devices/{deviceId}/state {angle, ir, readingId, seq, lcd, ts} and
 *          devices/{deviceId}/readings/{readingId}/ts (server time). Rules: only admin writes both.
 */
import { onValueCreated } from 'firebase-functions/v2/database';
import { PATTERNS } from '@firelink/model';
import { config } from '../config.js';
import { handleReadingCreated } from '../reading-handler.js';

export const onReadingCreated = onValueCreated(
  { ref: PATTERNS.reading, region: config.region, instance: config.databaseInstance },
  async (event) => {
    await handleReadingCreated(event.data.ref.root, event.params.deviceId, event.params.readingId);
  },
);
