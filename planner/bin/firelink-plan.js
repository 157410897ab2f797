#!/usr/bin/env node
// Committed entry point, so npm links the command on install, before the first build.
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/cli.js', import.meta.url))) {
  process.stderr.write('firelink-plan is not built yet: run `npm run build` at the repository root first (`npm run plan` builds by itself)\n');
  process.exit(2);
}
const { main } = await import('../dist/cli.js');
process.exitCode = main(process.argv.slice(2), process);
