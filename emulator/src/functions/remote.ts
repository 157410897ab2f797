// Client side of the /.functions/ endpoints, for the CLI and for tests in other processes.

/** Runs a scheduled function on the emulator at `url` (e.g. http://127.0.0.1:9000); throws with the server's error. */
export async function runScheduleRemote(url: string, name: string): Promise<{ name: string; durationMs: number }> {
  const res = await fetch(`${base(url)}/.functions/schedules/${encodeURIComponent(name)}:run`, { method: 'POST' });
  return answer(res, `run schedule ${name}`);
}

/** Waits until the emulator at `url` has handled every queued function event. */
export async function waitFunctionsIdleRemote(url: string, timeoutMs = 30_000): Promise<void> {
  const res = await fetch(`${base(url)}/.functions/idle?timeoutMs=${timeoutMs}`, { method: 'POST' });
  await answer(res, 'wait for functions');
}

export async function functionsStatusRemote(url: string): Promise<unknown> {
  return answer(await fetch(`${base(url)}/.functions/status`), 'functions status');
}

function base(url: string): string {
  return url.replace(/\/+$/, '');
}

async function answer<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the message
  }
  if (!res.ok) {
    const error = typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : text;
    throw new Error(`${what}: HTTP ${res.status}: ${String(error)}`);
  }
  return body as T;
}
