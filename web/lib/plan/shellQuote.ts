// Shell quoting for the copy buttons: the launch plan's argv arrays are exact words (one word per
// element, unquoted, as libvirt passes them to execve), and "copy" must give a POSIX sh command line
// that reproduces exactly those words when pasted into a shell.

/** Characters that never need quoting in POSIX sh (no globbing, expansion, splitting or redirection). */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** A leading `NAME=value` word is an environment assignment (libvirt prefixes LC_ALL=C PATH=… HOME=…). */
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/**
 * Quote one word for POSIX sh. Single quotes preserve everything except `'` itself, which is written as
 * `'\''` (close, escaped quote, reopen). The empty word becomes `''` so it is not dropped.
 */
export function shellQuoteWord(word: string): string {
  if (word === '') return "''";
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Join argv into one command line. Leading environment assignments keep their `NAME=` unquoted (a
 * quoted `'HOME=/a b'` would be taken as the command name, not an assignment); only the value is
 * quoted. A `=` inside later words is quoted normally.
 */
export function shellCommandLine(argv: readonly string[]): string {
  const out: string[] = [];
  let inPrefix = true;
  for (const word of argv) {
    const m = inPrefix ? ASSIGNMENT.exec(word) : null;
    if (m) {
      out.push(`${m[1]}=${m[2] === '' ? '' : shellQuoteWord(m[2]!)}`);
      continue;
    }
    inPrefix = false;
    out.push(shellQuoteWord(word));
  }
  return out.join(' ');
}
