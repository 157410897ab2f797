/** What the device view may do; the composition root (main.ts) binds these to the database. */
import type { Config, Rollup } from '@firelink/model';
import type { CommandDraft } from '../logic/commands.js';
import type { ReadingsQuery } from '../logic/query.js';

export interface ReadingRowView {
  id: string;
  value: Record<string, unknown>;
}

export interface DeviceActions {
  runQuery(q: ReadingsQuery): Promise<ReadingRowView[]>;
  saveConfig(config: Config): Promise<void>;
  sendCommand(draft: CommandDraft): Promise<string>;
  rename(name: string): Promise<{ ok: true } | { ok: false; error: string }>;
  deleteReadingsBefore(beforeMs: number): Promise<number>;
  loadRollups(nowMs: number, windowMs: number): Promise<Record<string, Rollup>>;
  /** The server's clock (local clock plus `.info/serverTimeOffset`). */
  serverNow(): number;
  describeError(err: unknown): string;
}
