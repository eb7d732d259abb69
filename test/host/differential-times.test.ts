// Differential test of timestamp update rules against the real Linux kernel (ext4, relatime):
// after each operation, WHICH of atime/mtime/ctime changed on every entry must be the same on both
// sides (the values themselves differ: real time vs the virtual clock). The real side sleeps between
// operations so coarse kernel timestamps move; the simulated clock advances by the same amount.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL, assertPresent, haveReal, inCI, isRoot } from '../support/real-components.ts';
import { Kernel, O_APPEND, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, dumpTree, timespecToNs, utf8Encode, type Process } from '../../sim/host/index.ts';

const ORACLE = path.join(__dirname, 'oracle', 'linux-times.py');
const SLEEP_S = 0.012;
const pathArb = fc.constantFrom('a', 'b', 'd/a', 'd/b', 'd');
type Op = Record<string, unknown> & { op: string };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('create'), p: pathArb }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constantFrom('write', 'append', 'read', 'otrunc', 'chown', 'unlink', 'mkdir', 'rmdir', 'setxattr', 'utime_now', 'readdir', 'readlink'), p: pathArb }), weight: 12 },
  fc.record({ op: fc.constant('truncate'), p: pathArb, len: fc.constantFrom(0, 2, 8) }),
  fc.record({ op: fc.constant('chmod'), p: pathArb, mode: fc.constantFrom(0o600, 0o755) }),
  fc.record({ op: fc.constantFrom('link', 'rename'), a: pathArb, b: pathArb }),
  fc.record({ op: fc.constant('symlink'), target: pathArb, p: pathArb }),
) as fc.Arbitrary<Op>;

function simOp(k: Kernel, t: Process, o: Op): string {
  const p = o.p as string;
  const fdo = (flags: number, then?: (fd: number) => { ok: boolean; errno?: string }): { ok: boolean; errno?: string } => {
    const fd = k.open(t, p, flags, 0o644);
    if (!fd.ok) return fd;
    const r = then ? then(fd.value) : { ok: true };
    k.close(t, fd.value);
    return r;
  };
  const r = ((): { ok: boolean; errno?: string } => {
    switch (o.op) {
      case 'create': return fdo(O_CREAT | O_WRONLY);
      case 'write': return fdo(O_WRONLY, (fd) => k.write(t, fd, utf8Encode('data')));
      case 'append': return fdo(O_WRONLY | O_APPEND, (fd) => k.write(t, fd, utf8Encode('more')));
      case 'read': return fdo(O_RDONLY, (fd) => k.read(t, fd, 100));
      case 'otrunc': return fdo(O_WRONLY | O_TRUNC);
      case 'truncate': return k.truncate(t, p, o.len as number);
      case 'chmod': return k.chmod(t, p, o.mode as number);
      case 'chown': return k.chown(t, p, 0, 0);
      case 'link': return k.link(t, o.a as string, o.b as string);
      case 'unlink': return k.unlink(t, p);
      case 'rename': return k.rename(t, o.a as string, o.b as string);
      case 'mkdir': return k.mkdir(t, p, 0o755);
      case 'rmdir': return k.rmdir(t, p);
      case 'symlink': return k.symlink(t, o.target as string, p);
      case 'setxattr': return k.lsetxattr(t, p, 'user.t', utf8Encode('v'), 0);
      case 'utime_now': return k.utimensat(t, -100, p, null, 0x100);
      case 'readdir': {
        const fd = k.open(t, p, O_RDONLY | 0o200000);
        if (!fd.ok) return fd;
        for (;;) { const d = k.getdents(t, fd.value); if (!d.ok) return d; if (d.value.length === 0) break; }
        return k.close(t, fd.value);
      }
      case 'readlink': return k.readlink(t, p, 4096);
    }
    throw new Error(o.op);
  })();
  return r.ok ? 'ok' : r.errno!;
}

type Snap = Record<string, [bigint, bigint, bigint]>;
function simSnap(k: Kernel): Snap {
  const out: Snap = {};
  for (const n of dumpTree(k, '/base')) out[n.path === '' ? '.' : n.path] = [timespecToNs(n.atime), timespecToNs(n.mtime), timespecToNs(n.ctime)];
  return out;
}
/** "path:a", "path:m", "path:c" for every field that moved between two snapshots. */
function changed(before: Snap, after: Snap): string[] {
  const out: string[] = [];
  for (const [p, v] of Object.entries(after)) {
    const b = before[p];
    if (!b) continue;
    ['a', 'm', 'c'].forEach((f, i) => { if (v[i] !== b[i]) out.push(`${p}:${f}`); });
  }
  return out.sort();
}

/** Mount options of the filesystem holding `dir` (the longest mount point that is a prefix). */
function mountOptions(dir: string): string {
  let best = { len: -1, opts: '' };
  for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, mnt, , opts] = line.split(' ');
    if (mnt && opts && (dir === mnt || dir.startsWith(mnt === '/' ? '/' : mnt + '/')) && mnt.length > best.len) best = { len: mnt.length, opts };
  }
  return best.opts;
}

// Needs the real kernel, root (O_NOATIME on any file) and python3; in CI a missing python3 or a
// non-root run fails. A temporary directory not mounted relatime cannot be compared: skipped loudly.
const relatime = process.platform === 'linux' && /(^|,)relatime(,|$)/.test(mountOptions(fs.realpathSync(os.tmpdir())));
const canRun = process.platform === 'linux' && relatime && haveReal(REAL.python3) && (isRoot() || inCI);
if (!canRun) console.warn('\n!!! SKIPPING differential-times: needs Linux, root, python3 and a relatime temporary directory\n');

describe.skipIf(!canRun)('differential: timestamp updates vs this machine\'s Linux', () => {
  let top = '';
  beforeAll(() => { top = fs.mkdtempSync(path.join(os.tmpdir(), 'virtfs-lab-times-')); });
  afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

  it('the same fields change after every operation', () => {
    assertPresent(REAL.python3);
    if (!isRoot()) throw new Error('differential-times must run as root');
    const runs = fc.sample(fc.array(opArb, { minLength: 8, maxLength: 25 }), { seed: 0x71e5, numRuns: 30 });
    const sequences = runs.map((ops, i) => {
      const base = path.join(top, String(i));
      fs.mkdirSync(base);
      fs.mkdirSync(path.join(base, 'd'));
      return { base, ops };
    });
    const res = spawnSync(REAL.python3.path, [ORACLE], { input: JSON.stringify({ sequences, sleep: SLEEP_S }), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000, killSignal: 'SIGKILL' });
    if (res.status !== 0) throw new Error('oracle failed: ' + res.stderr);
    const real = JSON.parse(res.stdout) as { results: string[]; snaps: Record<string, [number, number, number]>[] }[];
    let compared = 0;
    let moved = 0;
    runs.forEach((ops, i) => {
      const k = new Kernel();
      const t = k.init;
      k.mkdir(t, '/base', 0o755);
      k.mkdir(t, '/base/d', 0o755);
      k.chdir(t, '/base');
      const toBig = (s: Record<string, [number, number, number]>): Snap =>
        Object.fromEntries(Object.entries(s).map(([p, v]) => [p, v.map((x) => BigInt(x)) as [bigint, bigint, bigint]]));
      let before = simSnap(k);
      ops.forEach((o, j) => {
        k.clock.advance(BigInt(Math.round(SLEEP_S * 1e9)));
        const r = simOp(k, t, o);
        const after = simSnap(k);
        const want = changed(toBig(real[i]!.snaps[j]!), toBig(real[i]!.snaps[j + 1]!));
        const got = changed(before, after);
        expect({ seq: i, step: j, op: o, result: r, changed: got }).toEqual({ seq: i, step: j, op: o, result: real[i]!.results[j], changed: want });
        before = after;
        compared++;
        moved += want.length;
      });
    });
    console.log(`differential times vs Linux: ${compared} operations, ${moved} timestamp changes compared`);
    expect(moved).toBeGreaterThan(50);
  });
});
