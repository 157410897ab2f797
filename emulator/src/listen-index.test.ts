import { describe, expect, it } from 'vitest';
import { ListenIndex } from './listen-index.js';

describe('ListenIndex', () => {
  it('finds listeners above, at and below written paths, and forgets removed ones', () => {
    const index = new ListenIndex<string>();
    index.add('root', []);
    index.add('dev1', ['devices', 'd1', 'state']);
    index.add('dev1', ['devices', 'd1', 'config']);
    index.add('dev2', ['devices', 'd2', 'state']);
    index.add('users', ['users']);
    const names = (paths: string[][]) => [...index.affected(paths)].sort();
    expect(names([['devices', 'd1', 'state', 'angle']])).toEqual(['dev1', 'root']);
    expect(names([['devices']])).toEqual(['dev1', 'dev2', 'root']);
    expect(names([['users', 'u1'], ['devices', 'd2', 'state']])).toEqual(['dev2', 'root', 'users']);
    index.remove('root', []);
    index.remove('dev1', ['devices', 'd1', 'state']);
    expect(names([['devices', 'd1']])).toEqual(['dev1']);
    index.remove('dev1', ['devices', 'd1', 'config']);
    expect(names([['devices', 'd1']])).toEqual([]);
    expect(names([['zones']])).toEqual([]);
  });

  it('counts repeated listens of one subscriber at one path', () => {
    const index = new ListenIndex<string>();
    index.add('s', ['a']);
    index.add('s', ['a']);
    index.remove('s', ['a']);
    expect([...index.affected([['a']])]).toEqual(['s']);
    index.remove('s', ['a']);
    expect([...index.affected([['a']])]).toEqual([]);
  });
});
