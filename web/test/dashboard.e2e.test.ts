// The dashboard end to end in headless Chromium against the local system: our RTDB emulator with
// the rules and the functions host, the Auth emulator, device-sim devices over REST, and web/dist
// served like Hosting (test/support/static-server.ts). Screenshots go to web/test-results/ (not
// committed) and are checked for content (the page text at the time), never pixels.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatLcd, mapReadingToAngle, readingsPath, type Mapping } from '@firelink/model';
import { chromiumAvailable, eventually, launchBrowser, type Browser } from './support/browser.js';
import { ensureBuilt, webDir } from './support/build.js';
import { runSchedule } from '@firelink/stack';
import { DEMO_OWNER, startLocalStack, type LocalStack } from './support/local-stack.js';

const haveChromium = chromiumAvailable('web dashboard end-to-end (test/dashboard.e2e.test.ts)');
const resultsDir = join(webDir, 'test-results');
const pad = (line: string): string => line.padEnd(16, ' ');

describe.skipIf(!haveChromium)('dashboard in Chromium', () => {
  let stack: LocalStack;
  let browser: Browser;
  let page: Page;
  let devices: Array<{ stop(): Promise<void>; output: string[] }> = [];
  let ownerUid = '';

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(resultsDir, { recursive: true });
    stack = await startLocalStack();
    ownerUid = stack.demoOwnerUid;
    const stranger = await stack.createOwner('stranger@demo.firelink.local', 'stranger-pass');
    const a = await stack.provisionDevice('web-e2e-a', ownerUid, 'lab');
    const b = await stack.provisionDevice('web-e2e-b', ownerUid, 'lab');
    await stack.provisionDevice('web-e2e-x', stranger.uid);
    devices = [stack.runDevice('web-e2e-a', a), stack.runDevice('web-e2e-b', b)];
    browser = await launchBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    for (const d of devices) await d.stop();
    await stack?.stop();
  });

  /** Saves a screenshot and checks it is a real PNG of the page showing `expected` text. */
  async function screenshot(name: string, expected: string[]): Promise<void> {
    const text = await page.locator('body').innerText();
    for (const t of expected) expect(text).toContain(t);
    const file = join(resultsDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const png = readFileSync(file);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(10_000);
  }

  const lcdText = async (): Promise<[string, string]> => {
    const lines = await page.getByRole('group', { name: 'LCD' }).locator('.lcd-line').allTextContents();
    return [lines[0] ?? '', lines[1] ?? ''];
  };

  it('signs in as the demo owner', async () => {
    await page.goto(stack.dashboardUrl);
    await page.getByRole('heading', { name: 'Sign in to Firelink' }).waitFor();
    await page.getByLabel('E-mail').fill(DEMO_OWNER.email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong e-mail or password.').waitFor();
    await page.getByLabel('Password').fill(DEMO_OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByText(`Signed in as ${DEMO_OWNER.email}`).waitFor();
  });

  it('shows the devices appear and turn online, live', async () => {
    const rows = page.locator('table.fleet-table tbody tr[data-id]');
    await eventually(async () => {
      expect((await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id))).sort()).toEqual(['web-e2e-a', 'web-e2e-b']);
      expect(await rows.locator('td.col-online').allTextContents()).toEqual(['online', 'online']);
    }, 60_000, 'both devices online');
    // The fleet table is a real table with column headers.
    expect((await page.getByRole('columnheader').allTextContents()).map((t) => t.replace(/[ ▲▼]+$/, ''))).toEqual(['Device', 'Status', 'Last seen', 'Angle', 'Last IR', 'Firmware', 'Zone']);
    await screenshot('fleet', ['web-e2e-a', 'web-e2e-b', '2 devices, 2 online']);
  });

  it('sorts and filters the fleet', async () => {
    const ids = () => page.locator('table.fleet-table tbody tr[data-id]').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));
    await page.getByRole('button', { name: 'Device' }).click();
    expect(await page.getByRole('columnheader', { name: 'Device' }).getAttribute('aria-sort')).toBe('descending');
    expect(await ids()).toEqual(['web-e2e-b', 'web-e2e-a']);
    await page.getByRole('button', { name: 'Device' }).click();
    expect(await ids()).toEqual(['web-e2e-a', 'web-e2e-b']);
    await page.getByLabel('Filter by name or id').fill('e2e-b');
    expect(await ids()).toEqual(['web-e2e-b']);
    await page.getByLabel('Filter by name or id').fill('');
    await page.getByLabel('Status').selectOption('offline');
    expect(await ids()).toEqual([]);
    await page.getByLabel('Status').selectOption('all');
    expect(await ids()).toHaveLength(2);
    // By keyboard: the sort buttons take focus and Enter sorts.
    await page.getByRole('button', { name: 'Last IR' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('columnheader', { name: 'Last IR' }).getAttribute('aria-sort')).toBe('ascending');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('columnheader', { name: 'Angle' }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: 'Device' }).focus();
    await page.keyboard.press('Enter');
    expect(await ids()).toEqual(['web-e2e-a', 'web-e2e-b']);
  });

  it("follows a device's angle and LCD as the simulator sends readings", async () => {
    await page.getByRole('link', { name: 'web-e2e-a' }).first().click();
    await page.getByRole('heading', { name: 'Live' }).waitFor();
    const first = await lcdText();
    await eventually(async () => {
      const shown = await lcdText();
      expect(shown).not.toEqual(first);
      const state = (await stack.db.ref('devices/web-e2e-a/state').get()).val();
      const expected = formatLcd({ ir: state.ir, angle: state.angle });
      expect(shown).toEqual([pad(expected.line1), pad(expected.line2)]);
      expect(shown).toEqual([pad(state.lcd.line1), pad(state.lcd.line2)]);
      expect(await page.getByRole('meter', { name: 'Servo angle' }).getAttribute('aria-valuenow')).toBe(String(state.angle));
    }, 30_000, 'LCD and gauge showing a new state equal to the database');
    await eventually(async () => expect(await page.locator('.chart-summary').textContent()).toMatch(/^\d+ recent readings; latest IR \d+/), 20_000, 'chart filled');
    await screenshot('device', ['Live', 'IR and second sensor', 'Calibration', 'Commands']);
  });

  it('validates calibration with the model messages, previews the curve, and the next state follows the saved one', async () => {
    await page.getByLabel('Angle out, maximum (0–180°)').fill('200');
    await page.getByText('config.mapping.outMax: must be an integer between 0 and 180 degrees (got 200)').waitFor();
    expect(await page.locator('.curve').getAttribute('points')).toBe('');
    const mapping: Mapping = { inMin: 1000, inMax: 3000, outMin: 10, outMax: 170, invert: true };
    await page.getByLabel('IR in, minimum (0–4095)').fill(String(mapping.inMin));
    await page.getByLabel('IR in, maximum (0–4095)').fill(String(mapping.inMax));
    await page.getByLabel('Angle out, minimum (0–180°)').fill(String(mapping.outMin));
    await page.getByLabel('Angle out, maximum (0–180°)').fill(String(mapping.outMax));
    await page.getByLabel('Invert (turn the servo the other way)').check();
    expect(await page.locator('.curve').getAttribute('points')).toMatch(/^0,\d/);
    await page.getByText('Mapping preview: IR 1000–3000 maps to 170–10°').waitFor();
    await page.getByRole('button', { name: 'Save calibration' }).click();
    await page.locator('.save-status[data-follows="true"]').waitFor({ timeout: 30_000 });
    expect((await stack.db.ref('devices/web-e2e-a/config/mapping').get()).val()).toEqual(mapping);
    const state = (await stack.db.ref('devices/web-e2e-a/state').get()).val();
    expect(state.angle).toBe(mapReadingToAngle(state.ir, mapping));
    expect(await page.locator('.save-status').textContent()).toMatch(/follows the new calibration: IR \d+ → \d+°/);
  });

  it('sends a command and shows its acknowledgement', async () => {
    await page.getByLabel('Command', { exact: true }).selectOption('set-angle');
    await page.getByLabel('Angle (0–180°)').fill('45');
    await page.getByRole('button', { name: 'Send command' }).click();
    const acked = page.locator('.command-list li[data-phase="ok"]');
    await acked.first().waitFor({ timeout: 30_000 });
    expect(await acked.first().textContent()).toMatch(/set-angle 45° sent .* acknowledged .*: ok/);
    const id = await acked.first().getAttribute('data-id');
    const stored = (await stack.db.ref(`devices/web-e2e-a/commands/${id}`).get()).val();
    expect(stored).toMatchObject({ type: 'set-angle', args: { angle: 45 }, result: { status: 'ok' } });
    expect(typeof stored.ackAt).toBe('number');
  });

  it('runs an ordered, filtered readings query whose rows match the database', async () => {
    // Enough readings to query, then web-e2e-b stops sending so its readings hold still.
    await eventually(async () => expect((await stack.db.ref(readingsPath('web-e2e-b')).orderByChild('ts').startAt(0).get()).numChildren()).toBeGreaterThanOrEqual(5), 60_000, 'five stamped readings of web-e2e-b');
    await devices[1]!.stop();
    const all = Object.values((await stack.db.ref(readingsPath('web-e2e-b')).get()).val() as Record<string, { ir: number }>).map((r) => r.ir).sort((x, y) => x - y);
    expect(all.length).toBeGreaterThan(2);
    const from = all[Math.floor(all.length / 2)]!;
    await page.goto(`${stack.siteUrl}/devices/web-e2e-b`);
    await page.getByRole('heading', { name: 'Readings' }).waitFor();
    await page.getByLabel('Order by', { exact: true }).selectOption('ir');
    await page.getByLabel('Range', { exact: true }).selectOption('between');
    await page.getByLabel('From', { exact: true }).fill(String(from));
    await page.getByLabel('To', { exact: true }).fill('4095');
    await page.getByLabel('Limit (1–1000)').fill('5');
    await page.getByLabel('Take', { exact: true }).selectOption('first');
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.getByText(/readings, ordered by IR between/).waitFor();
    const shown = await page.locator('table.readings-table tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));
    const snap = await stack.db.ref(readingsPath('web-e2e-b')).orderByChild('ir').startAt(from).endAt(4095).limitToFirst(5).get();
    const expected: string[] = [];
    snap.forEach((child) => {
      expected.push(child.key!);
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(shown).toEqual(expected);
    const irs = (await page.locator('table.readings-table tbody tr td:nth-child(3)').allTextContents()).map(Number);
    expect(irs).toEqual([...irs].sort((x, y) => x - y));
    expect(Math.min(...irs)).toBeGreaterThanOrEqual(from);
  });

  it('renames the device and deletes its old readings', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Back door');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('heading', { name: 'Back door' }).waitFor();
    expect((await stack.db.ref('devices/web-e2e-b/meta/name').get()).val()).toBe('Back door');
    const before = (await stack.db.ref(readingsPath('web-e2e-b')).orderByChild('ts').startAt(0).get()).numChildren();
    expect(before).toBeGreaterThan(0);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('Delete readings older than').fill('0');
    await page.getByLabel('Unit', { exact: true }).selectOption('minutes');
    await page.getByRole('button', { name: 'Delete old readings' }).click();
    await page.getByText(`Deleted ${before} readings older than 0 minutes.`).waitFor({ timeout: 20_000 });
    expect((await stack.db.ref(readingsPath('web-e2e-b')).orderByChild('ts').startAt(0).get()).numChildren()).toBe(0);
  });

  it('shows rollups the scheduled function computed, merged over the window', async () => {
    // Three stamped readings in one minute three minutes ago (web-e2e-b has no others left), then
    // the real rollup job; the panel merges minutes into 5-minute buckets.
    const minuteStart = Math.floor((Date.now() - 180_000) / 60_000) * 60_000;
    await stack.db.ref(readingsPath('web-e2e-b')).update({
      rollA: { ir: 100, seq: 1, ts: minuteStart + 1_000 },
      rollB: { ir: 200, seq: 2, ts: minuteStart + 2_000 },
      rollC: { ir: 300, seq: 3, ts: minuteStart + 3_000 },
    });
    await stack.stack.functionsIdle();
    await runSchedule(stack.stack, 'rollupReadings');
    expect(Object.keys((await stack.db.ref('rollups/web-e2e-b').get()).val() ?? {})).toHaveLength(1);
    await page.getByRole('button', { name: 'Show rollups' }).click();
    const row = page.locator('table.rollups-table tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().locator('td').allTextContents()).toEqual([
      expect.stringMatching(/ UTC$/), '3', '100', '200', '300', '—', '—',
    ]);
  });

  it('shows a command expire when nobody acknowledges it', async () => {
    // web-e2e-b is stopped: a command created two minutes ago is past the 60 s timeout, and the
    // real expireCommands job closes it.
    await stack.db.ref('devices/web-e2e-b/commands/oldcmd').set({ type: 'identify', createdAt: Date.now() - 120_000 });
    const line = page.locator('.command-list li[data-id="oldcmd"]');
    await line.waitFor();
    expect(await line.getAttribute('data-phase')).toBe('pending');
    await runSchedule(stack.stack, 'expireCommands');
    await page.locator('.command-list li[data-id="oldcmd"][data-phase="expired"]').waitFor({ timeout: 20_000 });
    expect(await line.locator('.outcome').textContent()).toMatch(/^expired: not acknowledged within \d+ ms$/);
  });

  it('shows the offline state while the database is down, then recovers', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet' }).click();
    await page.locator('table.fleet-table tbody tr[data-id]').first().waitFor();
    const banner = page.locator('.banner-offline');
    expect(await banner.isHidden()).toBe(true);
    const shown = banner.waitFor({ state: 'visible', timeout: 60_000 });
    const restarted = stack.stack.restartDatabase();
    await shown;
    expect(await banner.textContent()).toContain('Offline: showing the last known data.');
    // The last known rows stay on screen meanwhile.
    expect(await page.locator('table.fleet-table tbody tr[data-id]').count()).toBe(2);
    await restarted;
    await banner.waitFor({ state: 'hidden', timeout: 60_000 });
  });

  it('shows zones with their devices and a live alert raised and cleared by the functions', async () => {
    // A third device joins zone lab; it and the stopped web-e2e-b report IR 4000 (written as the
    // devices would, through the admin here), so the functions' zone rule (2 devices at >= 3000
    // within 60 s) raises the alert; a low reading from web-e2e-b clears it.
    await stack.provisionDevice('web-e2e-c', ownerUid, 'lab');
    // web-e2e-a's simulator reports its own IR, at times >= 3000 (a third hot device): stop it and
    // leave it a low state, so the alert is exactly the two devices below.
    await devices[0]!.stop();
    await stack.stack.functionsIdle();
    const aSeq = Number((await stack.db.ref('devices/web-e2e-a/state/seq').get()).val());
    await stack.db.ref(readingsPath('web-e2e-a')).update({ lowA: { ir: 100, seq: aSeq + 1000 } });
    await stack.stack.functionsIdle();
    await eventually(async () => expect((await stack.db.ref('devices/web-e2e-a/state/ir').get()).val()).toBe(100), 20_000, 'web-e2e-a low');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Zones' }).click();
    const zone = page.locator('section[data-zone="lab"]');
    await zone.waitFor();
    await eventually(async () => expect(await zone.locator('tbody tr').count()).toBe(3), 20_000, 'three devices in zone lab');
    await zone.getByText('No alert.').waitFor();
    const bSeq = Number((await stack.db.ref('devices/web-e2e-b/state/seq').get()).val());
    await stack.db.ref(readingsPath('web-e2e-b')).update({ highB: { ir: 4000, seq: bSeq + 1 } });
    await stack.db.ref(readingsPath('web-e2e-c')).update({ highC: { ir: 4000, seq: 1 } });
    await stack.stack.functionsIdle();
    const alert = zone.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toMatch(/^Alert: .+ \(raised .+ UTC; devices web-e2e-b, web-e2e-c\)$/);
    await screenshot('zones', ['Zone lab', 'Alert:', 'web-e2e-c']);
    await stack.db.ref(readingsPath('web-e2e-b')).update({ lowB: { ir: 100, seq: bSeq + 2 } });
    await stack.stack.functionsIdle();
    await zone.getByText('No alert.').waitFor({ timeout: 20_000 });
    expect((await stack.db.ref('zones/lab/alert').get()).exists()).toBe(false);
  });

  it('passes an axe-core check on every view without serious violations', async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    for (const path of ['/', '/devices/web-e2e-a', '/zones']) {
      await page.goto(`${stack.siteUrl}${path}`);
      await page.locator('main h1').waitFor();
      if (path === '/') await page.locator('table.fleet-table tbody tr[data-id]').first().waitFor();
      if (path.startsWith('/devices')) await page.getByRole('heading', { name: 'Live' }).waitFor();
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document);
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(violations, `axe on ${path}`).toEqual([]);
    }
  });

  it("shows permission denied for someone else's device opened by URL", async () => {
    await page.goto(`${stack.siteUrl}/devices/web-e2e-x`);
    await page.getByRole('heading', { name: 'Permission denied' }).waitFor();
    await screenshot('permission-denied', ['Permission denied', 'web-e2e-x']);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Firelink' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Firelink' }).waitFor();
    // Expected noise only: the denied device's listeners, and reconnect attempts during the outage above.
    expect(browser.errors.filter((e) => !/permission_denied|Permission denied|Failed to load resource|WebSocket connection to .* failed/i.test(e))).toEqual([]);
  });
});
