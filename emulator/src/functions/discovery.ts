// Sorts the endpoints a functions package exports into database triggers, schedules and
// skipped exports (with the reason). Endpoint shape: firebase-functions `runtime/manifest.ts`
// (ManifestEndpoint) as produced by `v2/providers/database.ts` makeEndpoint and
// `v2/providers/scheduler.ts` onSchedule; docs/protocol.md §17.
import { EVENT_TYPE_PREFIX, type CompiledTrigger } from './events.js';
import { parsePathPattern } from './path-pattern.js';
import { parseSchedule, type Schedule } from './schedule.js';
import type { DatabaseEventKind, ScheduleInfo, SkippedExport, TriggerInfo } from './types.js';

/** One exported function as the worker reports it: its flattened name and `__endpoint`. */
export interface ExportedEndpoint {
  name: string;
  endpoint: Record<string, unknown>;
}

export interface CompiledSchedule {
  info: ScheduleInfo;
  schedule: Schedule;
}

export interface Discovery {
  triggers: CompiledTrigger[];
  schedules: CompiledSchedule[];
  skipped: SkippedExport[];
}

/** Default of Cloud Functions v2 event handlers (firebase-functions docs, "timeoutSeconds"). */
export const DEFAULT_TIMEOUT_SECONDS = 60;
const DEFAULT_REGION = 'us-central1';
const KINDS: readonly DatabaseEventKind[] = ['created', 'updated', 'deleted', 'written'];

export function discover(exported: readonly ExportedEndpoint[]): Discovery {
  const result: Discovery = { triggers: [], schedules: [], skipped: [] };
  for (const { name, endpoint } of exported) {
    try {
      classifyEndpoint(name, endpoint, result);
    } catch (err) {
      result.skipped.push({ name, reason: (err as Error).message });
    }
  }
  return result;
}

function classifyEndpoint(name: string, ep: Record<string, unknown>, out: Discovery): void {
  const region = firstString(ep['region']) ?? DEFAULT_REGION;
  const timeoutSeconds = positiveNumber(ep['timeoutSeconds']) ?? DEFAULT_TIMEOUT_SECONDS;
  const event = record(ep['eventTrigger']);
  if (event) {
    const eventType = String(event['eventType'] ?? '');
    if (!eventType.startsWith(EVENT_TYPE_PREFIX)) {
      out.skipped.push({ name, reason: skipReasonForEvent(eventType) });
      return;
    }
    const kind = eventType.slice(EVENT_TYPE_PREFIX.length) as DatabaseEventKind;
    if (!KINDS.includes(kind)) throw new Error(`unknown database event type ${eventType}`);
    const filters = record(event['eventFilters']) ?? {};
    const patterns = record(event['eventFilterPathPatterns']) ?? {};
    const ref = String(patterns['ref'] ?? filters['ref'] ?? '');
    const instance = String(filters['instance'] ?? patterns['instance'] ?? '*');
    const info: TriggerInfo = { name, kind, ref, instance, region, retry: event['retry'] === true, timeoutSeconds };
    out.triggers.push({ info, pattern: parsePathPattern(ref) });
    return;
  }
  const scheduleTrigger = record(ep['scheduleTrigger']);
  if (scheduleTrigger) {
    const text = String(scheduleTrigger['schedule'] ?? '');
    const timeZone = typeof scheduleTrigger['timeZone'] === 'string' ? scheduleTrigger['timeZone'] : 'UTC';
    const schedule = parseSchedule(text, timeZone);
    out.schedules.push({
      info: { name, schedule: text, timeZone, region, timeoutSeconds, nextRunAt: null },
      schedule,
    });
    return;
  }
  out.skipped.push({ name, reason: skipReasonForOther(ep) });
}

function skipReasonForEvent(eventType: string): string {
  if (eventType.startsWith('providers/google.firebase.database/')) {
    return `v1 database trigger (${eventType}): only v2 triggers (firebase-functions/v2/database) are hosted here`;
  }
  return `event trigger ${eventType}: not a Realtime Database event; run it under the firebase-tools Functions emulator`;
}

function skipReasonForOther(ep: Record<string, unknown>): string {
  if (ep['callableTrigger']) return 'callable (onCall) function: served by the firebase-tools Functions emulator';
  if (ep['httpsTrigger']) return 'HTTPS (onRequest) function: served by the firebase-tools Functions emulator';
  if (ep['blockingTrigger']) return 'Auth blocking function: served by the firebase-tools Functions emulator';
  if (ep['taskQueueTrigger']) return 'task queue function: served by the firebase-tools Functions emulator';
  return 'no trigger this host understands (not a v2 database trigger or schedule)';
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function firstString(value: unknown): string | null {
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return typeof value === 'string' ? value : null;
}

function positiveNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}
