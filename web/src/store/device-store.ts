/**
 * One device's state for the device view, one Value per section so each part of the view
 * re-renders only when its own data changes.
 */
import { bool, num, obj, str, type Json } from './pick.js';
import { Value } from './value.js';

/** `unplaced`: the device's directory entry names no usable database (`problem` says why). */
export type Access = 'loading' | 'ok' | 'denied' | 'missing' | 'unplaced';

export interface LiveReading {
  id: string;
  ts: number;
  ir: number;
  temp?: number;
  light?: number;
  seq?: number;
}

export interface DeviceStateView {
  angle?: number;
  ir?: number;
  seq?: number;
  ts?: number;
  lcd?: { line1: string; line2: string };
}

/** How many recent readings the live chart keeps. */
export const LIVE_READINGS_MAX = 120;

export class DeviceStore {
  readonly access = new Value<Access>('loading');
  readonly meta = new Value<{ name?: string; zone?: string; owner?: string } | undefined>(undefined);
  readonly config = new Value<Json | null | undefined>(undefined);
  readonly state = new Value<DeviceStateView | null | undefined>(undefined);
  readonly status = new Value<{ online?: boolean; lastSeen?: number; fw?: string; rssi?: number; heap?: number } | null | undefined>(undefined);
  readonly commands = new Value<ReadonlyMap<string, Json>>(new Map());
  readonly live = new Value<readonly LiveReading[]>([]);
  private readonly liveById = new Map<string, LiveReading>();
  problem = '';

  constructor(readonly deviceId: string) {}

  applyMeta(value: unknown): void {
    const meta = obj(value);
    if (!meta) {
      this.access.set('missing');
      this.meta.set(undefined);
      return;
    }
    this.meta.set({ name: str(meta.name), zone: str(meta.zone), owner: str(meta.owner) });
    this.access.set('ok');
  }

  deny(): void {
    this.access.set('denied');
  }

  /** The device's database cannot be found; `message` names the entry and the fix. */
  fail(message: string): void {
    this.problem = message;
    this.access.set('unplaced');
  }

  applyConfig(value: unknown): void {
    this.config.set(obj(value) ?? null);
  }

  applyState(value: unknown): void {
    const s = obj(value);
    if (!s) return this.state.set(null);
    const lcd = obj(s.lcd);
    const line1 = str(lcd?.line1);
    const line2 = str(lcd?.line2);
    this.state.set({
      angle: num(s.angle),
      ir: num(s.ir),
      seq: num(s.seq),
      ts: num(s.ts),
      ...(line1 !== undefined && line2 !== undefined ? { lcd: { line1, line2 } } : {}),
    });
  }

  applyStatus(value: unknown): void {
    const s = obj(value);
    this.status.set(s ? { online: bool(s.online), lastSeen: num(s.lastSeen), fw: str(s.fw), rssi: num(s.rssi), heap: num(s.heap) } : null);
  }

  applyCommand(id: string, value: unknown): void {
    const next = new Map(this.commands.get());
    const command = obj(value);
    if (command) next.set(id, command);
    else next.delete(id);
    this.commands.set(next);
  }

  /** A reading added or changed (its `ts` is stamped after it is created), or removed (`null`). */
  applyReading(id: string, value: unknown): void {
    const r = obj(value);
    const ts = num(r?.ts);
    const ir = num(r?.ir);
    if (!r || ts === undefined || ir === undefined) {
      if (!this.liveById.delete(id)) return;
    } else {
      const reading: LiveReading = { id, ts, ir };
      const temp = num(r.temp);
      const light = num(r.light);
      const seq = num(r.seq);
      if (temp !== undefined) reading.temp = temp;
      if (light !== undefined) reading.light = light;
      if (seq !== undefined) reading.seq = seq;
      this.liveById.set(id, reading);
    }
    const sorted = [...this.liveById.values()].sort((a, b) => a.ts - b.ts);
    while (sorted.length > LIVE_READINGS_MAX) this.liveById.delete(sorted.shift()!.id);
    this.live.set(sorted);
  }
}
