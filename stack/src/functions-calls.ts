// The functions host's control endpoints on the RTDB emulator (emulator/README.md, "Functions host").

/** Anything that knows the database emulator's base URL: a Stack, a RunningEmulator, or the URL. */
export type DatabaseTarget = string | { url: string } | { urls: { database: string } };

function baseUrl(target: DatabaseTarget): string {
  if (typeof target === 'string') return target.replace(/\/$/, '');
  return 'urls' in target ? target.urls.database : target.url;
}

/** POST /.functions/idle: resolves once every queued trigger (cascades included) has run. */
export async function functionsIdle(target: DatabaseTarget, timeoutMs = 25_000): Promise<void> {
  const res = await fetch(`${baseUrl(target)}/.functions/idle?timeoutMs=${timeoutMs}`, { method: 'POST' });
  if (!res.ok) throw new Error(`functions idle: HTTP ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

/** POST /.functions/schedules/<name>:run: runs a scheduled function now; throws with its error. */
export async function runSchedule(target: DatabaseTarget, name: string): Promise<void> {
  const res = await fetch(`${baseUrl(target)}/.functions/schedules/${encodeURIComponent(name)}:run`, { method: 'POST' });
  if (!res.ok) throw new Error(`run schedule ${name}: HTTP ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

export interface FunctionsStatus {
  triggers: unknown[];
  loadError: string | null;
  /** Invocations the host runs at once, and its counters (emulator/src/functions/dispatcher.ts). */
  maxConcurrent: number | null;
  stats: Record<string, number>;
}

/** GET /.functions/status, or null while the emulator does not answer. */
export async function functionsStatus(target: DatabaseTarget): Promise<FunctionsStatus | null> {
  const res = await fetch(`${baseUrl(target)}/.functions/status`).catch(() => null);
  if (res === null) return null;
  if (!res.ok) {
    await res.arrayBuffer();
    return null;
  }
  const body = (await res.json()) as Partial<FunctionsStatus>;
  return { triggers: body.triggers ?? [], loadError: body.loadError ?? null, maxConcurrent: body.maxConcurrent ?? null, stats: body.stats ?? {} };
}
