// Shell quoting the way libvirt prints command lines (virBufferEscapeShell, used by
// virCommandToString and hence by `virsh domxml-to-native`): a word is quoted only when it contains
// one of the shell's special characters; quoting is '…' with an embedded ' written as '\''.

const SPECIAL = /[\t\n !"#$&'()*;<>?[\\\]^`{|}~]/;

export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (!SPECIAL.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command line for reading: environment and program on the first line, then one option per line
 * (a word starting with '-' opens a line, its value follows), joined with " \\\n" as libvirt's
 * test files do.
 */
export function formatCommandLine(env: readonly string[], argv: readonly string[]): string {
  const lines: string[] = [];
  let cur: string[] = [...env.map(shellQuote)];
  argv.forEach((w, i) => {
    if (i > 0 && w.startsWith('-') && cur.length) {
      lines.push(cur.join(' '));
      cur = [];
    }
    cur.push(shellQuote(w));
  });
  if (cur.length) lines.push(cur.join(' '));
  return lines.join(' \\\n');
}
