// Differential test of credentials and permission rules against the real Linux kernel of this
// machine: random operations by root and by three unprivileged users (one of them in another's
// group) in a directory that may be sticky, setgid, world-writable or owned by someone else. The real
// side runs each operation in a forked child with setgroups/setresgid/setresuid
// (oracle/linux-ops.py); the simulated side spawns a process with the same ids (no capabilities
// unless uid 0). Every errno, and the final owners, modes, sizes and links must agree.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL, assertPresent, haveReal, inCI, isRoot } from '../support/real-components.ts';
import { Kernel, O_DIRECTORY, O_RDONLY, dumpTree, utf8Decode, utf8Encode, type Process } from '../../sim/host/index.ts';

const C = fs.constants;
const ORACLE = path.join(__dirname, 'oracle', 'linux-ops.py');
const ACTORS = [
  { uid: 0, gid: 0, groups: [] as number[] },
  { uid: 1000, gid: 1000, groups: [] as number[] },
  { uid: 1001, gid: 1001, groups: [1000] },
  { uid: 1002, gid: 1002, groups: [] as number[] },
];
type Actor = (typeof ACTORS)[number];

const nameArb = fc.constantFrom('a', 'b', 'c');
const pathArb = fc.array(nameArb, { minLength: 1, maxLength: 2 }).map((c) => c.join('/'));
const modeArb = fc.constantFrom(0o755, 0o700, 0o644, 0o600, 0o666, 0o777, 0o4755, 0o2755, 0o2775, 0o1777, 0o2070, 0o000);
const idArb = fc.constantFrom(-1, 0, 1000, 1001, 1002);
const openFlags = [
  C.O_RDONLY, C.O_WRONLY, C.O_RDWR, C.O_WRONLY | C.O_CREAT, C.O_WRONLY | C.O_CREAT | C.O_EXCL,
  C.O_WRONLY | C.O_TRUNC, C.O_RDONLY | C.O_NOATIME, C.O_WRONLY | C.O_APPEND, C.O_RDONLY | C.O_TRUNC,
];

type Op = Record<string, unknown> & { op: string; actor: Actor };
const actorArb = fc.constantFrom(...ACTORS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('mkdir'), actor: actorArb, p: pathArb, mode: modeArb }),
  fc.record({ op: fc.constant('open'), actor: actorArb, p: pathArb, flags: fc.constantFrom(...openFlags), mode: modeArb, write: fc.boolean() }),
  fc.record({ op: fc.constant('symlink'), actor: actorArb, target: pathArb, p: pathArb }),
  fc.record({ op: fc.constant('link'), actor: actorArb, a: pathArb, b: pathArb }),
  fc.record({ op: fc.constant('unlink'), actor: actorArb, p: pathArb }),
  fc.record({ op: fc.constant('rmdir'), actor: actorArb, p: pathArb }),
  fc.record({ op: fc.constant('rename'), actor: actorArb, a: pathArb, b: pathArb }),
  fc.record({ op: fc.constant('chmod'), actor: actorArb, p: pathArb, mode: modeArb }),
  fc.record({ op: fc.constant('chown'), actor: actorArb, p: pathArb, uid: idArb, gid: idArb }),
  fc.record({ op: fc.constant('lchown'), actor: actorArb, p: pathArb, uid: idArb, gid: idArb }),
  fc.record({ op: fc.constant('truncate'), actor: actorArb, p: pathArb, len: fc.constantFrom(0, 5) }),
  fc.record({ op: fc.constant('utime_now'), actor: actorArb, p: pathArb }),
  fc.record({ op: fc.constant('utime_set'), actor: actorArb, p: pathArb, ns: fc.constant(1_000_000_000_123_456_789) }),
  fc.record({ op: fc.constant('setxattr'), actor: actorArb, p: pathArb, name: fc.constantFrom('user.x', 'trusted.x', 'security.x', 'foo.x') }),
  fc.record({ op: fc.constant('getxattr'), actor: actorArb, p: pathArb, name: fc.constantFrom('user.x', 'trusted.x') }),
  fc.record({ op: fc.constant('stat'), actor: actorArb, p: pathArb }),
  fc.record({ op: fc.constant('access'), actor: actorArb, p: pathArb, mode: fc.constantFrom(C.R_OK, C.W_OK, C.X_OK, C.R_OK | C.W_OK) }),
  fc.record({ op: fc.constant('readdir'), actor: actorArb, p: fc.constantFrom('.', 'a', 'b') }),
) as fc.Arbitrary<Op>;

/** Creations first, so that later operations meet existing objects of various owners and modes. */
const populateArb: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('mkdir'), actor: actorArb, p: pathArb, mode: modeArb }),
    fc.record({ op: fc.constant('open'), actor: actorArb, p: pathArb, flags: fc.constant(C.O_WRONLY | C.O_CREAT), mode: modeArb, write: fc.boolean() }),
    fc.record({ op: fc.constant('symlink'), actor: actorArb, target: pathArb, p: pathArb }),
  ) as fc.Arbitrary<Op>,
  { minLength: 3, maxLength: 10 },
);

const setupArb = fc.record({ mode: fc.constantFrom(0o777, 0o1777, 0o2777, 0o3777, 0o755, 0o770), owner: actorArb });

function simOp(k: Kernel, o: Op): string {
  const a = o.actor;
  const base = k.resolve(k.init, '/base');
  if (!base.ok) throw new Error('no /base');
  const t: Process = k.spawn({ comm: `u${a.uid}`, uid: a.uid, gid: a.gid, groups: a.groups, umask: 0o022, cwd: base.value });
  const s = (v: string): string => v;
  const r = ((): { ok: boolean; errno?: string; value?: unknown } => {
    switch (o.op) {
      case 'mkdir': return k.mkdir(t, o.p as string, o.mode as number);
      case 'open': {
        const x = k.open(t, o.p as string, o.flags as number, o.mode as number);
        if (!x.ok) return x;
        if (o.write) { const w = k.write(t, x.value, utf8Encode('x')); if (!w.ok) return w; }
        return k.close(t, x.value);
      }
      case 'symlink': return k.symlink(t, o.target as string, o.p as string);
      case 'link': return k.link(t, o.a as string, o.b as string);
      case 'unlink': return k.unlink(t, o.p as string);
      case 'rmdir': return k.rmdir(t, o.p as string);
      case 'rename': return k.rename(t, o.a as string, o.b as string);
      case 'chmod': return k.chmod(t, o.p as string, o.mode as number);
      case 'chown': return k.chown(t, o.p as string, o.uid as number, o.gid as number);
      case 'lchown': return k.lchown(t, o.p as string, o.uid as number, o.gid as number);
      case 'truncate': return k.truncate(t, o.p as string, o.len as number);
      case 'utime_now': return k.utimensat(t, -100, o.p as string, null, 0);
      case 'utime_set': {
        const ns = o.ns as number;
        const ts = { sec: Math.floor(ns / 1e9), nsec: 123456789 };
        return k.utimensat(t, -100, o.p as string, [ts, ts], 0);
      }
      case 'setxattr': return k.lsetxattr(t, o.p as string, o.name as string, utf8Encode('v'), 0);
      case 'getxattr': {
        const x = k.lgetxattr(t, o.p as string, o.name as string, 65536);
        return x.ok ? { ok: true, value: s('ok:' + utf8Decode(x.value as Uint8Array)) } : x;
      }
      case 'stat': { const x = k.stat(t, o.p as string); return x.ok ? { ok: true, value: 'ok:' + x.value.mode.toString(8) } : x; }
      case 'access': return k.access(t, o.p as string, o.mode as number);
      case 'readdir': {
        const fd = k.open(t, o.p as string, O_RDONLY | O_DIRECTORY);
        if (!fd.ok) return fd;
        const d = k.getdents(t, fd.value);
        k.close(t, fd.value);
        if (!d.ok) return d;
        return { ok: true, value: 'ok:' + d.value.map((e) => e.name).filter((n) => n !== '.' && n !== '..').sort().join(',') };
      }
    }
    throw new Error('unknown op ' + o.op);
  })();
  k.exit(t);
  if (!r.ok) return r.errno === 'EOPNOTSUPP' ? 'ENOTSUP' : r.errno!;
  return typeof r.value === 'string' ? r.value : 'ok';
}

interface Row { path: string; type: string; mode: number; uid: number; gid: number; size: number; nlink: number; target?: string }

function realTree(base: string): Row[] {
  const rows: Row[] = [];
  const walk = (rel: string): void => {
    const full = rel ? base + '/' + rel : base;
    const st = fs.lstatSync(full);
    const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other';
    rows.push({ path: rel, type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: type === 'dir' ? 0 : st.size, nlink: st.nlink, target: type === 'symlink' ? fs.readlinkSync(full) : undefined });
    if (type === 'dir') for (const n of fs.readdirSync(full).sort()) walk(rel ? rel + '/' + n : n);
  };
  walk('');
  return rows;
}

function simTree(k: Kernel): Row[] {
  return dumpTree(k, '/base').map((n) => ({ path: n.path, type: n.type, mode: n.mode, uid: n.uid, gid: n.gid, size: n.type === 'dir' ? 0 : n.size, nlink: n.nlink, target: n.target }));
}

// Needs the real kernel (Linux), root (to switch ids) and python3. In CI a missing python3 or a
// non-root run fails the test; elsewhere it is skipped loudly.
const canRun = process.platform === 'linux' && haveReal(REAL.python3) && (isRoot() || inCI);
if (!canRun) console.warn('\n!!! SKIPPING differential-perms: needs Linux, root and python3\n');

describe.skipIf(!canRun)('differential: credentials and permissions vs this machine\'s Linux', () => {
  let top = '';
  beforeAll(() => {
    top = fs.mkdtempSync(path.join(os.tmpdir(), 'virtfs-lab-perm-'));
    fs.chmodSync(top, 0o755);
  });
  afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

  it('agrees on errnos, owners and modes (seeded random sequences)', () => {
    assertPresent(REAL.python3);
    if (!isRoot()) throw new Error('differential-perms must run as root (it switches uids on the real kernel)');
    // All sequences go to one oracle process (fast-check generates them from a fixed seed; a
    // mismatch prints the whole sequence with both results per step instead of shrinking).
    const runs = fc.sample(
      fc.tuple(setupArb, populateArb, fc.array(opArb, { minLength: 5, maxLength: 30 })).map(([s, p, o]) => [s, [...p, ...o]] as const),
      { seed: 0xc4a5, numRuns: 600 },
    );
    const sequences = runs.map(([setup], i) => {
      const parent = path.join(top, String(i));
      const base = path.join(parent, 'base');
      fs.mkdirSync(parent, 0o755);
      fs.mkdirSync(base);
      fs.chmodSync(base, setup.mode);
      fs.chownSync(base, setup.owner.uid, setup.owner.gid);
      return { base, ops: runs[i]![1] };
    });
    const res = spawnSync(REAL.python3.path, [ORACLE], { input: JSON.stringify({ umask: 0o022, sequences }), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000, killSignal: 'SIGKILL' });
    if (res.status !== 0) throw new Error('oracle failed: ' + res.stderr);
    const real = JSON.parse(res.stdout) as string[][];
    let steps = 0;
    const seen = new Map<string, number>();
    runs.forEach(([setup, ops], i) => {
      const k = new Kernel();
      k.mkdir(k.init, '/base', 0o755);
      k.chmod(k.init, '/base', setup.mode);
      k.chown(k.init, '/base', setup.owner.uid, setup.owner.gid);
      const trace: string[] = [`sequence ${i} setup ${JSON.stringify(setup)}`];
      ops.forEach((o, j) => {
        const b = simOp(k, o);
        const a = real[i]![j] === 'EOPNOTSUPP' ? 'ENOTSUP' : real[i]![j]!;
        trace.push(`${JSON.stringify(o)} real=${a} sim=${b}`);
        steps++;
        const key = `${o.op}:${a.startsWith('ok') ? 'ok' : a}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (a !== b) throw new Error('mismatch\n' + trace.join('\n'));
      });
      const want = realTree(sequences[i]!.base);
      const got = simTree(k);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        expect({ trace, tree: got }).toEqual({ trace, tree: want });
      }
    });
    console.log(`differential perms vs Linux: ${runs.length} sequences, ${steps} operations compared`);
    console.log([...seen].sort().map(([k, n]) => `${k}=${n}`).join(' '));
    // The sequences must exercise refusals, not only successes and ENOENT.
    for (const k of ['open:EACCES', 'unlink:EPERM', 'chown:EPERM', 'chmod:EPERM', 'utime_set:EPERM', 'setxattr:EPERM', 'rename:EACCES']) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
    }
  });
});

