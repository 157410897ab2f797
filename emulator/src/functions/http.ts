// Routes under /.functions/ (emulator-only; no Firebase equivalent):
//   GET  /.functions/status                 triggers, schedules, skipped exports, queue, counters
//   POST /.functions/schedules/<name>:run   run a scheduled function now; 200 when it finished
//   POST /.functions/idle[?timeoutMs=N]     200 once every queued event is handled; 504 on timeout
//   POST /.functions/reload                 reload the functions package
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionsHost } from './types.js';

export interface HttpContext {
  host: FunctionsHost;
  status(): { loadError: string | null; pending: number; maxConcurrent: number; stats: Record<string, number> };
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export async function handleFunctionsHttp(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  req.resume(); // no route reads a body
  try {
    if (path === '/.functions/status') {
      if (method !== 'GET') return send(res, 405, { error: 'use GET for /.functions/status' });
      const { host } = ctx;
      return send(res, 200, { triggers: host.triggers, schedules: host.schedules, skipped: host.skipped, ...ctx.status() });
    }
    const run = /^\/\.functions\/schedules\/([^/]+):run$/.exec(path);
    if (run) {
      if (method !== 'POST') return send(res, 405, { error: 'use POST to run a schedule' });
      const name = decodeURIComponent(run[1] as string);
      if (!ctx.host.schedules.some((s) => s.name === name)) {
        const known = ctx.host.schedules.map((s) => s.name);
        return send(res, 404, { error: `no scheduled function named "${name}"`, known });
      }
      const startedMs = performance.now();
      try {
        await ctx.host.runSchedule(name);
      } catch (err) {
        return send(res, 500, { error: `${name} failed: ${(err as Error).message}` });
      }
      return send(res, 200, { name, durationMs: performance.now() - startedMs });
    }
    if (path === '/.functions/idle') {
      if (method !== 'POST') return send(res, 405, { error: 'use POST for /.functions/idle' });
      const timeoutMs = Number(url.searchParams.get('timeoutMs') ?? DEFAULT_IDLE_TIMEOUT_MS);
      if (!Number.isFinite(timeoutMs) || timeoutMs < 0) return send(res, 400, { error: 'timeoutMs must be a number of milliseconds' });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([ctx.host.idle().then(() => 'idle' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') return send(res, 504, { error: `events still pending after ${timeoutMs} ms`, ...ctx.status() });
      return send(res, 200, { idle: true });
    }
    if (path === '/.functions/reload') {
      if (method !== 'POST') return send(res, 405, { error: 'use POST for /.functions/reload' });
      await ctx.host.reload();
      return send(res, 200, { triggers: ctx.host.triggers.length, schedules: ctx.host.schedules.length });
    }
    return send(res, 404, {
      error: `no functions endpoint ${path}; try GET /.functions/status or POST /.functions/schedules/<name>:run`,
    });
  } catch (err) {
    return send(res, 500, { error: (err as Error).message });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
