// IPC messages between the host (database process) and the worker that runs user code.
import type { ExportedEndpoint } from './discovery.js';

export interface InvokeEvent {
  type: 'invoke';
  id: number;
  name: string;
  /** Database triggers get the raw CloudEvent; schedules get `{jobName, scheduleTime}`. */
  kind: 'database' | 'schedule';
  payload: unknown;
}

/** Messages queued in one event-loop turn travel together: one IPC write instead of many. */
export type ToWorker = InvokeEvent | { type: 'batch'; messages: InvokeEvent[] };

export interface ErrorInfo {
  message: string;
  stack: string;
}

export type FromWorker =
  | { type: 'loaded'; endpoints: ExportedEndpoint[] }
  | { type: 'loadFailed'; error: ErrorInfo }
  | { type: 'done'; id: number; error: ErrorInfo | null }
  | { type: 'uncaught'; error: ErrorInfo }
  /** Console output, sent over IPC so it arrives before the invocation's `done`. */
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'batch'; messages: FromWorker[] };
