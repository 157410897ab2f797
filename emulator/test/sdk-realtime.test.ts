// Conformance: transactions under contention, onDisconnect on a killed socket, reconnect after
// a server restart, large values split into frames, priorities.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, onValue, ref, runTransaction, set, setPriority, setWithPriority } from 'firebase/database';
import { clientApp } from './clients.js';
import { freshNamespace, onlyOurs, startTarget, waitFor, type Target } from './harness.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

describe('transactions', () => {
  it('two clients racing increments both succeed (hash compare-and-set)', async () => {
    const ns = freshNamespace();
    const a = clientApp(target, ns);
    const b = clientApp(target, ns, { via: 'emulator' });
    try {
      await set(ref(a.db, 'counter'), 0);
      const bump = (db: typeof a.db) => runTransaction(ref(db, 'counter'), (v: number | null) => (v ?? 0) + 1);
      const runs: Promise<unknown>[] = [];
      for (let i = 0; i < 15; i++) runs.push(bump(a.db), bump(b.db));
      const results = await Promise.all(runs);
      expect(results.every((r) => (r as { committed: boolean }).committed)).toBe(true);
      expect((await get(ref(a.db, 'counter'))).val()).toBe(30);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('transactions on objects with priorities and awkward doubles hash like the client', async () => {
    const ns = freshNamespace();
    const a = clientApp(target, ns);
    try {
      await set(ref(a.db, 'tx'), { tiny: 2 ** -29, neg: -1.5, big: 1e300, p: { '.value': 1, '.priority': 'x' }, n: { '.value': 2, '.priority': 3 } });
      let attempts = 0;
      const result = await runTransaction(ref(a.db, 'tx'), (v: Record<string, unknown> | null) => {
        attempts++;
        if (v === null) return { fresh: true };
        return { ...v, touched: true };
      });
      expect(result.committed).toBe(true);
      expect(attempts).toBeLessThan(5);
      expect((await get(ref(a.db, 'tx/touched'))).val()).toBe(true);
      expect((await get(ref(a.db, 'tx/tiny'))).val()).toBe(2 ** -29);
    } finally {
      await a.close();
    }
  });
});

describe('onDisconnect', () => {
  it('runs queued operations in order when the client process is killed', async () => {
    const ns = freshNamespace();
    const observer = clientApp(target, ns);
    const script = fileURLToPath(new URL('./fixtures/clients/on-disconnect-client.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, target.hostPort, ns], { stdio: ['ignore', 'pipe', 'inherit'], cwd: fileURLToPath(new URL('..', import.meta.url)) });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('ready')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`client exited early (${code})`)));
      });
      expect((await get(ref(observer.db, 'presence/dev1/online'))).val()).toBe(true);
      child.kill('SIGKILL');
      let presence: { online?: boolean; lastSeen?: unknown } | null = null;
      const unsub = onValue(ref(observer.db, 'presence/dev1'), (snap) => {
        presence = snap.val() as typeof presence;
      });
      await waitFor(() => presence?.online === false, 10_000, 'onDisconnect ops to run');
      unsub();
      const snap = (await get(ref(observer.db, '/'))).val() as Record<string, unknown>;
      expect((snap['presence'] as { dev1: { online: boolean; lastSeen: unknown } }).dev1.online).toBe(false);
      expect(typeof (snap['presence'] as { dev1: { lastSeen: unknown } }).dev1.lastSeen).toBe('number');
      expect(snap['log']).toEqual({ first: 'b' });
      expect(snap['cancelled']).toBeUndefined();
    } finally {
      child.kill('SIGKILL');
      await observer.close();
    }
  });
});

describe('connection faults', () => {
  it('clients reconnect after the server restarts and listeners resume', async () => {
    if (!onlyOurs('needs restart() fault injection')) return;
    const ns = freshNamespace();
    const a = clientApp(target, ns);
    const b = clientApp(target, ns);
    let seen: unknown = null;
    try {
      const unsub = onValue(ref(b.db, 'r'), (s) => {
        seen = s.val();
      });
      await set(ref(a.db, 'r'), 1);
      await waitFor(() => seen === 1, 5000, 'first value');
      await target.emulator!.restart(200);
      await set(ref(a.db, 'r'), 2); // resolves once the client reconnected and the server acked
      await waitFor(() => seen === 2, 15_000, 'value after restart');
      unsub();
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('large values and priorities', () => {
  it('a 3 MB value travels split into frames both ways', async () => {
    const ns = freshNamespace();
    const a = clientApp(target, ns);
    const b = clientApp(target, ns);
    try {
      const big = { text: 'x'.repeat(3 * 1024 * 1024), list: Array.from({ length: 2000 }, (_, i) => ({ i, s: 'y'.repeat(100) })) };
      await set(ref(a.db, 'big'), big);
      const got = (await get(ref(b.db, 'big'))).val() as typeof big;
      expect(got.text.length).toBe(big.text.length);
      expect(got.list.length).toBe(2000);
      expect(got.list[1999]).toEqual(big.list[1999]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('setPriority and setWithPriority are stored and returned', async () => {
    const ns = freshNamespace();
    const a = clientApp(target, ns);
    const b = clientApp(target, ns);
    try {
      await setWithPriority(ref(a.db, 'p/x'), 'v', 7);
      await set(ref(a.db, 'p/y'), { k: 1 });
      await setPriority(ref(a.db, 'p/y'), 'high');
      const snap = await get(ref(b.db, 'p'));
      expect(getPriorityOf(snap.child('x'))).toBe(7);
      expect(getPriorityOf(snap.child('y'))).toBe('high');
      expect(snap.exportVal()).toEqual({ x: { '.value': 'v', '.priority': 7 }, y: { k: 1, '.priority': 'high' } });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

function getPriorityOf(s: { priority: string | number | null }): string | number | null {
  return s.priority;
}
