// stat, readlink, df, id, pwd — GNU coreutils 9.1 texts.
import { S_IFLNK, S_IFMT } from '../../host/constants.ts';
import { getopts, loadNames, q, strerror, type Ctx } from '../context.ts';
import { statDefault, statFormat, type StatFmtContext } from '../format.ts';
import { sys, type Job } from '../job.ts';
import { toView } from './ls.ts';

/** Longest mount target that is a prefix of the absolute path (stat %m, df). */
function mountOf(ctx: Ctx, path: string): { target: string; source: string; fstype: string } {
  const abs = path.startsWith('/') ? path : `${ctx.os.getcwd().replace(/\/$/, '')}/${path}`;
  let best = { target: '/', source: 'rootfs', fstype: 'rootfs' };
  for (const m of ctx.os.mounts()) {
    if ((abs === m.target || abs.startsWith(m.target === '/' ? '/' : m.target + '/')) && m.target.length >= best.target.length) best = m;
  }
  return best;
}

export function* stat(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'Lc:', 'stat', ctx);
  if (!g) return 1;
  if (g.operands.length === 0) { ctx.err("stat: missing operand\nTry 'stat --help' for more information.\n"); return 1; }
  const fmt = g.opts.get('c');
  const names = yield* loadNames(ctx.os);
  let status = 0;
  for (const p of g.operands) {
    const r = yield* sys(g.opts.has('L') ? ctx.os.stat(p) : ctx.os.lstat(p));
    // coreutils 9.x calls statx(), hence "cannot statx".
    if (!r.ok) { ctx.err(`stat: cannot statx ${q(p)}: ${strerror(r.errno)}\n`); status = 1; continue; }
    const st = r.value;
    const c: StatFmtContext = {
      name: p, st: toView(st), owner: names.user(st.uid) ?? 'UNKNOWN', group: names.group(st.gid) ?? 'UNKNOWN', mountPoint: mountOf(ctx, p).target,
    };
    if ((st.mode & S_IFMT) === S_IFLNK) {
      const t = yield* sys(ctx.os.readlink(p));
      if (t.ok) c.linkTarget = t.value;
    }
    ctx.out(typeof fmt === 'string' ? statFormat(fmt, c) + '\n' : statDefault(c));
  }
  return status;
}

export function* readlink(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'n', 'readlink', ctx);
  if (!g) return 1;
  if (g.operands.length === 0) { ctx.err("readlink: missing operand\nTry 'readlink --help' for more information.\n"); return 1; }
  let status = 0;
  for (const p of g.operands) {
    const r = yield* sys(ctx.os.readlink(p));
    // Without -v, GNU readlink fails silently (exit 1) on a non-link or a missing file.
    if (!r.ok) { status = 1; continue; }
    ctx.out(r.value + (g.opts.has('n') ? '' : '\n'));
  }
  return status;
}

export function* df(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'k', 'df', ctx);
  if (!g) return 1;
  const rows: string[][] = [['Filesystem', '1K-blocks', 'Used', 'Available', 'Use%', 'Mounted on']];
  let status = 0;
  const targets = g.operands.length ? g.operands.map((p) => ({ p, m: mountOf(ctx, p) })) : ctx.os.mounts().map((m) => ({ p: m.target, m }));
  for (const { p, m } of targets) {
    const r = yield* sys(ctx.os.statfs(p));
    if (!r.ok) { ctx.err(`df: ${q(p)}: ${strerror(r.errno)}\n`); status = 1; continue; }
    const s = r.value;
    const unit = s.frsize || s.bsize;
    const total = Math.ceil((s.blocks * unit) / 1024);
    const used = Math.ceil(((s.blocks - s.bfree) * unit) / 1024);
    const avail = Math.ceil((s.bavail * unit) / 1024);
    // df.c: Use% = used / (used + avail), rounded up; '-' when both are zero.
    const pct = used + avail === 0 ? '-' : `${Math.ceil((used * 100) / (used + avail))}%`;
    rows.push([m.source, String(total), String(used), String(avail), pct, m.target]);
  }
  // Widths: max of header and values; "Filesystem" at least 14 wide (as coreutils prints it).
  const w = [14, 0, 0, 0, 0].map((min, i) => Math.max(min, ...rows.map((r) => r[i]!.length)));
  for (const r of rows) {
    ctx.out(`${r[0]!.padEnd(w[0]!)} ${r[1]!.padStart(w[1]!)} ${r[2]!.padStart(w[2]!)} ${r[3]!.padStart(w[3]!)} ${r[4]!.padStart(w[4]!)} ${r[5]}\n`);
  }
  return status;
}

export function* id(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'ugn', 'id', ctx);
  if (!g) return 1;
  const ids = ctx.os.ids();
  const names = yield* loadNames(ctx.os);
  const nm = (n: number, f: (x: number) => string | null) => { const s = f(n); return s === null ? String(n) : `${n}(${s})`; };
  if (g.opts.has('u')) { ctx.out(`${g.opts.has('n') ? names.user(ids.uid) ?? ids.uid : ids.uid}\n`); return 0; }
  if (g.opts.has('g')) { ctx.out(`${g.opts.has('n') ? names.group(ids.gid) ?? ids.gid : ids.gid}\n`); return 0; }
  const groups = [ids.gid, ...ids.groups.filter((x) => x !== ids.gid)];
  ctx.out(`uid=${nm(ids.uid, names.user)} gid=${nm(ids.gid, names.group)} groups=${groups.map((x) => nm(x, names.group)).join(',')}\n`);
  return 0;
}

export function* pwd(ctx: Ctx): Job<number> {
  ctx.out(ctx.os.getcwd() + '\n');
  return 0;
}

export function* cd(ctx: Ctx, argv: string[]): Job<number> {
  const target = argv[0] ?? '/';
  const r = yield* sys(ctx.os.chdir(target));
  if (!r.ok) { ctx.err(`bash: cd: ${target}: ${strerror(r.errno)}\n`); return 1; }
  ctx.setCwd(target);
  return 0;
}
