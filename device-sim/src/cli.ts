#!/usr/bin/env node
// The `device-sim` binary: wires process signals and streams to the CLI (cli/main.ts).
import { main } from './cli/main.js';

const controller = new AbortController();
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupts += 1;
    // First Ctrl-C stops cleanly (status offline, queue flushed); a second one quits at once.
    if (interrupts > 1) process.exit(130);
    controller.abort();
  });
}
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
process.exitCode = code;
// Open handles (SDK sockets, timers) must not keep a finished command alive.
setTimeout(() => process.exit(code), 1_000).unref();
