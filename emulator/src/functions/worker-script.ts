// Finds the worker's JavaScript file. Built code runs `dist/functions/worker.js` beside
// this module. When the host runs from TypeScript sources (vitest), there is no JS
// sibling, so worker.ts is transpiled once into a temporary folder. worker.ts imports
// only types, so it transpiles to one self-contained file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | null = null;

export function workerScriptPath(): Promise<string> {
  cached ??= resolveWorkerScript();
  return cached;
}

async function resolveWorkerScript(): Promise<string> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const built = join(here, 'worker.js');
  if (existsSync(built)) return built;
  const source = join(here, 'worker.ts');
  if (!existsSync(source)) throw new Error(`functions host: neither worker.js nor worker.ts found in ${here}`);
  return transpileWorker(source);
}

async function transpileWorker(source: string): Promise<string> {
  // typescript is a dev dependency, needed only on this from-sources path.
  const ts = (await import('typescript')).default;
  const text = readFileSync(source, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const outDir = join(tmpdir(), `rtdb-functions-worker-${hash}`);
  const target = join(outDir, 'worker.mjs');
  if (existsSync(target)) return target;
  mkdirSync(outDir, { recursive: true });
  const out = ts.transpileModule(text, {
    fileName: source,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      inlineSourceMap: true,
      inlineSources: true,
      verbatimModuleSyntax: true,
    },
  });
  // Parallel test files may race here: write aside, then rename atomically.
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, out.outputText);
  renameSync(temporary, target);
  return target;
}
