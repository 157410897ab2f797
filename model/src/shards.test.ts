import { describe, expect, it } from 'vitest';
import { ContractError } from './errors.js';
import { chooseShard, deviceShardPath, instanceDatabaseUrl, instanceOfDatabaseUrl, localShardInstances } from './shards.js';

const error = (fn: () => unknown): ContractError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ContractError) return err;
    throw err;
  }
  throw new Error('expected a ContractError');
};

describe('chooseShard', () => {
  it('picks the least-loaded instance', () => {
    expect(chooseShard([{ instance: 'fl-a', devices: 40 }, { instance: 'fl-b', devices: 12 }, { instance: 'fl-c', devices: 30 }])).toBe('fl-b');
  });

  it('breaks ties by configured order', () => {
    expect(chooseShard([{ instance: 'fl-b', devices: 5 }, { instance: 'fl-a', devices: 5 }])).toBe('fl-b');
  });

  it('skips full instances and says to add one when all are full', () => {
    expect(chooseShard([{ instance: 'fl-a', devices: 3, capacity: 3 }, { instance: 'fl-b', devices: 7, capacity: 10 }])).toBe('fl-b');
    const e = error(() => chooseShard([{ instance: 'fl-a', devices: 3, capacity: 3 }, { instance: 'fl-b', devices: 10, capacity: 10 }]));
    expect(e.field).toBe('shards');
    expect(e.message).toBe('every shard is full (fl-a 3/3, fl-b 10/10): add a database instance (docs/scaling.md)');
  });

  it('honours an explicit shard only when configured and not full', () => {
    const shards = [{ instance: 'fl-a', devices: 0 }, { instance: 'fl-b', devices: 9, capacity: 9 }, { instance: 'fl-c', devices: 50 }];
    expect(chooseShard(shards, 'fl-c')).toBe('fl-c');
    expect(error(() => chooseShard(shards, 'fl-x')).message).toBe('shard "fl-x" (4 chars) is not configured; configured: fl-a, fl-b, fl-c');
    expect(error(() => chooseShard(shards, 'fl-b')).message).toBe('shard fl-b is full (9 of 9 devices)');
  });

  it('refuses an empty list, bad names, duplicates and bad counts', () => {
    expect(error(() => chooseShard([])).message).toMatch(/no database instance is configured/);
    expect(error(() => chooseShard([{ instance: 'Bad_Name', devices: 0 }])).field).toBe('shards[0].instance');
    expect(error(() => chooseShard([{ instance: 'fl-a', devices: 0 }, { instance: 'fl-a', devices: 1 }])).message).toBe('shard fl-a is listed twice');
    expect(error(() => chooseShard([{ instance: 'fl-a', devices: -1 }])).field).toBe('shards[0].devices');
    expect(error(() => chooseShard([{ instance: 'fl-a', devices: 1, capacity: 1.5 }])).field).toBe('shards[0].capacity');
  });
});

describe('directory path and instance URLs', () => {
  it('builds deviceShards/{id} with a checked device id', () => {
    expect(deviceShardPath('dev-0001')).toBe('deviceShards/dev-0001');
    expect(() => deviceShardPath('Dev/1')).toThrow(ContractError);
  });

  it('builds the database URL of an instance', () => {
    expect(instanceDatabaseUrl('fl-shard-1')).toBe('https://fl-shard-1.firebaseio.com');
    expect(instanceDatabaseUrl('fl-shard-1', { location: 'europe-west1' })).toBe('https://fl-shard-1.europe-west1.firebasedatabase.app');
    expect(instanceDatabaseUrl('fl-shard-1', { emulatorHost: '127.0.0.1:9000' })).toBe('http://127.0.0.1:9000/?ns=fl-shard-1');
    expect(error(() => instanceDatabaseUrl('x', { location: 'mars' })).field).toBe('location');
  });
});

describe('instanceOfDatabaseUrl', () => {
  it('is the inverse of instanceDatabaseUrl in every form', () => {
    for (const options of [{}, { location: 'europe-west1' }, { emulatorHost: '127.0.0.1:9000' }]) {
      expect(instanceOfDatabaseUrl(instanceDatabaseUrl('my-db-2', options))).toBe('my-db-2');
    }
    expect(instanceOfDatabaseUrl('http://127.0.0.1:9000?ns=demo-x-default-rtdb')).toBe('demo-x-default-rtdb');
  });

  it('refuses a URL that names no instance', () => {
    for (const url of ['http://127.0.0.1:9000', 'https://example.com', 'not a url', 'http://h/?ns=Bad_Name']) {
      expect(() => instanceOfDatabaseUrl(url)).toThrow(ContractError);
    }
    expect(() => instanceOfDatabaseUrl('http://127.0.0.1:9000')).toThrow(/cannot tell the database instance/);
  });
});

describe('localShardInstances', () => {
  it('names the default instance first, then numbered shards', () => {
    expect(localShardInstances('demo-x', 1)).toEqual(['demo-x-default-rtdb']);
    expect(localShardInstances('demo-x', 3)).toEqual(['demo-x-default-rtdb', 'demo-x-shard-1', 'demo-x-shard-2']);
  });

  it('refuses a count outside 1..16', () => {
    for (const n of [0, 17, 1.5]) expect(() => localShardInstances('demo-x', n)).toThrow(/shards must be a whole number from 1 to 16/);
  });
});
