// Functions host benchmark: end-to-end latency from a client write to the trigger's own
// write landing at a listener, at a paced rate (median, p99), and the sustained trigger
// throughput of a burst. Target: p99 < 25 ms at 500 triggers/s. Bounded to well under 60 s.
// The emulator (with its functions worker) runs in a child process, the clients here, as
// they would on a real machine. Needs `npm run build -w emulator` first.
//   node bench/functions-bench.mjs [--rate 500] [--seconds 5] [--burst 3000] [--json]
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Nothing here may reach real Firebase hosts, even indirectly.
process.env.FIREBASE_DATABASE_EMULATOR_HOST ??= '127.0.0.1:9';
process.env.FIREBASE_AUTH_EMULATOR_HOST ??= '127.0.0.1:9';
process.env.GCLOUD_PROJECT = 'demo-functions-bench';

const PROJECT_ID = 'demo-functions-bench';
const TARGET_P99_MS = 25;
const TARGET_RATE = 500;
const here = fileURLToPath(new URL('.', import.meta.url));
const FIXTURE = join(here, '..', 'test', 'fixtures', 'functions');

function parseArgs(argv) {
  const options = { rate: TARGET_RATE, seconds: 5, burst: 3000, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--rate') options.rate = Number(argv[++i]);
    else if (arg === '--seconds') options.seconds = Number(argv[++i]);
    else if (arg === '--burst') options.burst = Number(argv[++i]);
    else throw new Error(`functions-bench: unknown argument ${arg}; see the usage line at the top of bench/functions-bench.mjs`);
  }
  for (const key of ['rate', 'seconds', 'burst']) {
    if (!Number.isFinite(options[key]) || options[key] <= 0) throw new Error(`functions-bench: --${key} must be a positive number`);
  }
  if (options.seconds > 20) throw new Error('functions-bench: --seconds is capped at 20 to keep the run under a minute');
  return options;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Child process: the emulator with the fixture functions; reports its host:port and problem count. */
async function serve() {
  const { startEmulator } = await import(pathToFileURL(join(here, '..', 'dist', 'index.js')).href);
  let failures = 0;
  const emulator = await startEmulator({
    port: 0,
    projectId: PROJECT_ID,
    functions: FIXTURE,
    // One line per invocation would drown the figures: keep only problems.
    log: (line) => {
      if (/FAILED|RUNAWAY|timeoutSeconds|could not load|worker exited/.test(line)) {
        failures++;
        process.stderr.write(`${line}\n`);
      }
    },
  });
  process.send({ hostPort: emulator.hostPort });
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    await emulator.stop();
    process.send({ failures });
    process.disconnect();
  });
}

function startServer() {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const hostPort = new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.hostPort));
    child.once('exit', (code) => reject(new Error(`emulator process exited early (code ${code})`)));
  });
  return {
    hostPort,
    stop: () =>
      new Promise((resolve) => {
        child.on('message', (m) => {
          if (typeof m.failures === 'number') resolve(m.failures);
        });
        child.send('stop');
      }),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let failures = 0;
  const server = startServer();
  const emulator = { hostPort: await server.hostPort };
  process.env.FIREBASE_DATABASE_EMULATOR_HOST = emulator.hostPort;
  const { initializeApp, deleteApp } = await import('firebase/app');
  const db = await import('firebase/database');
  const ns = `${PROJECT_ID}-default-rtdb`;
  const [host, port] = emulator.hostPort.split(':');
  const connect = (name) => {
    const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-key', databaseURL: `https://${ns}.firebaseio.com` }, name);
    const database = db.getDatabase(app);
    db.connectDatabaseEmulator(database, host, Number(port));
    return { app, database };
  };
  const writer = connect('writer');
  const listener = connect('listener');

  const sentAt = new Map();
  const latencies = [];
  let arrived = 0;
  let onArrival = () => {};
  const stopListening = db.onChildAdded(db.ref(listener.database, 'bench/out'), (snap) => {
    const started = sentAt.get(snap.key);
    if (started === undefined) return;
    sentAt.delete(snap.key);
    latencies.push(performance.now() - started);
    arrived++;
    onArrival();
  });
  // The listener's initial sync must finish before timing starts.
  await db.get(db.ref(listener.database, 'bench/out'));

  let seq = 0;
  /** `in` goes through the trigger; `out` lands at the listener directly (the baseline). */
  const write = (phase, target = 'in') => {
    const id = `${phase}${String(seq++).padStart(7, '0')}`;
    sentAt.set(id, performance.now());
    db.set(db.ref(writer.database, `bench/${target}/${id}`), { seq, at: Date.now() }).catch((err) => {
      failures++;
      process.stderr.write(`write failed: ${err.message}\n`);
    });
  };
  const waitArrivals = (count, timeoutMs) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      onArrival = () => {
        if (arrived >= count) {
          clearTimeout(timer);
          resolve();
        }
      };
      onArrival();
    });

  /** `count` writes at `rate` per second in 10 ms ticks; resolves when all arrived (or timed out). */
  const paced = async (count, phase, target) => {
    latencies.length = 0;
    arrived = 0;
    const startMs = performance.now();
    await new Promise((resolve) => {
      let sent = 0;
      const tick = setInterval(() => {
        const due = Math.min(count, Math.round(((performance.now() - startMs) / 1000) * options.rate));
        while (sent < due) {
          write(phase, target);
          sent++;
        }
        if (sent >= count) {
          clearInterval(tick);
          resolve();
        }
      }, 10);
    });
    await waitArrivals(count, 15_000);
    return { sorted: [...latencies].sort((a, b) => a - b), arrived, elapsedS: (performance.now() - startMs) / 1000 };
  };

  // Baseline: the same clients and rate without a function in the path.
  const baseline = await paced(Math.round(options.rate * Math.min(2, options.seconds)), 'd', 'out');
  // Warm-up at the measured rate, right before measuring: the worker's code paths
  // (firebase-functions, firebase-admin) are otherwise still being compiled.
  await paced(options.rate, 'w', 'in');
  // Paced phase through the trigger.
  const total = Math.round(options.rate * options.seconds);
  const run = await paced(total, 'p', 'in');
  const pacedElapsedS = run.elapsedS;
  const pacedSorted = run.sorted;
  const pacedArrived = run.arrived;

  // Burst phase: `burst` writes at once; throughput = triggers completed per second.
  latencies.length = 0;
  arrived = 0;
  const burstStart = performance.now();
  for (let i = 0; i < options.burst; i++) write('b');
  await waitArrivals(options.burst, 20_000);
  const burstElapsedS = (performance.now() - burstStart) / 1000;
  const burstArrived = arrived;

  stopListening();
  await Promise.all([deleteApp(writer.app), deleteApp(listener.app)]);
  failures += await server.stop();

  const result = {
    pacedRatePerS: options.rate,
    pacedWrites: total,
    pacedArrived,
    pacedAchievedPerS: pacedArrived / pacedElapsedS,
    latencyMedianMs: percentile(pacedSorted, 50),
    latencyP99Ms: percentile(pacedSorted, 99),
    latencyMaxMs: pacedSorted[pacedSorted.length - 1] ?? NaN,
    baselineMedianMs: percentile(baseline.sorted, 50),
    baselineP99Ms: percentile(baseline.sorted, 99),
    burstWrites: options.burst,
    burstArrived,
    burstTriggersPerS: burstArrived / burstElapsedS,
    failures,
    targetMet: pacedArrived === total && percentile(pacedSorted, 99) < TARGET_P99_MS && options.rate >= TARGET_RATE,
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const f = (n) => n.toFixed(1);
    console.log(`functions host: client write -> trigger -> trigger's write at a listener`);
    console.log(`  paced ${options.rate}/s for ${options.seconds} s: ${pacedArrived}/${total} arrived, median ${f(result.latencyMedianMs)} ms, p99 ${f(result.latencyP99Ms)} ms, max ${f(result.latencyMaxMs)} ms`);
    console.log(`  baseline without a function (write -> listener), same rate: median ${f(result.baselineMedianMs)} ms, p99 ${f(result.baselineP99Ms)} ms`);
    console.log(`  burst of ${options.burst}: ${burstArrived} arrived, ${f(result.burstTriggersPerS)} triggers/s sustained`);
    console.log(`  target p99 < ${TARGET_P99_MS} ms at ${TARGET_RATE}/s: ${result.targetMet ? 'met' : 'NOT met'}${failures ? `; ${failures} failure line(s) above` : ''}`);
  }
  process.exitCode = failures > 0 || pacedArrived !== total || burstArrived !== options.burst ? 1 : 0;
}

(process.argv.includes('--serve') ? serve() : main()).catch((err) => {
  process.stderr.write(`functions-bench: ${err.stack ?? err}\n`);
  process.exit(1);
});
