// Compiles rules sources with the rules engine (rules/index.ts) when it is present. Without
// an engine, sources are still checked to be JSON (comments allowed), stored and served, and
// every namespace keeps the default allow-all behaviour (spec §2.7).
import type { Ruleset } from './contracts.js';

type CompileRules = (source: string) => Ruleset;

export interface RulesCompiler {
  /** Throws an Error whose message says what is wrong and where. Null: no engine (allow all). */
  compile(source: string): Ruleset | null;
  readonly hasEngine: boolean;
}

/** Strips // and /* *\/ comments outside strings, for the engine-less JSON check. */
export function stripJsonComments(source: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += source[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 1;
      out += ' ';
    } else out += c;
  }
  return out;
}

function checkJsonShape(source: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(stripJsonComments(source));
  } catch (e) {
    throw new Error(`rules are not valid JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || !('rules' in doc)) throw new Error('rules must be an object with a "rules" key');
}

export async function loadRulesCompiler(): Promise<RulesCompiler> {
  let compileRules: CompileRules | null = null;
  try {
    // A variable specifier keeps this build independent of the rules engine's presence.
    const spec = './rules/index.js';
    const mod = (await import(spec)) as { compileRules?: CompileRules };
    compileRules = typeof mod.compileRules === 'function' ? mod.compileRules : null;
  } catch {
    compileRules = null;
  }
  return {
    hasEngine: compileRules !== null,
    compile(source: string): Ruleset | null {
      if (compileRules === null) {
        checkJsonShape(source);
        return null;
      }
      return compileRules(source);
    },
  };
}
