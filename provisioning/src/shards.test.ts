import { describe, expect, it } from 'vitest';
import { instanceOfUrl, parseShardList } from './shards.js';

describe('parseShardList', () => {
  it('reads names with optional capacities, in order', () => {
    expect(parseShardList('a-1, b-2:500,c-3', '--shards')).toEqual([{ instance: 'a-1' }, { instance: 'b-2', capacity: 500 }, { instance: 'c-3' }]);
  });

  it("reads a count as the local stack's instances", () => {
    expect(parseShardList('3', 'FIRELINK_SHARDS', 'demo-x')).toEqual([{ instance: 'demo-x-default-rtdb' }, { instance: 'demo-x-shard-1' }, { instance: 'demo-x-shard-2' }]);
    expect(() => parseShardList('0', '--shards', 'demo-x')).toThrow(/--shards: shards must be a whole number from 1 to 16/);
    expect(() => parseShardList('2', '--shards')).toThrow(/needs the project id/);
  });

  it('is null when empty or absent (the default instance alone)', () => {
    expect(parseShardList(undefined, '--shards')).toBeNull();
    expect(parseShardList('  ', 'FIRELINK_SHARDS')).toBeNull();
  });

  it('names the flag or variable in its errors', () => {
    expect(() => parseShardList('a-1,Bad', '--shards')).toThrow(/--shards must be an RTDB instance name/);
    expect(() => parseShardList('a-1:x', 'FIRELINK_SHARDS')).toThrow(/FIRELINK_SHARDS: "a-1:x" is not an instance name or name:capacity/);
    expect(() => parseShardList('a-1,a-1', '--shards')).toThrow(/a-1 is listed twice/);
    expect(() => parseShardList('a-1,,b-1', '--shards')).toThrow(/is not an instance name/);
  });
});

describe('instanceOfUrl', () => {
  it('reads the emulator namespace or the first host label', () => {
    expect(instanceOfUrl('http://127.0.0.1:9000?ns=demo-x-default-rtdb')).toBe('demo-x-default-rtdb');
    expect(instanceOfUrl('https://my-db.europe-west1.firebasedatabase.app')).toBe('my-db');
    expect(() => instanceOfUrl('http://127.0.0.1:9000')).toThrow(/cannot tell the database instance/);
  });
});
