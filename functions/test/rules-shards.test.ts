// database.rules.json across instances (docs/scaling.md, "How: the shard design"): the directory
// `deviceShards` on the default instance, and an owner's access to a device on a shard, where the
// ownership index `users/{uid}/devices` does not exist and `meta/owner` decides. The same rules
// file serves every namespace of the emulator, as firebase.json's `database` array deploys it.
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import { setLogLevel } from 'firebase/app';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '@firelink/model';
import { PROJECT_ID } from './support/emulator.js';
import { useRulesEnvironment } from './support/rules-env.js';

setLogLevel('error');

const SHARD = `${PROJECT_ID}-shard-1`;
const device = (owner: string) => ({
  meta: { name: `${owner}'s device`, owner, createdAt: 1 },
  config: DEFAULT_CONFIG,
  status: { online: true, lastSeen: 1, fw: '1.0.0' },
  commands: { open: { type: 'reboot', createdAt: 1 } },
});
// Default instance: the ownership index and the directory. dev-1 lives on the default instance,
// dev-2 (alice's) and dev-3 (bob's) on the shard.
const DEFAULT_SEED = {
  users: { alice: { devices: { 'dev-1': true, 'dev-2': true } }, bob: { devices: { 'dev-3': true } } },
  deviceShards: { 'dev-1': `${PROJECT_ID}-default-rtdb`, 'dev-2': SHARD, 'dev-3': SHARD },
  devices: { 'dev-1': device('alice') },
};
const SHARD_SEED = {
  devices: { 'dev-2': device('alice'), 'dev-3': device('bob') },
  rollups: { 'dev-2': { '202601010000': { count: 1, irMin: 1, irMax: 1, irAvg: 1, firstTs: 1, lastTs: 1 } } },
};

const rules = useRulesEnvironment(async (ctx, fixture) => {
  await ctx.database().ref().set(DEFAULT_SEED);
  await ctx.database(fixture.namespaceUrl(SHARD)).ref().set(SHARD_SEED);
});

const shardUrl = () => rules.namespaceUrl(SHARD);
const asDevice = (id: string) => rules.env.authenticatedContext(`device-${id}`, { device: id });
const alice = () => rules.env.authenticatedContext('alice');
const bob = () => rules.env.authenticatedContext('bob');

describe('deviceShards: the directory on the default instance', () => {
  it('a device reads its own entry, and no other', async () => {
    await assertSucceeds(asDevice('dev-2').database().ref('deviceShards/dev-2').get());
    await assertFails(asDevice('dev-2').database().ref('deviceShards/dev-3').get());
    await assertFails(asDevice('dev-2').database().ref('deviceShards').get());
  });

  it('needs the device claim and the matching uid', async () => {
    await assertFails(rules.env.authenticatedContext('device-dev-2').database().ref('deviceShards/dev-2').get());
    await assertFails(rules.env.authenticatedContext('someone', { device: 'dev-2' }).database().ref('deviceShards/dev-2').get());
  });

  it("an owner reads the entries of their devices, not another owner's nor the whole directory", async () => {
    await assertSucceeds(alice().database().ref('deviceShards/dev-1').get());
    await assertSucceeds(alice().database().ref('deviceShards/dev-2').get());
    await assertFails(alice().database().ref('deviceShards/dev-3').get());
    await assertFails(alice().database().ref('deviceShards').get());
    await assertFails(alice().database().ref('deviceShards').orderByValue().equalTo(SHARD).get());
    await assertFails(rules.env.unauthenticatedContext().database().ref('deviceShards/dev-1').get());
  });

  it('nobody but the Admin SDK writes it: not the device, not its owner', async () => {
    await assertFails(asDevice('dev-2').database().ref('deviceShards/dev-2').set(`${PROJECT_ID}-default-rtdb`));
    await assertFails(asDevice('dev-2').database().ref('deviceShards/dev-2').remove());
    await assertFails(alice().database().ref('deviceShards/dev-2').set(`${PROJECT_ID}-default-rtdb`));
    await assertFails(alice().database().ref('deviceShards/dev-9').set(SHARD));
    await assertFails(rules.env.authenticatedContext('firelink-functions', { firelinkFunctions: true }).database().ref('deviceShards/dev-2').set(SHARD));
  });

  it('is indexed by value, so the jobs list a shard without a warning', async () => {
    const warnings = () => rules.target.lines.filter((l) => l.includes('index-not-defined') && l.includes('deviceShards'));
    const before = warnings().length;
    await rules.env.withSecurityRulesDisabled(async (ctx) => {
      const snap = await ctx.database().ref('deviceShards').orderByValue().equalTo(SHARD).once('value');
      expect(Object.keys(snap.val() as object).sort()).toEqual(['dev-2', 'dev-3']);
    });
    expect(warnings().slice(before)).toEqual([]);
  });
});

describe('an owner on a shard (no ownership index there: meta/owner decides)', () => {
  it('reads and configures the devices it owns, their rollups, and sends commands', async () => {
    const db = alice().database(shardUrl());
    await assertSucceeds(db.ref('devices/dev-2').get());
    await assertSucceeds(db.ref('rollups/dev-2').get());
    await assertSucceeds(db.ref('devices/dev-2/config/sampleMs').set(2000));
    await assertSucceeds(db.ref('devices/dev-2/meta/name').set('lab'));
    await assertSucceeds(db.ref('devices/dev-2/commands/c1').set({ type: 'reboot', createdAt: { '.sv': 'timestamp' } }));
  });

  it("denies another owner's device, and the owner field stays admin-only", async () => {
    const db = alice().database(shardUrl());
    await assertFails(db.ref('devices/dev-3').get());
    await assertFails(db.ref('devices/dev-3/config/sampleMs').set(2000));
    await assertFails(db.ref('devices/dev-2/meta/owner').set('mallory'));
    await assertFails(rules.env.authenticatedContext('mallory').database(shardUrl()).ref('devices/dev-2').get());
    await assertSucceeds(bob().database(shardUrl()).ref('devices/dev-3').get());
  });

  it("a device account never passes as an owner, even one named in another device's meta", async () => {
    await rules.env.withSecurityRulesDisabled(async (ctx) => {
      await ctx.database(shardUrl()).ref('devices/dev-3/meta/owner').set('device-dev-2');
    });
    await assertFails(asDevice('dev-2').database(shardUrl()).ref('devices/dev-3').get());
  });

  it('a device writes its status on its shard with the same rules', async () => {
    await assertSucceeds(asDevice('dev-2').database(shardUrl()).ref('devices/dev-2/status').set({ online: true, lastSeen: { '.sv': 'timestamp' }, fw: '1.0.1' }));
    await assertFails(asDevice('dev-2').database(shardUrl()).ref('devices/dev-3/status').set({ online: true, lastSeen: { '.sv': 'timestamp' }, fw: '1.0.1' }));
  });
});

describe('the reconnect command (a move tells the device to re-read its directory entry)', () => {
  it('an owner may send it without args; args are refused', async () => {
    const db = alice().database(shardUrl());
    await assertSucceeds(db.ref('devices/dev-2/commands/r1').set({ type: 'reconnect', createdAt: { '.sv': 'timestamp' } }));
    await assertFails(db.ref('devices/dev-2/commands/r2').set({ type: 'reconnect', args: { to: 'x' }, createdAt: { '.sv': 'timestamp' } }));
    await assertFails(db.ref('devices/dev-2/commands/r3').set({ type: 'reconnect-now', createdAt: { '.sv': 'timestamp' } }));
  });

  it('the device acks the one the move wrote (Admin SDK) on its old shard', async () => {
    await rules.env.withSecurityRulesDisabled(async (ctx) => {
      await ctx.database(shardUrl()).ref('devices/dev-2/commands/mv').set({ type: 'reconnect', createdAt: Date.now() - 1000 });
    });
    await assertSucceeds(asDevice('dev-2').database(shardUrl()).ref('devices/dev-2/commands/mv').update({ ackAt: { '.sv': 'timestamp' }, result: { status: 'ok' } }));
    await assertFails(asDevice('dev-3').database(shardUrl()).ref('devices/dev-3/commands/mv').update({ ackAt: { '.sv': 'timestamp' }, result: { status: 'ok' } }));
  });
});
