// ls [-l] [-a] [-A] [-d] [-n] [-i] [-1] — GNU coreutils 9.1 behaviour in the C locale, output not a
// tty (one name per line; no quoting of plain names). Exit 2 when an operand cannot be accessed
// ("serious trouble"), 1 for a directory that cannot be read below the command line (src/ls.c).
import { S_IFDIR, S_IFLNK, S_IFMT } from '../../host/constants.ts';
import type { Stat } from '../../host/types.ts';
import { getopts, joinPath, loadNames, q, strerror, type Ctx, type Names } from '../context.ts';
import { lsLong, type LsRow, type StatView } from '../format.ts';
import { sys, type Job } from '../job.ts';

export function toView(st: Stat): StatView {
  const ns = (t: { sec: number; nsec: number }) => BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
  return {
    dev: st.dev, ino: st.ino, mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid, rdev: Number(st.rdev),
    size: st.size, blksize: st.blksize, blocks: st.blocks, atimeNs: ns(st.atime), mtimeNs: ns(st.mtime), ctimeNs: ns(st.ctime), btimeNs: null,
  };
}

/** C-locale collation: compare UTF-16 code units of the names (byte order for ASCII names). */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function* ls(ctx: Ctx, argv: string[]): Job<number> {
  const g = getopts(argv, 'laAdni1', 'ls', ctx);
  if (!g) return 2;
  const long = g.opts.has('l') || g.opts.has('n');
  const numeric = g.opts.has('n');
  const all = g.opts.has('a');
  const almostAll = g.opts.has('A');
  const dirSelf = g.opts.has('d');
  const showIno = g.opts.has('i');
  const operands = g.operands.length ? g.operands : ['.'];
  let status = 0;
  const names: Names | null = long ? yield* loadNames(ctx.os) : null;
  const owner = (uid: number) => (numeric ? String(uid) : names!.user(uid) ?? String(uid));
  const group = (gid: number) => (numeric ? String(gid) : names!.group(gid) ?? String(gid));

  const files: { name: string; path: string; st: Stat }[] = [];
  const dirs: { name: string; st: Stat }[] = [];
  for (const op of operands) {
    // Command-line operands: followed when not long (or when they name a directory), like GNU ls
    // without -H/-L: in long format a symlink operand is shown as the link itself.
    const l = yield* sys(ctx.os.lstat(op));
    if (!l.ok) { ctx.err(`ls: cannot access ${q(op)}: ${strerror(l.errno)}\n`); status = 2; continue; }
    let st = l.value;
    if ((st.mode & S_IFMT) === S_IFLNK && !long) {
      const f = yield* sys(ctx.os.stat(op));
      if (f.ok) st = f.value;
    } else if ((st.mode & S_IFMT) === S_IFLNK && long && op.endsWith('/')) {
      const f = yield* sys(ctx.os.stat(op));
      if (f.ok) st = f.value;
    }
    if ((st.mode & S_IFMT) === S_IFDIR && !dirSelf) dirs.push({ name: op, st });
    else files.push({ name: op, path: op, st });
  }

  const emit = function* (rows: { name: string; path: string; st: Stat }[], withTotal: boolean): Job<void> {
    if (!long) {
      for (const r of rows) ctx.out(`${showIno ? `${r.st.ino} ` : ''}${r.name}\n`);
      return;
    }
    const lrows: LsRow[] = [];
    for (const r of rows) {
      const row: LsRow = { name: r.name, st: toView(r.st), owner: owner(r.st.uid), group: group(r.st.gid) };
      if ((r.st.mode & S_IFMT) === S_IFLNK) {
        const t = yield* sys(ctx.os.readlink(r.path));
        if (t.ok) row.linkTarget = t.value;
      }
      lrows.push(row);
    }
    if (withTotal) {
      // ls.c: total of ST_NBLOCKS (512-byte units) shown in 1024-byte blocks, rounded up.
      const blocks = rows.reduce((s, r) => s + r.st.blocks, 0);
      ctx.out(`total ${Math.ceil((blocks * 512) / 1024)}\n`);
    }
    const lines = lsLong(lrows, ctx.os.nowNs());
    lines.forEach((line, i) => ctx.out(`${showIno ? `${rows[i]!.st.ino} ` : ''}${line}\n`));
  };

  files.sort((a, b) => byName(a.name, b.name));
  dirs.sort((a, b) => byName(a.name, b.name));
  yield* emit(files, false);
  const headers = files.length > 0 || dirs.length > 1 || status !== 0;
  let first = files.length === 0;
  for (const d of dirs) {
    const ents = yield* sys(ctx.os.readdir(d.name));
    if (!first) ctx.out('\n');
    first = false;
    if (headers) ctx.out(`${d.name}:\n`);
    if (!ents.ok) { ctx.err(`ls: cannot open directory ${q(d.name)}: ${strerror(ents.errno)}\n`); status = 2; continue; }
    const rows: { name: string; path: string; st: Stat }[] = [];
    const visible = ents.value
      .filter((e) => all || (almostAll ? e.name !== '.' && e.name !== '..' : !e.name.startsWith('.')))
      .sort((a, b) => byName(a.name, b.name));
    for (const e of visible) {
      const path = joinPath(d.name, e.name);
      if (long || showIno) {
        const st = yield* sys(ctx.os.lstat(path));
        if (!st.ok) { ctx.err(`ls: cannot access ${q(path)}: ${strerror(st.errno)}\n`); status = Math.max(status, 1); continue; }
        rows.push({ name: e.name, path, st: st.value });
      } else rows.push({ name: e.name, path, st: { ino: e.ino } as Stat });
    }
    yield* emit(rows, true);
  }
  return status;
}
