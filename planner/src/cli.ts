/**
 * `npm run plan -- --devices 100000 --sample-ms 1000 --heartbeat-ms 30000`: commander definitions
 * only; the numbers come from plan.ts and cost.ts. Exit 0 with the report, 2 on a usage error
 * (commander prints what was wrong and `(add --help for usage)`).
 */
import { Command, CommanderError, Option } from 'commander';
import { monthlyCost } from './cost.js';
import { formatPlan } from './format.js';
import { AUTH_PLANS, DEFAULTS, PARSERS, TRANSPORT_NAMES, type PlannerOptions } from './options.js';
import { plan } from './plan.js';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export function buildProgram(io: CliIo): Command {
  return new Command('firelink-plan')
    .description(
      'Capacity plan for a Firelink fleet: writes/s, function invocations/s, event bytes/s, connections and responses/s ' +
        'against each documented per-instance Realtime Database limit, the instances needed with headroom, and the monthly ' +
        'cost from published prices (planner/src/prices.ts).',
    )
    .requiredOption('--devices <n>', 'devices in the fleet', PARSERS.devices)
    .option('--sample-ms <ms>', 'sampling period of every device', PARSERS.sampleMs, DEFAULTS.sampleMs)
    .option('--heartbeat-ms <ms>', 'heartbeat period of every device', PARSERS.heartbeatMs, DEFAULTS.heartbeatMs)
    .addOption(
      new Option('--transport <kind>', 'rest: REST + 3 SSE streams (firmware, device-sim); rest-state: 1 stream + polls; sdk: 1 WebSocket')
        .choices(TRANSPORT_NAMES)
        .default(DEFAULTS.transport),
    )
    .option('--watchers-per-device <n>', 'open dashboards watching each device, on average', PARSERS.watchersPerDevice, DEFAULTS.watchersPerDevice)
    .option('--zone-size <n>', 'devices per zone; each mapped reading reads every member state (0: no zones)', PARSERS.zoneSize, DEFAULTS.zoneSize)
    .addOption(
      new Option('--retention-read <mode>', "current: pruneReadings re-reads the newest 10,001 readings each run (today); fixed: only the ones it deletes")
        .choices(['current', 'fixed'])
        .default(DEFAULTS.retentionRead),
    )
    .option('--headroom <fraction>', 'share of every limit kept free', PARSERS.headroom, DEFAULTS.headroom)
    .option('--instances <n>', 'instances in use now: show the load per instance at this count (0: plan it)', PARSERS.instances, DEFAULTS.instances)
    .option('--months <n>', 'months of rollups stored (nothing prunes them yet)', PARSERS.months, DEFAULTS.months)
    .option('--owners <n>', 'owners signing in each month (monthly active users = devices + owners)', PARSERS.owners, DEFAULTS.owners)
    .addOption(
      new Option('--auth <plan>', 'identity-platform: Firebase Auth with Identity Platform (per-MAU price); firebase: without it')
        .choices(AUTH_PLANS)
        .default(DEFAULTS.auth),
    )
    .option('--function-ms <ms>', 'busy time of one trigger invocation', PARSERS.functionMs, DEFAULTS.functionMs)
    .option('--concurrency <n>', 'requests one function instance serves at once (firebase-functions v2 default)', PARSERS.concurrency, DEFAULTS.concurrency)
    .option('--db-rtt-ms <ms>', 'function-to-database round trip, for the scheduled jobs', PARSERS.dbRttMs, DEFAULTS.dbRttMs)
    .option('--json', 'print the plan and cost as one JSON object', DEFAULTS.json)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .action((flags: PlannerOptions) => {
      const options = Object.freeze({ ...DEFAULTS, ...flags });
      const result = plan(options);
      const cost = monthlyCost(result, options);
      io.stdout.write(options.json ? `${JSON.stringify({ plan: result, cost }, null, 2)}\n` : formatPlan(result, cost));
    });
}

/** Runs the planner on `argv` (without node and the script); returns the exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  try {
    buildProgram(io).parse([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
}
