// Writes a data directory's snapshot as JSON text in time slices, yielding to the event loop
// between them, so a compaction never stops the server for longer than one slice however large
// the database is (a synchronous export of 100,000 readings held it for about 200 ms).
//
// The tree is mutated in place while the walk waits, so the text is "fuzzy": each location holds
// its value from some instant between the start of the walk and the moment it was written out.
// That is enough, because the new journal generation starts before the walk and every journaled
// write is an absolute overwrite of its paths (resolved values, no increments): replaying that
// journal over the snapshot ends at the exact state whatever mix of instants the snapshot holds.
// Written by hand: JSON libraries stream plain objects, not this tree (its Map and shape forms).
import { open } from 'node:fs/promises';
import { Branch, exportJson, type Node } from '../tree/node.js';

/** The longest the walk works before it lets other callbacks run. */
export const SNAPSHOT_SLICE_MS = 2;
/** Text is written to the file in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 20;
/** Nodes visited between two looks at the clock. */
const NODES_PER_CLOCK_CHECK = 256;

export interface SnapshotParts {
  readonly format: 1;
  readonly generation: number;
  /** Each namespace's root at the start of the walk. */
  readonly namespaces: readonly (readonly [string, Node | null])[];
  readonly pendingEvents: readonly unknown[];
}

interface Frame {
  readonly branch: Branch;
  /** The key order when the walk entered the branch (a shared array is never changed in place). */
  readonly keys: readonly string[];
  next: number;
  first: boolean;
}

/** Writes `parts` to `file` (created or truncated) and fdatasyncs it; returns the characters written. */
export async function writeSnapshotFile(file: string, parts: SnapshotParts, sliceMs = SNAPSHOT_SLICE_MS): Promise<number> {
  const handle = await open(file, 'w');
  let chunk = '';
  let total = 0;
  let sliceStart = performance.now();
  let sinceClockCheck = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const text = chunk;
    chunk = '';
    total += text.length;
    await handle.write(text, null, 'utf8');
  };
  /** Yields when the slice is used up (and writes what the slice produced). */
  const pace = async (): Promise<void> => {
    if (chunk.length >= CHUNK_CHARS) await flush();
    if (++sinceClockCheck < NODES_PER_CLOCK_CHECK) return;
    sinceClockCheck = 0;
    if (performance.now() - sliceStart < sliceMs) return;
    await flush();
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  const writeNode = async (root: Node | null): Promise<void> => {
    if (!(root instanceof Branch)) {
      chunk += JSON.stringify(exportJson(root));
      return;
    }
    const stack: Frame[] = [enter(root)];
    chunk += '{';
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next >= frame.keys.length) {
        stack.pop();
        const priority = frame.branch.priority;
        if (priority !== null) chunk += `${frame.first ? '' : ','}".priority":${JSON.stringify(priority)}`;
        chunk += '}';
        continue;
      }
      const key = frame.keys[frame.next++]!;
      // Deleted since the walk entered the branch: the new journal holds the delete.
      const child = frame.branch.get(key);
      if (child === undefined) continue;
      chunk += `${frame.first ? '' : ','}${JSON.stringify(key)}:`;
      frame.first = false;
      if (child instanceof Branch) {
        stack.push(enter(child));
        chunk += '{';
      } else chunk += JSON.stringify(exportJson(child));
      await pace();
    }
  };
  try {
    chunk += `{"format":${parts.format},"generation":${parts.generation},"namespaces":{`;
    let firstNamespace = true;
    for (const [name, root] of parts.namespaces) {
      if (root === null) continue;
      chunk += `${firstNamespace ? '' : ','}${JSON.stringify(name)}:`;
      firstNamespace = false;
      await writeNode(root);
    }
    chunk += `},"pendingEvents":${JSON.stringify(parts.pendingEvents)}}`;
    await flush();
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return total;
}

function enter(branch: Branch): Frame {
  return { branch, keys: branch.sortedKeys(), next: 0, first: true };
}
