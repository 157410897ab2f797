// Makes lib/index.js self-contained for `firebase deploy`: Cloud Build installs only the
// package.json `dependencies` from the public registry, where the workspace package
// @firelink/model does not exist. So the model (and zod) are bundled in; firebase-admin and
// firebase-functions stay external (deploy-time discovery and the runtime load them). The
// metafile lists the bundle's remaining imports; scripts/package.mjs checks each is a runtime
// dependency of the deploy package.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const result = await build({
  entryPoints: [join(root, 'src', 'index.ts')],
  outfile: join(root, 'lib', 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  // The oldest Node local development supports; the deployed runtime (firebase.json) is newer.
  target: 'node20',
  sourcemap: true,
  external: ['firebase-admin', 'firebase-admin/*', 'firebase-functions', 'firebase-functions/*'],
  logLevel: 'warning',
  metafile: true,
});
writeFileSync(join(root, 'lib', 'index.meta.json'), JSON.stringify(result.metafile));
