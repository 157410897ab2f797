// Every line `npm start` prints, as named functions, and which service lines reach the terminal
// when it is quiet (the default): fleet summaries, warnings and errors; everything with --verbose.

export type Out = (line: string) => void;

/** What a service line is, for the quiet filter. */
export type LineKind = 'summary' | 'problem' | 'detail';

const DATABASE_PROBLEM = /^rtdb-emulator: (connection-error|bad-request|rules-rejected|rules-engine-missing|functions-error|token-expired|index-not-defined)\b/;
const FUNCTIONS_PROBLEM = /"severity":"(WARNING|ERROR|CRITICAL|ALERT|EMERGENCY)"|\b(failed|error|timed out)\b/i;
/** firebase-tools warns about its UI even when the config disables it (lib/emulator/controller.js). */
const HARMLESS_AUTH = /Emulator UI is not starting/;

export function classifyLine(tagged: string): LineKind {
  const match = /^\[(auth|database|fleet)\] (.*)$/.exec(tagged);
  if (match === null) return 'detail';
  const [, service, line] = match as unknown as [string, string, string];
  if (service === 'fleet') {
    if (/^online \d+\/\d+ \|/.test(line)) return 'summary';
    if (/"level":"(warn|error)"/.test(line)) return 'problem';
    return 'detail';
  }
  if (service === 'database') {
    // A client that goes away (a device process ending) resets its sockets: not a problem.
    if (/^rtdb-emulator: connection-error .*\b(ECONNRESET|EPIPE)\b/.test(line)) return 'detail';
    if (DATABASE_PROBLEM.test(line)) return 'problem';
    if (line.startsWith('functions: ') && FUNCTIONS_PROBLEM.test(line)) return 'problem';
    return 'detail';
  }
  if (HARMLESS_AUTH.test(line)) return 'detail';
  return /^\s*(⚠|!)|\berror\b/i.test(line) ? 'problem' : 'detail';
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function startLogs(out: Out) {
  return {
    optionError: (message: string) => out(`npm start: ${message}`),
    portBusy: (message: string) => out(`npm start: cannot start, a port is taken:\n${message.split('\n').map((l) => `  ${l}`).join('\n')}`),
    fresh: (dir: string) => out(`--fresh: removed ${dir}, starting with empty data`),
    buildUpToDate: (names: string[]) => out(`build: up to date (${names.join(', ')})`),
    buildStep: (line: string) => out(`build: ${line}`),
    buildFailed: (workspace: string, output: string) =>
      out(`${output.trimEnd()}\n\nnpm start: the build of ${workspace}/ failed (output above): fix the errors, then run npm start again`),
    stoppedDuringBuild: () => out('stopped (Ctrl-C during the build; nothing was started)'),
    starting: (step: string) => out(`starting ${step} ...`),
    devicesOnline: (online: number, total: number) => out(`devices online ${online}/${total} ...`),
    startFailed: (message: string) => out(`npm start: the local system did not start: ${message}`),
    serviceExited: (service: string, how: string, recent: string) =>
      out(`npm start: the ${service} service stopped unexpectedly (${how}); stopping the rest. Its last lines:\n${recent.split('\n').slice(-15).map((l) => `  ${l}`).join('\n')}`),
    serviceLine: (line: string) => out(line),
    stopping: (step: string) => out(`stopping ${step} ...`),
    devicesOffline: (offline: number, total: number) => out(`  ${offline}/${total} devices wrote offline`),
    stopped: (ms: number, dataDir: string | null) => out(`stopped in ${seconds(ms)}${dataDir ? `; data kept in ${dataDir} (npm start -- --fresh starts empty)` : ''}`),
    forcing: () => out('second Ctrl-C: killing every service now (data since the last clean stop may be lost)'),
    banner: (text: string) => out(text),
  };
}

export type StartLogs = ReturnType<typeof startLogs>;
