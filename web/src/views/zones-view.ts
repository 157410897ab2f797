/**
 * Zones: for each zone the owner's devices are in, its members (names and presence from the
 * fleet) and its live alert. The rules let an owner read a zone while one of their devices is in it.
 */
import { formatOnline, formatTime } from '../logic/format.js';
import { zonesOf } from '../logic/fleet.js';
import type { FleetStore } from '../store/fleet-store.js';
import type { Json } from '../store/pick.js';
import { Disposer, h } from './dom.js';
import { emptyState, loadingState } from './states.js';


export type WatchZone = (zoneId: string, onValue: (value: Json | null) => void, onDenied: () => void) => () => void;

export function zonesView(fleet: FleetStore, watchZone: WatchZone): { el: HTMLElement; dispose(): void } {
  const disposer = new Disposer();
  const body = h('div', { class: 'zones-body' });
  const el = h('section', { class: 'view zones-view', 'aria-labelledby': 'zones-title' }, h('h1', { id: 'zones-title' }, 'Zones'), body);
  const watched = new Map<string, () => void>();
  const zones = new Map<string, Json | null | undefined>();
  const denied = new Set<string>();

  const render = (): void => {
    if (fleet.phase === 'loading') return body.replaceChildren(loadingState('zones'));
    const ids = zonesOf(fleet.all());
    if (ids.length === 0) return body.replaceChildren(emptyState('No zones', 'None of your devices is in a zone. Provision a device with --zone <id> to group it.'));
    body.replaceChildren(
      ...ids.map((zoneId) => {
        const value = zones.get(zoneId);
        const alert = value && typeof value.alert === 'object' && value.alert ? (value.alert as Json) : undefined;
        const members = Object.keys((value?.devices as Json | undefined) ?? {}).sort();
        const mine = [...fleet.all()].filter((r) => r.zone === zoneId).map((r) => r.id);
        const shown = members.length > 0 ? members : mine;
        const alertBox = denied.has(zoneId)
          ? h('p', { class: 'muted' }, 'This zone cannot be read (permission denied).')
          : value === undefined
            ? h('p', { role: 'status' }, 'Loading…')
            : alert
              ? h('div', { class: 'alert', role: 'alert' }, h('strong', {}, 'Alert: '), String(alert.reason ?? ''), ` (raised ${formatTime(alert.raisedAt as number)}; devices ${Object.keys((alert.devices as Json) ?? {}).join(', ')})`)
              : h('p', { class: 'ok' }, 'No alert.');
        return h(
          'section',
          { class: 'panel zone', 'aria-labelledby': `zone-${zoneId}`, 'data-zone': zoneId },
          h('h2', { id: `zone-${zoneId}` }, `Zone ${zoneId}`),
          alertBox,
          h(
            'table',
            { class: 'zone-table' },
            h('caption', {}, `Devices in zone ${zoneId}`),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Device'), h('th', { scope: 'col' }, 'Status'))),
            h(
              'tbody',
              {},
              ...shown.map((id) => {
                const row = fleet.get(id);
                return h('tr', {}, h('td', {}, row ? h('a', { href: `/devices/${id}`, 'data-link': true }, row.name ?? id) : `${id} (another owner's)`), h('td', {}, row ? formatOnline(row.online) : '—'));
              }),
            ),
          ),
        );
      }),
    );
  };

  const sync = (): void => {
    const ids = new Set(zonesOf(fleet.all()));
    for (const [zoneId, off] of watched) {
      if (ids.has(zoneId)) continue;
      off();
      watched.delete(zoneId);
      zones.delete(zoneId);
    }
    for (const zoneId of ids) {
      if (watched.has(zoneId)) continue;
      zones.set(zoneId, undefined);
      watched.set(
        zoneId,
        watchZone(
          zoneId,
          (value) => {
            zones.set(zoneId, value);
            render();
          },
          () => {
            denied.add(zoneId);
            render();
          },
        ),
      );
    }
    render();
  };
  // Zone membership and presence change rarely compared with states: re-render on structural or zone/online changes only.
  disposer.add(
    fleet.subscribe((change) => {
      let relevant = change.structural;
      for (const fields of change.changed.values()) if (fields.has('zone') || fields.has('online') || fields.has('name')) relevant = true;
      if (relevant) sync();
    }),
  );
  disposer.add(() => {
    for (const off of watched.values()) off();
  });
  sync();
  return { el, dispose: () => disposer.dispose() };
}
