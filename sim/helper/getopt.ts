// GNU getopt_long as glibc 2.36 (Debian 12) implements it for an optstring without a leading '+', '-'
// or ':': arguments are permuted (non-options skipped, scanned past), "--" ends option parsing, long
// options match exactly or by unique prefix, and errors are printed to stderr with argv[0] in glibc's
// exact wording (posix/getopt.c). Observed texts: real-helper.md §4 (`unrecognized option '--help'`,
// `invalid option -- 'V'`).

export interface LongOption {
  name: string;
  hasArg: 'no' | 'required' | 'optional';
  /** What getopt returns for it (the helper maps each long option to its short letter). */
  val: string;
}

export type GetoptEvent =
  | { kind: 'option'; opt: string; arg?: string }
  /** getopt returned '?' after printing `message` (already newline-terminated). */
  | { kind: 'error'; message: string };

interface ShortSpec { arg: 'no' | 'required' | 'optional' }

function parseOptstring(optstring: string): Map<string, ShortSpec> {
  const m = new Map<string, ShortSpec>();
  for (let i = 0; i < optstring.length; i++) {
    const c = optstring[i]!;
    if (c === ':') continue;
    let arg: ShortSpec['arg'] = 'no';
    if (optstring[i + 1] === ':') {
      arg = optstring[i + 2] === ':' ? 'optional' : 'required';
    }
    m.set(c, { arg });
  }
  return m;
}

/**
 * Runs getopt_long over argv[1…] and yields what each call returns, in order. The caller stops at
 * the first event it acts on by exiting (as the helper does for '?', 'h').
 */
export function* getoptLong(argv: readonly string[], optstring: string, longopts: readonly LongOption[]): Generator<GetoptEvent> {
  const prog = argv[0] ?? '';
  const shorts = parseOptstring(optstring);
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return; // end of options; the rest are operands
    if (a.length < 2 || a[0] !== '-') continue; // operand, permuted to the end
    if (a[1] === '-') {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const exact = longopts.find((o) => o.name === name);
      const prefixed = exact ? [exact] : longopts.filter((o) => o.name.startsWith(name));
      // glibc treats several prefix matches that are identical in has_arg/val as one (not ambiguous).
      const distinct = prefixed.filter((o, k) => prefixed.findIndex((p) => p.hasArg === o.hasArg && p.val === o.val) === k);
      if (prefixed.length === 0) {
        yield { kind: 'error', message: `${prog}: unrecognized option '--${body}'\n` };
        continue;
      }
      if (distinct.length > 1) {
        const names = prefixed.map((o) => ` '--${o.name}'`).join('');
        yield { kind: 'error', message: `${prog}: option '--${body}' is ambiguous; possibilities:${names}\n` };
        continue;
      }
      const o = prefixed[0]!;
      if (eq >= 0) {
        if (o.hasArg === 'no') {
          yield { kind: 'error', message: `${prog}: option '--${o.name}' doesn't allow an argument\n` };
          continue;
        }
        yield { kind: 'option', opt: o.val, arg: body.slice(eq + 1) };
      } else if (o.hasArg === 'required') {
        if (i + 1 >= argv.length) {
          yield { kind: 'error', message: `${prog}: option '--${o.name}' requires an argument\n` };
          continue;
        }
        yield { kind: 'option', opt: o.val, arg: argv[++i]! };
      } else {
        yield { kind: 'option', opt: o.val };
      }
      continue;
    }
    // A cluster of short options: "-np" or "-pEXPORT".
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const spec = c === ':' ? undefined : shorts.get(c);
      if (!spec) {
        yield { kind: 'error', message: `${prog}: invalid option -- '${c}'\n` };
        continue;
      }
      if (spec.arg === 'no') {
        yield { kind: 'option', opt: c };
        continue;
      }
      const rest = a.slice(j + 1);
      if (rest.length > 0) {
        yield { kind: 'option', opt: c, arg: rest };
      } else if (spec.arg === 'optional') {
        yield { kind: 'option', opt: c };
      } else if (i + 1 < argv.length) {
        yield { kind: 'option', opt: c, arg: argv[++i]! };
      } else {
        yield { kind: 'error', message: `${prog}: option requires an argument -- '${c}'\n` };
      }
      break;
    }
  }
}

/**
 * glibc atoi: (int) strtol(s, NULL, 10) — leading white space, optional sign, decimal digits; stops at
 * the first non-digit ("abc" → 0, observed `-f abc` = stdin); strtol saturates at LONG_MIN/LONG_MAX and
 * the cast to int keeps the low 32 bits.
 */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s)!;
  if (!m[2]) return 0;
  let v = BigInt(m[2]);
  if (m[1] === '-') v = -v;
  const LONG_MAX = (1n << 63n) - 1n;
  const LONG_MIN = -(1n << 63n);
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < LONG_MIN) v = LONG_MIN;
  return Number(BigInt.asIntN(32, v));
}

/** GNU basename(3) (string.h with _GNU_SOURCE): everything after the last '/'. */
export function gnuBasename(path: string): string {
  const k = path.lastIndexOf('/');
  return k >= 0 ? path.slice(k + 1) : path;
}
