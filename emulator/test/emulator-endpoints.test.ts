// Emulator-only surface (docs/protocol.md §14): rules settings per namespace, --rules loading and hot reload,
// clearing, import/export, namespace resolution, the commit hook and fault injection.
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, StartupError } from '../src/index.js';
import type { CommittedWrite } from '../src/contracts.js';
import { freshNamespace, onlyOurs, restUrl, startTarget, waitFor, waitForAsync, type Target } from './harness.js';
import { isReply, request, wireConnect } from './wire-client.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

const owner = { Authorization: 'Bearer owner' };

describe('rules settings', () => {
  it('serves default rules, stores uploads verbatim with comments, rejects invalid ones keeping the old', async () => {
    const ns = freshNamespace();
    const url = restUrl(target, '.settings/rules', ns);
    const initial = await (await fetch(url, { headers: owner })).text();
    expect(JSON.parse(initial)).toEqual({ rules: { '.read': true, '.write': true } });
    const source = '{\n  // only reads\n  "rules": { ".read": true, ".write": false }\n}';
    expect((await fetch(url, { method: 'PUT', headers: { ...owner, 'Content-Type': 'text/plain' }, body: source })).status).toBe(200);
    expect(await (await fetch(url, { headers: owner })).text()).toBe(source);
    // Admin getRulesJSON asks for format=strict and parses the body as JSON.
    expect(JSON.parse(await (await fetch(`${url}&format=strict`, { headers: owner })).text())).toEqual({ rules: { '.read': true, '.write': false } });
    const bad = await fetch(url, { method: 'PUT', headers: owner, body: '{"rules": {".read": "auth.uid ==="}}' });
    expect(bad.status).toBe(400);
    expect(typeof ((await bad.json()) as { error: unknown }).error).toBe('string');
    expect(await (await fetch(url, { headers: owner })).text()).toBe(source);
    expect((await fetch(restUrl(target, 'x', ns), { method: 'PUT', body: '1' })).status).toBe(401);
  });

  it('clears a namespace with an owner PUT of null at the root', async () => {
    const ns = freshNamespace();
    await fetch(restUrl(target, 'a/b', ns), { method: 'PUT', body: '1' });
    expect((await fetch(restUrl(target, '', ns), { method: 'PUT', headers: owner, body: 'null' })).status).toBe(200);
    expect(await (await fetch(restUrl(target, '', ns))).json()).toBeNull();
  });

  it('exports with format=export and imports with disableTriggers', async () => {
    const ns = freshNamespace();
    const data = { a: { '.value': 1, '.priority': 2 }, b: { c: 'x' } };
    const put = await fetch(restUrl(target, '', ns, { disableTriggers: 'true', writeSizeLimit: 'unlimited' }), { method: 'PUT', headers: owner, body: JSON.stringify(data) });
    expect(put.status).toBe(200);
    expect(await (await fetch(restUrl(target, '', ns, { format: 'export' }), { headers: owner })).json()).toEqual(data);
  });
});

describe('rules file and namespaces', () => {
  it('--rules applies to every namespace and reloads on change; a bad file keeps the previous rules', async () => {
    if (!onlyOurs('--rules is an rtdb-emulator start option')) return;
    const dir = mkdtempSync(join(tmpdir(), 'rtdb-rules-'));
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ rules: { '.read': true, '.write': false } }));
    const lines: string[] = [];
    const emu = await startEmulator({ port: 0, rules: file, log: (l) => lines.push(l) });
    try {
      const put = (ns: string) => fetch(`${emu.url}/x.json?ns=${ns}`, { method: 'PUT', body: '1' });
      expect((await put('one')).status).toBe(401);
      expect((await put('two')).status).toBe(401);
      writeFileSync(file, '{ "rules": { ".read": true, ".write": true } }');
      await waitForAsync(async () => (await put('one')).status === 200, 5000, 'reloaded rules');
      expect((await put('three')).status).toBe(200);
      // An editor-style save: write a temp file and rename it over the rules file.
      writeFileSync(`${file}.tmp`, '{ "rules": { ".read": true, ".write": false } }');
      renameSync(`${file}.tmp`, file);
      await waitForAsync(async () => (await put('three')).status === 401, 5000, 'reload after rename');
      writeFileSync(file, '{ "rules": { ".read": true, ".write": true } }');
      await waitForAsync(async () => (await put('three')).status === 200, 5000, 'reload after a second edit');
      writeFileSync(file, '{ "rules": { ".read": "nonsense(" } }');
      await waitFor(() => lines.some((l) => l.includes('rules-rejected')), 5000, 'rejection log');
      expect((await put('three')).status).toBe(200);
    } finally {
      await emu.stop();
    }
  });

  it('takes the namespace from ns, else from a <ns>.<domain> Host, else fake-server', async () => {
    if (!onlyOurs('host-based namespaces are an rtdb-emulator extension')) return;
    const emu = target.emulator!;
    await fetch(restUrl(target, 'who', 'hostns'), { method: 'PUT', body: '"by-ns"' });
    const { request: httpRequest } = await import('node:http');
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: emu.host, port: emu.port, path: '/who.json', headers: { Host: 'hostns.firebaseio.com' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toBe('by-ns');
    await fetch(`${emu.url}/who.json`, { method: 'PUT', body: '"default"' });
    expect(emu.exportData('fake-server')).toEqual({ who: 'default' });
  });
});

describe('programmatic API', () => {
  it('imports a file at start, calls commit listeners for every kind of write, exports on stop', async () => {
    if (!onlyOurs('startEmulator options')) return;
    const dir = mkdtempSync(join(tmpdir(), 'rtdb-io-'));
    const input = join(dir, 'in.json');
    const output = join(dir, 'out.json');
    writeFileSync(input, JSON.stringify({ seeded: { '.value': 1, '.priority': 'p' } }));
    const emu = await startEmulator({ port: 0, import: input, export: output, projectId: 'demo-io', log: () => {} });
    const seen: { paths: string[]; disableTriggers: boolean; identity: string; before: unknown; after: unknown }[] = [];
    emu.commits.onCommit((w: CommittedWrite) => {
      seen.push({
        paths: w.paths.map((p) => p.join('/')),
        disableTriggers: w.disableTriggers,
        identity: w.identity.kind,
        before: w.before.child('v').val(),
        after: w.after.child('v').val(),
      });
    });
    try {
      expect(emu.exportData()).toEqual({ seeded: { '.value': 1, '.priority': 'p' } });
      const ns = 'demo-io-default-rtdb';
      await fetch(`${emu.url}/v.json?ns=${ns}`, { method: 'PUT', body: '1' });
      const c = await wireConnect(emu.hostPort, `v=5&ns=${ns}`);
      c.send(request(1, 'p', { p: '/v', d: 2 }));
      c.send(request(2, 'o', { p: '/v', d: 3 }));
      await c.next(isReply(2));
      await c.close();
      await waitFor(() => seen.length >= 3, 5000, 'onDisconnect commit');
      await fetch(`${emu.url}/.json?ns=${ns}&disableTriggers=true`, { method: 'PATCH', headers: owner, body: '{"w":1}' });
      expect(seen).toEqual([
        { paths: ['v'], disableTriggers: false, identity: 'unauthenticated', before: null, after: 1 },
        { paths: ['v'], disableTriggers: false, identity: 'unauthenticated', before: 1, after: 2 },
        { paths: ['v'], disableTriggers: false, identity: 'unauthenticated', before: 2, after: 3 },
        { paths: ['w'], disableTriggers: true, identity: 'admin', before: 3, after: 3 },
      ]);
      // Fault injection drops exactly the open connections, and their clients see the close.
      const a = await wireConnect(emu.hostPort, `v=5&ns=${ns}`);
      const b = await wireConnect(emu.hostPort, `v=5&ns=${ns}`);
      await a.next(() => true);
      await b.next(() => true);
      const closed = Promise.all([a, b].map((x) => new Promise<void>((resolve) => x.ws.once('close', () => resolve()))));
      expect(emu.dropConnections()).toBe(2);
      await closed;
    } finally {
      await emu.stop();
    }
    expect(JSON.parse(readFileSync(output, 'utf8'))).toMatchObject({ seeded: { '.value': 1, '.priority': 'p' }, v: 3, w: 1 });
  });

  it('fails fast on bad options with a message that says how to fix them', async () => {
    await expect(startEmulator({ port: -1, log: () => {} })).rejects.toThrow(/port must be an integer 0..65535/);
    await expect(startEmulator({ projectId: 'Bad Project', log: () => {} })).rejects.toThrow(/lower-case/);
    if (target.emulator !== null) {
      await expect(startEmulator({ port: target.emulator.port, log: () => {} })).rejects.toThrow(/cannot listen on .*pick another --port/);
    }
    const dir = mkdtempSync(join(tmpdir(), 'rtdb-bad-'));
    writeFileSync(join(dir, 'bad.json'), '{"a":');
    await expect(startEmulator({ port: 0, import: join(dir, 'bad.json'), log: () => {} })).rejects.toThrow(/bad\.json: cannot import.*export-format JSON/);
  });

  it('start-up errors are typed and name the file at fault', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtdb-bad-'));
    const missing = join(dir, 'missing.rules.json');
    const bad = join(dir, 'bad.rules.json');
    writeFileSync(bad, '{"rules": {".read": "auth.uid ==="}}');
    const startupError = async (options: Parameters<typeof startEmulator>[0]): Promise<StartupError> => {
      try {
        const emu = await startEmulator({ port: 0, log: () => {}, ...options });
        await emu.stop();
      } catch (e) {
        if (e instanceof StartupError) return e;
        throw e;
      }
      throw new Error('expected a StartupError');
    };
    const noFile = await startupError({ rules: missing });
    expect(noFile).toMatchObject({ code: 'rules_file', file: missing });
    expect(noFile.message).toContain('missing.rules.json: the rules file does not exist');
    const badRules = await startupError({ rules: bad });
    expect(badRules).toMatchObject({ code: 'rules_file', file: bad });
    expect(badRules.message).toMatch(/bad\.rules\.json: invalid rules: .*\.read/);
    expect(await startupError({ port: 70000 })).toMatchObject({ code: 'bad_option', file: null });
    // A raw line break inside a rule string (as the console publishes it) is not an error.
    const multiline = join(dir, 'multiline.rules.json');
    writeFileSync(multiline, '{"rules": {".read": "auth != null &&\n  auth.uid != null", ".write": false}}');
    const emu = await startEmulator({ port: 0, rules: multiline, log: () => {} });
    try {
      expect((await fetch(`${emu.url}/x.json?ns=m`)).status).toBe(401);
    } finally {
      await emu.stop();
    }
    expect(await startupError({ maxCascadeDepth: 0 })).toMatchObject({ code: 'bad_option' });
  });
});
