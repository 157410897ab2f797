// database.rules.json `fleets/{uid}/{deviceId}`, the per-owner fleet summary (model
// fleet-summary.ts): readable by that owner only (not a device account), written by no client,
// only by the rules-guarded functions identity (src/writer.ts), with a validated shape.
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import { setLogLevel } from 'firebase/app';
import { serverTimestamp } from 'firebase/database';
import { describe, it } from 'vitest';
import { useRulesEnvironment } from './support/rules-env.js';
import { FUNCTIONS_CLAIM, FUNCTIONS_UID } from '../src/writer.js';

setLogLevel('error');

const ENTRY = {
  meta: { name: 'Hall', zone: 'z1' },
  status: { online: true, lastSeen: 1, fw: '1.0.0' },
  state: { angle: 90, ir: 2048, seq: 5, ts: 1 },
};

const rules = useRulesEnvironment(async (ctx) => {
  await ctx.database().ref().set({ fleets: { alice: { 'dev-1': ENTRY } }, users: { alice: { devices: { 'dev-1': true } } } });
});

const alice = () => rules.env.authenticatedContext('alice').database();
const functions = () => rules.env.authenticatedContext(FUNCTIONS_UID, { [FUNCTIONS_CLAIM]: true }).database();

describe('fleets/{uid}: read', () => {
  it('the owner reads their whole summary; another owner and a device do not', async () => {
    await assertSucceeds(alice().ref('fleets/alice').get());
    await assertFails(rules.env.authenticatedContext('bob').database().ref('fleets/alice').get());
    await assertFails(rules.env.authenticatedContext('bob').database().ref('fleets/alice/dev-1').get());
    // A device account named like the owner is still a device.
    await assertFails(rules.env.authenticatedContext('alice', { device: 'dev-1' }).database().ref('fleets/alice').get());
    await assertFails(rules.env.unauthenticatedContext().database().ref('fleets/alice').get());
    await assertFails(alice().ref('fleets').get());
  });
});

describe('fleets/{uid}: write', () => {
  it('no client writes it, not even its owner or the device', async () => {
    await assertFails(alice().ref('fleets/alice/dev-1/meta/name').set('Mine'));
    await assertFails(alice().ref('fleets/alice/dev-1').remove());
    await assertFails(rules.env.authenticatedContext('device-dev-1', { device: 'dev-1' }).database().ref('fleets/alice/dev-1/status').set(ENTRY.status));
  });

  it('the functions identity writes meta, status and a newer state, and removes the entry', async () => {
    const entry = functions().ref('fleets/alice/dev-1');
    await assertSucceeds(entry.child('meta').set({ name: 'Renamed' }));
    await assertSucceeds(entry.child('status').set({ online: false, lastSeen: 2, fw: '1.0.1' }));
    await assertSucceeds(entry.child('state').set({ angle: 10, ir: 1, seq: 6, ts: serverTimestamp() }));
    await assertSucceeds(entry.remove());
  });

  it('refuses a state that is not newer by seq', async () => {
    const state = functions().ref('fleets/alice/dev-1/state');
    await assertFails(state.set({ ...ENTRY.state, seq: 5 }));
    await assertFails(state.set({ ...ENTRY.state, seq: 4 }));
  });

  it('refuses any part of an entry without meta (a write racing a removal)', async () => {
    await assertFails(functions().ref('fleets/alice/dev-2/status').set(ENTRY.status));
    await assertFails(functions().ref('fleets/alice/dev-2/state').set({ ...ENTRY.state, ts: serverTimestamp() }));
    await assertSucceeds(functions().ref('fleets/alice/dev-2/meta').set({ name: 'New' }));
  });

  it('validates the shape', async () => {
    const entry = functions().ref('fleets/alice/dev-1');
    await assertFails(entry.child('meta').set({ zone: 'z1' }));
    await assertFails(entry.child('meta').set({ name: 'x', owner: 'bob' }));
    await assertFails(entry.child('meta/zone').set('Bad Zone'));
    await assertFails(entry.child('status').set({ online: 'yes', lastSeen: 1, fw: '1.0.0' }));
    await assertFails(entry.child('status').set({ online: true, lastSeen: 1 }));
    await assertFails(entry.child('state').set({ angle: 1, ir: 1, seq: 9 }));
    await assertFails(entry.child('state').set({ angle: 1, ir: 1, seq: 9, ts: Date.now() + 3_600_000 }));
    await assertFails(entry.child('other').set(1));
    await assertFails(functions().ref('fleets/alice/Bad_Id/meta').set({ name: 'x' }));
  });
});
