/** Rollups over longer windows: the functions' per-minute rollups merged into larger buckets. */
import { bucketRollups, WINDOWS, type WindowId } from '../logic/rollups.js';
import { formatNumber, formatTemp, formatTime, DASH } from '../logic/format.js';
import type { DeviceActions } from './actions.js';
import { h, setText } from './dom.js';

export function rollupsPanel(actions: DeviceActions): HTMLElement {
  const select = h('select', { id: 'rollup-window', name: 'window' }, ...WINDOWS.map((w) => h('option', { value: w.id }, w.label)));
  const status = h('p', { role: 'status' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'rollups-table', hidden: true },
    h('caption', {}, 'Rollups'),
    h('thead', {}, h('tr', {}, ...['From', 'Readings', 'IR min', 'IR mean', 'IR max', 'Temperature mean', 'Light mean'].map((t) => h('th', { scope: 'col' }, t)))),
    tbody,
  );
  const load = async (): Promise<void> => {
    const w = WINDOWS.find((x) => x.id === (select.value as WindowId)) ?? WINDOWS[0];
    setText(status, 'Loading rollups…');
    try {
      const buckets = bucketRollups(await actions.loadRollups(actions.serverNow(), w.windowMs), w.bucketMs);
      tbody.replaceChildren(
        ...buckets.map((b) =>
          h('tr', {}, h('td', {}, formatTime(b.startMs)), h('td', {}, String(b.count)), h('td', {}, String(b.irMin)), h('td', {}, formatNumber(b.irAvg)), h('td', {}, String(b.irMax)), h('td', {}, b.tempAvg === undefined ? DASH : formatTemp(b.tempAvg)), h('td', {}, formatNumber(b.lightAvg))),
        ),
      );
      table.hidden = buckets.length === 0;
      setText(table.caption!, `Rollups, ${w.label}`);
      setText(status, buckets.length === 0 ? `No rollups in the ${w.label.split(',')[0]} yet: functions roll each finished minute up on a schedule.` : `${buckets.length} buckets.`);
    } catch (err) {
      setText(status, `Could not load rollups: ${actions.describeError(err)}`);
    }
  };
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Rollup window', onsubmit: (e: Event) => { e.preventDefault(); void load(); } },
    h('div', { class: 'field' }, h('label', { for: 'rollup-window' }, 'Window'), select),
    h('button', { type: 'submit' }, 'Show rollups'),
  );
  return h('section', { class: 'panel', 'aria-labelledby': 'rollups-title' }, h('h2', { id: 'rollups-title' }, 'Rollups'), form, status, h('div', { class: 'table-wrap' }, table));
}
