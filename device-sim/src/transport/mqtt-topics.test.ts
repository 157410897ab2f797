import { describe, expect, it } from 'vitest';
import { mqttTopics, parseDevicePath, statusMessage } from './mqtt-topics.js';

describe('MQTT transport path mapping', () => {
  it('maps the paths a device uses', () => {
    expect(parseDevicePath('dev-1', 'devices/dev-1/readings/-OAbc_1')).toEqual({ kind: 'reading', readingId: '-OAbc_1' });
    expect(parseDevicePath('dev-1', 'devices/dev-1/status')).toEqual({ kind: 'status' });
    expect(parseDevicePath('dev-1', 'devices/dev-1/commands/c1')).toEqual({ kind: 'command', commandId: 'c1' });
    expect(parseDevicePath('dev-1', 'devices/dev-1/state')).toEqual({ kind: 'state' });
    expect(parseDevicePath('dev-1', 'devices/dev-1/state/seq')).toEqual({ kind: 'state-seq' });
    expect(parseDevicePath('dev-1', 'devices/dev-1/config')).toEqual({ kind: 'config' });
    expect(parseDevicePath('dev-1', 'devices/dev-1/commands')).toEqual({ kind: 'commands' });
  });

  it('has no topic for other paths or other devices', () => {
    for (const path of ['devices/dev-2/status', 'devices/dev-1/meta', 'users/u1/devices', 'devices/dev-1/readings', 'devices/dev-1/readings/a.b', 'devices/dev-1/state/angle']) {
      expect(parseDevicePath('dev-1', path), path).toBeUndefined();
    }
  });

  it('builds the gateway topics and status messages', () => {
    expect(mqttTopics.ack('dev-1', 'c1')).toBe('firelink/devices/dev-1/commands/c1/ack');
    expect(mqttTopics.readings('dev-1')).toBe('firelink/devices/dev-1/readings');
    expect(statusMessage({ online: true, lastSeen: { '.sv': 'timestamp' }, fw: 'sim-0.1.0' })).toEqual({ online: true, fw: 'sim-0.1.0' });
    expect(statusMessage(null)).toEqual({});
  });
});
