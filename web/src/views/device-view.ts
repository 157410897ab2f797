/**
 * One device: live gauge, LCD mirror and chart; readings queries; rollups; calibration, commands,
 * rename and deletion. Shows loading, permission-denied and missing states from the meta listener.
 */
import { formatAgo, formatOnline, DASH } from '../logic/format.js';
import type { DeviceStore } from '../store/device-store.js';
import type { DeviceActions } from './actions.js';
import { adminPanel } from './admin-panel.js';
import { calibrationPanel } from './calibration-panel.js';
import { liveChart, type SecondSensor } from './chart.js';
import { commandsPanel } from './commands-panel.js';
import { Disposer, h, setText } from './dom.js';
import { servoGauge } from './gauge.js';
import { lcdMirror } from './lcd.js';
import { readingsPanel } from './readings-panel.js';
import { rollupsPanel } from './rollups-panel.js';
import { deniedState, errorState, loadingState } from './states.js';

export function deviceView(store: DeviceStore, actions: DeviceActions, now: () => number = Date.now): { el: HTMLElement; dispose(): void } {
  const disposer = new Disposer();
  const id = store.deviceId;
  const title = h('h1', { id: 'device-title' }, id);
  const crumbs = h('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, h('a', { href: '/', 'data-link': true }, 'Fleet'), ' › ', h('span', { 'aria-current': 'page' }, id));
  const body = h('div', { class: 'device-body' });
  const el = h('section', { class: 'view device-view', 'aria-labelledby': 'device-title', 'data-device': id }, crumbs, title, body);

  let built = false;
  const build = (): void => {
    built = true;
    const statusLine = h('p', { class: 'status-line' });
    const statusDot = h('span', { class: 'dot', 'aria-hidden': 'true' });
    const statusText = h('span', { class: 'status-text' });
    statusLine.append(statusDot, statusText);
    const updateStatus = (): void => {
      const s = store.status.get();
      const meta = store.meta.get();
      const online = formatOnline(s?.online);
      statusDot.className = `dot dot-${online}`;
      const parts = [online, `last seen ${formatAgo(now(), s?.lastSeen)}`, `firmware ${s?.fw ?? DASH}`, `zone ${meta?.zone ?? DASH}`];
      if (s?.rssi !== undefined) parts.push(`signal ${s.rssi} dBm`);
      if (s?.heap !== undefined) parts.push(`free heap ${Math.round(s.heap / 1024)} KiB`);
      setText(statusText, parts.join(' · '));
    };
    disposer.add(store.status.subscribe(updateStatus));
    disposer.add(store.meta.subscribe(updateStatus));
    const tick = setInterval(updateStatus, 1000);
    disposer.add(() => clearInterval(tick));

    const gauge = servoGauge();
    const lcd = lcdMirror();
    const seqText = h('p', { class: 'hint' });
    disposer.add(
      store.state.subscribe((s) => {
        gauge.set(s?.angle);
        lcd.set(s?.lcd);
        setText(seqText, s?.seq !== undefined ? `State of reading ${s.seq}, mapped ${formatAgo(now(), s.ts)}.` : 'No state yet: it appears with the first mapped reading.');
      }),
    );
    const chart = liveChart();
    disposer.add(() => chart.dispose());
    disposer.add(store.live.subscribe((r) => chart.set(r)));
    const second = h('select', { id: 'second-sensor', name: 'second' }, h('option', { value: 'temp' }, 'Temperature'), h('option', { value: 'light' }, 'Light'));
    second.addEventListener('change', () => chart.setSecond(second.value as SecondSensor));

    body.replaceChildren(
      statusLine,
      h(
        'div',
        { class: 'live-grid' },
        h('section', { class: 'panel', 'aria-labelledby': 'live-title' }, h('h2', { id: 'live-title' }, 'Live'), h('div', { class: 'live-row' }, gauge.el, lcd.el), seqText),
        h(
          'section',
          { class: 'panel', 'aria-labelledby': 'chart-title' },
          h('h2', { id: 'chart-title' }, 'IR and second sensor'),
          h('div', { class: 'field inline' }, h('label', { for: 'second-sensor' }, 'Second sensor'), second),
          chart.el,
        ),
      ),
      readingsPanel(actions),
      rollupsPanel(actions),
      calibrationPanel(store, actions, disposer),
      commandsPanel(store, actions, disposer),
      adminPanel(store, actions, disposer),
    );
  };

  disposer.add(
    store.access.subscribe((access) => {
      if (access === 'ok') {
        if (!built) build();
      } else if (access === 'loading') body.replaceChildren(loadingState(`device ${id}`));
      else if (access === 'denied') {
        built = false;
        body.replaceChildren(deniedState(`device ${id}`));
      } else if (access === 'unplaced') {
        built = false;
        body.replaceChildren(errorState('Device database not found', store.problem));
      } else {
        built = false;
        body.replaceChildren(errorState('No such device', `Device ${id} does not exist (or was deleted).`));
      }
    }),
  );
  disposer.add(store.meta.subscribe((meta) => setText(title, meta?.name ?? id)));
  return { el, dispose: () => disposer.dispose() };
}
