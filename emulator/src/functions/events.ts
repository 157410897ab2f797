// Turns one committed write into the CloudEvents of the triggers it matches. Runs inside
// the database's commit callback, so it is synchronous and materialises JSON only at
// matched locations. Event shape: firebase-functions `v2/providers/database.ts`
// (RawRTDBCloudEvent) and rtdb-spec §5.3.
import type { CommittedWrite, Identity, NodeView } from '../contracts.js';
import { instanceMatches, matchPath, prefixCanMatch, type PathPattern } from './path-pattern.js';
import type { DatabaseEventKind, TriggerInfo } from './types.js';

export const EVENT_TYPE_PREFIX = 'google.firebase.database.ref.v1.';

export interface CompiledTrigger {
  info: TriggerInfo;
  pattern: PathPattern;
}

export interface RawDatabaseEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  data: { '@type': string; data: unknown; delta: unknown };
  instance: string;
  ref: string;
  location: string;
  firebasedatabasehost: string;
  authtype: 'admin' | 'app_user' | 'unauthenticated' | 'unknown';
  authid?: string;
}

export interface MatchedEvent {
  trigger: CompiledTrigger;
  /** Orders delivery: events with the same key run one at a time, in commit order. */
  key: string;
  event: RawDatabaseEvent;
  /** Id in the data directory's journal (durable mode): marked delivered when delivery ends. */
  durableId?: string;
}

let eventCounter = 0;

/** Triggers by the literal first segment of their pattern, so a write looks only at its own top-level key. */
interface TriggerIndex {
  byFirstKey: Map<string, CompiledTrigger[]>;
  /** Patterns starting with a wildcard, or matching the root. */
  anyFirstKey: CompiledTrigger[];
}

const indexes = new WeakMap<readonly CompiledTrigger[], TriggerIndex>();

function indexOf(triggers: readonly CompiledTrigger[]): TriggerIndex {
  let index = indexes.get(triggers);
  if (index) return index;
  index = { byFirstKey: new Map(), anyFirstKey: [] };
  for (const trigger of triggers) {
    const first = trigger.pattern.segments[0];
    if (first?.kind !== 'literal') {
      index.anyFirstKey.push(trigger);
      continue;
    }
    const list = index.byFirstKey.get(first.value) ?? [];
    list.push(trigger);
    index.byFirstKey.set(first.value, list);
  }
  indexes.set(triggers, index);
  return index;
}

/** Triggers that may match a location related to one of the written paths. */
function candidates(write: CommittedWrite, triggers: readonly CompiledTrigger[]): readonly CompiledTrigger[] {
  const index = indexOf(triggers);
  if (write.paths.some((p) => p.length === 0)) return triggers;
  const firstKeys = new Set(write.paths.map((p) => p[0] as string));
  if (firstKeys.size === 1 && index.anyFirstKey.length === 0) {
    return index.byFirstKey.get(firstKeys.values().next().value as string) ?? [];
  }
  const picked = new Set<CompiledTrigger>(index.anyFirstKey);
  for (const key of firstKeys) for (const t of index.byFirstKey.get(key) ?? []) picked.add(t);
  return [...picked];
}

export function eventsForWrite(write: CommittedWrite, triggers: readonly CompiledTrigger[]): MatchedEvent[] {
  if (write.disableTriggers) return [];
  const out: MatchedEvent[] = [];
  for (const trigger of candidates(write, triggers)) {
    if (!instanceMatches(trigger.info.instance, write.namespace)) continue;
    for (const location of changedCandidates(write, trigger.pattern)) {
      const path = location === '' ? [] : location.split('/');
      const beforeView = at(write.before, path);
      const afterView = at(write.after, path);
      // Presence decides the event type: skip materialising values the trigger cannot use.
      const wanted = trigger.info.kind;
      if (wanted !== 'written' && classifyPresence(beforeView.exists(), afterView.exists()) !== wanted) continue;
      const before = beforeView.val() ?? null;
      const after = afterView.val() ?? null;
      if (jsonEqual(before, after)) continue;
      out.push({
        trigger,
        key: `${trigger.info.name}\u0000${write.namespace}\u0000${location}`,
        event: buildEvent(trigger.info, write, location, before, after),
      });
    }
  }
  return out;
}

/** Locations (slash-joined) that match the pattern and may have changed: the written
 * paths, their ancestors, and descendants present before or after. */
function changedCandidates(write: CommittedWrite, pattern: PathPattern): Set<string> {
  const found = new Set<string>();
  for (const path of write.paths) {
    // `.priority` / `.value` are not locations: a priority write changes its parent.
    const pseudo = path.findIndex((key) => key.startsWith('.'));
    const written = pseudo < 0 ? path : path.slice(0, pseudo);
    for (let depth = 0; depth <= written.length; depth++) {
      const prefix = written.slice(0, depth);
      if (matchPath(pattern, prefix)) found.add(prefix.join('/'));
    }
    walkDescendants(pattern, [...written], at(write.before, written), at(write.after, written), found);
  }
  return found;
}

function walkDescendants(
  pattern: PathPattern,
  path: string[],
  before: NodeView,
  after: NodeView,
  found: Set<string>,
): void {
  const keys = new Set([...before.childKeys(), ...after.childKeys()]);
  for (const key of keys) {
    path.push(key);
    if (prefixCanMatch(pattern, path)) {
      if (matchPath(pattern, path)) found.add(path.join('/'));
      walkDescendants(pattern, path, before.child(key), after.child(key), found);
    }
    path.pop();
  }
}

function at(view: NodeView, path: readonly string[]): NodeView {
  let node = view;
  for (const key of path) node = node.child(key);
  return node;
}

function classifyPresence(beforeExists: boolean, afterExists: boolean): DatabaseEventKind | null {
  if (!beforeExists) return afterExists ? 'created' : null;
  return afterExists ? 'updated' : 'deleted';
}

/**
 * The `delta` the handler merges onto `before` with firebase-functions `applyChange`
 * (common/utilities/utils.ts): `after`, plus an explicit null for every key that was
 * removed, recursively where both sides are objects.
 */
export function deltaOf(before: unknown, after: unknown): unknown {
  if (!isObject(before) || !isObject(after)) return after;
  const delta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) delta[key] = deltaOf(before[key] ?? null, value);
  for (const key of Object.keys(before)) if (!(key in after)) delta[key] = null;
  return delta;
}

function buildEvent(
  trigger: TriggerInfo,
  write: CommittedWrite,
  ref: string,
  before: unknown,
  after: unknown,
): RawDatabaseEvent {
  const kind = trigger.kind;
  const delta = kind === 'created' ? after : kind === 'deleted' ? null : deltaOf(before, after);
  return {
    specversion: '1.0',
    id: `${write.timestampMs.toString(36)}-${(eventCounter++).toString(36)}`,
    source: `//firebasedatabase.googleapis.com/projects/_/locations/${trigger.region}/instances/${write.namespace}`,
    type: EVENT_TYPE_PREFIX + kind,
    time: new Date(write.timestampMs).toISOString(),
    subject: `refs/${ref}`,
    datacontenttype: 'application/json',
    data: {
      '@type': 'type.googleapis.com/google.events.firebase.database.v1.ReferenceEventData',
      data: kind === 'created' ? null : before,
      delta,
    },
    instance: write.namespace,
    ref,
    location: trigger.region,
    firebasedatabasehost: 'firebaseio.com',
    ...authFields(write.identity),
  };
}

function authFields(identity: Identity): Pick<RawDatabaseEvent, 'authtype' | 'authid'> {
  if (identity.kind === 'admin') return { authtype: 'admin' };
  if (identity.kind === 'unauthenticated') return { authtype: 'unauthenticated' };
  const uid = identity.auth.uid;
  return typeof uid === 'string' ? { authtype: 'app_user', authid: uid } : { authtype: 'unknown' };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isObject(a) || !isObject(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((k) => k in b && jsonEqual(a[k], b[k]));
}
