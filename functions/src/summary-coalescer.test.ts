import { describe, expect, it } from 'vitest';
import type { Reference } from 'firebase-admin/database';
import { SummaryCoalescer } from './summary-coalescer.js';

interface Call {
  kind: 'set' | 'update';
  path: string;
  value: unknown;
  settle(error?: Error): void;
}

/** A writer whose writes stay pending until the test settles them, as a server's acknowledgement. */
function fakeWriter(): { ref: Reference; calls: Call[] } {
  const calls: Call[] = [];
  const at = (path: string): unknown => ({
    child: (sub: string) => at(path === '' ? sub : `${path}/${sub}`),
    set: (value: unknown) => pending('set', path, value),
    update: (value: unknown) => pending('update', path, value),
  });
  const pending = (kind: Call['kind'], path: string, value: unknown) =>
    new Promise<void>((resolve, reject) => calls.push({ kind, path, value, settle: (error) => (error ? reject(error) : resolve()) }));
  const root = at('');
  const ref = { root, toString: () => 'https://demo.example/' } as unknown as Reference;
  return { ref, calls };
}

const state = (seq: number) => ({ angle: seq, ir: seq, seq, ts: 1 });
const denied = () => Object.assign(new Error('PERMISSION_DENIED: Permission denied'), { code: 'PERMISSION_DENIED' });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SummaryCoalescer', () => {
  it('sends the first state at once, and what comes while it is in flight as one update with the newest state per device', async () => {
    const { ref, calls } = fakeWriter();
    const summaries = new SummaryCoalescer();
    const first = summaries.add(ref, 'db', 'u1', 'd1', 1, state(1));
    expect(calls.map((c) => [c.kind, c.path])).toEqual([['set', 'fleets/u1/d1/state']]);

    const later = [summaries.add(ref, 'db', 'u1', 'd1', 2, state(2)), summaries.add(ref, 'db', 'u1', 'd2', 5, state(5)), summaries.add(ref, 'db', 'u1', 'd1', 3, state(3))];
    // An older state of a device already queued does not replace the newer one.
    later.push(summaries.add(ref, 'db', 'u1', 'd2', 4, state(4)));
    expect(calls).toHaveLength(1);
    calls[0]!.settle();
    await first;
    await tick();
    expect(calls.map((c) => [c.kind, c.path])).toEqual([['set', 'fleets/u1/d1/state'], ['update', 'fleets/u1']]);
    expect(calls[1]!.value).toEqual({ 'd1/state': state(3), 'd2/state': state(5) });
    calls[1]!.settle();
    await Promise.all(later);
    expect(summaries.size).toBe(0);
  });

  it('keeps owners and databases apart, even where their URLs are alike (shards on the emulator)', () => {
    const a = fakeWriter();
    const b = fakeWriter();
    const summaries = new SummaryCoalescer();
    void summaries.add(a.ref, 'shard-a', 'u1', 'd1', 1, state(1));
    void summaries.add(a.ref, 'shard-a', 'u2', 'd9', 1, state(1));
    // Same owner, same URL text, another instance: its own lane, written through its own writer.
    void summaries.add(b.ref, 'shard-b', 'u1', 'd5', 1, state(1));
    expect(a.calls.map((c) => c.path)).toEqual(['fleets/u1/d1/state', 'fleets/u2/d9/state']);
    expect(b.calls.map((c) => c.path)).toEqual(['fleets/u1/d5/state']);
    expect(summaries.size).toBe(3);
  });

  it('writes entry by entry when the rules refuse the batch, dropping only the refused entry', async () => {
    const { ref, calls } = fakeWriter();
    const summaries = new SummaryCoalescer();
    const first = summaries.add(ref, 'db', 'u1', 'd0', 1, state(1));
    const batch = [summaries.add(ref, 'db', 'u1', 'd1', 7, state(7)), summaries.add(ref, 'db', 'u1', 'd2', 8, state(8))];
    calls[0]!.settle();
    await first;
    await tick();
    calls[1]!.settle(denied());
    await tick();
    expect(calls.slice(2).map((c) => [c.kind, c.path])).toEqual([['set', 'fleets/u1/d1/state'], ['set', 'fleets/u1/d2/state']]);
    calls[2]!.settle(denied());
    calls[3]!.settle();
    await expect(Promise.all(batch)).resolves.toEqual([undefined, undefined]);
  });

  it('rejects every state of a batch on an error other than the rules', async () => {
    const { ref, calls } = fakeWriter();
    const summaries = new SummaryCoalescer();
    const first = summaries.add(ref, 'db', 'u1', 'd1', 1, state(1));
    calls[0]!.settle(new Error('disconnected'));
    await expect(first).rejects.toThrow('disconnected');
  });
});
