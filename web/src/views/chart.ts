/**
 * Live chart of IR and a second sensor (temperature or light) with uPlot: IR on the left axis
 * (0..4095), the second sensor on the right. Redraws at most once per frame.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LiveReading } from '../store/device-store.js';
import { h } from './dom.js';

export type SecondSensor = 'temp' | 'light';

/** Columns for uPlot: seconds, ir, second sensor (null where a reading lacks it). */
export function chartData(readings: readonly LiveReading[], second: SecondSensor): [number[], Array<number | null>, Array<number | null>] {
  return [readings.map((r) => r.ts / 1000), readings.map((r) => r.ir), readings.map((r) => r[second] ?? null)];
}

export function liveChart(): { el: HTMLElement; set(readings: readonly LiveReading[]): void; setSecond(s: SecondSensor): void; dispose(): void } {
  const holder = h('div', { class: 'chart', 'aria-hidden': 'true' });
  const summary = h('p', { class: 'chart-summary' });
  const el = h('figure', { class: 'chart-figure' }, holder, h('figcaption', {}, summary));
  let second: SecondSensor = 'temp';
  let data: readonly LiveReading[] = [];
  let plot: uPlot | undefined;
  let queued = false;

  const build = (): void => {
    plot?.destroy();
    plot = new uPlot(
      {
        width: Math.max(280, holder.clientWidth || 560),
        height: 220,
        scales: { x: { time: true }, ir: { range: [0, 4095] }, s2: { auto: true } },
        series: [
          {},
          { label: 'IR', scale: 'ir', stroke: '#0b5cad', width: 2 },
          { label: second === 'temp' ? 'Temperature (°C)' : 'Light (ADC)', scale: 's2', stroke: '#b3261e', width: 2, spanGaps: true },
        ],
        axes: [{}, { scale: 'ir', label: 'IR' }, { scale: 's2', side: 1, label: second === 'temp' ? '°C' : 'light', grid: { show: false } }],
        legend: { show: true },
      },
      chartData(data, second),
      holder,
    );
  };
  const draw = (): void => {
    queued = false;
    if (!plot) build();
    else plot.setData(chartData(data, second));
    const last = data.at(-1);
    summary.textContent = last
      ? `${data.length} recent readings; latest IR ${last.ir}${last[second] !== undefined ? `, ${second === 'temp' ? 'temperature' : 'light'} ${last[second]}` : ''}.`
      : 'No readings yet: the chart fills as the device sends them.';
  };
  const request = (): void => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(draw);
  };
  return {
    el,
    set(readings) {
      data = readings;
      request();
    },
    setSecond(s) {
      second = s;
      plot?.destroy();
      plot = undefined;
      request();
    },
    dispose() {
      plot?.destroy();
    },
  };
}
