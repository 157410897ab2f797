// Reload on change, load failures, and the /.functions/ HTTP endpoints, with a real
// worker process and an in-memory commit source.
import { TEST_PROJECT_ID } from './functions-env.js';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  functionsStatusRemote,
  runFunctionsCommand,
  runScheduleRemote,
  startFunctionsHost,
  waitFunctionsIdleRemote,
  type FunctionsHost,
} from '../src/functions/index.js';
import { FakeDatabase, LogCapture, eventually } from './functions-helpers.js';

const fixtureDir = fileURLToPath(new URL('./fixtures/functions/log-only', import.meta.url));
// Inside the workspace so the copy resolves firebase-functions from the repo's node_modules.
const scratchRoot = fileURLToPath(new URL('../node_modules/.cache/functions-host-tests', import.meta.url));

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function scratchCopy(): string {
  const dir = join(scratchRoot, `${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  cpSync(fixtureDir, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(functionsDir: string, watch: boolean): Promise<{ host: FunctionsHost; db: FakeDatabase; logs: LogCapture }> {
  const db = new FakeDatabase();
  const logs = new LogCapture();
  const host = await startFunctionsHost({
    functionsDir,
    projectId: TEST_PROJECT_ID,
    databaseHost: '127.0.0.1:9',
    commits: db,
    log: logs.log,
    watch,
    runSchedulesOnTimer: false,
  });
  cleanups.push(() => host.stop());
  return { host, db, logs };
}

describe('functions host reload', () => {
  it('reloads when the entry folder changes and fires the new trigger', async () => {
    const dir = scratchCopy();
    const { host, db, logs } = await start(dir, true);
    expect(host.triggers.some((t) => t.name === 'added')).toBe(false);
    const entry = join(dir, 'index.js');
    writeFileSync(
      entry,
      `${readFileSync(entry, 'utf8')}\nexport const added = onValueCreated('/added/{id}', (e) => seen('added', base(e)));\n`,
    );
    await eventually(() => (host.triggers.some((t) => t.name === 'added') ? true : undefined), 'the reloaded trigger');
    expect(logs.matching(/reloading \(index\.js changed/).length).toBeGreaterThan(0);
    db.set('added/x', 1);
    await host.idle();
    expect(logs.seen('added').map((s) => s['params'])).toEqual([{ id: 'x' }]);
  });

  it('keeps watching when a clean build deletes and recreates the entry folder', async () => {
    const dir = scratchCopy();
    const lib = join(dir, 'lib');
    const source = readFileSync(join(dir, 'index.js'), 'utf8');
    mkdirSync(lib);
    writeFileSync(join(lib, 'index.js'), source);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', main: 'lib/index.js' }));
    const { host, db, logs } = await start(dir, true);
    expect(host.triggers.length).toBeGreaterThan(0);
    rmSync(lib, { recursive: true, force: true });
    await eventually(() => (host.triggers.length === 0 ? true : undefined), 'the deleted build to unload');
    mkdirSync(lib);
    writeFileSync(
      join(lib, 'index.js'),
      `${source}\nexport const rebuilt = onValueCreated('/rebuilt/{id}', (e) => seen('rebuilt', base(e)));\n`,
    );
    await eventually(() => (host.triggers.some((t) => t.name === 'rebuilt') ? true : undefined), 'the rebuilt trigger');
    db.set('rebuilt/r1', 1);
    await host.idle();
    expect(logs.seen('rebuilt').map((s) => s['ref'])).toEqual(['rebuilt/r1']);
  });

  it('reports a package that throws at load, keeps the database side alive, and recovers on fix', async () => {
    const dir = scratchCopy();
    const entry = join(dir, 'index.js');
    const good = readFileSync(entry, 'utf8');
    writeFileSync(entry, `throw new Error('broken at import');\n${good}`);
    const { host, db, logs } = await start(dir, true);
    expect(host.triggers).toEqual([]);
    expect(logs.matching(/could not load .*index\.js.*\n[\s\S]*broken at import/)).toHaveLength(1);
    db.set('items/while-broken', 1); // no trigger known: nothing queued, nothing thrown
    await host.idle();
    writeFileSync(entry, good);
    await eventually(() => (host.triggers.length > 0 ? true : undefined), 'the fixed package to load');
    db.set('items/fixed', 1);
    await host.idle();
    expect(logs.seen('created').map((s) => s['ref'])).toEqual(['items/fixed']);
  });

  it('rejects a package folder without a built entry, saying how to fix it', async () => {
    const dir = scratchCopy();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ main: 'lib/index.js' }));
    await expect(start(dir, false)).rejects.toThrow(/main "lib\/index\.js" does not exist .*build the functions first/);
    await expect(start(join(dir, 'missing'), false)).rejects.toThrow(/package\.json not found/);
  });
});

describe('functions host error stacks', () => {
  it('maps a handler\'s stack trace to its TypeScript source', async () => {
    const ts = (await import('typescript')).default;
    const dir = join(scratchRoot, `${process.pid}-mapped-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(dir, 'lib'), { recursive: true });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const mappedFixture = fileURLToPath(new URL('./fixtures/functions/mapped', import.meta.url));
    cpSync(join(mappedFixture, 'package.json'), join(dir, 'package.json'));
    cpSync(join(mappedFixture, 'src'), join(dir, 'src'), { recursive: true });
    const source = readFileSync(join(dir, 'src', 'index.ts'), 'utf8');
    const out = ts.transpileModule(source, {
      fileName: join(dir, 'src', 'index.ts'),
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
    });
    writeFileSync(join(dir, 'lib', 'index.js'), out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, '//# sourceMappingURL=index.js.map'));
    writeFileSync(join(dir, 'lib', 'index.js.map'), (out.sourceMapText ?? '').replace(/"sources":\["[^"]*"\]/, '"sources":["../src/index.ts"]'));
    const { host, db, logs } = await start(dir, false);
    db.set('mapped/m1', 1);
    await host.idle();
    const failure = logs.matching(/mapped created \/mapped\/m1 FAILED/);
    expect(failure).toHaveLength(1);
    // src/index.ts line 5 throws, called from line 9: the compiled lib/index.js lines differ.
    expect(failure[0]).toMatch(/Error: mapped failure m1\n\s+at check \(.*src\/index\.ts:5:\d+\)/);
    expect(failure[0]).toMatch(/src\/index\.ts:9:\d+/);
  });
});

describe('functions host HTTP endpoints', () => {
  it('serves status, runs schedules on demand, waits for idle, and explains unknown paths', async () => {
    const { host, logs } = await start(fixtureDir, false);
    const server: Server = createServer((req, res) => void host.handleHttp(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const status = (await functionsStatusRemote(url)) as { triggers: unknown[]; schedules: Array<{ name: string }>; skipped: unknown[]; loadError: unknown };
    expect(status.triggers).toHaveLength(host.triggers.length);
    expect(status.schedules.map((s) => s.name).sort()).toEqual(['envCheck', 'failingSchedule', 'slowSchedule', 'sweep']);
    expect(status.loadError).toBeNull();

    const ran = await runScheduleRemote(url, 'sweep');
    expect(ran.name).toBe('sweep');
    expect(logs.seen('sweep')).toHaveLength(1);
    await expect(runScheduleRemote(url, 'failingSchedule')).rejects.toThrow(/HTTP 500: failingSchedule failed: schedule failed on purpose/);
    await expect(runScheduleRemote(url, 'nope')).rejects.toThrow(/HTTP 404: no scheduled function named "nope"/);
    await waitFunctionsIdleRemote(url);

    const notFound = await fetch(`${url}/.functions/whatever`);
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: string }).error).toMatch(/GET \/\.functions\/status/);
    expect((await fetch(`${url}/.functions/schedules/sweep:run`)).status).toBe(405);

    // The CLI sub-commands over the same endpoints.
    const printed: string[] = [];
    expect(await runFunctionsCommand(['run-schedule', 'sweep', '--url', url], (l) => printed.push(l))).toBe(0);
    expect(printed[0]).toMatch(/^sweep finished in [\d.]+ ms$/);
    expect(logs.seen('sweep')).toHaveLength(2);
    expect(await runFunctionsCommand(['run-schedule', 'nope', '--url', url], (l) => printed.push(l))).toBe(1);
    expect(await runFunctionsCommand(['functions-idle', '--url', url], (l) => printed.push(l))).toBe(0);
    expect(await runFunctionsCommand(['functions-status', '--url', url], (l) => printed.push(l))).toBe(0);
    expect(JSON.parse(printed.at(-1) as string)).toMatchObject({ loadError: null });
  });
});
