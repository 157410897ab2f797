import { describe, expect, it } from 'vitest';
import { ShardMap } from './shard-map.js';

describe('ShardMap', () => {
  it('resolves a missing entry to the default instance and a name to that instance', () => {
    const map = new ShardMap();
    expect(map.instanceOf('a')).toBeUndefined();
    expect(map.apply('a', null)).toEqual({ kind: 'moved', instance: null, from: undefined });
    expect(map.apply('b', 'shard-2')).toEqual({ kind: 'moved', instance: 'shard-2', from: undefined });
    expect(map.instanceOf('a')).toBeNull();
    expect(map.instanceOf('b')).toBe('shard-2');
  });

  it('reports the same entry again as unchanged and a new one as a move from the old', () => {
    const map = new ShardMap();
    map.apply('a', 'shard-1');
    expect(map.apply('a', 'shard-1')).toEqual({ kind: 'same' });
    expect(map.apply('a', 'shard-2')).toEqual({ kind: 'moved', instance: 'shard-2', from: 'shard-1' });
    expect(map.apply('a', null)).toEqual({ kind: 'moved', instance: null, from: 'shard-2' });
    expect(map.apply('a', null)).toEqual({ kind: 'same' });
  });

  it('an invalid entry is an error and leaves the device unresolved; a later valid one resolves it', () => {
    const map = new ShardMap();
    map.apply('a', 'shard-1');
    const bad = map.apply('a', 42);
    expect(bad).toMatchObject({ kind: 'invalid', error: expect.stringContaining('deviceShards/a is 42') as unknown });
    expect(map.instanceOf('a')).toBeUndefined();
    expect(map.apply('a', 'shard-1')).toEqual({ kind: 'moved', instance: 'shard-1', from: undefined });
  });

  it('forgets removed devices', () => {
    const map = new ShardMap();
    map.apply('a', 'shard-1');
    map.remove('a');
    expect(map.instanceOf('a')).toBeUndefined();
    expect(map.apply('a', 'shard-1')).toEqual({ kind: 'moved', instance: 'shard-1', from: undefined });
  });
});
