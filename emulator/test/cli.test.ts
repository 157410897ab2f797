// The rtdb-emulator command line, driven in-process through runCli (src/cli.ts only adds argv and signals).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-main.js';

describe('rtdb-emulator CLI', () => {
  it('starts with the documented flags and prints one ready line with the URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtdb-cli-'));
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, '{ "rules": { ".read": true, ".write": false } }');
    writeFileSync(join(dir, 'in.json'), '{"a":1}');
    const lines: string[] = [];
    const emu = await runCli(
      ['--port', '0', '--host', '127.0.0.1', '--rules', rules, '--project', 'demo-cli', '--import', join(dir, 'in.json'), '--export', join(dir, 'out.json'), '--strict-tokens', '--token-max-age-seconds', '3600'],
      (l) => lines.push(l),
    );
    try {
      const ready = lines.filter((l) => l.includes('ready'));
      expect(ready).toHaveLength(1);
      expect(ready[0]).toContain(`url=${emu.url}`);
      expect(emu.config).toMatchObject({ projectId: 'demo-cli', strictTokens: true, tokenMaxAgeSeconds: 3600, namespace: 'demo-cli-default-rtdb' });
      expect(await (await fetch(`${emu.url}/a.json?ns=demo-cli-default-rtdb`)).json()).toBe(1);
      expect((await fetch(`${emu.url}/a.json?ns=demo-cli-default-rtdb`, { method: 'PUT', body: '2' })).status).toBe(401);
    } finally {
      await emu.stop();
    }
  });

  it('rejects bad flag values before starting', async () => {
    await expect(runCli(['--port', 'abc'], () => {})).rejects.toThrow(/non-negative integer/);
    await expect(runCli(['--no-such-flag'], () => {})).rejects.toThrow(/unknown option/);
  });
});
