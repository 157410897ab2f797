// vitest `globalSetup`: the integration tests run the compiled model, emulator, functions and
// stack (`npm run build` at the root builds them; this fails early, saying so, when one is missing).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default function setup(): void {
  const missing = ['model/dist/index.js', 'emulator/dist/index.js', 'functions/lib/index.js', 'stack/dist/index.js', 'device-sim/dist/cli.js'].filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) {
    throw new Error(`gateway tests need the compiled workspaces; missing ${missing.join(', ')}: run npm run build -w model -w emulator -w functions -w stack -w device-sim`);
  }
}
