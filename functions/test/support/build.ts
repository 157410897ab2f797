// vitest `globalSetup`: the integration tests load the compiled functions (functions/lib) into the
// emulator's functions host, and the functions import the compiled model, so both are built once
// per run before any test file starts: the model with tsc, the functions exactly as `npm run
// build` does (tsc, then the deployable bundle lib/index.js), so the tests run what deploys.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const functionsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(functionsDir, '..', 'node_modules', 'typescript', 'bin', 'tsc');

export default function setup(): void {
  for (const project of [join(functionsDir, '..', 'model', 'tsconfig.build.json'), join(functionsDir, 'tsconfig.build.json')]) {
    execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
  }
  execFileSync(process.execPath, [join(functionsDir, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
}
