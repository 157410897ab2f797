import { describe, expect, it } from 'vitest';
import { instanceMatches, matchPath, parsePathPattern, prefixCanMatch, splitPath } from './path-pattern.js';

const match = (pattern: string, path: string) => matchPath(parsePathPattern(pattern), splitPath(path));

describe('path patterns', () => {
  it('matches literals and single-segment captures', () => {
    expect(match('/devices/{id}/readings/{rid}', 'devices/d1/readings/r9')).toEqual({ id: 'd1', rid: 'r9' });
    expect(match('devices/{id=*}', 'devices/d1')).toEqual({ id: 'd1' });
    expect(match('devices/*/state', 'devices/d1/state')).toEqual({});
    expect(match('devices/{id}', 'devices/d1/state')).toBeNull();
    expect(match('devices/{id}', 'devices')).toBeNull();
    expect(match('devices/{id}/state', 'users/d1/state')).toBeNull();
  });

  it('captures one or more segments with {x=**}', () => {
    expect(match('tree/{rest=**}', 'tree/a')).toEqual({ rest: 'a' });
    expect(match('tree/{rest=**}', 'tree/a/b/c')).toEqual({ rest: 'a/b/c' });
    expect(match('tree/{rest=**}', 'tree')).toBeNull();
    expect(match('a/{mid=**}/z', 'a/b/c/z')).toEqual({ mid: 'b/c' });
    expect(match('a/**/z', 'a/b/z')).toEqual({});
    expect(match('a/{mid=**}/z', 'a/z')).toBeNull();
  });

  it('rejects malformed patterns with a message naming the segment', () => {
    expect(() => parsePathPattern('a/{b/c')).toThrow(/segment "\{b"/);
    expect(() => parsePathPattern('a/**/b/**')).toThrow(/only one/);
  });

  it('prunes prefixes that cannot lead to a match', () => {
    const p = parsePathPattern('devices/{id}/readings/{rid}');
    expect(prefixCanMatch(p, ['devices', 'd1'])).toBe(true);
    expect(prefixCanMatch(p, ['users'])).toBe(false);
    expect(prefixCanMatch(p, ['devices', 'd1', 'readings', 'r', 'x'])).toBe(false);
    expect(prefixCanMatch(parsePathPattern('tree/{r=**}'), ['tree', 'a', 'b', 'c'])).toBe(true);
  });

  it('filters instances by literal or pattern', () => {
    expect(instanceMatches('*', 'any')).toBe(true);
    expect(instanceMatches('other-ns', 'other-ns')).toBe(true);
    expect(instanceMatches('other-ns', 'demo-default-rtdb')).toBe(false);
    expect(instanceMatches('{inst}', 'x')).toBe(true);
  });
});
