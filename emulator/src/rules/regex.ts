// Regular expressions of `matches()` (rules reference, "matches"; spec §4.5): only the `i` flag,
// `^` and `$` only at the very start and end, no lookaround or backreferences.

/** Returns a reason when the regex is outside the rules language, otherwise null. */
export function regexProblem(pattern: string, flags: string): string | null {
  for (const flag of flags) {
    if (flag !== 'i') return `regex flag '${flag}' is not supported (only 'i')`;
  }
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return `backreference '\\${next}' at regex char ${i} is not supported`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '^' && i !== 0) return `'^' is only allowed at the start of the regex (regex char ${i})`;
    else if (c === '$' && i !== pattern.length - 1) return `'$' is only allowed at the end of the regex (regex char ${i})`;
    else if (c === '|' && (emptyBefore(pattern, i) || emptyAfter(pattern, i))) {
      // Live Firebase refuses these (`/^(foo|)$/`); write `(foo)?` instead.
      return `empty alternative at regex char ${i} is not supported; use ? for an optional part`;
    } else if (c === '(' && pattern[i + 1] === '?' && pattern[i + 2] !== ':') {
      return `group '(?${pattern[i + 2] ?? ''}' at regex char ${i} is not supported`;
    }
  }
  return null;
}

/** Whether the alternative before the `|` at `i` is empty (start, `^`, `(`, `(?:` or another `|`). */
function emptyBefore(pattern: string, i: number): boolean {
  const before = pattern.slice(0, i);
  const escaped = (tail: string): boolean => before.endsWith(tail) && !before.endsWith('\\' + tail);
  return before === '' || before === '^' || escaped('|') || escaped('(') || escaped('(?:');
}

/** Whether the alternative after the `|` at `i` is empty (end, `$`, `)` or another `|`). */
function emptyAfter(pattern: string, i: number): boolean {
  const after = pattern.slice(i + 1);
  return after === '' || after === '$' || after.startsWith(')') || after.startsWith('|');
}

export function compileRegex(pattern: string, flags: string): RegExp {
  // Without the `g` flag `test()` keeps no state between evaluations.
  return new RegExp(pattern, flags.includes('i') ? 'i' : '');
}
