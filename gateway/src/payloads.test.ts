import { describe, expect, it } from 'vitest';
import { parsePayload } from './payloads.js';
import { ReasonCode, isRefused } from './reason-codes.js';

const limits = { maxPayloadBytes: 256, maxTokenBytes: 2048 };
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('parsePayload', () => {
  it('accepts the reading JSON a REST device writes', () => {
    const reading = { ir: 2048, temp: 21.5, light: 300, seq: 1234, deviceTs: 1_764_000_000_000 };
    expect(parsePayload('readings', json(reading), limits)).toEqual({ kind: 'readings', value: reading });
  });

  it('refuses malformed JSON with payload format invalid', () => {
    const result = parsePayload('readings', Buffer.from('{"ir": 12,'), limits);
    expect(result).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
    expect(isRefused(result) && result.reason).toMatch(/^reading: payload is not JSON/);
  });

  it('refuses a schema violation naming the field and the rule', () => {
    const result = parsePayload('readings', json({ ir: 5000, seq: 1 }), limits);
    expect(result).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
    expect(isRefused(result) && result.reason).toBe('reading.ir: must be an integer between 0 and 4095 (got 5000)');
    expect(parsePayload('readings', json({ ir: 1, seq: 1, ts: 5 }), limits)).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
    expect(parsePayload('readings', json([1, 2]), limits)).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
  });

  it('refuses an oversized payload before parsing it', () => {
    const result = parsePayload('readings', Buffer.from(`{"ir":1,"seq":1,"pad":"${'x'.repeat(300)}"}`), limits);
    expect(isRefused(result) && result.reason).toMatch(/payload of \d+ bytes is larger than 256/);
  });

  it('accepts status messages without lastSeen and refuses a device-set lastSeen', () => {
    expect(parsePayload('status', json({ fw: '1.0.0', rssi: -60 }), limits)).toEqual({ kind: 'status', value: { fw: '1.0.0', rssi: -60 } });
    expect(parsePayload('status', json({ online: false, fw: '1.0.0' }), limits)).toEqual({ kind: 'status', value: { online: false, fw: '1.0.0' } });
    expect(parsePayload('status', json({ online: true, fw: '1.0.0', lastSeen: 1 }), limits)).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
    expect(parsePayload('status', json({ online: false }), limits)).toEqual({ kind: 'status', value: { online: false } });
    expect(parsePayload('status', json({ fw: 'bad version!' }), limits)).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
    expect(parsePayload('status', json({ online: 'yes' }), limits)).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
  });

  it('accepts command results as the model defines them', () => {
    expect(parsePayload('ack', json({ status: 'ok', value: 12 }), limits)).toEqual({ kind: 'ack', value: { status: 'ok', value: 12 } });
    expect(parsePayload('ack', json({ status: 'expired' }), limits)).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
  });

  it('accepts a JWT on the auth topic and nothing else', () => {
    expect(parsePayload('auth', Buffer.from('aGVhZA.Ym9keQ.'), limits)).toEqual({ kind: 'auth', value: 'aGVhZA.Ym9keQ.' });
    expect(parsePayload('auth', Buffer.from('{"token":"x"}'), limits)).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
    expect(parsePayload('auth', Buffer.from('a.b.c'.repeat(1000)), limits)).toMatchObject({ reasonCode: ReasonCode.payloadFormatInvalid });
  });

  it('refuses gateway topics', () => {
    expect(parsePayload('state', json({}), limits)).toMatchObject({ reasonCode: ReasonCode.notAuthorized });
  });
});
