// Layout of a command line for reading: libvirt's golden `.args` files and `virtfs-lab argv` print one
// option per line (libvirt.md §3.7, style.md §4.1); the playground does the same so an `-fsdev` and its
// value stay together. Pure function of the words: the UI keeps word indices so each rendered word can
// be cross-highlighted with the XML through `origins` (which are keyed by word index).

export interface ArgvLine {
  /** What this line is: environment assignments, the program, or an option with its values. */
  kind: 'env' | 'program' | 'option';
  /** Indices into the argv array, in order. */
  words: number[];
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Group argv words: all leading `NAME=value` words on one line, then the program, then one line per
 * option (a word starting with `-`) together with the non-option words that follow it.
 */
export function argvLines(argv: readonly string[]): ArgvLine[] {
  const lines: ArgvLine[] = [];
  let i = 0;
  const env: number[] = [];
  while (i < argv.length && ASSIGNMENT.test(argv[i]!)) env.push(i++);
  if (env.length) lines.push({ kind: 'env', words: env });
  if (i < argv.length) lines.push({ kind: 'program', words: [i++] });
  let current: ArgvLine | null = null;
  for (; i < argv.length; i++) {
    const w = argv[i]!;
    if (w.startsWith('-') || current === null) {
      current = { kind: 'option', words: [i] };
      lines.push(current);
    } else {
      current.words.push(i);
    }
  }
  return lines;
}
