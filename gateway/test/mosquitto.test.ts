// The same round trip with Debian's mosquitto-clients (mosquitto_pub / mosquitto_sub), a client
// nobody here wrote: sign in, publish a reading at QoS 1, receive the retained state, and be told
// off for another device's topic. .ci/run installs the package; without it this file says so loudly.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readingIdForSeq, startGateway, topics, type RunningGateway } from '../src/index.js';
import { silentSink } from '../src/logs.js';
import { eventually, startLocalStack, type LocalStack } from './stack.js';

const run = promisify(execFile);

async function has(command: string): Promise<boolean> {
  try {
    await run(command, ['--help']);
    return true;
  } catch (err) {
    // mosquitto_pub --help exits 1 after printing its usage; only a missing binary is ENOENT.
    return (err as { code?: unknown }).code !== 'ENOENT';
  }
}

const available = (await has('mosquitto_pub')) && (await has('mosquitto_sub'));
if (!available) {
  process.stderr.write(
    '\n!!! SKIPPED gateway/test/mosquitto.test.ts: mosquitto_pub/mosquitto_sub not found. Install Debian package mosquitto-clients (apt-get install mosquitto-clients); .ci/run does.\n\n',
  );
}

describe.skipIf(!available)('mosquitto-clients against the gateway', () => {
  let stack: LocalStack;
  let gateway: RunningGateway;

  beforeAll(async () => {
    stack = await startLocalStack();
    gateway = await startGateway({ mqttPort: 0, wsPort: 0, log: silentSink });
  });

  afterAll(async () => {
    await gateway?.stop();
    await stack?.stop();
  });

  it('publishes a reading with mosquitto_pub and receives its state with mosquitto_sub (MQTT 5 and 3.1.1)', async () => {
    const device = await stack.provisionDevice('mosq-1');
    const token = await stack.signIn(device);
    const auth = ['-h', '127.0.0.1', '-p', String(gateway.mqttPort), '-u', device.deviceId, '-P', token];
    const seq = Math.floor((Date.now() - Date.UTC(2025, 0, 1)) / 100);

    // -C 2: the first message may be an earlier retained state; wait for the one of this seq.
    const sub = spawn('mosquitto_sub', [...auth, '-V', 'mqttv5', '-i', 'mosq-1-sub', '-q', '1', '-t', topics.state('mosq-1'), '-C', '1', '-W', '30', '-F', '%j'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    sub.stdout.on('data', (c: Buffer) => (out += c.toString()));
    sub.stderr.on('data', (c: Buffer) => (err += c.toString()));
    // 'close', not 'exit': 'exit' can come before the last of stdout has been read.
    const exited = new Promise<number | null>((resolve) => sub.once('close', resolve));
    // Subscribed once the gateway has the session (its presence write marks the device online).
    await eventually('mosquitto_sub connected', async () => (await stack.admin.ref('devices/mosq-1/status/online').get()).val() === true);

    await run('mosquitto_pub', [...auth, '-V', 'mqttv311', '-i', 'mosq-1-pub', '-q', '1', '-t', topics.readings('mosq-1'), '-m', JSON.stringify({ ir: 3000, seq })]);
    expect(await exited).toBe(0);
    const message = JSON.parse(out.trim().split('\n')[0] ?? '{}') as { topic: string; payload: string };
    expect(message.topic).toBe(topics.state('mosq-1'));
    expect(JSON.parse(message.payload)).toMatchObject({ ir: 3000, seq, readingId: readingIdForSeq(seq) });
    expect(err).toBe('');

    // A later mosquitto_sub gets the current state at once, without a new reading.
    const { stdout } = await run('mosquitto_sub', [...auth, '-V', 'mqttv5', '-i', 'mosq-1-late', '-t', topics.state('mosq-1'), '-C', '1', '-W', '20', '-F', '%p']);
    expect(JSON.parse(stdout).seq).toBe(seq);
  });

  it('tells mosquitto_pub (MQTT 5) that another device\'s topic is not authorized, and writes nothing', async () => {
    const device = await stack.provisionDevice('mosq-2');
    const token = await stack.signIn(device);
    const seq = Math.floor((Date.now() - Date.UTC(2025, 0, 1)) / 100);
    const result = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(gateway.mqttPort), '-u', 'mosq-2', '-P', token, '-V', 'mqttv5', '-q', '1', '-t', topics.readings('mosq-1'), '-m', JSON.stringify({ ir: 1, seq }), '-d']).catch((e: { stdout: string; stderr: string; code: number }) => e);
    expect(`${result.stdout}${result.stderr}`).toMatch(/PUBACK.*rc:135|Not authorized/i);
    const stored = (await stack.admin.ref(`devices/mosq-1/readings/${readingIdForSeq(seq)}`).get()).val();
    expect(stored).toBeNull();
    const badLogin = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(gateway.mqttPort), '-u', 'mosq-1', '-P', token, '-V', 'mqttv5', '-q', '1', '-t', topics.readings('mosq-1'), '-m', '{}']).catch((e: { stdout: string; stderr: string; code: number }) => e);
    expect(`${badLogin.stdout}${badLogin.stderr}`).toMatch(/bad user name or password/i);
  });
});
