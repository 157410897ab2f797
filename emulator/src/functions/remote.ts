// Client side of the /.functions/ endpoints, for the CLI and for tests in other processes.

/** Runs a scheduled function on the emulator at `url` (e.g. http://127.0.0.1:9000); throws with the server's error. */
export async function runScheduleRemote(url: string, name: string): Promise<{ name: string; durationMs: number }> {
  const res = await request(url, `/.functions/schedules/${encodeURIComponent(name)}:run`, { method: 'POST' });
  return answer(res, `run schedule ${name}`);
}

/** Waits until the emulator at `url` has handled every queued function event. */
export async function waitFunctionsIdleRemote(url: string, timeoutMs = 30_000): Promise<void> {
  const res = await request(url, `/.functions/idle?timeoutMs=${timeoutMs}`, { method: 'POST' });
  await answer(res, 'wait for functions');
}

export async function functionsStatusRemote(url: string): Promise<unknown> {
  return answer(await request(url, '/.functions/status'), 'functions status');
}

/** fetch with a message that says which emulator could not be reached and what to do. */
async function request(url: string, path: string, init?: RequestInit): Promise<Response> {
  const base = url.replace(/\/+$/, '');
  try {
    return await fetch(base + path, init);
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new Error(`cannot reach the emulator at ${base} (${cause}): start it, or pass --url / RTDB_EMULATOR_URL`, { cause: e });
  }
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
