// Smoke run of the local system on the running Node (CI runs it on Node 22 and 24 as well): start
// the stack as child processes (all on this Node), provision a device, sign in over REST like the
// firmware, push one reading, and wait until the functions have mapped it into state.
import '../dist/env.js';
import { eventually, startStack } from '../dist/index.js';

const started = Date.now();
const stack = await startStack({ ports: 'free', processes: 'child', functions: true, demoOwner: true });
try {
  const device = await stack.provisionDevice({ deviceId: 'smoke-1', owner: stack.demoOwner.uid });
  const signIn = await fetch(`${stack.urls.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: device.email, password: device.password, returnSecureToken: true }),
  });
  if (!signIn.ok) throw new Error(`sign-in failed: HTTP ${signIn.status} ${await signIn.text()}`);
  const { idToken } = await signIn.json();
  const put = await fetch(`${stack.urls.database}/devices/smoke-1/readings/-smoke0000000000001.json?ns=${stack.namespace}&auth=${idToken}`, {
    method: 'PUT',
    body: JSON.stringify({ ir: 2048, seq: 1 }),
  });
  if (!put.ok) throw new Error(`reading refused: HTTP ${put.status} ${await put.text()}`);
  const state = await eventually('the reading mapped into state', async () => {
    const res = await fetch(`${stack.urls.database}/devices/smoke-1/state.json?ns=${stack.namespace}&auth=${idToken}`);
    const value = await res.json();
    return value?.readingId === '-smoke0000000000001' ? value : undefined;
  }, 60_000);
  console.log(`smoke ok on Node ${process.version}: reading mapped to angle ${state.angle} in a stack up and checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await stack.stop();
}
