/**
 * Composition root: reads the config, connects the Firebase SDK, and binds the data layer to the
 * stores and views through the Backend interface. Nothing else imports the SDK's app or auth.
 */
import { onAuthStateChanged, signInWithEmailAndPassword, signOut } from 'firebase/auth';
import { get, onValue, ref, type Database } from 'firebase/database';
import { deviceShardPath, zonePath } from '@firelink/model';
import { startApp, type Backend, type Session } from './app.js';
import { ConfigError, resolveConfig } from './config.js';
import * as actions from './data/actions.js';
import { watchDevice } from './data/device-source.js';
import { describeFailure, failureOf, signInMessage } from './data/errors.js';
import { connectFirebase } from './data/firebase.js';
import { watchFleet } from './data/fleet-source.js';
import { followShard } from './data/shard-source.js';
import { shardOfEntry } from './logic/shards.js';
import { ShardMap } from './store/shard-map.js';
import { Value } from './store/value.js';
import { errorState } from './views/states.js';
import './styles.css';

const EMULATOR_KEY = 'firelink:emulators';

async function fetchInit(): Promise<unknown> {
  try {
    const res = await fetch('/__/firebase/init.json', { cache: 'no-store' });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return undefined;
    return await res.json();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  let config;
  try {
    config = resolveConfig(await fetchInit(), location, sessionStorage.getItem(EMULATOR_KEY));
  } catch (err) {
    root.replaceChildren(errorState('Configuration problem', err instanceof ConfigError ? err.message : String(err)));
    return;
  }
  if (config.emulators) sessionStorage.setItem(EMULATOR_KEY, JSON.stringify(config.emulators));
  const { auth, dbs } = connectFirebase(config);
  const db = dbs.directory;

  const session = new Value<Session>({ phase: 'loading' });
  onAuthStateChanged(auth, (user) => {
    if (user) performance.mark('firelink:signed-in');
    session.set(user ? { phase: 'signed-in', uid: user.uid, email: user.email ?? user.uid } : { phase: 'signed-out' });
  });
  const connected = new Value(true);
  // `.info/connected` is false before the first connection too; show offline only after a drop.
  let everConnected = false;
  onValue(ref(db, '.info/connected'), (s) => {
    const up = s.val() === true;
    everConnected ||= up;
    connected.set(up || !everConnected);
  });
  let offsetMs = 0;
  onValue(ref(db, '.info/serverTimeOffset'), (s) => (offsetMs = Number(s.val()) || 0));

  // The open device view's instance (followShard keeps it current); actions write there.
  const deviceShards = new ShardMap();
  const shardOf = async (deviceId: string): Promise<Database> => {
    const known = deviceShards.instanceOf(deviceId);
    if (known !== undefined) return dbs.instance(known);
    const entry = shardOfEntry(deviceId, (await get(ref(db, deviceShardPath(deviceId)))).val());
    if ('error' in entry) throw new Error(entry.error);
    return dbs.instance(entry.instance);
  };

  const backend: Backend = {
    session,
    connected,
    async signIn(email, password) {
      try {
        await signInWithEmailAndPassword(auth, email, password);
        return undefined;
      } catch (err) {
        return signInMessage(err);
      }
    },
    signOut: () => signOut(auth),
    watchFleet: (uid, store) => watchFleet(dbs, uid, store),
    watchDevice: (store) =>
      followShard(dbs, deviceShards, store.deviceId, {
        start: (shardDb, vanished) => watchDevice(shardDb, store, vanished),
        invalid: (message) => store.fail(message),
      }),
    deviceActions: (deviceId) => ({
      runQuery: async (q) => actions.runReadingsQuery(await shardOf(deviceId), deviceId, q),
      saveConfig: async (c) => actions.saveConfig(await shardOf(deviceId), deviceId, c),
      sendCommand: async (d) => actions.sendCommand(await shardOf(deviceId), deviceId, d),
      rename: async (name) => actions.rename(await shardOf(deviceId), deviceId, name),
      deleteReadingsBefore: async (ms) => actions.deleteReadingsBefore(await shardOf(deviceId), deviceId, ms),
      loadRollups: async (nowMs, windowMs) => actions.loadRollups(await shardOf(deviceId), deviceId, nowMs, windowMs),
      serverNow: () => Date.now() + offsetMs,
      describeError: describeFailure,
    }),
    watchZone: (zoneId, onZone, onDenied) =>
      onValue(ref(db, zonePath(zoneId)), (s) => onZone(s.val()), (err) => {
        if (failureOf(err) === 'permission-denied') onDenied();
      }),
    ...(config.emulators ? { signInHint: 'Local emulators: the demo owner that npm start prints is owner@demo.firelink.local / firelink-demo.' } : {}),
  };
  startApp(root, backend);
}

void main();
