// Differential test of path resolution inside a chroot against the real Linux kernel: absolute
// symlinks restart at the process root, '..' stops there, dangling absolute links are created
// inside on O_CREAT, and what each path resolves to (identified by labels) must agree.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL, assertPresent, haveReal, inCI, isRoot } from '../support/real-components.ts';
import { Kernel, O_CREAT, O_WRONLY, utf8Decode, type Location, type Process } from '../../sim/host/index.ts';

const C = fs.constants;
const ORACLE = path.join(__dirname, 'oracle', 'linux-ops.py');
const ROOT = { uid: 0, gid: 0, groups: [] as number[] };
const USER = { uid: 1000, gid: 1000, groups: [] as number[] };

const comp = fc.constantFrom('a', 'b', 'c', 'f', 'l1', 'l2', 'l3', '..', '.', 'outside');
const pathArb = fc.tuple(fc.boolean(), fc.array(comp, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 6 }))
  .map(([abs, c, s]) => (abs ? '/' : '') + c.join('/') + (s === 0 ? '/' : ''));
const targetArb = fc.oneof(pathArb, fc.constantFrom('/', '/a', '/../../f', '/nope', '../../../f', '../..', '/l1'));
type Op = Record<string, unknown> & { op: string; actor: typeof ROOT };
const actorArb = fc.constantFrom(ROOT, ROOT, USER);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constantFrom('lstat_ino', 'stat_ino', 'readlink'), actor: actorArb, p: pathArb }), weight: 6 },
  fc.record({ op: fc.constant('symlink'), actor: actorArb, target: targetArb, p: pathArb }),
  fc.record({ op: fc.constant('mkdir'), actor: actorArb, p: pathArb, mode: fc.constant(0o755) }),
  fc.record({ op: fc.constant('open'), actor: actorArb, p: pathArb, flags: fc.constantFrom(C.O_WRONLY | C.O_CREAT, C.O_RDONLY, C.O_RDONLY | C.O_NOFOLLOW), mode: fc.constant(0o644), write: fc.constant(false) }),
  fc.record({ op: fc.constant('rename'), actor: actorArb, a: pathArb, b: pathArb }),
  fc.record({ op: fc.constant('unlink'), actor: actorArb, p: pathArb }),
) as fc.Arbitrary<Op>;
const setupArb = fc.record({ l1: targetArb, l2: targetArb, l3: targetArb });

/** Objects every sequence starts with, and their labels (by path inside the root). */
const LABELS = ['.', 'a', 'a/b', 'c', 'f', 'a/g'];

function simRun(setup: { l1: string; l2: string; l3: string }, ops: Op[]): string[] {
  const k = new Kernel();
  const t = k.init;
  k.mkdir(t, '/base', 0o755);
  k.open(t, '/outside', O_CREAT | O_WRONLY, 0o644);
  for (const d of ['/base/a', '/base/a/b', '/base/c']) k.mkdir(t, d, 0o755);
  for (const f of ['/base/f', '/base/a/g']) k.open(t, f, O_CREAT | O_WRONLY, 0o644);
  k.symlink(t, setup.l1, '/base/l1');
  k.symlink(t, setup.l2, '/base/a/l2');
  k.symlink(t, setup.l3, '/base/a/b/l3');
  const root = k.resolve(t, '/base');
  if (!root.ok) throw new Error('no base');
  const labels = new Map<string, string>();
  const key = (dev: number, ino: number): string => `${dev}:${ino}`;
  const task = (a: typeof ROOT): Process => k.spawn({ comm: 'c', uid: a.uid, gid: a.gid, groups: a.groups, umask: 0o022, root: root.value as Location, cwd: root.value as Location });
  const label = (o: Op): void => {
    const st = k.lstat(task(ROOT), o.p as string);
    if (st.ok) labels.set(key(st.value.dev, st.value.ino), o.name as string);
  };
  const results: string[] = [];
  for (const o of [...LABELS.map((p) => ({ op: 'label', actor: ROOT, p, name: p }) as Op), ...ops]) {
    if (o.op === 'label') { label(o); results.push('ok'); continue; }
    const p = task(o.actor);
    const r = ((): { ok: boolean; errno?: string; value?: unknown } => {
      switch (o.op) {
        case 'lstat_ino':
        case 'stat_ino': {
          const x = o.op === 'lstat_ino' ? k.lstat(p, o.p as string) : k.stat(p, o.p as string);
          return x.ok ? { ok: true, value: `ok:${x.value.mode.toString(8)}:${labels.get(key(x.value.dev, x.value.ino)) ?? '?'}` } : x;
        }
        case 'readlink': { const x = k.readlink(p, o.p as string, 4096); return x.ok ? { ok: true, value: 'ok:' + utf8Decode(x.value) } : x; }
        case 'symlink': return k.symlink(p, o.target as string, o.p as string);
        case 'mkdir': return k.mkdir(p, o.p as string, o.mode as number);
        case 'open': { const x = k.open(p, o.p as string, o.flags as number, o.mode as number); if (x.ok) k.close(p, x.value); return x; }
        case 'rename': return k.rename(p, o.a as string, o.b as string);
        case 'unlink': return k.unlink(p, o.p as string);
      }
      throw new Error(o.op);
    })();
    k.exit(p);
    results.push(r.ok ? (typeof r.value === 'string' ? r.value : 'ok') : r.errno!);
  }
  // Nothing outside the root may change.
  const outside = k.lstat(t, '/outside');
  const top = k.resolve(t, '/');
  if (!outside.ok || !top.ok) throw new Error('outside vanished');
  const ents = top.value.inode.readdir();
  results.push('outside:' + (ents.ok ? ents.value.map((e) => utf8Decode(new Uint8Array([...e.name].map((c) => c.charCodeAt(0))))).sort().join(',') : '?'));
  return results;
}

const canRun = process.platform === 'linux' && haveReal(REAL.python3) && (isRoot() || inCI);
if (!canRun) console.warn('\n!!! SKIPPING differential-chroot: needs Linux, root and python3\n');

describe.skipIf(!canRun)('differential: path resolution in a chroot vs this machine\'s Linux', () => {
  let top = '';
  beforeAll(() => {
    top = fs.mkdtempSync(path.join(os.tmpdir(), 'virtfs-lab-chroot-'));
    fs.chmodSync(top, 0o755);
  });
  afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

  it('resolves every path to the same object (or errno) and never escapes', () => {
    assertPresent(REAL.python3);
    if (!isRoot()) throw new Error('differential-chroot must run as root (chroot)');
    const t0 = performance.now();
    const runs = fc.sample(fc.tuple(setupArb, fc.array(opArb, { minLength: 10, maxLength: 40 })), { seed: 0xc4b0, numRuns: 200 });
    const sequences = runs.map(([s, ops], i) => {
      const parent = path.join(top, String(i));
      const base = path.join(parent, 'base');
      fs.mkdirSync(parent, 0o755);
      fs.writeFileSync(path.join(parent, 'outside'), '');
      fs.mkdirSync(base, 0o755);
      for (const d of ['a', 'a/b', 'c']) fs.mkdirSync(path.join(base, d), 0o755);
      for (const f of ['f', 'a/g']) fs.writeFileSync(path.join(base, f), '');
      fs.symlinkSync(s.l1, path.join(base, 'l1'));
      fs.symlinkSync(s.l2, path.join(base, 'a/l2'));
      fs.symlinkSync(s.l3, path.join(base, 'a/b/l3'));
      return { base, chroot: true, ops: [...LABELS.map((p) => ({ op: 'label', actor: ROOT, p, name: p })), ...ops] };
    });
    const tSetup = performance.now();
    const res = spawnSync(REAL.python3.path, [ORACLE], { input: JSON.stringify({ umask: 0o022, sequences }), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000, killSignal: 'SIGKILL' });
    if (res.status !== 0) throw new Error('oracle failed: ' + res.stderr);
    const real = JSON.parse(res.stdout) as string[][];
    const t1 = performance.now();
    console.log(`setup ${Math.round(tSetup - t0)} ms, oracle ${Math.round(t1 - tSetup)} ms`);
    let compared = 0;
    let resolvedInside = 0;
    runs.forEach(([s, ops], i) => {
      const sim = simRun(s, ops);
      const want = [...real[i]!.map((x) => (x === 'EOPNOTSUPP' ? 'ENOTSUP' : x)), 'outside:' + fs.readdirSync(path.join(top, String(i))).sort().join(',')];
      const all = [...LABELS.map((p) => ({ op: 'label', p })), ...ops];
      want.forEach((w, j) => {
        if (sim[j] !== w) expect({ seq: i, setup: s, op: all[j] ?? 'outside', got: sim[j] }).toEqual({ seq: i, setup: s, op: all[j] ?? 'outside', got: w });
        compared++;
        if (/^ok:\d+:[a-z.]/.test(w)) resolvedInside++;
      });
    });
    console.log(`differential chroot vs Linux: ${runs.length} sequences, ${compared} results compared, ${resolvedInside} resolutions to labelled objects; sim ${Math.round(performance.now() - t1)} ms`);
    expect(resolvedInside).toBeGreaterThan(200);
  });
});
