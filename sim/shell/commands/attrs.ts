// chmod, chown, getfattr, setfattr — GNU coreutils 9.1 and attr 2.5.1 texts.
import { S_IFDIR, S_IFMT } from '../../host/constants.ts';
import { getopts, loadNames, q, strerror, type Ctx } from '../context.ts';
import { sys, type Job } from '../job.ts';
import { bytesText } from './files.ts';

/** chmod MODE: octal, or symbolic clauses [ugoa]*[+-=][rwxXst]* joined by ','. */
export function applyMode(spec: string, old: number, isDir: boolean, umask = 0o022): number | null {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = old & 0o7777;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) return null;
    const [, who, op, perms] = m as unknown as [string, string, string, string];
    const whoMask = who === '' ? 0o7777 & ~umask : (who.includes('a') ? 0o7777 : 0) | (who.includes('u') ? 0o4700 : 0) | (who.includes('g') ? 0o2070 : 0) | (who.includes('o') ? 0o1007 : 0);
    let bits = 0;
    for (const p of perms) {
      if (p === 'r') bits |= 0o444;
      if (p === 'w') bits |= 0o222;
      if (p === 'x' || (p === 'X' && (isDir || (old & 0o111) !== 0))) bits |= 0o111;
      if (p === 's') bits |= 0o6000;
      if (p === 't') bits |= 0o1000;
    }
    bits &= who === '' ? whoMask | 0o7000 : whoMask;
    if (op === '+') mode |= bits;
    else if (op === '-') mode &= ~bits;
    else mode = (mode & ~(who === '' ? 0o7777 : whoMask)) | bits;
  }
  return mode;
}

export function* chmod(ctx: Ctx, argv: string[]): Job<number> {
  // A mode like -w looks like an option: chmod.c accepts it as the mode operand.
  const modeArg = argv[0];
  if (modeArg === undefined || argv.length < 2) { ctx.err(modeArg === undefined ? "chmod: missing operand\nTry 'chmod --help' for more information.\n" : `chmod: missing operand after ${q(modeArg)}\nTry 'chmod --help' for more information.\n`); return 1; }
  let status = 0;
  for (const p of argv.slice(1)) {
    const st = yield* sys(ctx.os.stat(p));
    if (!st.ok) { ctx.err(`chmod: cannot access ${q(p)}: ${strerror(st.errno)}\n`); status = 1; continue; }
    const mode = applyMode(modeArg, st.value.mode, (st.value.mode & S_IFMT) === S_IFDIR);
    if (mode === null) { ctx.err(`chmod: invalid mode: ${q(modeArg)}\nTry 'chmod --help' for more information.\n`); return 1; }
    const r = yield* sys(ctx.os.chmod(p, mode));
    if (!r.ok) { ctx.err(`chmod: changing permissions of ${q(p)}: ${strerror(r.errno)}\n`); status = 1; }
  }
  return status;
}

export function* chown(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'h', 'chown', ctx);
  if (!g) return 1;
  const [spec, ...files] = g.operands;
  if (spec === undefined || files.length === 0) { ctx.err(spec === undefined ? "chown: missing operand\nTry 'chown --help' for more information.\n" : `chown: missing operand after ${q(spec)}\nTry 'chown --help' for more information.\n`); return 1; }
  const names = yield* loadNames(ctx.os);
  const [u, gr] = spec.includes(':') ? spec.split(':', 2) as [string, string] : [spec, undefined];
  let uid = -1;
  let gid = -1;
  if (u !== '') {
    uid = /^\d+$/.test(u) ? Number(u) : names.uidOf(u) ?? -2;
    if (uid === -2) { ctx.err(`chown: invalid user: ${q(spec)}\n`); return 1; }
  }
  if (gr !== undefined && gr !== '') {
    gid = /^\d+$/.test(gr) ? Number(gr) : names.gidOf(gr) ?? -2;
    if (gid === -2) { ctx.err(`chown: invalid group: ${q(spec)}\n`); return 1; }
  }
  let status = 0;
  for (const p of files) {
    const r = yield* sys(ctx.os.chown(p, uid, gid, !g.opts.has('h')));
    if (!r.ok) {
      ctx.err(r.errno === 'ENOENT' ? `chown: cannot access ${q(p)}: ${strerror(r.errno)}\n` : `chown: changing ownership of ${q(p)}: ${strerror(r.errno)}\n`);
      status = 1;
    }
  }
  return status;
}

/** attr's value encoding: "text" when printable, else 0x… hex (getfattr -e default). */
function encodeValue(v: Uint8Array): string {
  const printable = Array.from(v).every((b) => (b >= 0x20 && b < 0x7f) || b === 10 || b === 9);
  if (printable) return `"${bytesText(v).replace(/(["\\])/g, '\\$1').replace(/\n/g, '\\012')}"`;
  return '0x' + Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function* getfattr(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'hdn:m:', 'getfattr', ctx);
  if (!g) return 1;
  const follow = !g.opts.has('h');
  const name = g.opts.get('n');
  const pattern = g.opts.get('m');
  const re = new RegExp(typeof pattern === 'string' ? pattern : '^user\\.');
  let status = 0;
  let warned = false;
  for (const p of g.operands) {
    // getfattr.c strips the leading '/' and warns once (unless --absolute-names).
    let shown = p;
    if (p.startsWith('/')) {
      if (!warned) { ctx.err("getfattr: Removing leading '/' from absolute path names\n"); warned = true; }
      shown = p.replace(/^\/+/, '');
    }
    if (typeof name === 'string') {
      const v = yield* sys(ctx.os.getxattr(p, name, follow));
      if (!v.ok) { ctx.err(`${p}: ${name}: ${v.errno === 'ENODATA' ? 'No such attribute' : strerror(v.errno)}\n`); status = 1; continue; }
      ctx.out(`# file: ${shown}\n${name}=${encodeValue(v.value)}\n\n`);
      continue;
    }
    const l = yield* sys(ctx.os.listxattr(p, follow));
    if (!l.ok) { ctx.err(`getfattr: ${p}: ${strerror(l.errno)}\n`); status = 1; continue; }
    const names = l.value.filter((n) => re.test(n)).sort();
    if (names.length === 0) continue;
    let block = `# file: ${shown}\n`;
    for (const n of names) {
      if (!g.opts.has('d')) { block += `${n}\n`; continue; }
      const v = yield* sys(ctx.os.getxattr(p, n, follow));
      block += v.ok ? `${n}=${encodeValue(v.value)}\n` : '';
    }
    ctx.out(block + '\n');
  }
  return status;
}

function decodeValue(s: string): Uint8Array {
  let text = s;
  if (/^0x[0-9a-fA-F]*$/.test(s)) return Uint8Array.from((s.slice(2).match(/../g) ?? []).map((h) => parseInt(h, 16)));
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) text = s.slice(1, -1);
  const enc = unescape(encodeURIComponent(text));
  return Uint8Array.from(enc, (c) => c.charCodeAt(0));
}

export function* setfattr(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'hn:v:x:', 'setfattr', ctx);
  if (!g) return 1;
  const follow = !g.opts.has('h');
  const name = g.opts.get('n');
  const remove = g.opts.get('x');
  if (typeof name !== 'string' && typeof remove !== 'string') { ctx.err('Usage: setfattr {-n name} [-v value] [-h] file...\n       setfattr {-x name} [-h] file...\nTry `setfattr --help\' for more information.\n'); return 1; }
  let status = 0;
  for (const p of g.operands) {
    const r = typeof remove === 'string'
      ? yield* sys(ctx.os.removexattr(p, remove, follow))
      : yield* sys(ctx.os.setxattr(p, name as string, decodeValue(typeof g.opts.get('v') === 'string' ? g.opts.get('v') as string : ''), 0, follow));
    if (!r.ok) { ctx.err(`setfattr: ${p}: ${r.errno === 'ENODATA' ? 'No such attribute' : strerror(r.errno)}\n`); status = 1; }
  }
  return status;
}
