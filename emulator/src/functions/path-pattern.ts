// Trigger path patterns as firebase-functions declares them: `{x}` / `{x=*}` capture one
// segment, `{x=**}` captures one or more (slash-joined), bare `*` / `**` match without
// capture. Follows the semantics of firebase-functions `common/utilities/path-pattern.ts`
// (extractMatches); captured segments are URI-decoded there, keys here are raw.

export type PatternSegment =
  | { kind: 'literal'; value: string }
  | { kind: 'single'; name: string | null }
  | { kind: 'multi'; name: string | null };

export interface PathPattern {
  readonly source: string;
  readonly segments: readonly PatternSegment[];
  /** True when one `**` segment makes the length open-ended. */
  readonly hasMulti: boolean;
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export function parsePathPattern(source: string): PathPattern {
  const segments = splitPath(source).map((raw): PatternSegment => {
    if (raw === '*') return { kind: 'single', name: null };
    if (raw === '**') return { kind: 'multi', name: null };
    const capture = /^\{([^{}=]+)(?:=(\*\*?))?\}$/.exec(raw);
    if (capture) {
      const name = capture[1] as string;
      return capture[2] === '**' ? { kind: 'multi', name } : { kind: 'single', name };
    }
    if (raw.includes('{') || raw.includes('}')) {
      throw new Error(
        `path pattern "${source}": segment "${raw}" is not a literal, {name}, {name=*} or {name=**}`,
      );
    }
    return { kind: 'literal', value: raw };
  });
  const multiCount = segments.filter((s) => s.kind === 'multi').length;
  if (multiCount > 1) {
    throw new Error(`path pattern "${source}": only one multi-segment wildcard (**) is allowed`);
  }
  return { source, segments, hasMulti: multiCount === 1 };
}

/** Captures of `path` (segments) against the pattern, or null when it does not match. */
export function matchPath(pattern: PathPattern, path: readonly string[]): Record<string, string> | null {
  const segs = pattern.segments;
  if (!pattern.hasMulti) {
    if (path.length !== segs.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < segs.length; i++) {
      if (!matchOne(segs[i] as PatternSegment, path[i] as string, params)) return null;
    }
    return params;
  }
  const multiAt = segs.findIndex((s) => s.kind === 'multi');
  const tail = segs.length - multiAt - 1;
  if (path.length < segs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < multiAt; i++) {
    if (!matchOne(segs[i] as PatternSegment, path[i] as string, params)) return null;
  }
  for (let i = 0; i < tail; i++) {
    const seg = segs[segs.length - 1 - i] as PatternSegment;
    if (!matchOne(seg, path[path.length - 1 - i] as string, params)) return null;
  }
  const multi = segs[multiAt] as Extract<PatternSegment, { kind: 'multi' }>;
  if (multi.name !== null) params[multi.name] = path.slice(multiAt, path.length - tail).join('/');
  return params;
}

function matchOne(seg: PatternSegment, key: string, params: Record<string, string>): boolean {
  if (seg.kind === 'literal') return seg.value === key;
  if (seg.name !== null) params[seg.name] = key;
  return true;
}

/**
 * Could some location at or below `prefix` match? Prunes the walk over changed descendants.
 */
export function prefixCanMatch(pattern: PathPattern, prefix: readonly string[]): boolean {
  const segs = pattern.segments;
  for (let i = 0; i < prefix.length; i++) {
    const seg = segs[i];
    if (seg === undefined) return false;
    if (seg.kind === 'multi') return true;
    if (seg.kind === 'literal' && seg.value !== prefix[i]) return false;
  }
  return true;
}

/** Instance filter: a literal name, or a pattern where `*` matches any namespace. */
export function instanceMatches(instancePattern: string, namespace: string): boolean {
  if (instancePattern === '*' || instancePattern === '**') return true;
  if (!instancePattern.includes('{') && !instancePattern.includes('*')) return instancePattern === namespace;
  return matchPath(parsePathPattern(instancePattern), [namespace]) !== null;
}
