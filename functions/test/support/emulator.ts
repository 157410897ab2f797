// The functions tests' stack: @firelink/stack with our RTDB emulator in this process (the tests
// watch its commit stream), the repository's rules and, on request, the compiled functions and
// the firebase-tools Auth emulator.
import type { RunningEmulator } from '@firelink/emulator';
import { startStack, stackConfig, type Stack } from '@firelink/stack';

export const PROJECT_ID = stackConfig().projectId;
export const NAMESPACE = stackConfig().namespace;
export const functionsDir = stackConfig().functionsDir;
export const rulesFile = stackConfig().rulesFile;

export interface TestEmulator {
  stack: Stack;
  emulator: RunningEmulator;
  /** Every log line the emulator (and the functions it hosts) printed, prefixed `[database] `. */
  lines: string[];
  stop(): Promise<void>;
}

export async function startTestEmulator(options: { functions?: boolean; auth?: boolean } = {}): Promise<TestEmulator> {
  const lines: string[] = [];
  const stack = await startStack({
    processes: 'in-process',
    functions: options.functions === true,
    auth: options.auth === true,
    // No pacing of the jobs' visits (the local stack's 40 s, at most 50 ms per device and run:
    // about a second per run once a file's tests have registered 20 devices) unless the
    // environment asks; functions/src/fleet.test.ts covers the pacing.
    functionsEnv: process.env.FIRELINK_JOB_SPREAD_SECONDS === undefined ? { FIRELINK_JOB_SPREAD_SECONDS: '0' } : {},
    log: (line) => {
      lines.push(line);
      if (process.env.FIRELINK_TEST_VERBOSE) process.stderr.write(`${line}\n`);
    },
  });
  return { stack, emulator: stack.emulator!, lines, stop: () => stack.stop() };
}
