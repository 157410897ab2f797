#!/usr/bin/env node
// `rtdb-emulator` command line (ARCHITECTURE.md "Emulator CLI").
import { Command, InvalidArgumentError } from 'commander';
import { startEmulator } from './index.js';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

const program = new Command()
  .name('rtdb-emulator')
  .description('Java-free Firebase Realtime Database emulator (WebSocket, long polling, REST, SSE, rules, functions host)')
  .option('--port <port>', 'port to listen on (0 = any free port)', integer, 9000)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--rules <file>', 'rules file for every namespace; reloaded on change')
  .option('--functions <dir>', 'functions package to host (v2 database triggers and schedules)')
  .option('--project <id>', 'project id', 'demo-firelink')
  .option('--namespace <ns>', 'namespace used by --import/--export (default <project>-default-rtdb)')
  .option('--import <file>', 'JSON (export format) loaded at start')
  .option('--export <file>', 'JSON written on exit')
  .option('--strict-tokens', 'refuse expired ID tokens (default: no expiry checks, like the official emulator)')
  .option('--token-max-age-seconds <n>', 'with strict tokens: refuse tokens issued longer ago than this', integer)
  .option('--auth-emulator-host <host:port>', 'Auth emulator, passed to functions');

program.parse();
const o = program.opts<{
  port: number;
  host: string;
  rules?: string;
  functions?: string;
  project: string;
  namespace?: string;
  import?: string;
  export?: string;
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
  authEmulatorHost?: string;
}>();

try {
  const emulator = await startEmulator({
    port: o.port,
    host: o.host,
    projectId: o.project,
    ...(o.rules !== undefined && { rules: o.rules }),
    ...(o.functions !== undefined && { functions: o.functions }),
    ...(o.namespace !== undefined && { namespace: o.namespace }),
    ...(o.import !== undefined && { import: o.import }),
    ...(o.export !== undefined && { export: o.export }),
    ...(o.strictTokens === true && { strictTokens: true }),
    ...(o.tokenMaxAgeSeconds !== undefined && { tokenMaxAgeSeconds: o.tokenMaxAgeSeconds }),
    ...(o.authEmulatorHost !== undefined && { authEmulatorHost: o.authEmulatorHost }),
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`rtdb-emulator: error while stopping: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
