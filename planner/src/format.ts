/** The plan as text: fixed-width tables a terminal and a Markdown code block both show well. */
import { RTDB_LIMIT_SOURCES } from '@firelink/model';
import { TRANSPORTS } from './assumptions.js';
import type { Cost } from './cost.js';
import { LIMIT_LABELS, type Plan } from './plan.js';
import { NOT_PRICED, PRICES } from './prices.js';

const LABELS = LIMIT_LABELS;

/** Thousands separators; `digits` decimals below 100, none above. */
export function num(n: number, digits = 2): string {
  const d = Math.abs(n) >= 100 ? 0 : digits;
  return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export function usd(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

// Fixed-width columns by hand: ten lines, where a table library would add a dependency for no
// feature the report uses (no wrapping, no colours, no borders).
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

export function formatPlan(plan: Plan, cost: Cost): string {
  const { input, perDevice } = plan;
  const out: string[] = [];
  const streams = TRANSPORTS[input.transport].streams;
  out.push(
    `Firelink capacity plan: ${num(input.devices)} devices, sampleMs ${input.sampleMs}, heartbeatMs ${input.heartbeatMs}, ` +
      `transport ${input.transport} (${streams} connection${streams === 1 ? '' : 's'} per device), ` +
      `${input.watchersPerDevice} watchers per device, ${input.zoneSize === 0 ? 'no zones' : `zones of ${input.zoneSize} devices`}, headroom ${Math.round(input.headroom * 100)} %`,
  );
  out.push('');
  const w = perDevice.writesPerSecond;
  out.push(
    `Per device: ${num(w.total, 4)} writes/s (readings ${num(w.deviceReadings, 4)} + function ${num(w.functionReadings, 4)} + ` +
      `heartbeat ${num(w.heartbeats, 4)} + fleet summary ${num(w.fleetSummary, 4)} + rollup ${num(w.rollups, 4)} + retention ${num(w.retention, 4)}), ` +
      `${num(perDevice.invocationsPerSecond, 4)} invocations/s, ${num(perDevice.eventBytesPerSecond)} event bytes/s, ` +
      `${perDevice.connections} connections, ${num(perDevice.responsesPerSecond, 3)} responses/s, ` +
      `${num(perDevice.downloadBytesPerSecond.total)} download bytes/s`,
  );
  out.push('');
  out.push('Per-instance limits (model/src/budget.ts):');
  out.push(
    table([
      ['metric', 'fleet total', 'limit', `usable ${Math.round((1 - input.headroom) * 100)} %`, 'instances', `per instance at ${plan.instances}`, 'of limit', 'source'],
      ...plan.checks.map((c) => [
        LABELS[c.name],
        num(c.fleetTotal),
        num(c.limit),
        num(c.usable),
        String(c.instancesNeeded),
        num(c.perInstance),
        `${num(c.utilization * 100, 1)} %`,
        RTDB_LIMIT_SOURCES[c.name].replace('https://firebase.google.com/docs/database/usage/', ''),
      ]),
    ]),
  );
  out.push('');
  out.push(
    `Instances needed: ${plan.plannedInstances} (binding: ${LABELS[plan.binding]}; ${plan.instancesWithoutHeadroom} at 100 % of the limits)` +
      (plan.instances === plan.plannedInstances ? '' : `; figures above at the ${plan.instances} given by --instances`) +
      `, about ${num(plan.devicesPerInstance)} devices each. Function invocations: ${num(plan.invocationsPerSecond)}/s for the project.`,
  );
  out.push(
    `Scheduled job pass over all devices (${input.dbRttMs} ms round trips): ` +
      plan.jobs.map((job) => `${job.name} ${num(job.seconds, 1)} s`).join(', ') +
      ' (schedule 60 s, timeout 300 s).',
  );
  out.push('');
  const down = perDevice.downloadBytesPerSecond;
  const causes = (Object.keys(down) as (keyof typeof down)[])
    .filter((k) => k !== 'total' && down[k] > 0)
    .sort((a, b) => down[b] - down[a])
    .slice(0, 4)
    .map((k) => `${k} ${num((down[k] / down.total) * 100, 1)} %`);
  out.push(`Monthly cost (USD list prices, Blaze, Tier 1 region; every price and its source: planner/src/prices.ts, read ${PRICES.rtdbStorageGbMonth.readOn}):`);
  out.push(
    table([
      ['item', 'usage', 'unit', 'free', 'billable', 'price', 'cost'],
      ...cost.lines.map((l) => [
        l.item,
        num(l.usage),
        l.unit,
        num(l.free),
        num(l.billable),
        l.usdPerUnit === 'tiered' ? 'tiered' : `$${l.usdPerUnit}`,
        usd(l.usd),
      ]),
      ['total', '', '', '', '', '', usd(cost.totalUsd)],
    ]),
  );
  out.push(`Per device and month: ${usd(cost.totalUsd / input.devices)}. Download by cause: ${causes.join(', ')}.`);
  out.push(`Not priced: ${NOT_PRICED.join('; ')}.`);
  if (plan.warnings.length > 0) {
    out.push('');
    for (const warning of plan.warnings) out.push(`warning: ${warning}`);
  }
  return `${out.join('\n')}\n`;
}
