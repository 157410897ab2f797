/**
 * Where each watched device lives: its directory entry resolved to an instance name (`null`: the
 * default instance), so the data layer knows when a device moved (restart its listeners on the
 * new instance) and which database a device's actions go to.
 */
import { shardOfEntry } from '../logic/shards.js';

export type ShardChange =
  | { kind: 'same' }
  | { kind: 'moved'; instance: string | null; from: string | null | undefined }
  | { kind: 'invalid'; error: string };

export class ShardMap {
  private readonly byDevice = new Map<string, string | null>();

  /** Records a directory answer for `id`; says whether its instance is new or changed. */
  apply(id: string, entry: unknown): ShardChange {
    const shard = shardOfEntry(id, entry);
    if ('error' in shard) {
      this.byDevice.delete(id);
      return { kind: 'invalid', error: shard.error };
    }
    const from = this.byDevice.get(id);
    if (this.byDevice.has(id) && from === shard.instance) return { kind: 'same' };
    this.byDevice.set(id, shard.instance);
    return { kind: 'moved', instance: shard.instance, from };
  }

  /** The instance of `id` (`null`: default), or undefined while its directory entry is unknown or invalid. */
  instanceOf(id: string): string | null | undefined {
    return this.byDevice.get(id);
  }

  remove(id: string): void {
    this.byDevice.delete(id);
  }
}
