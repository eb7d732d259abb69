// mkdir, rmdir, rm, mv, ln, mknod, mkfifo — GNU coreutils 9.1 texts and exit codes.
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT } from '../../host/constants.ts';
import { basename, getopts, joinPath, q, strerror, type Ctx } from '../context.ts';
import { sys, type Job } from '../job.ts';

export function* mkdir(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'pm:', 'mkdir', ctx);
  if (!g) return 1;
  if (g.operands.length === 0) { ctx.err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n"); return 1; }
  const m = g.opts.get('m');
  const mode = typeof m === 'string' ? parseInt(m, 8) : 0o777;
  let status = 0;
  for (const p of g.operands) {
    if (g.opts.has('p')) {
      const parts = p.split('/');
      let cur = p.startsWith('/') ? '' : '.';
      for (const part of parts) {
        if (!part) continue;
        cur = cur === '' ? `/${part}` : `${cur}/${part}`;
        const r = yield* sys(ctx.os.mkdir(cur, mode));
        if (!r.ok && r.errno !== 'EEXIST') { ctx.err(`mkdir: cannot create directory ${q(cur.replace(/^\.\//, ''))}: ${strerror(r.errno)}\n`); status = 1; break; }
      }
      continue;
    }
    const r = yield* sys(ctx.os.mkdir(p, mode));
    if (!r.ok) { ctx.err(`mkdir: cannot create directory ${q(p)}: ${strerror(r.errno)}\n`); status = 1; continue; }
    // With -m, mkdir.c chmods afterwards so the mode is exact despite the umask.
    if (typeof m === 'string') yield* sys(ctx.os.chmod(p, mode));
  }
  return status;
}

export function* rmdir(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, '', 'rmdir', ctx);
  if (!g) return 1;
  if (g.operands.length === 0) { ctx.err("rmdir: missing operand\nTry 'rmdir --help' for more information.\n"); return 1; }
  let status = 0;
  for (const p of g.operands) {
    const r = yield* sys(ctx.os.rmdir(p));
    if (!r.ok) { ctx.err(`rmdir: failed to remove ${q(p)}: ${strerror(r.errno)}\n`); status = 1; }
  }
  return status;
}

function* removeTree(ctx: Ctx, path: string): Job<boolean> {
  const ents = yield* sys(ctx.os.readdir(path));
  if (!ents.ok) { ctx.err(`rm: cannot remove ${q(path)}: ${strerror(ents.errno)}\n`); return false; }
  let ok = true;
  for (const e of ents.value) {
    if (e.name === '.' || e.name === '..') continue;
    const child = joinPath(path, e.name);
    const st = yield* sys(ctx.os.lstat(child));
    if (st.ok && (st.value.mode & S_IFMT) === S_IFDIR) { ok = (yield* removeTree(ctx, child)) && ok; continue; }
    const u = yield* sys(ctx.os.unlink(child));
    if (!u.ok) { ctx.err(`rm: cannot remove ${q(child)}: ${strerror(u.errno)}\n`); ok = false; }
  }
  const r = yield* sys(ctx.os.rmdir(path));
  if (!r.ok && ok) { ctx.err(`rm: cannot remove ${q(path)}: ${strerror(r.errno)}\n`); return false; }
  return ok && r.ok;
}

export function* rm(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'rRfd', 'rm', ctx);
  if (!g) return 1;
  const force = g.opts.has('f');
  const recursive = g.opts.has('r') || g.opts.has('R');
  if (g.operands.length === 0 && !force) { ctx.err("rm: missing operand\nTry 'rm --help' for more information.\n"); return 1; }
  let status = 0;
  for (const p of g.operands) {
    const st = yield* sys(ctx.os.lstat(p));
    if (!st.ok) {
      if (force && st.errno === 'ENOENT') continue;
      ctx.err(`rm: cannot remove ${q(p)}: ${strerror(st.errno)}\n`); status = 1; continue;
    }
    if ((st.value.mode & S_IFMT) === S_IFDIR) {
      if (recursive) { if (!(yield* removeTree(ctx, p))) status = 1; continue; }
      if (g.opts.has('d')) {
        const r = yield* sys(ctx.os.rmdir(p));
        if (!r.ok) { ctx.err(`rm: cannot remove ${q(p)}: ${strerror(r.errno)}\n`); status = 1; }
        continue;
      }
      ctx.err(`rm: cannot remove ${q(p)}: Is a directory\n`); status = 1; continue;
    }
    const u = yield* sys(ctx.os.unlink(p));
    if (!u.ok) { ctx.err(`rm: cannot remove ${q(p)}: ${strerror(u.errno)}\n`); status = 1; }
  }
  return status;
}

/** Target path for mv/ln: inside DEST when DEST is an existing directory (followed). */
function* intoDir(ctx: Ctx, src: string, dest: string, noDeref = false): Job<string> {
  const st = yield* sys(noDeref ? ctx.os.lstat(dest) : ctx.os.stat(dest));
  if (st.ok && (st.value.mode & S_IFMT) === S_IFDIR) return joinPath(dest.replace(/\/+$/, '') || '/', basename(src));
  return dest;
}

export function* mv(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'fTn', 'mv', ctx);
  if (!g) return 1;
  if (g.operands.length < 2) {
    ctx.err(g.operands.length === 0 ? "mv: missing file operand\nTry 'mv --help' for more information.\n" : `mv: missing destination file operand after ${q(g.operands[0]!)}\nTry 'mv --help' for more information.\n`);
    return 1;
  }
  const dest = g.operands[g.operands.length - 1]!;
  let status = 0;
  for (const src of g.operands.slice(0, -1)) {
    const s = yield* sys(ctx.os.lstat(src));
    if (!s.ok) { ctx.err(`mv: cannot stat ${q(src)}: ${strerror(s.errno)}\n`); status = 1; continue; }
    const to = g.opts.has('T') ? dest : yield* intoDir(ctx, src, dest);
    const r = yield* sys(ctx.os.rename(src, to));
    // Cross-device moves (copy + unlink in mv.c) are not modelled: the EXDEV is reported as is.
    if (!r.ok) { ctx.err(`mv: cannot move ${q(src)} to ${q(to)}: ${strerror(r.errno)}\n`); status = 1; }
  }
  return status;
}

export function* ln(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'sfnT', 'ln', ctx);
  if (!g) return 1;
  if (g.operands.length === 0) { ctx.err("ln: missing file operand\nTry 'ln --help' for more information.\n"); return 1; }
  const symbolic = g.opts.has('s');
  const target = g.operands[0]!;
  let link = g.operands[1] ?? basename(target);
  if (g.operands.length >= 2 && !g.opts.has('T')) link = yield* intoDir(ctx, target, link, g.opts.has('n'));
  if (g.opts.has('f')) yield* sys(ctx.os.unlink(link));
  const r = yield* sys(symbolic ? ctx.os.symlink(target, link) : ctx.os.link(target, link));
  if (!r.ok) {
    // ln.c (coreutils 9.1): the short form for errors that are about the destination.
    if (symbolic) ctx.err(r.errno === 'ENAMETOOLONG' ? `ln: failed to create symbolic link ${q(link)} -> ${q(target)}: ${strerror(r.errno)}\n` : `ln: failed to create symbolic link ${q(link)}: ${strerror(r.errno)}\n`);
    else if (r.errno === 'EMLINK') ctx.err(`ln: failed to create hard link to ${q(target)}: ${strerror(r.errno)}\n`);
    else if (r.errno === 'EDQUOT' || r.errno === 'EEXIST' || r.errno === 'ENOSPC' || r.errno === 'EROFS') ctx.err(`ln: failed to create hard link ${q(link)}: ${strerror(r.errno)}\n`);
    else if (r.errno === 'ENOENT') ctx.err(`ln: failed to access ${q(target)}: ${strerror(r.errno)}\n`);
    else ctx.err(`ln: failed to create hard link ${q(link)} => ${q(target)}: ${strerror(r.errno)}\n`);
    return 1;
  }
  return 0;
}

export function* mknod(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'm:', 'mknod', ctx);
  if (!g) return 1;
  const [name, type, maj, min] = g.operands;
  const m = g.opts.get('m');
  const perm = typeof m === 'string' ? parseInt(m, 8) : 0o666;
  if (!name || !type) { ctx.err("mknod: missing operand\nTry 'mknod --help' for more information.\n"); return 1; }
  let mode: number;
  let rdev = 0n;
  if (type === 'p') {
    if (maj !== undefined) { ctx.err(`mknod: extra operand ${q(maj)}\nFifos do not have major and minor device numbers.\nTry 'mknod --help' for more information.\n`); return 1; }
    mode = S_IFIFO | perm;
  } else if (type === 'b' || type === 'c' || type === 'u') {
    if (maj === undefined || min === undefined) { ctx.err(`mknod: missing operand after ${q(maj ?? type)}\nSpecial files require major and minor device numbers.\nTry 'mknod --help' for more information.\n`); return 1; }
    const M = Number(maj);
    const N = Number(min);
    if (!Number.isInteger(M) || M < 0) { ctx.err(`mknod: invalid major device number ${q(maj)}\n`); return 1; }
    if (!Number.isInteger(N) || N < 0) { ctx.err(`mknod: invalid minor device number ${q(min)}\n`); return 1; }
    mode = (type === 'b' ? S_IFBLK : S_IFCHR) | perm;
    // glibc makedev
    rdev = (BigInt(N & 0xff) | (BigInt(M & 0xfff) << 8n) | (BigInt(N & ~0xff) << 12n) | (BigInt(M & ~0xfff) << 32n));
  } else { ctx.err(`mknod: invalid device type ${q(type)}\nTry 'mknod --help' for more information.\n`); return 1; }
  const r = yield* sys(ctx.os.mknod(name, mode, rdev));
  if (!r.ok) { ctx.err(`mknod: ${name}: ${strerror(r.errno)}\n`); return 1; }
  if (typeof m === 'string') yield* sys(ctx.os.chmod(name, perm));
  return 0;
}

export function* mkfifo(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'm:', 'mkfifo', ctx);
  if (!g) return 1;
  let status = 0;
  for (const p of g.operands) {
    const r = yield* sys(ctx.os.mknod(p, S_IFIFO | 0o666, 0n));
    if (!r.ok) { ctx.err(`mkfifo: cannot create fifo ${q(p)}: ${strerror(r.errno)}\n`); status = 1; }
  }
  return status;
}
