// A local copy of a streamed location, updated by the `put` and `patch` events of RTDB
// streaming (https://firebase.google.com/docs/reference/rest/database#section-streaming):
// `put` replaces the value at `path`; `patch` replaces each listed child of `path` (child keys
// may themselves contain `/`). Null deletes, and empty objects disappear as they do in RTDB.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normalise(value: Json): Json {
  if (Array.isArray(value)) {
    const out: { [key: string]: Json } = {};
    value.forEach((v, i) => {
      if (v !== null) out[String(i)] = v;
    });
    return normalise(out);
  }
  if (!isObject(value)) return value;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    const n = normalise(v);
    if (n !== null) out[k] = n;
  }
  return Object.keys(out).length === 0 ? null : out;
}

/** Returns a new tree with `value` at `path` (immutable: listeners may keep the old one). */
export function setAt(tree: Json, path: string, value: Json): Json {
  const [head, ...rest] = segments(path);
  if (head === undefined) return normalise(value);
  const base: { [key: string]: Json } = isObject(tree) ? { ...tree } : {};
  const child = setAt(base[head] ?? null, rest.join('/'), value);
  if (child === null) delete base[head];
  else base[head] = child;
  return Object.keys(base).length === 0 ? null : base;
}

export function getAt(tree: Json, path: string): Json {
  let node: Json = tree;
  for (const key of segments(path)) {
    if (!isObject(node)) return null;
    node = node[key] ?? null;
  }
  return node;
}

export function applyPut(tree: Json, path: string, data: Json): Json {
  return setAt(tree, path, data);
}

export function applyPatch(tree: Json, path: string, data: { [key: string]: Json }): Json {
  let next = tree;
  for (const [key, value] of Object.entries(data)) next = setAt(next, `${path}/${key}`, value);
  return next;
}
