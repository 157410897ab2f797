// Which shard the device lives on (docs/scaling.md "How: the shard design"): the directory
// (default instance) holds `deviceShards/{id}: "<instance>"`; no entry means the URL the device
// was given (from provisioning) is right. Read at boot and on a `reconnect` command; a different
// answer moves the device's one transport (switchable.ts) to that shard.
import { deviceShardPath, siblingInstanceUrl } from '@firelink/model';
import { SimError, isSimError } from '../errors.js';
import type { SwitchableTransport } from '../transport/switchable.js';
import type { Transport } from '../transport/types.js';

export interface ShardFollowerOptions {
  deviceId: string;
  directoryUrl: string;
  transport: SwitchableTransport;
  openDatabase(url: string): Transport;
  /** Longest wait for writes in flight on the old shard before the switch. */
  drainMs: number;
}

export type ShardAnswer =
  | { kind: 'stay'; url: string; reason: 'no-entry' | 'same-shard' }
  | { kind: 'moved'; from: string; to: string; instance: string };

export class ShardFollower {
  constructor(private readonly options: ShardFollowerOptions) {}

  /** Reads the directory entry and moves there when it names another instance. */
  async follow(): Promise<ShardAnswer> {
    const { transport, directoryUrl, drainMs } = this.options;
    const instance = await this.readEntry();
    if (instance === null) return { kind: 'stay', url: transport.url, reason: 'no-entry' };
    const url = siblingInstanceUrl(directoryUrl, instance);
    if (sameUrl(url, transport.url)) return { kind: 'stay', url, reason: 'same-shard' };
    const from = transport.url;
    await transport.switchTo(url, () => Promise.resolve(this.options.openDatabase(url)), drainMs);
    return { kind: 'moved', from, to: url, instance };
  }

  private async readEntry(): Promise<string | null> {
    const { transport, directoryUrl, deviceId } = this.options;
    const path = deviceShardPath(deviceId);
    // The directory is often the database the device is on: no second connection then.
    const directory = sameUrl(directoryUrl, transport.url) ? transport : this.options.openDatabase(directoryUrl);
    let value: unknown;
    try {
      value = await directory.get(path);
    } finally {
      if (directory !== transport) await directory.close().catch(() => {});
    }
    if (value === null) return null;
    if (typeof value !== 'string') {
      throw new SimError('bad-request', `the directory entry /${path} is ${JSON.stringify(value)}, not an instance name: provisioning writes it (docs/scaling.md)`, { path });
    }
    return value;
  }
}

/** A directory that cannot be read leaves the device where it is; only these reasons are expected. */
export function isDirectoryUnavailable(error: unknown): boolean {
  return isSimError(error, 'permission-denied') || isSimError(error, 'unreachable') || isSimError(error, 'token-rejected');
}

/** `http://h:1?ns=a` and `http://h:1/?ns=a` are one database. */
function sameUrl(a: string, b: string): boolean {
  return new URL(a).href === new URL(b).href;
}
