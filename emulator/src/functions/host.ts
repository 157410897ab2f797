// The functions host: wires committed writes to the worker through the dispatcher, runs
// schedules, reloads on change. Public entry: startFunctionsHost in index.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { functionsEnv, type HostConfig } from './config.js';
import { discover, type Discovery } from './discovery.js';
import { Dispatcher } from './dispatcher.js';
import { eventsForWrite } from './events.js';
import { handleFunctionsHttp } from './http.js';
import { createLogs } from './logs.js';
import { ScheduleTimers } from './schedule-timers.js';
import type { CommitSource } from '../contracts.js';
import type { FunctionsEventStore } from '../durable/data-dir.js';
import type { MatchedEvent } from './events.js';
import type { FunctionsHost } from './types.js';
import { InvocationFailure, WorkerProcess } from './worker-process.js';
import { watchFolder } from './watch.js';
import { workerScriptPath } from './worker-script.js';

const RELOAD_DEBOUNCE_MS = 300;
const STOP_GRACE_MS = 2000;
/**
 * Invocations in flight at once in the one worker; later events wait for a slot (the status's
 * `stats.waitedForSlot`). Deployed, more instances would start instead. An invocation keeps its
 * slot until its owner's fleet-summary batch is acknowledged (functions/src/summary-coalescer.ts),
 * so in a slow second the slots fill with invocations whose state is already written and the next
 * readings queue behind them. In the 1,000-device bench (stack/bench/e2e.mjs) a cap of 128 gave a
 * run p99 of 50 ms or more in 7 of 13 runs (29 to 324 ms); 512 in none of 24 (25 to 44 ms), with at
 * most 424 in flight. Bounded all the same: the Admin SDK scans every unacknowledged write on each
 * acknowledgement (@firebase/database `writeTreeRemoveWrite`).
 */
const MAX_CONCURRENT_INVOCATIONS = 512;

export async function createFunctionsHost(config: Readonly<HostConfig>, commits: CommitSource, store: FunctionsEventStore | null = null): Promise<FunctionsHost> {
  const logs = createLogs(config.log, { invocations: config.logInvocations });
  let discovery: Discovery = { triggers: [], schedules: [], skipped: [] };
  let loadError: string | null = null;
  let announceLoad = true;
  let stopped = false;

  const timers = new ScheduleTimers((name, dueMs) =>
    runSchedule(name, dueMs).catch((err: unknown) => logs.scheduleError(name, (err as Error).message)),
  );

  const worker = new WorkerProcess({
    scriptPath: await workerScriptPath(),
    entryPath: config.entryPath,
    env: () => functionsEnv(config),
    cwd: config.functionsDir,
    onLoaded(endpoints) {
      discovery = discover(endpoints);
      loadError = null;
      if (config.runSchedulesOnTimer && !stopped) timers.arm(discovery.schedules);
      if (announceLoad) logs.loaded(config.entryPath, infos().triggers, infos().schedules, discovery.skipped);
      announceLoad = false;
    },
    onOutput: (line) => logs.workerOutput(line),
    onUncaught: (error) => logs.uncaught(error.stack),
    onExit(code, signal, expected) {
      if (!expected && !stopped) logs.workerExited(code, signal);
    },
  });

  const dispatcher = new Dispatcher({
    logs,
    maxCascadeDepth: config.maxCascadeDepth,
    maxConcurrent: MAX_CONCURRENT_INVOCATIONS,
    retryBaseMs: 200,
    retryMaxMs: 10_000,
    maxAttempts: 6,
    async invoke(queued) {
      if (loadError !== null) throw new InvocationFailure('unavailable', 'the functions package failed to load');
      const { info } = queued.matched.trigger;
      await worker.invoke(info.name, 'database', queued.matched.event, info.timeoutSeconds * 1000);
    },
    onDone(queued) {
      if (store !== null && queued.matched.durableId !== undefined) store.delivered(queued.matched.durableId);
    },
  });

  const unsubscribe = commits.onCommit((write) => {
    if (discovery.triggers.length === 0) return;
    // Runs inside the database's commit: a bug here must cost events, never the write.
    try {
      const matched = eventsForWrite(write, discovery.triggers);
      if (matched.length === 0) return;
      if (store !== null) {
        // Journaled inside the commit, so the write's ack also covers its events.
        for (const m of matched) m.durableId = store.nextId();
        store.recorded(matched.map((m) => ({ id: m.durableId!, name: m.trigger.info.name, key: m.key, event: m.event })));
      }
      dispatcher.enqueueWrite(matched, write.identity.kind === 'admin');
    } catch (err) {
      logs.matchFailed(write.namespace, write.paths.map((p) => `/${p.join('/')}`).join(', '), (err as Error).stack ?? String(err));
    }
  });

  async function load(): Promise<void> {
    try {
      await worker.start();
    } catch (err) {
      loadError = (err as Error).message;
      discovery = { triggers: [], schedules: [], skipped: [] };
      timers.clear();
      logs.loadFailed(config.entryPath, loadError);
    }
  }

  /** Schedule runs in progress, so idle() also waits for timer-fired runs and their cascades. */
  const activeRuns = new Set<Promise<void>>();

  function runSchedule(name: string, scheduleTimeMs = Date.now()): Promise<void> {
    const run = invokeSchedule(name, scheduleTimeMs);
    const tracked = run.catch(() => {}).finally(() => activeRuns.delete(tracked));
    activeRuns.add(tracked);
    return run;
  }

  async function idle(): Promise<void> {
    for (;;) {
      await dispatcher.idle();
      if (activeRuns.size === 0) return;
      await Promise.all(activeRuns);
    }
  }

  async function invokeSchedule(name: string, scheduleTimeMs: number): Promise<void> {
    const schedule = discovery.schedules.find((s) => s.info.name === name);
    if (!schedule) {
      const known = discovery.schedules.map((s) => s.info.name).join(', ') || 'none';
      throw new Error(`no scheduled function named "${name}" (known: ${known})`);
    }
    const startedMs = performance.now();
    const payload = { jobName: `firebase-schedule-${name}-${schedule.info.region}`, scheduleTime: new Date(scheduleTimeMs).toISOString() };
    try {
      await worker.invoke(name, 'schedule', payload, schedule.info.timeoutSeconds * 1000);
      logs.invoked(name, 'schedule', performance.now() - startedMs, 1);
    } catch (err) {
      const failure = err as InvocationFailure;
      if (failure.kind === 'timeout') logs.timedOut(name, 'schedule', schedule.info.timeoutSeconds);
      logs.failed(name, 'schedule', performance.now() - startedMs, 1, failure.handlerStack ?? failure.message, null);
      throw err;
    }
  }

  let reloading: Promise<void> = Promise.resolve();

  /** One reload at a time: a rebuild touching many files must not interleave two. */
  function reload(reason = 'requested'): Promise<void> {
    reloading = reloading.then(async () => {
      if (stopped) return;
      logs.reloading(reason);
      announceLoad = true;
      // In-flight invocations are interrupted and re-delivered to the new worker.
      await worker.stop();
      if (!stopped) await load();
    });
    return reloading;
  }

  const watcher = config.watch
    ? watchFolder(config.watchDir, RELOAD_DEBOUNCE_MS, (file) => void reload(`${file} changed in ${config.watchDir}`))
    : null;

  function infos() {
    return {
      triggers: discovery.triggers.map((t) => t.info),
      schedules: discovery.schedules.map((s) => s.info),
    };
  }

  await load();
  if (store !== null) redeliverPending(store);

  /** Events a crash left undelivered go first, before any new write's (durable mode). */
  function redeliverPending(eventStore: FunctionsEventStore): void {
    const matched: MatchedEvent[] = [];
    for (const pending of eventStore.takePending()) {
      const trigger = discovery.triggers.find((t) => t.info.name === pending.name);
      if (trigger === undefined) {
        logs.pendingDropped(pending.name, pending.id);
        eventStore.delivered(pending.id);
        continue;
      }
      matched.push({ trigger, key: pending.key, event: pending.event as MatchedEvent['event'], durableId: pending.id });
    }
    if (matched.length > 0) {
      logs.pendingRedelivered(matched.length);
      dispatcher.enqueueWrite(matched, false);
    }
  }

  const host: FunctionsHost = {
    get triggers() {
      return infos().triggers;
    },
    get schedules() {
      return infos().schedules;
    },
    get skipped() {
      return discovery.skipped;
    },
    runSchedule: (name) => runSchedule(name),
    handleHttp: (req: IncomingMessage, res: ServerResponse) =>
      handleFunctionsHttp(req, res, {
        host,
        status: () => ({ loadError, pending: dispatcher.pending, maxConcurrent: MAX_CONCURRENT_INVOCATIONS, stats: { ...dispatcher.stats } }),
      }),
    reload: () => reload(),
    idle,
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      watcher?.close();
      timers.clear();
      dispatcher.stop();
      // Let invocations that are nearly done (awaiting their write's ack) finish cleanly.
      await dispatcher.drained(STOP_GRACE_MS);
      await worker.stop();
    },
  };
  return host;
}
