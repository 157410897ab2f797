// Fleet view benchmark: 1,000 devices, each one state update per second, in headless Chromium.
// Prints the time from the sign-in click to the first full render of the fleet (every device's
// meta, status and state loaded and the visible rows drawn; the rows come from the owner's fleet
// summary fleets/{uid}, seeded and updated here as the functions keep it) and the renderer main thread's busy
// share while updates stream (Chromium's Performance.getMetrics TaskDuration over wall time).
// Targets (issue): first full render < 1 s, main thread busy < 30 %. Figures print; they are not
// asserted (machine load varies); the run fails only if the updates did not reach the page.
import { writeFileSync } from 'node:fs';
import { fleetEntryPath, formatLcd, summaryOfDevice, summaryState } from '@firelink/model';
import { treeCpuMs } from '@firelink/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, eventually, launchBrowser, type Browser } from '../test/support/browser.js';
import { ensureBuilt } from '../test/support/build.js';
import { DEMO_OWNER, startLocalStack, type LocalStack } from '../test/support/local-stack.js';

const DEVICES = Number(process.env.WEB_BENCH_DEVICES ?? 1000);
const MEASURE_MS = Number(process.env.WEB_BENCH_MEASURE_MS ?? 10_000);
const TICK_MS = 100;
const id = (i: number): string => `bench-${String(i).padStart(4, '0')}`;

function state(i: number, seq: number, now: number): Record<string, unknown> {
  const ir = (i * 37 + seq * 101) % 4096;
  const angle = Math.round((ir * 180) / 4095);
  return { angle, ir, readingId: `r${seq}`, seq, lcd: formatLcd({ ir, angle }), ts: now };
}

describe.skipIf(!chromiumAvailable('web fleet benchmark (bench/fleet.bench.ts)'))('fleet view benchmark', () => {
  let stack: LocalStack;
  let browser: Browser;
  let timer: NodeJS.Timeout | undefined;
  let written = 0;

  beforeAll(async () => {
    ensureBuilt();
    stack = await startLocalStack({ functions: false });
    const uid = stack.demoOwnerUid;
    const now = Date.now();
    const seed: Record<string, unknown> = {};
    for (let i = 0; i < DEVICES; i += 1) {
      seed[`users/${uid}/devices/${id(i)}`] = true;
      seed[`devices/${id(i)}/meta`] = { name: `Bench ${i}`, owner: uid, zone: `zone-${i % 10}`, createdAt: now };
      seed[`devices/${id(i)}/status`] = { online: i % 7 !== 0, lastSeen: now, fw: 'sim-0.1.0' };
      seed[`devices/${id(i)}/state`] = state(i, 1, now);
      // The owner's fleet summary, as the functions keep it (no functions host here).
      seed[fleetEntryPath(uid, id(i))] = summaryOfDevice({ meta: seed[`devices/${id(i)}/meta`], status: seed[`devices/${id(i)}/status`], state: seed[`devices/${id(i)}/state`] })!.entry;
    }
    await stack.db.ref().update(seed);
    // Every device once per second: a tenth of the fleet every 100 ms, one multi-path update each.
    let tick = 0;
    timer = setInterval(() => {
      const update: Record<string, unknown> = {};
      const t = Date.now();
      const slice = tick % (1000 / TICK_MS);
      const seq = 2 + Math.floor(tick / (1000 / TICK_MS));
      for (let i = slice; i < DEVICES; i += 1000 / TICK_MS) {
        const next = state(i, seq, t);
        update[`devices/${id(i)}/state`] = next;
        update[`${fleetEntryPath(uid, id(i))}/state`] = summaryState(next);
      }
      tick += 1;
      written += Object.keys(update).length / 2; // each device: its state and its summary's
      void stack.db.ref().update(update);
    }, TICK_MS);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    if (timer) clearInterval(timer);
    await browser?.close();
    await stack?.stop();
  });

  it(`renders ${DEVICES} devices updating once a second`, async () => {
    const { page, context } = browser;
    await page.goto(stack.dashboardUrl);
    await page.getByLabel('E-mail').fill(DEMO_OWNER.email);
    await page.getByLabel('Password').fill(DEMO_OWNER.password);
    const loadCdp = await context.newCDPSession(page);
    await loadCdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const loadTask = async (): Promise<number> => (await loadCdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
    // WEB_BENCH_PROFILE=<file.cpuprofile>: also record the page's JavaScript CPU profile of the load.
    const profileFile = process.env.WEB_BENCH_PROFILE;
    if (profileFile) {
      await loadCdp.send('Profiler.enable');
      await loadCdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await loadCdp.send('Profiler.start');
    }
    // The RTDB emulator's CPU time over the load: the server side of the listens (less load-sensitive than wall time).
    const databasePid = stack.stack.services().find((s) => s.name === 'database')?.pid;
    const emulatorCpu = (): number => (databasePid === undefined ? Number.NaN : (treeCpuMs(databasePid) ?? Number.NaN));
    const emulatorCpuBefore = emulatorCpu();
    const taskBefore = await loadTask();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('section.fleet-view[data-complete="true"]').waitFor({ timeout: 120_000 });
    const loadBusyMs = ((await loadTask()) - taskBefore) * 1000;
    const loadEmulatorCpuMs = emulatorCpu() - emulatorCpuBefore;
    if (profileFile) writeFileSync(profileFile, JSON.stringify((await loadCdp.send('Profiler.stop')).profile));
    const marks = await page.evaluate(() => {
      const at = (name: string): number => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN;
      const start = at('firelink:sign-in');
      return { signedIn: at('firelink:signed-in') - start, index: at('firelink:fleet-index') - start, complete: at('firelink:fleet-complete') - start };
    });
    const firstRenderMs = marks.complete;
    const rowsInDom = await page.locator('table.fleet-table tbody tr[data-id]').count();
    expect(await page.locator('.summary').textContent()).toContain(`${DEVICES} devices`);

    // Count the cell text changes the table makes while updates stream (the render work done).
    await page.evaluate(() => {
      const w = window as unknown as { cellChanges: number };
      w.cellChanges = 0;
      new MutationObserver((records) => (w.cellChanges += records.length)).observe(document.querySelector('table.fleet-table tbody')!, { characterData: true, subtree: true, childList: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metric = async (): Promise<Record<string, number>> => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await metric();
    const streamCpuBefore = emulatorCpu();
    const writtenBefore = written;
    const wallStart = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const after = await metric();
    const streamCpuMs = emulatorCpu() - streamCpuBefore;
    const wallS = (performance.now() - wallStart) / 1000;
    const busy = (after.TaskDuration! - before.TaskDuration!) / wallS;
    const script = (after.ScriptDuration! - before.ScriptDuration!) / wallS;
    const layout = (after.LayoutDuration! - before.LayoutDuration! + after.RecalcStyleDuration! - before.RecalcStyleDuration!) / wallS;
    const cellChanges = await page.evaluate(() => (window as unknown as { cellChanges: number }).cellChanges);
    const heapMiB = after.JSHeapUsedSize! / 1024 / 1024;
    const updatesPerS = (written - writtenBefore) / wallS;
    const streamCpuShare = streamCpuMs / 1000 / wallS;

    console.log(`\nweb fleet bench: ${DEVICES} devices, ${updatesPerS.toFixed(0)} state updates/s written, ${MEASURE_MS / 1000} s measured`);
    console.log(`  first full render (sign-in click -> every device loaded and drawn): ${firstRenderMs.toFixed(0)} ms   (target < 1000 ms)`);
    console.log(`    of which: signed in after ${marks.signedIn.toFixed(0)} ms, device index after ${marks.index.toFixed(0)} ms, ${DEVICES} rows (fleet summary) loaded ${(marks.complete - marks.index).toFixed(0)} ms later`);
    console.log(`    main thread busy during that load: ${loadBusyMs.toFixed(0)} ms; RTDB emulator CPU: ${loadEmulatorCpuMs.toFixed(0)} ms, of which the listens ~${(loadEmulatorCpuMs - streamCpuShare * firstRenderMs).toFixed(0)} ms (the rest: the writer's updates, ${(streamCpuShare * 100).toFixed(0)} % of a core while streaming)`);
    console.log(`  main thread busy while streaming: ${(busy * 100).toFixed(1)} %   (target < 30 %)  [script ${(script * 100).toFixed(1)} %, style+layout ${(layout * 100).toFixed(1)} %]`);
    console.log(`  rows in the DOM: ${rowsInDom} of ${DEVICES} (virtualized); table text changes: ${(cellChanges / wallS).toFixed(0)}/s; JS heap ${heapMiB.toFixed(1)} MiB\n`);

    expect(rowsInDom).toBeLessThan(100);
    // The updates reached the page: visible cells changed while measuring.
    expect(cellChanges).toBeGreaterThan(0);
    await eventually(async () => expect(await page.locator('.summary').textContent()).toContain(`${DEVICES} devices`), 5_000, 'summary');
  });
});
