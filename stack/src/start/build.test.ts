// The build step on a small throw-away repository: what is stale is built, what is not is skipped,
// a failed build is reported with its output, and an abort (Ctrl-C) ends a running build as "stopped".
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.js';
import { buildStale } from './build.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repo with workspaces `a` and `b` (b depends on a); each build runs `script` with node. */
function repo(scripts: { a: string; b: string }): string {
  const root = mkdtempSync(join(tmpdir(), 'stack-build-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'r', private: true, workspaces: ['a', 'b'] }));
  for (const [name, script] of Object.entries(scripts)) {
    mkdirSync(join(root, name, 'src'), { recursive: true });
    writeFileSync(join(root, name, 'src', 'index.ts'), 'export {};\n');
    writeFileSync(join(root, name, 'build.cjs'), script);
    writeFileSync(
      join(root, name, 'package.json'),
      JSON.stringify({ name: `@firelink/${name}`, scripts: { build: 'node build.cjs' }, dependencies: name === 'b' ? { '@firelink/a': '0.1.0' } : {} }),
    );
  }
  return root;
}

const WRITE_DIST = `require('fs').mkdirSync('dist', { recursive: true }); require('fs').writeFileSync('dist/index.js', String(Date.now()));`;
const lines: string[] = [];
const progress = (line: string) => lines.push(line);

describe('buildStale', () => {
  it('builds what has no output, then nothing, then what changed and what depends on it', async () => {
    const root = repo({ a: WRITE_DIST, b: WRITE_DIST });
    expect(await buildStale(root, progress, new AbortController().signal)).toEqual({ ok: true, built: ['a', 'b'], upToDate: [] });
    expect(await buildStale(root, progress, new AbortController().signal)).toEqual({ ok: true, built: [], upToDate: ['a', 'b'] });
    const future = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'a', 'src', 'index.ts'), future, future);
    expect(await buildStale(root, progress, new AbortController().signal)).toEqual({ ok: true, built: ['a', 'b'], upToDate: [] });
  }, 60_000);

  it('reports a failed build with its output and stops there', async () => {
    const root = repo({ a: `console.error('a.ts(1,1): error TS1005: ; expected'); process.exit(2);`, b: WRITE_DIST });
    const result = await buildStale(root, progress, new AbortController().signal);
    expect(result).toMatchObject({ ok: false, failed: 'a' });
    expect((result as { output: string }).output).toContain('error TS1005');
  }, 60_000);

  it('an abort during a build ends it and says stopped', async () => {
    const root = repo({ a: `require('fs').writeFileSync('pid', String(process.pid)); setTimeout(() => {}, 60_000);`, b: WRITE_DIST });
    const abort = new AbortController();
    const started = buildStale(root, (line) => {
      // Abort once the build's own process runs (it writes its pid first).
      if (line === 'building a ...') void eventually('the build running', () => existsSync(join(root, 'a', 'pid')), 30_000).then(() => abort.abort());
    }, abort.signal);
    expect(await started).toEqual({ ok: false, stopped: true });
    // The build's own process (under npm) is gone too.
    const pid = Number(readFileSync(join(root, 'a', 'pid'), 'utf8'));
    await eventually(`build process ${pid} gone`, () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    });
  }, 60_000);
});
