// Preloaded into the bench's fleet process (`node --import ./loop-delay.mjs`): records that
// process's event-loop delay per second and writes the windows to BENCH_LOOP_DELAY_FILE at exit.
// A late loop delays when the fleet sees a state arrive, so this says how much of the measured
// latency the simulator itself may add (Node docs: perf_hooks.monitorEventLoopDelay).
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_DELAY_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
  const windows = [];
  const sample = () => {
    if (histogram.count > 0) {
      windows.push({ atMs: Date.now(), p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) });
    }
    histogram.reset();
  };
  setInterval(sample, 1000).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(file, `${JSON.stringify(windows)}\n`);
  });
}
