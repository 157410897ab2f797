#!/usr/bin/env node
// Committed entry point, so npm links the command on install, before the first build.
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/cli.js', import.meta.url))) {
  process.stderr.write('firelink-provision is not built yet: run `npm run build` (or `npm start`) at the repository root first\n');
  process.exit(2);
}
await import('../dist/cli.js');
