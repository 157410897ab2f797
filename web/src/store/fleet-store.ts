/**
 * The fleet's state: one row per device the owner has, fed with each device's meta, status and
 * state (from the owner's fleet summary, src/data/fleet-source.ts). Changes are collected per device and
 * field and handed to subscribers once per frame, so 1,000 devices updating every second cost one
 * render pass per frame that touches only the rows and cells that changed.
 */
import type { DeviceRow } from '../logic/fleet.js';
import { bool, num, obj, str } from './pick.js';
import { frameScheduler, type Scheduler } from './value.js';

export type FleetPhase = 'loading' | 'ready' | 'denied' | 'error';
export type RowField = keyof DeviceRow;

export interface FleetChange {
  /** Device id → the fields that changed. */
  changed: ReadonlyMap<string, ReadonlySet<RowField>>;
  /** Devices were added or removed, or the phase changed. */
  structural: boolean;
}

const sameValue = (a: unknown, b: unknown): boolean => a === b;

export class FleetStore {
  private readonly rows = new Map<string, DeviceRow>();
  private pending = new Map<string, Set<RowField>>();
  private structural = false;
  private scheduled = false;
  private readonly listeners = new Set<(change: FleetChange) => void>();
  phase: FleetPhase = 'loading';
  error = '';

  constructor(private readonly schedule: Scheduler = frameScheduler) {}

  get size(): number {
    return this.rows.size;
  }
  get(id: string): DeviceRow | undefined {
    return this.rows.get(id);
  }
  all(): IterableIterator<DeviceRow> {
    return this.rows.values();
  }
  /** Devices whose meta, status and state have all answered. */
  loadedCount(): number {
    let n = 0;
    for (const row of this.rows.values()) if (row.loaded.meta && row.loaded.status && row.loaded.state) n += 1;
    return n;
  }

  setPhase(phase: FleetPhase, error = ''): void {
    this.phase = phase;
    this.error = error;
    this.markStructural();
  }

  addDevice(id: string): void {
    if (this.rows.has(id)) return;
    this.rows.set(id, { id, loaded: { meta: false, status: false, state: false } });
    this.markStructural();
  }

  removeDevice(id: string): void {
    if (!this.rows.delete(id)) return;
    this.pending.delete(id);
    this.markStructural();
  }

  applyMeta(id: string, value: unknown): void {
    const meta = obj(value);
    this.patch(id, 'meta', { name: str(meta?.name), zone: str(meta?.zone) });
  }

  applyStatus(id: string, value: unknown): void {
    const status = obj(value);
    this.patch(id, 'status', { online: bool(status?.online), lastSeen: num(status?.lastSeen), fw: str(status?.fw) });
  }

  applyState(id: string, value: unknown): void {
    const state = obj(value);
    this.patch(id, 'state', { angle: num(state?.angle), ir: num(state?.ir), stateTs: num(state?.ts) });
  }

  /**
   * A fleet summary entry `{meta, status?, state?}` (model fleet-summary.ts); null: the device has
   * no entry, so its row loads without data.
   */
  applySummary(id: string, entry: unknown): void {
    const e = obj(entry);
    this.applyMeta(id, e?.meta ?? null);
    this.applyStatus(id, e?.status ?? null);
    this.applyState(id, e?.state ?? null);
  }

  /** Calls `listener` with each batch of changes; returns the unsubscribe function. */
  subscribe(listener: (change: FleetChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers pending changes now (the scheduler calls this; tests may too). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.size === 0 && !this.structural) return;
    const change: FleetChange = { changed: this.pending, structural: this.structural };
    this.pending = new Map();
    this.structural = false;
    for (const listener of [...this.listeners]) listener(change);
  }

  private patch(id: string, part: keyof DeviceRow['loaded'], fields: Partial<DeviceRow>): void {
    const row = this.rows.get(id);
    if (!row) return; // a listener answering after its device was removed
    let changed = this.pending.get(id);
    for (const [key, value] of Object.entries(fields) as Array<[RowField, unknown]>) {
      if (sameValue(row[key], value)) continue;
      if (value === undefined) delete row[key];
      else (row as unknown as Record<string, unknown>)[key] = value;
      if (!changed) this.pending.set(id, (changed = new Set()));
      changed.add(key);
    }
    if (!row.loaded[part]) {
      row.loaded = { ...row.loaded, [part]: true };
      if (!changed) this.pending.set(id, (changed = new Set()));
      changed.add('loaded');
    }
    if (changed) this.request();
  }

  private markStructural(): void {
    this.structural = true;
    this.request();
  }

  private request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }
}
