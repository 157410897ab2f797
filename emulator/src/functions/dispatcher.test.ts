import { describe, expect, it } from 'vitest';
import { Dispatcher, type QueuedEvent } from './dispatcher.js';
import type { MatchedEvent } from './events.js';
import { createLogs } from './logs.js';
import { parsePathPattern } from './path-pattern.js';
import { InvocationFailure } from './worker-process.js';

function matched(name: string, ref: string, retry = false): MatchedEvent {
  return {
    trigger: {
      info: { name, kind: 'written', ref: 'x/{id}', instance: '*', region: 'us-central1', retry, timeoutSeconds: 60 },
      pattern: parsePathPattern('x/{id}'),
    },
    key: `${name}|${ref}`,
    event: { ref } as MatchedEvent['event'],
  };
}

function setup(invoke: (e: QueuedEvent, d: Dispatcher) => Promise<void>, maxCascadeDepth = 5) {
  const lines: string[] = [];
  const dispatcher: Dispatcher = new Dispatcher({
    invoke: (e) => invoke(e, dispatcher),
    logs: createLogs((l) => lines.push(l)),
    maxCascadeDepth,
    maxConcurrent: 4,
    retryBaseMs: 1,
    retryMaxMs: 4,
    maxAttempts: 3,
  });
  return { dispatcher, lines };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('Dispatcher', () => {
  it('runs one event per key at a time, in order, and keys in parallel', async () => {
    const log: string[] = [];
    let concurrent = 0;
    let maxSeen = 0;
    const { dispatcher } = setup(async (e) => {
      concurrent++;
      maxSeen = Math.max(maxSeen, concurrent);
      log.push(`start ${e.matched.key} ${String(e.matched.event.ref)}`);
      await tick();
      concurrent--;
    });
    const a1 = matched('t', 'a');
    dispatcher.enqueueWrite([a1], false);
    dispatcher.enqueueWrite([{ ...matched('t', 'a'), event: { ref: 'a#2' } as MatchedEvent['event'] }], false);
    dispatcher.enqueueWrite([matched('t', 'b')], false);
    await dispatcher.idle();
    expect(log).toEqual(['start t|a a', 'start t|b b', 'start t|a a#2']);
    expect(maxSeen).toBe(2);
    expect(dispatcher.stats.delivered).toBe(3);
  });

  it('counts the events that waited for a free slot, and the peak in flight', async () => {
    const gates: Array<() => void> = [];
    const { dispatcher } = setup(() => new Promise<void>((resolve) => gates.push(resolve)));
    // Four slots (setup): five keys at once leave one waiting; a key of its own key queue
    // (x#2 behind x) waits for its key, not for a slot.
    dispatcher.enqueueWrite(['a', 'b', 'c', 'd', 'e'].map((k) => matched('t', k)), false);
    expect(dispatcher.stats.peakRunning).toBe(4);
    expect(dispatcher.stats.waitedForSlot).toBe(0);
    gates.shift()?.();
    await tick();
    expect(dispatcher.stats.waitedForSlot).toBe(1); // e started once a slot freed
    dispatcher.enqueueWrite([{ ...matched('t', 'b'), event: { ref: 'b#2' } as MatchedEvent['event'] }], false);
    while (gates.length > 0) {
      for (const open of gates.splice(0)) open();
      await tick();
    }
    await dispatcher.idle();
    expect(dispatcher.stats.delivered).toBe(6);
    expect(dispatcher.stats.waitedForSlot).toBe(1);
    // With slots free, nothing waits.
    dispatcher.enqueueWrite([matched('t', 'f')], false);
    for (const open of gates.splice(0)) open();
    await dispatcher.idle();
    expect(dispatcher.stats.waitedForSlot).toBe(1);
    expect(dispatcher.stats.peakRunning).toBe(4);
  });

  it('retries only retry:true triggers, keeping later events of the key waiting', async () => {
    const calls: string[] = [];
    const { dispatcher, lines } = setup(async (e) => {
      calls.push(`${e.matched.trigger.info.name}:${String(e.matched.event.ref)}:${e.attempt}`);
      if (e.matched.event.ref === 'a' && e.attempt < 3) throw new InvocationFailure('error', 'nope', 'Error: nope\n    at x');
      if (e.matched.trigger.info.name === 'plain') throw new Error('plain fails');
    });
    dispatcher.enqueueWrite([matched('r', 'a', true)], false);
    dispatcher.enqueueWrite([{ ...matched('r', 'a', true), event: { ref: 'a2' } as MatchedEvent['event'] }], false);
    dispatcher.enqueueWrite([matched('plain', 'p')], false);
    await dispatcher.idle();
    expect(calls.filter((c) => c.startsWith('r:'))).toEqual(['r:a:1', 'r:a:2', 'r:a:3', 'r:a2:1']);
    expect(calls.filter((c) => c.startsWith('plain:'))).toEqual(['plain:p:1']);
    expect(lines.filter((l) => /retrying in \d+ ms/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /plain written \/p FAILED .*not retried/.test(l))).toHaveLength(1);
  });

  it('gives up a retrying event after maxAttempts', async () => {
    let calls = 0;
    const { dispatcher, lines } = setup(async () => {
      calls++;
      throw new InvocationFailure('timeout', 'timed out');
    });
    dispatcher.enqueueWrite([matched('r', 'a', true)], false);
    await dispatcher.idle();
    expect(calls).toBe(3);
    expect(dispatcher.stats.failed).toBe(1);
    expect(lines.filter((l) => /exceeded timeoutSeconds=60/.test(l))).toHaveLength(3);
  });

  it('re-delivers events interrupted by another invocation\'s crash, without counting an attempt', async () => {
    let first = true;
    const seen: number[] = [];
    const { dispatcher } = setup(async (e) => {
      seen.push(e.attempt);
      if (first) {
        first = false;
        throw new InvocationFailure('interrupted', 'worker stopped');
      }
    });
    dispatcher.enqueueWrite([matched('t', 'a')], false);
    await dispatcher.idle();
    expect(seen).toEqual([1, 1]);
    expect(dispatcher.stats.delivered).toBe(1);
  });

  it('stops a runaway chain of function writes at maxCascadeDepth and reports it', async () => {
    let invocations = 0;
    const { dispatcher, lines } = setup(async (e, d) => {
      invocations++;
      await tick();
      // The handler's own write commits while it runs, as with `await ref.set()`.
      d.enqueueWrite([{ ...e.matched, event: { ref: 'loop' } as MatchedEvent['event'] }], true);
    }, 5);
    dispatcher.enqueueWrite([matched('loop', 'loop')], false);
    await dispatcher.idle();
    expect(invocations).toBe(5);
    expect(dispatcher.stats.runawayStopped).toBe(1);
    expect(lines.filter((l) => /RUNAWAY CASCADE stopped: loop at \/loop was re-triggered 6 times/.test(l))).toHaveLength(1);
  });

  it('does not count unrelated writes during busy periods as a chain', async () => {
    const { dispatcher } = setup(async () => {
      await tick();
    }, 3);
    // Many admin writes at fresh locations while invocations run (a benchmark's load):
    // they look like one long chain, but no trigger+location repeats.
    for (let i = 0; i < 50; i++) {
      dispatcher.enqueueWrite([matched('t', `k${i}`)], true);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await dispatcher.idle();
    expect(dispatcher.stats.runawayStopped).toBe(0);
    expect(dispatcher.stats.delivered).toBe(50);
  });
});
