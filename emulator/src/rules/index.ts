// Public API of the security rules engine. Pure: it evaluates over NodeViews handed in by the
// database server, which owns auth parsing, transports and rules loading.
import type { Ruleset } from '../contracts.js';
import { parseRulesDocument } from './document.js';
import { CompiledRuleset } from './ruleset.js';

export { RulesError } from './errors.js';
export { plainReadQuery } from './query.js';
export { jsonView, setAtPath } from './json-view.js';

/** RTDB's rules when none were loaded: everything allowed (docs/protocol.md §14 "default rules"). */
export const DEFAULT_RULES_SOURCE = '{\n  "rules": {\n    ".read": true,\n    ".write": true\n  }\n}\n';

/**
 * Compile a rules document (JSON, comments allowed). Every expression is parsed and type-checked
 * now; a problem throws RulesError naming the rules path and the position in the expression.
 */
export function compileRules(source: string): Ruleset {
  return new CompiledRuleset(source, parseRulesDocument(source));
}

export function defaultRuleset(): Ruleset {
  return compileRules(DEFAULT_RULES_SOURCE);
}
