import { describe, expect, it } from 'vitest';
import { KeyedSerializer } from './serial.js';

describe('KeyedSerializer', () => {
  it('runs tasks of one key in order, one at a time, and other keys alongside', async () => {
    const s = new KeyedSerializer();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a1 = s.run('a', async () => {
      events.push('a1 start');
      await gate;
      events.push('a1 end');
    });
    const a2 = s.run('a', async () => {
      events.push('a2');
    });
    const b1 = s.run('b', async () => {
      events.push('b1');
    });
    await b1;
    expect(events).toEqual(['a1 start', 'b1']);
    release();
    await Promise.all([a1, a2]);
    expect(events).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('keeps going after a failed task and forgets idle keys', async () => {
    const s = new KeyedSerializer();
    await expect(s.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(s.run('k', async () => 7)).resolves.toBe(7);
    await new Promise((r) => setTimeout(r, 0));
    expect(s.size).toBe(0);
  });
});
