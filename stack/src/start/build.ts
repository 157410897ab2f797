// `npm start`'s build step: builds only the workspaces whose sources changed since their last
// build (newest source file newer than the newest output file, or an upstream workspace's output
// newer than this one's), in the root workspaces order, with one progress line each. tsc has no
// cheap "up to date?" answer for these projects (no incremental build info is kept), and every
// build rewrites all its outputs, so file times decide.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Workspace {
  name: string;
  dir: string;
  /** Workspaces whose build output this one reads (its @firelink/* dependencies). */
  upstream: string[];
  /** Where its build writes (missing = not built). */
  outputs: string[];
}

const SKIP = new Set(['node_modules', 'dist', 'lib', '.firelink', 'coverage', 'test', 'bench']);

/** Newest modification time of the sources under `dir` (tests, outputs, node_modules excluded). */
function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.endsWith('.test.ts')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Newest modification time of any file under `dir` (0 when missing or empty). */
function newestOutputMs(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestOutputMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The root package.json's workspaces that have a `build` script, in build order. */
export function buildableWorkspaces(root: string): Workspace[] {
  const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const list: Workspace[] = [];
  const names = new Map<string, string>();
  for (const dir of rootPackage.workspaces ?? []) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
      name: string;
      scripts?: Record<string, string>;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    names.set(pkg.name, dir);
    if (pkg.scripts?.build === undefined) continue;
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => d.startsWith('@firelink/'));
    const upstream = deps.map((d) => names.get(d)).filter((d): d is string => d !== undefined);
    // functions bundles the model (functions/scripts/bundle.mjs) without declaring it.
    if (dir === 'functions' && !upstream.includes('model')) upstream.push('model');
    const outputs = [join(root, dir, dir === 'functions' ? 'lib' : 'dist')];
    list.push({ name: dir, dir: join(root, dir), upstream, outputs });
  }
  return list;
}

export interface BuildProgress {
  (line: string): void;
}

export type BuildResult = { ok: true; built: string[]; upToDate: string[] } | { ok: false; failed: string; output: string } | { ok: false; stopped: true };

/**
 * Builds the stale workspaces one after another. `signal` aborted (Ctrl-C) ends the running build
 * and returns `{ stopped: true }` so the caller can say "stopped", not "build failed".
 */
export async function buildStale(root: string, progress: BuildProgress, signal: AbortSignal): Promise<BuildResult> {
  const workspaces = buildableWorkspaces(root);
  const outputMs = (name: string): number => {
    const ws = workspaces.find((w) => w.name === name);
    return ws === undefined ? 0 : Math.max(...ws.outputs.map(newestOutputMs));
  };
  const built: string[] = [];
  const upToDate: string[] = [];
  for (const ws of workspaces) {
    const output = outputMs(ws.name);
    const stale =
      output === 0 ||
      ws.outputs.some((o) => !existsSync(o)) ||
      newestSourceMs(ws.dir) > output ||
      ws.upstream.some((u) => outputMs(u) > output);
    if (!stale) {
      upToDate.push(ws.name);
      continue;
    }
    if (signal.aborted) return { ok: false, stopped: true };
    const startedMs = Date.now();
    progress(`building ${ws.name} ...`);
    const result = await runBuild(root, ws.name, signal);
    if (signal.aborted) return { ok: false, stopped: true };
    if (result.code !== 0) return { ok: false, failed: ws.name, output: result.output };
    progress(`built ${ws.name} in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
    built.push(ws.name);
  }
  return { ok: true, built, upToDate };
}

function runBuild(root: string, workspace: string, signal: AbortSignal): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // Its own process group, so an abort ends npm and the compiler it runs (tsc, esbuild) together.
    const child = spawn('npm', ['run', '-s', 'build', '-w', workspace], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const abort = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    signal.addEventListener('abort', abort, { once: true });
    child.once('exit', (code) => {
      signal.removeEventListener('abort', abort);
      resolve({ code: code ?? 1, output });
    });
    child.once('error', (error) => {
      signal.removeEventListener('abort', abort);
      resolve({ code: 1, output: `cannot run npm: ${error.message}` });
    });
  });
}
