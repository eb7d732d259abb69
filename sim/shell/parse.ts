// A tiny POSIX-sh subset parser for the guest terminal and scenario scripts: words with '…' and "…"
// quoting and backslash escapes, redirections (> >> < 2> 2>> 2>&1), command lists joined by ; && ||
// and a trailing & (background job: the scheduler may leave it blocked, e.g. an open on a FIFO).
// No variables, globs, pipes or subshells: unsupported syntax is a located error, never ignored.

export class ShellSyntaxError extends Error {
  static readonly code = 'ShellSyntax' as const;
  readonly code = ShellSyntaxError.code;
  /** 1-based column in the input line. */
  constructor(readonly column: number, readonly detail: string) {
    super(`syntax error at column ${column}: ${detail}`);
    this.name = 'ShellSyntaxError';
  }
}

export type RedirectOp = '>' | '>>' | '<' | '2>' | '2>>' | '2>&1';
export interface Redirect { op: RedirectOp; target: string; column: number }

export interface SimpleCommand {
  argv: string[];
  redirects: Redirect[];
  /** Column of the first word, for error messages. */
  column: number;
}

export type Connector = ';' | '&&' | '||';

/** `items[0]` runs first; `items[i].connector` says how item i joins item i-1. */
export interface CommandList {
  items: { connector: Connector | null; command: SimpleCommand }[];
  background: boolean;
}

type Tok =
  | { kind: 'word'; text: string; col: number }
  | { kind: 'op'; text: string; col: number };

function tokenize(line: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '#' ) break; // comment to end of line (only at a word start, as in sh)
    const col = i + 1;
    // operators, longest first
    const ops = ['2>&1', '2>>', '&&', '||', '>>', '2>', '>', '<', ';', '&', '|', '(', ')', '`', '$('];
    const at2 = c === '2' && (line.startsWith('2>', i));
    if (at2 || '><;&|()`'.includes(c) || line.startsWith('$(', i)) {
      const op = ops.find((o) => line.startsWith(o, i))!;
      if (op === '|' || op === '(' || op === ')' || op === '`' || op === '$(') {
        throw new ShellSyntaxError(col, `'${op}' is not supported by this shell (no pipes, subshells or command substitution)`);
      }
      toks.push({ kind: 'op', text: op, col });
      i += op.length;
      continue;
    }
    // a word: concatenation of unquoted, '…' and "…" parts
    let text = '';
    while (i < n) {
      const ch = line[i]!;
      if (ch === ' ' || ch === '\t' || '><;&|()'.includes(ch)) break;
      if (ch === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError(i + 1, "unterminated '…' quote");
        text += line.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        let j = i + 1;
        let closed = false;
        while (j < n) {
          const d = line[j]!;
          if (d === '"') { closed = true; break; }
          if (d === '\\' && j + 1 < n && '"\\$`'.includes(line[j + 1]!)) { text += line[j + 1]; j += 2; continue; }
          if (d === '$' || d === '`') throw new ShellSyntaxError(j + 1, `'${d}' expansion is not supported (quote it with '…')`);
          text += d;
          j++;
        }
        if (!closed) throw new ShellSyntaxError(i + 1, 'unterminated "…" quote');
        i = j + 1;
      } else if (ch === '\\') {
        if (i + 1 >= n) throw new ShellSyntaxError(i + 1, 'backslash at end of line');
        text += line[i + 1];
        i += 2;
      } else if (ch === '$' || ch === '*' || ch === '?' || ch === '~' && text === '') {
        if (ch === '$') throw new ShellSyntaxError(i + 1, "variables are not supported (quote a literal '$' with '…')");
        if (ch === '~') throw new ShellSyntaxError(i + 1, "'~' expansion is not supported");
        throw new ShellSyntaxError(i + 1, `glob '${ch}' is not supported (quote it to pass it literally)`);
      } else {
        text += ch;
        i++;
      }
    }
    toks.push({ kind: 'word', text, col });
  }
  return toks;
}

/** Parse one line. An empty or comment-only line gives an empty list. */
export function parseLine(line: string): CommandList {
  const toks = tokenize(line);
  const items: CommandList['items'] = [];
  let background = false;
  let cur: SimpleCommand | null = null;
  let pending: Connector | null = null;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (background) throw new ShellSyntaxError(t.col, "only one command list per line may follow '&'");
    if (t.kind === 'word') {
      if (!cur) { cur = { argv: [], redirects: [], column: t.col }; }
      cur.argv.push(t.text);
      continue;
    }
    switch (t.text) {
      case '>': case '>>': case '<': case '2>': case '2>>': {
        const target = toks[k + 1];
        if (!target || target.kind !== 'word') throw new ShellSyntaxError(t.col, `'${t.text}' needs a file name`);
        if (!cur) cur = { argv: [], redirects: [], column: t.col };
        cur.redirects.push({ op: t.text, target: target.text, column: target.col });
        k++;
        break;
      }
      case '2>&1':
        if (!cur) cur = { argv: [], redirects: [], column: t.col };
        cur.redirects.push({ op: '2>&1', target: '', column: t.col });
        break;
      case ';': case '&&': case '||': case '&': {
        if (!cur || cur.argv.length === 0) throw new ShellSyntaxError(t.col, `unexpected '${t.text}'`);
        items.push({ connector: pending, command: cur });
        cur = null;
        if (t.text === '&') background = true;
        else pending = t.text as Connector;
        break;
      }
      default:
        throw new ShellSyntaxError(t.col, `unexpected '${t.text}'`);
    }
  }
  if (cur) {
    if (cur.argv.length === 0) throw new ShellSyntaxError(cur.column, 'a redirection without a command');
    items.push({ connector: pending, command: cur });
  } else if (pending === '&&' || pending === '||') {
    throw new ShellSyntaxError(line.length + 1, `'${pending}' at end of line needs a command after it`);
  }
  return { items, background };
}
