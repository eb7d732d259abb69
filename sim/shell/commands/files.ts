// cat, touch, truncate — GNU coreutils 9.1 syscall sequences and texts.
import { O_CREAT, O_NOCTTY, O_NONBLOCK, O_RDONLY, O_WRONLY } from '../../host/constants.ts';
import { getopts, q, strerror, type Ctx } from '../context.ts';
import { sys, type Job } from '../job.ts';
import type { TimeArg } from '../os.ts';

/** Bytes → text for the terminal (UTF-8 where valid, else one char per byte). */
export function bytesText(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  try { return decodeURIComponent(escape(s)); } catch { return s; }
}

export function* cat(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, '', 'cat', ctx);
  if (!g) return 1;
  let status = 0;
  for (const p of g.operands) {
    const fd = yield* sys(ctx.os.open(p, O_RDONLY, 0));
    if (!fd.ok) { ctx.err(`cat: ${p}: ${strerror(fd.errno)}\n`); status = 1; continue; }
    for (;;) {
      // cat.c reads io_blksize() chunks (128 KiB in 9.1).
      const r = yield* sys(ctx.os.read(fd.value, 131072));
      if (!r.ok) { ctx.err(`cat: ${p}: ${strerror(r.errno)}\n`); status = 1; break; }
      if (r.value.length === 0) break;
      ctx.out(bytesText(r.value));
    }
    yield* sys(ctx.os.close(fd.value));
  }
  return status;
}

/** `-d @SEC[.FRACTION]` (the only date form modelled: no calendar parser). */
function parseAtDate(s: string): { sec: number; nsec: number } | null {
  const m = /^@(-?\d+)(?:\.(\d{1,9}))?$/.exec(s);
  if (!m) return null;
  return { sec: Number(m[1]), nsec: Number((m[2] ?? '').padEnd(9, '0') || '0') };
}

export function* touch(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'amchd:', 'touch', ctx);
  if (!g) return 1;
  if (g.operands.length === 0) { ctx.err("touch: missing file operand\nTry 'touch --help' for more information.\n"); return 1; }
  let when: TimeArg = 'now';
  const d = g.opts.get('d');
  if (typeof d === 'string') {
    const t = parseAtDate(d);
    if (!t) { ctx.err(`touch: invalid date format ${q(d)}\n`); return 1; }
    when = t;
  }
  // -a / -m: change only that time; the other is UTIME_OMIT (touch.c).
  const onlyA = g.opts.has('a') && !g.opts.has('m');
  const onlyM = g.opts.has('m') && !g.opts.has('a');
  const atime: TimeArg = onlyM ? 'omit' : when;
  const mtime: TimeArg = onlyA ? 'omit' : when;
  const noCreate = g.opts.has('c');
  const noDeref = g.opts.has('h');
  let status = 0;
  for (const p of g.operands) {
    // touch.c: fd = open(file, O_WRONLY|O_CREAT|O_NONBLOCK|O_NOCTTY, 0666) unless -c/-h; open
    // failures are reported only if the utimensat below fails too.
    let openErr: string | null = null;
    let fd = -1;
    if (!noCreate && !noDeref) {
      const o = yield* sys(ctx.os.open(p, O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY, 0o666));
      if (o.ok) fd = o.value; else openErr = o.errno;
    }
    const u = yield* sys(fd >= 0 ? ctx.os.futimens(fd, atime, mtime) : ctx.os.utimensat(p, atime, mtime, !noDeref));
    if (fd >= 0) yield* sys(ctx.os.close(fd));
    if (!u.ok) {
      if (noCreate && u.errno === 'ENOENT') continue;
      if (openErr !== null && openErr !== 'EISDIR') ctx.err(`touch: cannot touch ${q(p)}: ${strerror(openErr as never)}\n`);
      else ctx.err(`touch: setting times of ${q(p)}: ${strerror(u.errno)}\n`);
      status = 1;
    }
  }
  return status;
}

function parseSize(s: string): number | null {
  const m = /^(\d+)([KMG]?)$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * (m[2] === 'K' ? 1024 : m[2] === 'M' ? 1024 ** 2 : m[2] === 'G' ? 1024 ** 3 : 1);
}

export function* truncate(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'cs:', 'truncate', ctx);
  if (!g) return 1;
  const s = g.opts.get('s');
  if (typeof s !== 'string') { ctx.err("truncate: you must specify either '--size' or '--reference'\nTry 'truncate --help' for more information.\n"); return 1; }
  const size = parseSize(s);
  if (size === null) { ctx.err(`truncate: Invalid number: ${q(s)}\n`); return 1; }
  let status = 0;
  for (const p of g.operands) {
    // truncate.c: open(O_WRONLY | O_NONBLOCK | (no_create ? 0 : O_CREAT), 0666), then ftruncate.
    const o = yield* sys(ctx.os.open(p, O_WRONLY | O_NONBLOCK | (g.opts.has('c') ? 0 : O_CREAT), 0o666));
    if (!o.ok) {
      if (g.opts.has('c') && o.errno === 'ENOENT') continue;
      ctx.err(`truncate: cannot open ${q(p)} for writing: ${strerror(o.errno)}\n`); status = 1; continue;
    }
    const t = yield* sys(ctx.os.ftruncate(o.value, size));
    yield* sys(ctx.os.close(o.value));
    if (!t.ok) { ctx.err(`truncate: failed to truncate ${q(p)} at ${size} bytes: ${strerror(t.errno)}\n`); status = 1; }
  }
  return status;
}
