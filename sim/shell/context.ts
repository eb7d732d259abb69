// What a running command sees: the machine (ShellOs), its output streams, and helpers for the GNU
// message shapes and user/group names (read from the machine's own /etc/passwd and /etc/group, as
// glibc's NSS "files" module does — so those reads show up in the trace like a real `ls -l`).
import { STRERROR, type Errno } from '../host/errno.ts';
import { O_RDONLY } from '../host/constants.ts';
import { sys, type Job } from './job.ts';
import type { ShellOs } from './os.ts';

export interface Ctx {
  os: ShellOs;
  out(s: string): void;
  err(s: string): void;
  /** Change the session's directory (cd). */
  setCwd(path: string): void;
  /** Run another command line as a child (setpriv). */
  spawn(os: ShellOs, argv: string[]): Job<number>;
}

export function strerror(e: Errno): string {
  return STRERROR[e] ?? e;
}

/** GNU quote(): 'name' in messages (shell-escape quoting; names with ' get "…"). */
export function q(name: string): string {
  return name.includes("'") ? `"${name.replace(/(["\\$`])/g, '\\$1')}"` : `'${name}'`;
}

/** Read a whole (small) file; null on any error. */
export function* readWhole(os: ShellOs, path: string): Job<string | null> {
  const fd = yield* sys(os.open(path, O_RDONLY, 0));
  if (!fd.ok) return null;
  let text = '';
  for (;;) {
    const r = yield* sys(os.read(fd.value, 65536));
    if (!r.ok || r.value.length === 0) break;
    text += latin1ToText(r.value);
  }
  os.close(fd.value);
  return text;
}

function latin1ToText(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  try { return decodeURIComponent(escape(s)); } catch { return s; }
}

export interface Names { user(uid: number): string | null; group(gid: number): string | null; uidOf(name: string): number | null; gidOf(name: string): number | null }

/** getpwuid/getgrgid over /etc/passwd and /etc/group of the machine. */
export function* loadNames(os: ShellOs): Job<Names> {
  const parse = (text: string | null) => (text ?? '').split('\n').filter((l) => l.includes(':')).map((l) => l.split(':'));
  const pw = parse(yield* readWhole(os, '/etc/passwd'));
  const gr = parse(yield* readWhole(os, '/etc/group'));
  const by = (rows: string[][], id: number) => rows.find((r) => Number(r[2]) === id)?.[0] ?? null;
  const idOf = (rows: string[][], name: string) => { const r = rows.find((x) => x[0] === name); return r ? Number(r[2]) : null; };
  return {
    user: (uid) => by(pw, uid),
    group: (gid) => by(gr, gid),
    uidOf: (n) => idOf(pw, n),
    gidOf: (n) => idOf(gr, n),
  };
}

/** Resolve a relative path against the cwd for display-independent joins. */
export function joinPath(dir: string, name: string): string {
  if (name.startsWith('/')) return name;
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function basename(p: string): string {
  const t = p.replace(/\/+$/, '');
  const i = t.lastIndexOf('/');
  return i < 0 ? t : t.slice(i + 1) || '/';
}

/** Parse GNU-style short options (-la) up to '--' or the first operand; unknown → error message. */
export function getopts(argv: string[], spec: string, prog: string, ctx: Ctx): { opts: Map<string, string | true>; operands: string[] } | null {
  const opts = new Map<string, string | true>();
  const operands: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') { operands.push(a); continue; }
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      const at = spec.indexOf(c);
      if (at < 0) {
        ctx.err(`${prog}: invalid option -- '${c}'\nTry '${prog} --help' for more information.\n`);
        return null;
      }
      if (spec[at + 1] === ':') {
        const val = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
        if (val === undefined) {
          ctx.err(`${prog}: option requires an argument -- '${c}'\nTry '${prog} --help' for more information.\n`);
          return null;
        }
        opts.set(c, val);
        break;
      }
      opts.set(c, true);
    }
  }
  operands.push(...argv.slice(i));
  return { opts, operands };
}
