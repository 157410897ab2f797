/**
 * Every log line of the functions package. Structured fields (Cloud Logging `jsonPayload`, see
 * firebase-functions `logger` docs) with the device id on every line, so one device's history is
 * one filter: `jsonPayload.deviceId="..."`.
 */
import * as logger from 'firebase-functions/logger';

type Fields = Record<string, unknown>;

const info = (deviceId: string, message: string, fields: Fields = {}): void =>
  logger.info(message, { deviceId, ...fields });
const warn = (deviceId: string, message: string, fields: Fields = {}): void =>
  logger.warn(message, { deviceId, ...fields });
const error = (deviceId: string, message: string, fields: Fields = {}): void =>
  logger.error(message, { deviceId, ...fields });

export const logs = {
  readingMapped: (deviceId: string, f: { readingId: string; seq: number; ir: number; angle: number }): void =>
    info(deviceId, 'reading mapped', f),
  readingStale: (deviceId: string, f: { readingId: string; seq: number; stateSeq: number; stamped: boolean }): void =>
    info(deviceId, 'reading older than state: stamped only, state kept', f),
  readingReplayed: (deviceId: string, f: { readingId: string; seq: number }): void =>
    info(deviceId, 'reading already handled: replay ignored', f),
  readingInvalid: (deviceId: string, f: { readingId: string; problem: string }): void =>
    error(deviceId, 'reading rejected: does not match the reading schema', f),
  configInvalid: (deviceId: string, f: { problem: string }): void =>
    warn(deviceId, 'device config invalid: default config used', f),
  readingRaceLost: (deviceId: string, f: { readingId: string; seq: number; attempt: number }): void =>
    warn(deviceId, 'write refused by the rules (a newer state or stamp landed meanwhile): planning again', f),
  zoneAlertRaised: (deviceId: string, f: { zoneId: string; devices: string[] }): void =>
    info(deviceId, 'zone alert raised', f),
  zoneAlertCleared: (deviceId: string, f: { zoneId: string }): void => info(deviceId, 'zone alert cleared', f),
  zoneRuleInvalid: (deviceId: string, f: { zoneId: string; problem: string }): void =>
    warn(deviceId, 'zone rule invalid: default zone rule used', f),
  zoneMembershipChanged: (
    deviceId: string,
    f: { from: string | null; to: string | null; fromOwner: string | null; toOwner: string | null; paths: number },
  ): void =>
    info(deviceId, 'zone membership changed', f),
  presenceOffline: (deviceId: string, f: { lastSeen: number; heartbeatMs: number; silentMs: number }): void =>
    info(deviceId, 'device marked offline: heartbeat missed', f),
  rollupsWritten: (deviceId: string, f: { minutes: string[] }): void => info(deviceId, 'rollups written', f),
  retentionDeleted: (deviceId: string, f: { deleted: number; byAge: number; byCount: number; more: boolean }): void =>
    info(deviceId, 'old readings deleted', f),
  commandsExpired: (deviceId: string, f: { commandIds: string[] }): void =>
    info(deviceId, 'commands expired unacknowledged', f),
  jobFailed: (deviceId: string, f: { job: string; problem: string }): void => error(deviceId, 'job failed for device', f),
  provisioned: (deviceId: string, f: { owner: string; uid: string; rotated: boolean }): void =>
    info(deviceId, 'device provisioned', f),
};
