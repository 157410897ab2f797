// Makes lib/index.js self-contained for `firebase deploy`: Cloud Build installs only the
// package.json `dependencies` from the public registry, where the workspace package
// @firelink/model does not exist. So the model (and zod) are bundled in; firebase-admin and
// firebase-functions stay external (deploy-time discovery and the runtime load them).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(root, 'src', 'index.ts')],
  outfile: join(root, 'lib', 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['firebase-admin', 'firebase-admin/*', 'firebase-functions', 'firebase-functions/*'],
  logLevel: 'warning',
});
