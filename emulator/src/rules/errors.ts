// The one error type of the rules engine: a rules document that cannot be compiled.
// RTDB rejects the whole upload and keeps the previous rules; the server maps this to
// HTTP 400 with `{"error": message}` (docs/protocol.md §14).

export interface RulesErrorLocation {
  /** Rules path of the offending key, e.g. `/rules/devices/$deviceId/.write`. */
  rulesPath: string;
  /** 1-based line and column inside the expression, when the error is in an expression. */
  line?: number;
  column?: number;
  /** 0-based offset inside the expression. */
  offset?: number;
}

export class RulesError extends Error {
  override readonly name = 'RulesError';
  readonly rulesPath: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly offset: number | undefined;

  constructor(reason: string, where: RulesErrorLocation, expression?: string) {
    super(formatMessage(reason, where, expression));
    this.rulesPath = where.rulesPath;
    this.line = where.line;
    this.column = where.column;
    this.offset = where.offset;
  }
}

function formatMessage(reason: string, where: RulesErrorLocation, expression?: string): string {
  const position =
    where.line !== undefined && where.column !== undefined
      ? ` at line ${where.line} col ${where.column} (char ${where.offset ?? 0})`
      : '';
  const shown = expression === undefined ? '' : `: ${JSON.stringify(expression)}`;
  const place = where.rulesPath === '/' ? 'rules document' : where.rulesPath;
  return `${place}${position}: ${reason}${shown}`;
}

/** Line/column (1-based) of a 0-based offset in `text`. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
