/**
 * The fleet: a real table (column headers, sortable by button, aria-sort) of every device, live.
 * Only the rows in view exist in the DOM (virtualized: spacer rows keep the scroll height) and a
 * batch of store changes patches only the visible cells whose text changed. Rows move only when
 * a change touches the sorted or filtered field.
 */
import {
  DEFAULT_FILTER, DEFAULT_SORT, SORT_KEYS, affectsOrder, nextSort, orderRows, visibleRange, zonesOf,
  type DeviceRow, type FleetFilter, type FleetSort, type SortKey, type StatusFilter,
} from '../logic/fleet.js';
import { formatAgo, formatAngle, formatNumber, formatOnline, DASH } from '../logic/format.js';
import type { FleetChange, FleetStore, RowField } from '../store/fleet-store.js';
import { Disposer, h, setAttr, setText } from './dom.js';
import { deniedState, emptyState, errorState, loadingState } from './states.js';

export const ROW_PX = 40;
const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'name', label: 'Device' },
  { key: 'online', label: 'Status' },
  { key: 'lastSeen', label: 'Last seen' },
  { key: 'angle', label: 'Angle' },
  { key: 'ir', label: 'Last IR' },
  { key: 'fw', label: 'Firmware' },
  { key: 'zone', label: 'Zone' },
];

interface PooledRow {
  tr: HTMLTableRowElement;
  link: HTMLAnchorElement;
  idText: HTMLSpanElement;
  dot: HTMLSpanElement;
  cells: Text[];
  id: string;
}

export interface FleetViewOptions {
  now?: () => number;
}

export function fleetView(store: FleetStore, options: FleetViewOptions = {}): { el: HTMLElement; dispose(): void } {
  const now = options.now ?? Date.now;
  const disposer = new Disposer();
  let sort: FleetSort = { ...DEFAULT_SORT };
  let filter: FleetFilter = { ...DEFAULT_FILTER };
  let order: string[] = [];
  let position = new Map<string, number>();
  let renderedRange = { start: 0, end: 0 };
  const pool: PooledRow[] = [];
  let completeMarked = false;

  const summary = h('p', { class: 'summary', role: 'status', 'aria-live': 'polite' });
  const textInput = h('input', { type: 'search', name: 'filter', autocomplete: 'off', placeholder: 'name or id' });
  const statusSelect = h('select', { name: 'status' }, h('option', { value: 'all' }, 'All'), h('option', { value: 'online' }, 'Online'), h('option', { value: 'offline' }, 'Offline'));
  const zoneSelect = h('select', { name: 'zone' }, h('option', { value: '' }, 'All zones'));
  const filters = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter devices', onsubmit: (e: Event) => e.preventDefault() },
    h('div', { class: 'field' }, h('label', { for: 'fleet-filter' }, 'Filter by name or id'), Object.assign(textInput, { id: 'fleet-filter' })),
    h('div', { class: 'field' }, h('label', { for: 'fleet-status' }, 'Status'), Object.assign(statusSelect, { id: 'fleet-status' })),
    h('div', { class: 'field' }, h('label', { for: 'fleet-zone' }, 'Zone'), Object.assign(zoneSelect, { id: 'fleet-zone' })),
  );

  const headerCells = COLUMNS.map(({ key, label }) => {
    const button = h('button', { type: 'button', class: 'sort', 'data-sort': key, onclick: () => setSort(nextSort(sort, key)) }, label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
    return h('th', { scope: 'col', 'data-col': key }, button);
  });
  const topSpacer = h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: COLUMNS.length }));
  const bottomSpacer = h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: COLUMNS.length }));
  const tbody = h('tbody', {}, topSpacer, bottomSpacer);
  const table = h(
    'table',
    { class: 'fleet-table', 'aria-describedby': 'fleet-summary' },
    h('caption', { class: 'visually-hidden' }, 'Devices: status, last seen, servo angle, last IR reading, firmware and zone. Column headers sort.'),
    h('thead', {}, h('tr', { 'aria-rowindex': 1 }, ...headerCells)),
    tbody,
  );
  const scroller = h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Device list' }, table);
  const body = h('div', { class: 'fleet-body' });
  const el = h('section', { class: 'view fleet-view', 'aria-labelledby': 'fleet-title' }, h('h1', { id: 'fleet-title' }, 'Fleet'), body);
  summary.id = 'fleet-summary';

  function makeRow(): PooledRow {
    const link = h('a', { 'data-link': true, class: 'device-link' });
    const idText = h('span', { class: 'device-id' });
    const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
    const cells = COLUMNS.slice(1).map(() => document.createTextNode(''));
    const tds = [h('td', { class: 'col-name' }, link, ' ', idText), ...cells.map((text, i) => h('td', { class: `col-${COLUMNS[i + 1]!.key}` }, i === 0 ? dot : null, text))];
    const tr = h('tr', {}, ...tds);
    return { tr, link, idText, dot, cells, id: '' };
  }

  function fill(p: PooledRow, row: DeviceRow, index: number, t: number): void {
    if (p.id !== row.id) {
      p.id = row.id;
      p.tr.dataset.id = row.id;
      p.link.href = `/devices/${row.id}`;
      setText(p.idText, row.id);
    }
    setAttr(p.tr, 'aria-rowindex', String(index + 2));
    setText(p.link, row.name ?? row.id);
    const online = formatOnline(row.online);
    setAttr(p.dot, 'class', `dot dot-${online}`);
    const texts = [online, formatAgo(t, row.lastSeen), formatAngle(row.angle), formatNumber(row.ir), row.fw ?? DASH, row.zone ?? DASH];
    for (let i = 0; i < texts.length; i += 1) if (p.cells[i]!.data !== texts[i]) p.cells[i]!.data = texts[i]!;
  }

  function renderWindow(force = false): void {
    const range = visibleRange(scroller.scrollTop, scroller.clientHeight || 600, ROW_PX, order.length);
    const t = now();
    const need = range.end - range.start;
    while (pool.length < need) pool.push(makeRow());
    const sameRange = range.start === renderedRange.start && range.end === renderedRange.end;
    if (!sameRange || force) {
      // Attach exactly `need` pooled rows between the spacers.
      const attached = tbody.childElementCount - 2;
      for (let i = attached; i < need; i += 1) tbody.insertBefore(pool[i]!.tr, bottomSpacer);
      for (let i = attached - 1; i >= need; i -= 1) pool[i]!.tr.remove();
      topSpacer.style.height = `${range.start * ROW_PX}px`;
      bottomSpacer.style.height = `${(order.length - range.end) * ROW_PX}px`;
      for (let i = range.start; i < range.end; i += 1) fill(pool[i - range.start]!, store.get(order[i]!)!, i, t);
      renderedRange = range;
    }
  }

  function patch(changed: ReadonlyMap<string, ReadonlySet<RowField>>): void {
    const t = now();
    for (const id of changed.keys()) {
      const i = position.get(id);
      if (i === undefined || i < renderedRange.start || i >= renderedRange.end) continue;
      fill(pool[i - renderedRange.start]!, store.get(id)!, i, t);
    }
  }

  function reorder(): void {
    order = orderRows(store.all(), sort, filter);
    position = new Map(order.map((id, i) => [id, i]));
    setAttr(table, 'aria-rowcount', String(order.length + 1));
    renderWindow(true);
  }

  function updateSummary(): void {
    let online = 0;
    for (const row of store.all()) if (row.online) online += 1;
    const shown = order.length === store.size ? '' : `, ${order.length} shown`;
    setText(summary, `${store.size} devices, ${online} online${shown}`);
    const zones = zonesOf(store.all());
    if (zoneSelect.options.length - 1 !== zones.length) {
      const current = zoneSelect.value;
      zoneSelect.replaceChildren(h('option', { value: '' }, 'All zones'), ...zones.map((z) => h('option', { value: z }, z)));
      zoneSelect.value = zones.includes(current) ? current : '';
    }
    if (!completeMarked && store.size > 0 && store.loadedCount() === store.size) {
      completeMarked = true;
      el.dataset.complete = 'true';
      performance.mark('firelink:fleet-complete');
    }
  }

  function setSort(next: FleetSort): void {
    sort = next;
    for (const th of headerCells) {
      const key = th.dataset.col as SortKey;
      setAttr(th, 'aria-sort', key === sort.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : null);
      setText(th.querySelector('.sort-mark')!, key === sort.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '');
    }
    reorder();
  }

  function showPhase(): void {
    const kids: HTMLElement[] = [];
    if (store.phase === 'loading') kids.push(loadingState('your devices'));
    else if (store.phase === 'denied') kids.push(deniedState('this fleet'));
    else if (store.phase === 'error') kids.push(errorState('Could not load your devices', store.error));
    else if (store.size === 0) kids.push(emptyState('No devices yet', 'Provision one with npm run provision -- --device <id> --owner <your uid>; it appears here at once.'));
    else kids.push(summary, filters, scroller);
    if (body.firstChild !== kids[0]) body.replaceChildren(...kids);
  }

  let lastPhase = '';
  const onChange = (change: FleetChange): void => {
    const phaseKey = `${store.phase}:${store.size === 0}`;
    if (change.structural || phaseKey !== lastPhase) {
      lastPhase = phaseKey;
      showPhase();
      reorder();
    } else {
      let moves = false;
      for (const fields of change.changed.values()) if (affectsOrder(fields as ReadonlySet<keyof DeviceRow>, sort, filter)) moves = true;
      if (moves) reorder();
      else patch(change.changed);
    }
    updateSummary();
  };
  disposer.add(store.subscribe(onChange));

  const onFilter = (): void => {
    filter = { text: textInput.value, status: statusSelect.value as StatusFilter, zone: zoneSelect.value };
    reorder();
    updateSummary();
  };
  textInput.addEventListener('input', onFilter);
  statusSelect.addEventListener('change', onFilter);
  zoneSelect.addEventListener('change', onFilter);
  let scrollQueued = false;
  scroller.addEventListener('scroll', () => {
    if (scrollQueued) return;
    scrollQueued = true;
    requestAnimationFrame(() => {
      scrollQueued = false;
      renderWindow();
    });
  });
  const onResize = (): void => renderWindow(true);
  window.addEventListener('resize', onResize);
  disposer.add(() => window.removeEventListener('resize', onResize));
  // "Last seen" ages while nothing arrives: refresh the visible rows' text once a second.
  const tick = setInterval(() => {
    const t = now();
    for (let i = renderedRange.start; i < renderedRange.end; i += 1) {
      const row = store.get(order[i]!);
      if (row) fill(pool[i - renderedRange.start]!, row, i, t);
    }
  }, 1000);
  disposer.add(() => clearInterval(tick));

  lastPhase = `${store.phase}:${store.size === 0}`;
  showPhase();
  setSort(sort);
  updateSummary();
  if (SORT_KEYS.length !== COLUMNS.length) throw new Error('fleet view: every sort key needs a column');
  return { el, dispose: () => disposer.dispose() };
}
