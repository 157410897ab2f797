// Every line the functions host prints, with structured fields, in one place.
import type { ScheduleInfo, SkippedExport, TriggerInfo } from './types.js';

export type LogSink = (line: string) => void;

const PREFIX = 'functions:';

/** `invocations: false` drops the line per successful invocation (failures are always logged). */
export function createLogs(sink: LogSink, options: { invocations: boolean } = { invocations: true }) {
  return {
    loaded(entry: string, triggers: readonly TriggerInfo[], schedules: readonly ScheduleInfo[], skipped: readonly SkippedExport[]) {
      const lines = [`${PREFIX} loaded ${entry}: ${triggers.length} database trigger(s), ${schedules.length} schedule(s), ${skipped.length} skipped`];
      for (const t of triggers) {
        const extras = [
          t.instance === '*' ? null : `instance=${t.instance}`,
          t.retry ? 'retry' : null,
          `timeout=${t.timeoutSeconds}s`,
        ].filter(Boolean);
        lines.push(`  trigger  ${t.name}  on ${t.kind} /${t.ref}  ${extras.join(' ')}`);
      }
      for (const s of schedules) {
        const next = s.nextRunAt ? `next ${s.nextRunAt}` : 'on demand only';
        lines.push(`  schedule ${s.name}  "${s.schedule}" (${s.timeZone}), ${next}; run now: POST /.functions/schedules/${s.name}:run`);
      }
      for (const s of skipped) lines.push(`  skipped  ${s.name}: ${s.reason}`);
      sink(lines.join('\n'));
    },
    loadFailed(entry: string, message: string) {
      sink(`${PREFIX} could not load ${entry}; no triggers will fire until it loads. Fix the error and rebuild (the host reloads on change):\n${message}`);
    },
    invoked(name: string, what: string, durationMs: number, attempt: number) {
      if (!options.invocations) return;
      sink(`${PREFIX} ${name} ${what} ok in ${durationMs.toFixed(1)} ms${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
    },
    failed(name: string, what: string, durationMs: number, attempt: number, detail: string, willRetryInMs: number | null) {
      const retry = willRetryInMs === null ? 'not retried' : `retrying in ${willRetryInMs} ms (retry: true)`;
      sink(`${PREFIX} ${name} ${what} FAILED in ${durationMs.toFixed(1)} ms (attempt ${attempt}, ${retry}):\n${detail}`);
    },
    timedOut(name: string, what: string, timeoutSeconds: number) {
      sink(`${PREFIX} ${name} ${what} exceeded timeoutSeconds=${timeoutSeconds}; restarting the functions worker (other in-flight invocations are re-delivered)`);
    },
    runaway(name: string, ref: string, visits: number) {
      sink(
        `${PREFIX} RUNAWAY CASCADE stopped: ${name} at /${ref} was re-triggered ${visits} times by one chain of function writes. ` +
          'A function keeps writing where it (or another function) triggers itself; further events of this chain are dropped. ' +
          'Make the write conditional (for example skip it when the value is already right), or raise maxCascadeDepth.',
      );
    },
    workerOutput(line: string) {
      sink(`${PREFIX} [worker] ${line}`);
    },
    uncaught(stack: string) {
      sink(`${PREFIX} uncaught error in function code (outside an awaited handler):\n${stack}`);
    },
    workerExited(code: number | null, signal: string | null) {
      sink(`${PREFIX} worker exited (code ${code}, signal ${signal}); it restarts on the next event`);
    },
    scheduleError(name: string, message: string) {
      sink(`${PREFIX} schedule ${name} could not run: ${message}`);
    },
    reloading(reason: string) {
      sink(`${PREFIX} reloading (${reason})`);
    },
    pendingRedelivered(count: number) {
      sink(`${PREFIX} re-delivering ${count} event(s) left undelivered by the last stop or crash (--data-dir)`);
    },
    pendingDropped(name: string, id: string) {
      sink(`${PREFIX} a pending event ${id} for ${name} is dropped: no trigger of that name is loaded now`);
    },
    matchFailed(namespace: string, paths: string, stack: string) {
      sink(`${PREFIX} internal error while matching triggers for a write to ${paths} (${namespace}); its events are lost:\n${stack}`);
    },
  };
}

export type FunctionsLogs = ReturnType<typeof createLogs>;
