/**
 * What an owner does to the database: read queries, configure, command, rename, delete. Each
 * write is checked with the model's schemas before it is sent (the rules check it again).
 */
import {
  endAt, get, limitToFirst, limitToLast, orderByChild, orderByKey, push, query, ref, serverTimestamp, set, startAt, update,
  type Database, type QueryConstraint,
} from 'firebase/database';
import {
  MetaSchema, commandsPath, configPath, metaPath, readingPath, readingsPath, rollupsPath, validate, type Config, type Rollup,
} from '@firelink/model';
import { querySteps, type QueryStep, type ReadingsQuery } from '../logic/query.js';
import type { CommandDraft } from '../logic/commands.js';
import { windowStartKey } from '../logic/rollups.js';
import { obj, type Json } from '../store/pick.js';

export function constraintsOf(steps: QueryStep[]): QueryConstraint[] {
  return steps.map((step) => {
    switch (step.op) {
      case 'orderByChild':
        return orderByChild(step.path);
      case 'startAt':
        return startAt(step.value);
      case 'endAt':
        return endAt(step.value);
      case 'limitToFirst':
        return limitToFirst(step.n);
      case 'limitToLast':
        return limitToLast(step.n);
    }
  });
}

export interface ReadingRow {
  id: string;
  value: Json;
}

/** Runs the query once; rows in the query's order (snapshot.forEach keeps it). */
export async function runReadingsQuery(db: Database, deviceId: string, q: ReadingsQuery): Promise<ReadingRow[]> {
  const snap = await get(query(ref(db, readingsPath(deviceId)), ...constraintsOf(querySteps(q))));
  const rows: ReadingRow[] = [];
  snap.forEach((child) => {
    rows.push({ id: child.key!, value: obj(child.val()) ?? {} });
  });
  return rows;
}

export async function saveConfig(db: Database, deviceId: string, config: Config): Promise<void> {
  await set(ref(db, configPath(deviceId)), config);
}

/** Checks the name with the model's MetaSchema rule for `name`, then writes only `meta/name`. */
export async function rename(db: Database, deviceId: string, name: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const check = validate(MetaSchema.shape.name, name, 'meta.name');
  if (!check.ok) return { ok: false, error: check.error.message };
  await set(ref(db, `${metaPath(deviceId)}/name`), check.value);
  return { ok: true };
}

export async function sendCommand(db: Database, deviceId: string, draft: CommandDraft): Promise<string> {
  const created = push(ref(db, commandsPath(deviceId)));
  await set(created, { ...draft, createdAt: serverTimestamp() });
  return created.key!;
}

/** Stamped readings older than this many ms are deleted in one multi-path update per batch. */
export const DELETE_BATCH = 500;

/**
 * Deletes readings whose server `ts` is before `beforeMs` (the functions' retention does the same
 * on a schedule). Returns how many were deleted.
 */
export async function deleteReadingsBefore(db: Database, deviceId: string, beforeMs: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    // startAt(0) leaves out unstamped readings (ts null sorts first), as retention does.
    const snap = await get(query(ref(db, readingsPath(deviceId)), orderByChild('ts'), startAt(0), endAt(beforeMs - 1), limitToFirst(DELETE_BATCH)));
    const paths: Record<string, null> = {};
    snap.forEach((child) => {
      paths[readingPath(deviceId, child.key!)] = null;
    });
    const n = Object.keys(paths).length;
    if (n === 0) return deleted;
    await update(ref(db), paths);
    deleted += n;
    if (n < DELETE_BATCH) return deleted;
  }
}

export async function loadRollups(db: Database, deviceId: string, nowMs: number, windowMs: number): Promise<Record<string, Rollup>> {
  const snap = await get(query(ref(db, rollupsPath(deviceId)), orderByKey(), startAt(windowStartKey(nowMs, windowMs))));
  return (snap.val() as Record<string, Rollup> | null) ?? {};
}
