import { describe, expect, it } from 'vitest';
import { SimError } from '../errors.js';
import { SwitchableTransport } from '../transport/switchable.js';
import type { Json } from '../transport/types.js';
import { FakeTransport } from './fake-transport.js';
import { ShardFollower, isDirectoryUnavailable } from './shard-follower.js';

const DIRECTORY = 'http://127.0.0.1:9000/?ns=p-default-rtdb';
const SHARD_1 = 'http://127.0.0.1:9000/?ns=p-shard-1';

/** One fake database per URL, as the device's session would open them. */
function databases(initial: Record<string, Json> = {}) {
  const byUrl = new Map<string, FakeTransport>();
  const opened: string[] = [];
  const at = (url: string) => {
    let db = byUrl.get(url);
    if (!db) {
      db = new FakeTransport();
      db.tree = initial[url] ?? null;
      byUrl.set(url, db);
    }
    return db;
  };
  return { at, opened, open: (url: string) => (opened.push(url), at(url)) };
}

describe('ShardFollower', () => {
  it('stays on the given database when the directory has no entry, reading it on the same link', async () => {
    const dbs = databases();
    const transport = new SwitchableTransport(dbs.at(DIRECTORY), 'http://127.0.0.1:9000?ns=p-default-rtdb');
    const follower = new ShardFollower({ deviceId: 'dev-1', directoryUrl: DIRECTORY, transport, openDatabase: dbs.open, drainMs: 100 });
    expect(await follower.follow()).toEqual({ kind: 'stay', url: 'http://127.0.0.1:9000?ns=p-default-rtdb', reason: 'no-entry' });
    expect(dbs.opened).toEqual([]);
  });

  it('moves writes, listens and connection listeners to the shard the directory names', async () => {
    const dbs = databases({ [DIRECTORY]: { deviceShards: { 'dev-1': 'p-shard-1' } }, [SHARD_1]: { devices: { 'dev-1': { config: { sampleMs: 5 } } } } });
    const start = dbs.at(DIRECTORY);
    const transport = new SwitchableTransport(start, DIRECTORY);
    const seen: Json[] = [];
    transport.subscribe('devices/dev-1/config', { onValue: (v) => seen.push(v), onError: () => {} });
    const online: boolean[] = [];
    transport.onConnectionChange((o) => online.push(o));
    const follower = new ShardFollower({ deviceId: 'dev-1', directoryUrl: DIRECTORY, transport, openDatabase: dbs.open, drainMs: 100 });

    expect(await follower.follow()).toEqual({ kind: 'moved', from: DIRECTORY, to: SHARD_1, instance: 'p-shard-1' });
    expect(transport.url).toBe(SHARD_1);
    await transport.set('devices/dev-1/readings/-r1', { ir: 1, seq: 1 });
    expect(dbs.at(SHARD_1).writes.map((w) => w.path)).toEqual(['devices/dev-1/readings/-r1']);
    expect(start.writes).toEqual([]);
    await Promise.resolve();
    expect(seen.at(-1)).toEqual({ sampleMs: 5 });
    dbs.at(SHARD_1).setOffline(true);
    start.setOffline(true);
    expect(online).toEqual([false]);
    // Asked again with the same entry: nothing to do.
    dbs.at(SHARD_1).setOffline(false);
    start.setOffline(false);
    expect(await follower.follow()).toMatchObject({ kind: 'stay', reason: 'same-shard' });
  });

  it('lets a write already on its way finish on the old shard, and holds new ones for the new shard', async () => {
    const dbs = databases({ [DIRECTORY]: { deviceShards: { 'dev-1': 'p-shard-1' } } });
    const old = dbs.at(DIRECTORY);
    let finishOld = () => {};
    const slowSet = old.set.bind(old);
    old.set = (path, value) => new Promise<void>((resolve) => (finishOld = () => void slowSet(path, value).then(resolve)));
    const transport = new SwitchableTransport(old, DIRECTORY);
    const inFlight = transport.set('devices/dev-1/readings/-a', { seq: 1 });
    const follower = new ShardFollower({ deviceId: 'dev-1', directoryUrl: DIRECTORY, transport, openDatabase: dbs.open, drainMs: 5_000 });
    // The directory read is an operation too: let it pass the slow write (a fake quirk only).
    const moving = follower.follow();
    await new Promise((r) => setTimeout(r, 10));
    const later = transport.set('devices/dev-1/readings/-b', { seq: 2 });
    finishOld();
    await Promise.all([inFlight, moving, later]);
    expect(old.writes.map((w) => w.path)).toEqual(['devices/dev-1/readings/-a']);
    expect(dbs.at(SHARD_1).writes.map((w) => w.path)).toEqual(['devices/dev-1/readings/-b']);
  });

  it('reads a directory on another database through a link it closes again', async () => {
    const dbs = databases({ [DIRECTORY]: { deviceShards: { 'dev-1': 'p-shard-1' } } });
    const transport = new SwitchableTransport(dbs.at(SHARD_1), SHARD_1);
    const follower = new ShardFollower({ deviceId: 'dev-1', directoryUrl: DIRECTORY, transport, openDatabase: dbs.open, drainMs: 100 });
    expect(await follower.follow()).toMatchObject({ kind: 'stay', reason: 'same-shard' });
    expect(dbs.opened).toEqual([DIRECTORY]);
  });

  it('refuses an entry that is not an instance name, and tells an unreadable directory apart', async () => {
    const dbs = databases({ [DIRECTORY]: { deviceShards: { 'dev-1': { shard: 1 } } } });
    const transport = new SwitchableTransport(dbs.at(DIRECTORY), DIRECTORY);
    const follower = new ShardFollower({ deviceId: 'dev-1', directoryUrl: DIRECTORY, transport, openDatabase: dbs.open, drainMs: 100 });
    await expect(follower.follow()).rejects.toThrow(/directory entry \/deviceShards\/dev-1 is \{"shard":1\}, not an instance name/);
    expect(isDirectoryUnavailable(new SimError('permission-denied', 'no'))).toBe(true);
    expect(isDirectoryUnavailable(new SimError('bad-request', 'no'))).toBe(false);
  });
});
