/** Rename the device and delete its old readings (the data model's update and delete). */
import type { DeviceStore } from '../store/device-store.js';
import type { DeviceActions } from './actions.js';
import { Disposer, field, h, setText } from './dom.js';

const UNITS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

export function adminPanel(store: DeviceStore, actions: DeviceActions, disposer: Disposer): HTMLElement {
  const name = h('input', { name: 'name', autocomplete: 'off', maxlength: 64 });
  const fName = field('Name', name, '1–64 characters, no control characters.');
  const renameStatus = h('p', { role: 'status' });
  let nameDirty = false;
  name.addEventListener('input', () => (nameDirty = true));
  disposer.add(store.meta.subscribe((meta) => {
    if (!nameDirty && meta?.name !== undefined) name.value = meta.name;
  }));
  const rename = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      const result = await actions.rename(name.value);
      fName.setError(result.ok ? undefined : result.error);
      setText(renameStatus, result.ok ? `Renamed to "${name.value}".` : 'Not renamed: fix the field marked above.');
      if (result.ok) nameDirty = false;
    } catch (err) {
      setText(renameStatus, `Not renamed: ${actions.describeError(err)}`);
    }
  };

  const age = h('input', { name: 'age', inputmode: 'numeric', value: '7', autocomplete: 'off' });
  const unit = h('select', { name: 'unit' }, ...Object.keys(UNITS).map((u) => h('option', { value: u }, u)));
  unit.value = 'days';
  const fAge = field('Delete readings older than', age);
  const fUnit = field('Unit', unit);
  const deleteStatus = h('p', { role: 'status' });
  const del = async (e: Event): Promise<void> => {
    e.preventDefault();
    const n = Number(age.value.trim());
    if (age.value.trim() === '' || !Number.isInteger(n) || n < 0) {
      fAge.setError(`age: must be a whole number of ${unit.value}, 0 or more (got ${JSON.stringify(age.value)})`);
      return;
    }
    fAge.setError(undefined);
    const beforeMs = actions.serverNow() - n * UNITS[unit.value as keyof typeof UNITS];
    if (!window.confirm(`Delete every reading of ${store.deviceId} older than ${n} ${unit.value}? This cannot be undone.`)) return;
    setText(deleteStatus, 'Deleting…');
    try {
      const count = await actions.deleteReadingsBefore(beforeMs);
      setText(deleteStatus, `Deleted ${count} readings older than ${n} ${unit.value}.`);
    } catch (err) {
      setText(deleteStatus, `Not deleted: ${actions.describeError(err)}`);
    }
  };
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'admin-title' },
    h('h2', { id: 'admin-title' }, 'Device'),
    h('form', { class: 'inline-form', 'aria-label': 'Rename', onsubmit: (e: Event) => void rename(e) }, fName.wrap, h('button', { type: 'submit' }, 'Rename')),
    renameStatus,
    h('form', { class: 'inline-form', 'aria-label': 'Delete old readings', onsubmit: (e: Event) => void del(e) }, fAge.wrap, fUnit.wrap, h('button', { type: 'submit', class: 'danger' }, 'Delete old readings')),
    deleteStatus,
  );
}
