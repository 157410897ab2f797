/**
 * Validation of what devices publish, with the model's schemas: the same JSON a REST device PUTs,
 * so a reading is valid over MQTT exactly when it is valid over REST. Returns the value to write or
 * a refusal with its MQTT 5 reason code and a message naming the field and the rule.
 */
import { z } from 'zod';
import { CommandResultSchema, ReadingWriteSchema, StatusSchema, validate, type CommandResult, type ReadingWrite } from '@firelink/model';
import { ReasonCode, refusal, type Refusal } from './reason-codes.js';
import type { TopicKind } from './topics.js';

/**
 * What a device publishes on `…/status`: optionally its firmware version, signal and `online`
 * (`false` in its last will; default true). `lastSeen` is always server time, stamped by the
 * gateway; without `fw` the stored version is kept.
 */
export const StatusMessageSchema = StatusSchema.omit({ lastSeen: true }).partial({ online: true, fw: true });
export type StatusMessage = z.output<typeof StatusMessageSchema>;

/** A Firebase ID token is a JWT: three base64url parts separated by dots. */
const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type DevicePayload =
  | { kind: 'readings'; value: ReadingWrite }
  | { kind: 'status'; value: StatusMessage }
  | { kind: 'ack'; value: CommandResult }
  | { kind: 'auth'; value: string };

export interface PayloadLimits {
  /** Largest JSON payload accepted on readings, status and ack topics. */
  maxPayloadBytes: number;
  /** Largest token accepted on the auth topic (ID tokens are about 1 KB; custom claims add more). */
  maxTokenBytes: number;
}

function parseJson(payload: Buffer, root: string): { ok: true; value: unknown } | { ok: false; refusal: Refusal } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) as unknown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, refusal: refusal(ReasonCode.payloadFormatInvalid, `${root}: payload is not JSON (${why})`) };
  }
}

export function parsePayload(kind: TopicKind, payload: Buffer, limits: PayloadLimits): DevicePayload | Refusal {
  if (kind === 'auth') {
    if (payload.length > limits.maxTokenBytes) {
      return refusal(ReasonCode.payloadFormatInvalid, `auth: token of ${payload.length} bytes is larger than ${limits.maxTokenBytes}`);
    }
    const token = payload.toString('utf8').trim();
    if (!JWT_PATTERN.test(token)) {
      return refusal(ReasonCode.payloadFormatInvalid, 'auth: payload must be a Firebase ID token (a JWT, sent as plain text)');
    }
    return { kind, value: token };
  }
  const root = kind === 'readings' ? 'reading' : kind === 'ack' ? 'result' : 'status';
  if (payload.length > limits.maxPayloadBytes) {
    return refusal(ReasonCode.payloadFormatInvalid, `${root}: payload of ${payload.length} bytes is larger than ${limits.maxPayloadBytes}`);
  }
  const json = parseJson(payload, root);
  if (!json.ok) return json.refusal;
  switch (kind) {
    case 'readings': {
      const result = validate(ReadingWriteSchema, json.value, root);
      return result.ok ? { kind, value: result.value } : refusal(ReasonCode.payloadFormatInvalid, result.error.message);
    }
    case 'status': {
      const result = validate(StatusMessageSchema, json.value, root);
      return result.ok ? { kind, value: result.value } : refusal(ReasonCode.payloadFormatInvalid, result.error.message);
    }
    case 'ack': {
      const result = validate(CommandResultSchema, json.value, root);
      return result.ok ? { kind, value: result.value } : refusal(ReasonCode.payloadFormatInvalid, result.error.message);
    }
    default:
      return refusal(ReasonCode.notAuthorized, `topic kind ${kind} is published by the gateway only`);
  }
}
