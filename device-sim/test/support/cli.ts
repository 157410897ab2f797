// Runs the CLI in-process with captured output, as a user would from a shell.
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed JSON of stdout (CRUD commands print one JSON document). */
  json(): unknown;
  /** JSON lines of stderr with a given `event`, or the `report` line. */
  logLines(): Record<string, unknown>[];
}

export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; abortAfterMs?: number; fetch?: typeof fetch } = {}): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const controller = new AbortController();
  const timer = options.abortAfterMs === undefined ? null : setTimeout(() => controller.abort(), options.abortAfterMs);
  const code = await main(args, { stdout: out as never, stderr: err, env: options.env ?? {}, signal: controller.signal, ...(options.fetch ? { fetch: options.fetch } : {}) });
  if (timer) clearTimeout(timer);
  return {
    code,
    stdout,
    stderr,
    json: () => JSON.parse(stdout) as unknown,
    logLines: () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export function stackFlags(stack: { db: { hostPort: string }; auth: { hostAndPort: string } }): string[] {
  return ['--database-emulator-host', stack.db.hostPort, '--auth-emulator-host', stack.auth.hostAndPort];
}
