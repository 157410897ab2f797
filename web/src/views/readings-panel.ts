/** Recent readings through the data model's ordered and filtered queries, in a real table. */
import { checkQuery, describeQuery, displayOrder, FIELD_LABELS, ORDER_FIELDS, type QueryForm } from '../logic/query.js';
import { formatNumber, formatTemp, formatTime, DASH } from '../logic/format.js';
import type { DeviceActions } from './actions.js';
import { field, h, setText } from './dom.js';

export function readingsPanel(actions: DeviceActions): HTMLElement {
  const orderBy = h('select', { name: 'orderBy' }, ...ORDER_FIELDS.map((f) => h('option', { value: f }, FIELD_LABELS[f])));
  const range = h('select', { name: 'range' }, h('option', { value: 'none' }, 'no range'), h('option', { value: 'from' }, 'from value'), h('option', { value: 'between' }, 'between values'));
  const from = h('input', { name: 'from', inputmode: 'decimal', autocomplete: 'off' });
  const to = h('input', { name: 'to', inputmode: 'decimal', autocomplete: 'off' });
  const limit = h('input', { name: 'limit', inputmode: 'numeric', value: '25', autocomplete: 'off' });
  const end = h('select', { name: 'end' }, h('option', { value: 'last' }, 'highest (newest) first'), h('option', { value: 'first' }, 'lowest (oldest) first'));
  const fields = {
    orderBy: field('Order by', orderBy),
    range: field('Range', range),
    from: field('From', from),
    to: field('To', to),
    limit: field('Limit (1–1000)', limit),
    end: field('Take', end),
  };
  const status = h('p', { class: 'query-status', role: 'status' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'readings-table', hidden: true },
    h('caption', {}, 'Query result'),
    h('thead', {}, h('tr', {}, ...['Time (server)', 'Seq', 'IR', 'Temperature', 'Light'].map((t) => h('th', { scope: 'col' }, t)))),
    tbody,
  );
  const syncRange = (): void => {
    fields.from.wrap.hidden = range.value === 'none';
    fields.to.wrap.hidden = range.value !== 'between';
  };
  range.addEventListener('change', syncRange);
  syncRange();

  const run = async (e: Event): Promise<void> => {
    e.preventDefault();
    const form: QueryForm = { orderBy: orderBy.value, range: range.value, from: from.value, to: to.value, limit: limit.value, end: end.value };
    const check = checkQuery(form);
    for (const [name, f] of Object.entries(fields)) f.setError(check.ok ? undefined : check.errors[name as keyof QueryForm]);
    if (!check.ok) {
      setText(status, 'Fix the fields marked above.');
      return;
    }
    setText(status, 'Running the query…');
    try {
      const rows = displayOrder(await actions.runQuery(check.query), check.query);
      tbody.replaceChildren(
        ...rows.map((r) =>
          h(
            'tr',
            { 'data-id': r.id },
            h('td', {}, formatTime(r.value.ts as number | undefined)),
            h('td', {}, formatNumber(r.value.seq as number | undefined)),
            h('td', {}, formatNumber(r.value.ir as number | undefined)),
            h('td', {}, typeof r.value.temp === 'number' ? formatTemp(r.value.temp) : DASH),
            h('td', {}, formatNumber(r.value.light as number | undefined)),
          ),
        ),
      );
      table.hidden = false;
      setText(table.caption!, `Readings ${describeQuery(check.query)}`);
      setText(status, rows.length === 0 ? `No readings match (${describeQuery(check.query)}).` : `${rows.length} readings, ${describeQuery(check.query)}.`);
    } catch (err) {
      setText(status, `The query failed: ${actions.describeError(err)}`);
    }
  };
  const form = h(
    'form',
    { class: 'query-form', 'aria-label': 'Readings query', onsubmit: (e: Event) => void run(e) },
    ...Object.values(fields).map((f) => f.wrap),
    h('button', { type: 'submit' }, 'Run query'),
  );
  return h('section', { class: 'panel', 'aria-labelledby': 'readings-title' }, h('h2', { id: 'readings-title' }, 'Readings'), form, status, h('div', { class: 'table-wrap' }, table));
}
