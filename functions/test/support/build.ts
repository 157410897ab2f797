// vitest `globalSetup`: the integration tests load the compiled functions (functions/lib) into the
// emulator's functions host, and the functions import the compiled model, so both (and the
// provisioning package, which test/provisioning.test.ts uses) are built before
// any test file starts: the model with tsc, the functions exactly as `npm run build` does (tsc, then
// the deployable bundle lib/index.js), so the tests run what deploys. A build whose output is newer
// than every source is skipped: other workspaces' tests may be reading model/dist meanwhile.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const functionsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const modelDir = join(functionsDir, '..', 'model');
const provisioningDir = join(functionsDir, '..', 'provisioning');
const tsc = join(functionsDir, '..', 'node_modules', 'typescript', 'bin', 'tsc');

/** Newest modification time of the files under `dir` (recursively), 0 when there are none. */
function newestMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function stale(output: string, ...sources: string[]): boolean {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((source) => (statSync(source).isDirectory() ? newestMs(source) : statSync(source).mtimeMs) > built);
}

export default function setup(): void {
  if (stale(join(modelDir, 'dist', 'index.js'), join(modelDir, 'src'), join(modelDir, 'tsconfig.build.json'))) {
    execFileSync(process.execPath, [tsc, '-p', join(modelDir, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
  // test/provisioning.test.ts drives the provisioning package (module and CLI) from its dist.
  if (stale(join(provisioningDir, 'dist', 'cli.js'), join(provisioningDir, 'src'), join(modelDir, 'dist'), join(provisioningDir, 'tsconfig.build.json'))) {
    execFileSync(process.execPath, [tsc, '-p', join(provisioningDir, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
  const bundle = join(functionsDir, 'lib', 'index.js');
  if (stale(bundle, join(functionsDir, 'src'), join(functionsDir, 'scripts'), join(modelDir, 'dist'), join(functionsDir, 'tsconfig.build.json'))) {
    execFileSync(process.execPath, [tsc, '-p', join(functionsDir, 'tsconfig.build.json')], { stdio: 'inherit' });
    execFileSync(process.execPath, [join(functionsDir, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
  }
}
