// Differential test against the real Linux kernel of this machine: random sequences of namespace
// operations (mkdir, create, symlink, link, unlink, rmdir, rename, chmod, open with flags, lstat,
// stat, readlink) are run both in a temporary directory on the real filesystem (Node's fs calls are
// thin wrappers over the syscalls) and on the simulated kernel; every errno and the final trees
// (types, modes, nlink, symlink targets, hard-link groups) must agree. Runs as whatever user the
// test runs as (root in CI: permission bits do not refuse root, so this checks structure rules).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernel, S_IFMT, dumpTree, utf8Decode, type Process } from '../../sim/host/index.ts';

const C = fs.constants;
const NAMES = ['a', 'b', 'c'];

const compArb = fc.constantFrom(...NAMES);
/** A relative path of 1–3 components, sometimes with '.', 'x/..' or a trailing slash. */
const pathArb = fc
  .tuple(fc.array(compArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 9 }))
  .map(([comps, v]) => {
    let p = comps.join('/');
    if (v === 0) p += '/';
    if (v === 1 && comps.length > 1) p = comps[0] + '/./' + comps.slice(1).join('/');
    if (v === 2 && comps.length > 1) p = comps[0] + '/../' + comps.slice(1).join('/');
    return p;
  });
const targetArb = fc.oneof(fc.array(compArb, { minLength: 1, maxLength: 2 }).map((c) => c.join('/')), fc.constant('.'), fc.constant('dangling'));
const FLAG_SETS = [
  C.O_RDONLY, C.O_WRONLY, C.O_RDWR, C.O_WRONLY | C.O_CREAT, C.O_WRONLY | C.O_CREAT | C.O_EXCL,
  C.O_RDONLY | C.O_NOFOLLOW, C.O_RDONLY | C.O_DIRECTORY, C.O_WRONLY | C.O_TRUNC, C.O_RDWR | C.O_CREAT | C.O_NOFOLLOW,
  C.O_RDONLY | C.O_CREAT | C.O_DIRECTORY,
];

type Op =
  | { op: 'mkdir'; p: string; mode: number }
  | { op: 'open'; p: string; flags: number; mode: number }
  | { op: 'symlink'; target: string; p: string }
  | { op: 'link'; a: string; b: string }
  | { op: 'unlink'; p: string }
  | { op: 'rmdir'; p: string }
  | { op: 'rename'; a: string; b: string }
  | { op: 'chmod'; p: string; mode: number }
  | { op: 'lstat'; p: string }
  | { op: 'stat'; p: string }
  | { op: 'readlink'; p: string };

const modeArb = fc.constantFrom(0o755, 0o700, 0o644, 0o600, 0o4755, 0o1777, 0o2775);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('mkdir' as const), p: pathArb, mode: modeArb }),
  fc.record({ op: fc.constant('open' as const), p: pathArb, flags: fc.constantFrom(...FLAG_SETS), mode: modeArb }),
  fc.record({ op: fc.constant('symlink' as const), target: targetArb, p: pathArb }),
  fc.record({ op: fc.constant('link' as const), a: pathArb, b: pathArb }),
  fc.record({ op: fc.constant('unlink' as const), p: pathArb }),
  fc.record({ op: fc.constant('rmdir' as const), p: pathArb }),
  fc.record({ op: fc.constant('rename' as const), a: pathArb, b: pathArb }),
  fc.record({ op: fc.constant('chmod' as const), p: pathArb, mode: modeArb }),
  fc.record({ op: fc.constant('lstat' as const), p: pathArb }),
  fc.record({ op: fc.constant('stat' as const), p: pathArb }),
  fc.record({ op: fc.constant('readlink' as const), p: pathArb }),
);

function real(base: string, o: Op): string {
  const P = (p: string): string => base + '/' + p;
  try {
    switch (o.op) {
      case 'mkdir': fs.mkdirSync(P(o.p), o.mode); return 'ok';
      case 'open': fs.closeSync(fs.openSync(P(o.p), o.flags, o.mode)); return 'ok';
      case 'symlink': fs.symlinkSync(o.target, P(o.p)); return 'ok';
      case 'link': fs.linkSync(P(o.a), P(o.b)); return 'ok';
      case 'unlink': fs.unlinkSync(P(o.p)); return 'ok';
      case 'rmdir': fs.rmdirSync(P(o.p)); return 'ok';
      case 'rename': fs.renameSync(P(o.a), P(o.b)); return 'ok';
      case 'chmod': fs.chmodSync(P(o.p), o.mode); return 'ok';
      case 'lstat': return 'ok:' + (fs.lstatSync(P(o.p)).mode & S_IFMT).toString(8);
      case 'stat': return 'ok:' + (fs.statSync(P(o.p)).mode & S_IFMT).toString(8);
      case 'readlink': return 'ok:' + fs.readlinkSync(P(o.p));
    }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

function sim(k: Kernel, t: Process, o: Op): string {
  const r = ((): { ok: boolean; errno?: string; value?: unknown } => {
    switch (o.op) {
      case 'mkdir': return k.mkdir(t, o.p, o.mode);
      case 'open': {
        const x = k.open(t, o.p, o.flags, o.mode);
        if (x.ok) k.close(t, x.value);
        return x;
      }
      case 'symlink': return k.symlink(t, o.target, o.p);
      case 'link': return k.link(t, o.a, o.b);
      case 'unlink': return k.unlink(t, o.p);
      case 'rmdir': return k.rmdir(t, o.p);
      case 'rename': return k.rename(t, o.a, o.b);
      case 'chmod': return k.chmod(t, o.p, o.mode);
      case 'lstat': { const x = k.lstat(t, o.p); return x.ok ? { ok: true, value: 'ok:' + (x.value.mode & S_IFMT).toString(8) } : x; }
      case 'stat': { const x = k.stat(t, o.p); return x.ok ? { ok: true, value: 'ok:' + (x.value.mode & S_IFMT).toString(8) } : x; }
      case 'readlink': { const x = k.readlink(t, o.p, 4096); return x.ok ? { ok: true, value: 'ok:' + utf8Decode(x.value) } : x; }
    }
  })();
  if (!r.ok) return r.errno === 'EOPNOTSUPP' ? 'ENOTSUP' : r.errno!;
  return typeof r.value === 'string' ? r.value : 'ok';
}

interface Row { path: string; type: string; mode: number; nlink: number; target?: string; group: string }

function realTree(base: string): Row[] {
  const rows: Row[] = [];
  const groups = new Map<number, string>();
  const walk = (rel: string): void => {
    const full = rel ? base + '/' + rel : base;
    const st = fs.lstatSync(full);
    const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other';
    if (!groups.has(st.ino)) groups.set(st.ino, rel);
    rows.push({ path: rel, type, mode: st.mode & 0o7777, nlink: st.nlink, target: type === 'symlink' ? fs.readlinkSync(full) : undefined, group: groups.get(st.ino)! });
    if (type === 'dir') for (const n of fs.readdirSync(full).sort()) walk(rel ? rel + '/' + n : n);
  };
  walk('');
  return rows;
}

function simTree(k: Kernel): Row[] {
  const groups = new Map<number, string>();
  return dumpTree(k, '/').map((n) => {
    if (!groups.has(n.ino)) groups.set(n.ino, n.path);
    return { path: n.path, type: n.type, mode: n.mode, nlink: n.nlink, target: n.target, group: groups.get(n.ino)! };
  });
}

describe.skipIf(process.platform !== 'linux')('differential: simulated kernel vs this machine\'s Linux', () => {
  let top = '';
  let oldUmask = 0;
  beforeAll(() => {
    top = fs.mkdtempSync(path.join(os.tmpdir(), 'virtfs-lab-diff-'));
    oldUmask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(oldUmask);
    fs.rmSync(top, { recursive: true, force: true });
  });

  it('agrees on every errno and on the final tree (seeded random sequences)', () => {
    let run = 0;
    let steps = 0;
    const isRoot = process.getuid?.() === 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 40 }), (ops) => {
        // A fresh parent per run: a path has at most one '..' and symlink targets none, so a walk
        // can climb at most one level above base — into this parent, which the tree comparison covers.
        const parent = path.join(top, String(run++));
        const base = path.join(parent, 'base');
        fs.mkdirSync(parent, 0o755);
        fs.mkdirSync(base, 0o755);
        const k = new Kernel();
        const t = isRoot ? k.init : k.spawn({ comm: 'u', uid: process.getuid!(), gid: process.getgid!() });
        k.chmod(k.init, '/', 0o755);
        k.mkdir(k.init, '/base', 0o755);
        if (!isRoot) k.chown(k.init, '/base', process.getuid!(), process.getgid!());
        k.chdir(t, '/base');
        const trace: string[] = [];
        for (const o of ops) {
          const a = real(base, o);
          const b = sim(k, t, o);
          trace.push(`${JSON.stringify(o)} real=${a} sim=${b}`);
          steps++;
          if (a !== b) throw new Error('errno mismatch\n' + trace.join('\n'));
        }
        expect(simTree(k)).toEqual(realTree(parent));
        fs.rmSync(parent, { recursive: true, force: true });
      }),
      { seed: 0x5eed, numRuns: 500 },
    );
    console.log(`differential vs Linux: ${run} sequences, ${steps} operations compared`);
  });
});
