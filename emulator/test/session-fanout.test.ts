// A commit reaches exactly the connection's listens at, above or below a written path, in the
// order the listens were made (a listen made again keeps its place), however many other listens
// the connection holds (the per-connection path index in server/session.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, startTarget, type Target } from './harness.js';
import { isReply, request, wireConnect } from './wire-client.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

const pushPaths = (messages: readonly Record<string, unknown>[]): string[] =>
  messages.flatMap((m) => {
    const d = m['d'] as { a?: string; b?: { p: string } } | undefined;
    return m['t'] === 'd' && (d?.a === 'd' || d?.a === 'm') ? [d.b!.p] : [];
  });

describe('commit fan-out on one connection', () => {
  it('pushes only to related listens, in listen order, a repeated listen keeping its place', async () => {
    const ns = freshNamespace();
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    let r = 0;
    const call = async (a: string, b: object): Promise<void> => {
      r += 1;
      c.send(request(r, a, b));
      await c.next(isReply(r));
    };
    const writeAndPushes = async (): Promise<string[]> => {
      const from = c.messages.length;
      r += 1;
      c.send(request(r, 'm', { p: '/', d: { 'x/a/v': r, 'x/b/v': r, 'z/v': r } }));
      await c.next(isReply(r), from);
      return pushPaths(c.messages.slice(from));
    };
    try {
      await call('q', { p: '/x/b', h: '' });
      for (let i = 0; i < 50; i += 1) await call('q', { p: `/y/${i}`, h: '' });
      await call('q', { p: '/x/a', h: '' });
      expect(await writeAndPushes()).toEqual(['/x/b/v', '/x/a/v']);
      await call('q', { p: '/x/b', h: '' }); // the same listen again: keeps its place
      expect(await writeAndPushes()).toEqual(['/x/b/v', '/x/a/v']);
      await call('n', { p: '/x/b' });
      await call('q', { p: '/x/b', h: '' }); // removed and made anew: now the newest
      expect(await writeAndPushes()).toEqual(['/x/a/v', '/x/b/v']);
    } finally {
      await c.close();
    }
  });
});
