import { describe, expect, it } from 'vitest';
import { ReasonCode } from './reason-codes.js';
import { authorizePublishTopic, authorizeSubscribeFilter, filterMatches, isForwardable, isRefused, parseTopic, topics } from './topics.js';

describe('parseTopic', () => {
  it('parses every device topic', () => {
    expect(parseTopic('firelink/devices/dev-1/readings')).toEqual({ deviceId: 'dev-1', kind: 'readings' });
    expect(parseTopic('firelink/devices/dev-1/state')).toEqual({ deviceId: 'dev-1', kind: 'state' });
    expect(parseTopic('firelink/devices/dev-1/config')).toEqual({ deviceId: 'dev-1', kind: 'config' });
    expect(parseTopic('firelink/devices/dev-1/commands')).toEqual({ deviceId: 'dev-1', kind: 'commands' });
    expect(parseTopic('firelink/devices/dev-1/status')).toEqual({ deviceId: 'dev-1', kind: 'status' });
    expect(parseTopic('firelink/devices/dev-1/auth')).toEqual({ deviceId: 'dev-1', kind: 'auth' });
    expect(parseTopic('firelink/devices/dev-1/commands/-Oa_1/ack')).toEqual({ deviceId: 'dev-1', kind: 'ack', commandId: '-Oa_1' });
  });

  it('rejects other shapes', () => {
    for (const topic of [
      'firelink/devices/dev-1',
      'firelink/devices/dev-1/readings/extra',
      'firelink/devices/Dev-1/readings',
      'firelink/devices/+/readings',
      'firelink/devices/dev-1/commands/a.b/ack',
      'firelink/devices/dev-1/commands/c1/nack',
      'other/devices/dev-1/readings',
      'firelink/devices/dev-1/unknown',
      '',
    ]) {
      expect(parseTopic(topic), topic).toBeUndefined();
    }
  });

  it('builds the topics it parses', () => {
    expect(parseTopic(topics.ack('dev-9', 'c-1'))).toEqual({ deviceId: 'dev-9', kind: 'ack', commandId: 'c-1' });
    expect(parseTopic(topics.readings('dev-9'))?.kind).toBe('readings');
  });
});

describe('authorizePublishTopic', () => {
  it('lets a device publish its readings, status, acks and auth', () => {
    for (const topic of [topics.readings('dev-1'), topics.status('dev-1'), topics.auth('dev-1'), topics.ack('dev-1', 'c1')]) {
      const result = authorizePublishTopic('dev-1', topic);
      expect(isRefused(result), topic).toBe(false);
    }
  });

  it('refuses another device\'s tree with not authorized', () => {
    const result = authorizePublishTopic('dev-1', topics.readings('dev-2'));
    expect(result).toMatchObject({ reasonCode: ReasonCode.notAuthorized });
    expect(isRefused(result) && result.reason).toContain('outside the device\'s tree firelink/devices/dev-1/');
    // A prefix of another id is not the device's own tree.
    expect(authorizePublishTopic('dev-1', 'firelink/devices/dev-10/readings')).toMatchObject({ reasonCode: ReasonCode.notAuthorized });
  });

  it('refuses gateway topics with not authorized and unknown topics with topic name invalid', () => {
    expect(authorizePublishTopic('dev-1', topics.state('dev-1'))).toMatchObject({ reasonCode: ReasonCode.notAuthorized });
    expect(authorizePublishTopic('dev-1', topics.commands('dev-1'))).toMatchObject({ reasonCode: ReasonCode.notAuthorized });
    expect(authorizePublishTopic('dev-1', 'firelink/devices/dev-1/foo')).toMatchObject({ reasonCode: ReasonCode.topicNameInvalid });
  });
});

describe('authorizeSubscribeFilter', () => {
  it('allows filters inside the own tree, wildcards included', () => {
    for (const filter of ['firelink/devices/dev-1/#', 'firelink/devices/dev-1/state', 'firelink/devices/dev-1/+', 'firelink/devices/dev-1/commands/+/ack']) {
      expect(authorizeSubscribeFilter('dev-1', filter), filter).toBeUndefined();
    }
  });

  it('refuses filters that can reach other devices', () => {
    for (const filter of ['#', 'firelink/#', 'firelink/devices/+/state', 'firelink/devices/dev-2/state', 'firelink/devices/dev-1', '$SYS/#', '$share/g/firelink/devices/dev-1/state', 'firelink/devices/dev-10/#']) {
      expect(authorizeSubscribeFilter('dev-1', filter), filter).toMatchObject({ reasonCode: ReasonCode.notAuthorized });
    }
  });
});

describe('filterMatches and isForwardable', () => {
  it('matches MQTT wildcards', () => {
    expect(filterMatches('a/+/c', 'a/b/c')).toBe(true);
    expect(filterMatches('a/#', 'a/b/c')).toBe(true);
    // `#` also matches the parent level (MQTT 5.0 section 4.7.1.2: "sport/#" matches "sport").
    expect(filterMatches('a/#', 'a')).toBe(true);
    expect(filterMatches('a/#', 'b/a')).toBe(false);
    expect(filterMatches('a/+', 'a/b/c')).toBe(false);
    expect(filterMatches('a/b', 'a/b')).toBe(true);
    expect(filterMatches('a/b/c', 'a/b')).toBe(false);
  });

  it('forwards only the gateway topics of the device itself', () => {
    expect(isForwardable('dev-1', topics.state('dev-1'))).toBe(true);
    expect(isForwardable('dev-1', topics.commands('dev-1'))).toBe(true);
    expect(isForwardable('dev-1', topics.readings('dev-1'))).toBe(false);
    expect(isForwardable('dev-1', topics.state('dev-2'))).toBe(false);
    expect(isForwardable('dev-1', '$SYS/x/heartbeat')).toBe(false);
  });
});
