// The dashboard across two database instances (issue 17) in headless Chromium: the demo owner's
// devices live on the default instance and on a second one (a namespace of the one emulator), the
// default instance's directory `deviceShards/{id}` says which. The fleet shows both; the device
// view reads and writes the device on its own instance. The fleet rows come from each instance's
// fleet summary fleets/{uid} (model/src/fleet-summary.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { getDatabaseWithUrl } from 'firebase-admin/database';
import { fleetEntryPath, formatLcd, summaryOfDevice } from '@firelink/model';
import { chromiumAvailable, eventually, launchBrowser, type Browser } from './support/browser.js';
import { ensureBuilt } from './support/build.js';
import { DEMO_OWNER, startLocalStack, type LocalStack } from './support/local-stack.js';

const haveChromium = chromiumAvailable('web dashboard across instances (test/shards.e2e.test.ts)');
const SHARD = 'demo-firelink-shard-2';

describe.skipIf(!haveChromium)('dashboard across database instances', () => {
  let stack: LocalStack;
  let browser: Browser;
  let page: Page;
  const shardDb = () => getDatabaseWithUrl(`https://${SHARD}.firebaseio.com`, stack.stack.adminApp());

  beforeAll(async () => {
    ensureBuilt();
    stack = await startLocalStack({ functions: false });
    const uid = stack.demoOwnerUid;
    const now = Date.now();
    const device = (name: string, ir: number) => ({
      meta: { name, owner: uid, zone: 'lab', createdAt: now },
      status: { online: true, lastSeen: now, fw: 'sim-0.1.0' },
      state: { angle: Math.round((ir * 180) / 4095), ir, readingId: 'r1', seq: 1, lcd: formatLcd({ ir, angle: Math.round((ir * 180) / 4095) }), ts: now },
    });
    // Without the functions host: each instance's fleet summary seeded as the functions keep it.
    const summary = (id: string, node: unknown) => ({ [fleetEntryPath(uid, id)]: summaryOfDevice(node)!.entry });
    await stack.db.ref().update({
      [`users/${uid}/devices/shard-e2e-home`]: true,
      [`users/${uid}/devices/shard-e2e-away`]: true,
      'devices/shard-e2e-home': device('Home unit', 1000),
      ...summary('shard-e2e-home', device('Home unit', 1000)),
      'deviceShards/shard-e2e-away': SHARD,
    });
    await shardDb().ref().update({ 'devices/shard-e2e-away': device('Away unit', 3000), ...summary('shard-e2e-away', device('Away unit', 3000)) });
    browser = await launchBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows devices from both instances in the fleet', async () => {
    await page.goto(stack.dashboardUrl);
    await page.getByLabel('E-mail').fill(DEMO_OWNER.email);
    await page.getByLabel('Password').fill(DEMO_OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = (id: string) => page.locator(`table.fleet-table tbody tr[data-id="${id}"]`);
    await eventually(async () => {
      expect(await row('shard-e2e-home').innerText()).toContain('Home unit');
      expect(await row('shard-e2e-away').innerText()).toContain('Away unit');
      expect(await row('shard-e2e-away').locator('td.col-online').textContent()).toBe('online');
    }, 30_000, 'both devices shown');
    // Live from the second instance.
    await shardDb().ref(`${fleetEntryPath(stack.demoOwnerUid, 'shard-e2e-away')}/status/online`).set(false);
    await eventually(async () => expect(await row('shard-e2e-away').locator('td.col-online').textContent()).toBe('offline'), 30_000, 'the away device offline');
  });

  it('reads and writes a device on its own instance from the device view', async () => {
    await page.getByRole('link', { name: 'Away unit' }).first().click();
    await page.getByRole('heading', { name: 'Live' }).waitFor();
    const lcd = formatLcd({ ir: 3000, angle: Math.round((3000 * 180) / 4095) });
    await eventually(async () => {
      const lines = await page.getByRole('group', { name: 'LCD' }).locator('.lcd-line').allTextContents();
      expect(lines.map((l) => l.trimEnd())).toEqual([lcd.line1.trimEnd(), lcd.line2.trimEnd()]);
    }, 30_000, 'the LCD mirror of the away device');
    await page.getByLabel('Name', { exact: true }).fill('Away renamed');
    await page.getByRole('button', { name: 'Rename' }).click();
    await eventually(async () => expect((await shardDb().ref('devices/shard-e2e-away/meta/name').get()).val()).toBe('Away renamed'), 30_000, 'the rename on the second instance');
    expect((await stack.db.ref('devices/shard-e2e-away').get()).exists()).toBe(false);
    expect(browser.errors).toEqual([]);
  });
});
