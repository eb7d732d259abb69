// Typed errors of the scenario layer, each with a stable `code` (style.md §1).

/** One problem in a scenario file, located by a JSON pointer (RFC 6901) and, for syntax errors, line:col. */
export interface ScenarioIssue {
  pointer: string;
  message: string;
  line?: number;
  column?: number;
}

export class ScenarioError extends Error {
  static readonly code = 'ScenarioInvalid' as const;
  readonly code = ScenarioError.code;
  constructor(readonly issues: ScenarioIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ScenarioError';
  }
}

export function formatIssue(i: ScenarioIssue): string {
  const where = i.line !== undefined ? `${i.line}:${i.column ?? 1}` : i.pointer === '' ? '(root)' : i.pointer;
  return `scenario ${where}: ${i.message}`;
}

/** RFC 6901 escaping of one reference token. */
export function pointerToken(t: string | number): string {
  return String(t).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => '/' + pointerToken(t)).join('');
}
