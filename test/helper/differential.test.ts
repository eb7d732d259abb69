// Differential test against the REAL helper (/usr/lib/qemu/virtfs-proxy-helper, QEMU 7.2.22), as
// real-helper.md §10 describes: seeded random trees and request sequences (well-formed requests,
// escape attempts, malformed frames) go to the real helper — through test/helper/real_helper_shim.py,
// which owns the client end of a socketpair and receives SCM_RIGHTS fds — and to the simulated helper
// on the same tree; replies must agree after masking volatile fields; fds must refer to the same object.
// Needs root (chroot, chown, mknod); in CI the test runs and fails if the helper or root is missing.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { encodeRequest, fidPath, REQUESTS, requestName, type RequestName } from '../../sim/proxy/index.ts';
import { O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_PATH, O_RDWR, O_TRUNC, O_WRONLY, S_IFIFO, makedev, S_IFCHR } from '../../sim/host/constants.ts';
import type { Session, TreeEntry } from '../../sim/helper/conformance/suite.ts';
import { REAL, assertPresent, haveReal, isRoot } from '../support/real-components.ts';
import { hex, startFd } from './harness.ts';

// VLAB_DIFF_SEEDS=N widens the run for exploration; the default is fixed so CI is deterministic.
const SEEDS = Array.from({ length: Number(process.env.VLAB_DIFF_SEEDS ?? 16) }, (_, i) => i + 1);
const STEPS_PER_SEED = 80;

/** mulberry32: the test's own deterministic randomness. */
function rng(seed: number): { next(): number; int(n: number): number; pick<T>(a: readonly T[]): T; chance(p: number): boolean } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (arr) => arr[Math.floor(next() * arr.length)]!, chance: (p) => next() < p };
}

const T0 = { sec: 1600000000, nsec: 111111111 };
const T1 = { sec: 1700000000, nsec: 222222222 };

function randomTree(r: ReturnType<typeof rng>): TreeEntry[] {
  const out: TreeEntry[] = [];
  const dirs = [''];
  const names = ['a', 'b', 'c.txt', 'd d', 'e\ttab', 'f"q', 'g\\h', 'über', 'long' + 'x'.repeat(40)];
  const n = 6 + r.int(10);
  for (let i = 0; i < n; i++) {
    const parent = r.pick(dirs);
    const name = `${r.pick(names)}${i}`;
    const path = parent ? `${parent}/${name}` : name;
    const kind = r.pick(['file', 'file', 'file', 'dir', 'dir', 'symlink', 'symlink', 'fifo'] as const);
    const uid = r.pick([0, 1000]);
    const base = { path, uid, gid: r.pick([0, 1000]), atime: T0, mtime: T1 };
    if (kind === 'file') out.push({ ...base, type: 'file', mode: r.pick([0o644, 0o600, 0o755, 0o4755, 0o444]), content: 'x'.repeat(r.int(30)), ...(r.chance(0.3) ? { xattrs: { 'user.k': 'v' + i } } : {}) });
    else if (kind === 'dir') { out.push({ ...base, type: 'dir', mode: r.pick([0o755, 0o700, 0o555, 0o1777]) }); dirs.push(path); }
    else if (kind === 'symlink') out.push({ ...base, type: 'symlink', mode: 0o777, target: r.pick(['/', '..', '../..', '/etc/passwd', 'c.txt0', 'a0', 'nowhere', '/tmp']) });
    else out.push({ ...base, type: 'fifo', mode: 0o644 });
  }
  return out;
}

interface Gen { bytes: Uint8Array; name: string; times: { sec: number; nsec: number }[] }

function randomRequest(r: ReturnType<typeof rng>, tree: TreeEntry[]): Gen {
  const known = tree.map((e) => e.path);
  const pathPool = [...known, ...known.map((p) => `//${p}`), '', '/', '.', '..', '../../..', '/etc/passwd', '../../etc/passwd', 'new1', 'new2', 'new1/x', 'nope', ...known.map((p) => `${p}/..`)];
  const path = () => {
    const p = r.pick(pathPool);
    return r.chance(0.2) ? fidPath(p) : p;
  };
  // uid/gid pairs; uid 0 with gid 1000 (the capability quirk, §10.3) kept rare so sequences run long
  const ids = r.pick([[0, 0], [0, 0], [0, 0], [0, 0], [1000, 1000], [1000, 1000], [1000, 1000], [1000, 0], [0, 1000]] as const);
  let idn = 0;
  const id = () => ids[idn++ % 2]!;
  const times: Gen['times'] = [];
  const pick = r.pick(['T_OPEN', 'T_OPEN', 'T_CREATE', 'T_MKNOD', 'T_MKDIR', 'T_SYMLINK', 'T_LINK', 'T_LSTAT', 'T_LSTAT', 'T_LSTAT', 'T_READLINK', 'T_STATFS', 'T_CHMOD',
    'T_CHOWN', 'T_TRUNCATE', 'T_UTIME', 'T_RENAME', 'T_REMOVE', 'T_LGETXATTR', 'T_LLISTXATTR', 'T_LSETXATTR', 'T_LREMOVEXATTR', 'T_GETVERSION', 'MALFORMED'] as const);
  // never a blocking FIFO open: O_NONBLOCK for T_OPEN/T_CREATE, GETVERSION only on non-FIFOs
  const fifos = new Set(tree.filter((e) => e.type === 'fifo').map((e) => e.path));
  switch (pick) {
    case 'T_OPEN': return { name: pick, times, bytes: encodeRequest(pick, { path: path(), flags: r.pick([0, O_RDWR, O_DIRECTORY, O_WRONLY | O_CREAT | O_TRUNC, O_PATH, O_NOFOLLOW, O_PATH | O_NOFOLLOW, O_RDWR | O_CREAT | O_EXCL]) | O_NONBLOCK }) };
    case 'T_CREATE': return { name: pick, times, bytes: encodeRequest(pick, { path: path(), flags: r.pick([O_WRONLY | O_CREAT, O_RDWR | O_CREAT | O_EXCL, O_RDWR | O_CREAT | O_TRUNC]) | O_NONBLOCK, mode: r.pick([0o644, 0o600, 0o4755]), uid: id(), gid: id() }) };
    case 'T_MKNOD': return { name: pick, times, bytes: encodeRequest(pick, { uid: id(), gid: id(), path: path(), mode: r.pick([S_IFIFO | 0o644, S_IFCHR | 0o666, 0o100644]), rdev: makedev(1, 3) }) };
    case 'T_MKDIR': return { name: pick, times, bytes: encodeRequest(pick, { uid: id(), gid: id(), path: path(), mode: r.pick([0o755, 0o700]) }) };
    case 'T_SYMLINK': return { name: pick, times, bytes: encodeRequest(pick, { uid: id(), gid: id(), oldpath: r.pick(['/', '..', 'a0', '/etc/passwd', '']), path: path() }) };
    case 'T_LINK': return { name: pick, times, bytes: encodeRequest(pick, { oldpath: path(), path: path() }) };
    case 'T_LSTAT': case 'T_STATFS': return { name: pick, times, bytes: encodeRequest(pick, { path: path() }) };
    case 'T_GETVERSION': {
      // plain open(O_RDONLY) blocks on a FIFO (§11.7): keep the tree's FIFOs out (renames and symlinks
      // can still lead to one; the run then ends that seed, see below)
      let p: string | Uint8Array = path();
      const s = typeof p === 'string' ? p : Buffer.from(p).toString('latin1').replace(/\0$/, '');
      if (fifos.has(s.replace(/^\/+/, ''))) p = 'nope';
      return { name: pick, times, bytes: encodeRequest(pick, { path: p }) };
    }
    case 'T_READLINK': return { name: pick, times, bytes: encodeRequest(pick, { path: path(), size: r.pick([0, 1, 5, 4095, 4096]) }) };
    case 'T_CHMOD': return { name: pick, times, bytes: encodeRequest(pick, { path: path(), mode: r.pick([0o777, 0o4755, 0o100644, 0]) }) };
    case 'T_CHOWN': return { name: pick, times, bytes: encodeRequest(pick, { path: path(), uid: r.pick([0, 1000, -1]), gid: r.pick([0, 1000, -1]) }) };
    case 'T_TRUNCATE': return { name: pick, times, bytes: encodeRequest(pick, { path: path(), offset: r.pick([0n, 5n, 100000n, -1n]) }) };
    case 'T_UTIME': {
      const t = { sec: 1500000000 + r.int(1000), nsec: r.int(999999999) };
      times.push(t);
      return { name: pick, times, bytes: encodeRequest(pick, { path: path(), atime_sec: BigInt(t.sec), atime_nsec: BigInt(r.pick([t.nsec, 0x3ffffffe, 0x3fffffff])), mtime_sec: BigInt(t.sec), mtime_nsec: BigInt(t.nsec) }) };
    }
    case 'T_RENAME': return { name: pick, times, bytes: encodeRequest(pick, { oldpath: path(), path: path() }) };
    case 'T_REMOVE': return { name: pick, times, bytes: encodeRequest(pick, { path: path() }) };
    case 'T_LGETXATTR': return { name: pick, times, bytes: encodeRequest(pick, { size: r.pick([0, 2, 64]), path: path(), name: r.pick(['user.k', 'user.x', 'trusted.t', 'bogus']) }) };
    case 'T_LLISTXATTR': return { name: pick, times, bytes: encodeRequest(pick, { size: r.pick([0, 3, 256]), path: path() }) };
    case 'T_LSETXATTR': return { name: pick, times, bytes: encodeRequest(pick, { path: path(), name: r.pick(['user.x', 'trusted.t', 'foo.bar', 'user.k']), value: 'val', size: r.pick([3, 1, 0]), flags: r.pick([0, 1, 2]) }) };
    case 'T_LREMOVEXATTR': return { name: pick, times, bytes: encodeRequest(pick, { path: path(), name: r.pick(['user.x', 'user.k']) }) };
    default: {
      // malformed but survivable: a short payload (-ENOBUFS) or trailing garbage
      const name = r.pick(['T_LSTAT', 'T_CHMOD', 'T_OPEN', 'T_MKNOD', 'T_LSETXATTR', 'T_READLINK'] as RequestName[]);
      const payload = Uint8Array.from({ length: r.int(12) }, () => r.int(256));
      const b = new Uint8Array(8 + payload.length);
      new DataView(b.buffer).setUint32(0, REQUESTS[name].code, true);
      new DataView(b.buffer).setUint32(4, payload.length, true);
      b.set(payload, 8);
      return { name, times, bytes: b };
    }
  }
}

/** Volatile masks for a reply (FORMAT.md "Masks and comparison"): byte ranges to ignore. */
function masks(name: string, reply: Uint8Array, setTimes: { sec: number; nsec: number }[], fsType: string): [number, number][] {
  if (reply.length < 8) return [];
  const v = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  if (v.getUint32(0, true) !== 0) return [];
  if (name === 'T_LSTAT' && reply.length === 124) {
    const m: [number, number][] = [[8, 16], [76, 16], [108, 16]]; // dev, ino; atime; ctime
    const msec = Number(v.getBigUint64(92, true));
    const mnsec = Number(v.getBigUint64(100, true));
    if (!setTimes.some((t) => t.sec === msec && t.nsec === mnsec)) m.push([92, 16]);
    return m;
  }
  if (name === 'T_STATFS') return [[24, 40], [64, 16]];
  if (name === 'T_GETVERSION' && fsType === 'ext4') return [[8, 8]]; // random generation + stack garbage; tmpfs: exactly 0
  return [];
}

function masked(b: Uint8Array, m: [number, number][]): string {
  const c = Uint8Array.from(b);
  for (const [o, l] of m) c.fill(0, o, o + l);
  return hex(c);
}

/** Sort NUL-separated xattr names in an LLISTXATTR reply (the order is filesystem-specific). */
function normaliseList(name: string, b: Uint8Array): Uint8Array {
  if (name !== 'T_LLISTXATTR' || b.length <= 10 || b[0] !== 0 || b[4] === 4) return b;
  const body = Buffer.from(b.subarray(10)).toString('latin1').split('\0').filter(Boolean).sort().map((s) => s + '\0').join('');
  return Uint8Array.from([...b.subarray(0, 10), ...Buffer.from(body, 'latin1')]);
}

class Shim {
  private proc: ChildProcessWithoutNullStreams;
  private waiting: ((v: Record<string, unknown>) => void)[] = [];
  constructor() {
    this.proc = spawn('python3', [new URL('./real_helper_shim.py', import.meta.url).pathname]);
    createInterface({ input: this.proc.stdout }).on('line', (l) => this.waiting.shift()?.(JSON.parse(l)));
  }
  call(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((res) => {
      this.waiting.push(res);
      this.proc.stdin.write(JSON.stringify(req) + '\n');
    });
  }
  quit(): void {
    this.proc.stdin.end(JSON.stringify({ op: 'quit' }) + '\n');
  }
}

describe.skipIf(!haveReal(REAL.helper) || !haveReal(REAL.python3))('differential: simulated vs real virtfs-proxy-helper', () => {
  it(`agrees on ${SEEDS.length} seeded random trees × ${STEPS_PER_SEED} requests`, async () => {
    assertPresent(REAL.helper);
    assertPresent(REAL.python3);
    if (!isRoot()) throw new Error('the differential test needs root (chroot, chown, mknod), as the real helper does');
    const shim = new Shim();
    let steps = 0;
    const disagreements: string[] = [];
    try {
      for (const seed of SEEDS) {
        const r = rng(seed);
        const tree = randomTree(r);
        const exportRoot = { mode: 0o755, uid: 0, gid: 0, atime: T0, mtime: T1 };
        // every fourth tree lives on tmpfs (/dev/shm): GETVERSION shortcut, tmpfs sizes and statfs
        const fsType = seed % 4 === 1 ? 'tmpfs' : 'ext4';
        const base = `${fsType === 'tmpfs' ? '/dev/shm' : '/tmp'}/vlab-diff-${process.pid}-${seed}`;
        const built = await shim.call({ op: 'build', base, export_root: exportRoot, tree });
        if (built.error) throw new Error(String(built.error));
        const started = await shim.call({ op: 'start', argv: [REAL.helper.path, '-n', '-p', built.export, '-f', 'FD'], export: built.export });
        if (started.error) throw new Error(String(started.error));
        const session = { id: `diff-${seed}`, export_fs: fsType, export_root: exportRoot, tree, outside: [{ path: 'BASE', type: 'dir', mode: 0o711, uid: 0, gid: 0 }], steps: [] } as unknown as Session;
        const sim = startFd({ session });
        const setTimes = [T0, T1];
        let blocked = false;
        for (let i = 0; i < STEPS_PER_SEED; i++) {
          const g = randomRequest(r, tree);
          setTimes.push(...g.times);
          const name = requestName(new DataView(g.bytes.buffer).getUint32(0, true))!;
          const reader = REQUESTS[name].reply === 'fd' ? 'fd' : 'framed';
          const real = await shim.call({ op: 'send', hex: hex(g.bytes), reader, timeout_ms: 500 });
          const s = sim.send(g.bytes);
          steps++;
          const realBytes = normaliseList(name, Buffer.from(String(real.response_hex), 'hex'));
          const simBytes = normaliseList(name, s.reply);
          const m = masks(name, realBytes, setTimes, fsType);
          const where = `seed ${seed} step ${i} ${name} ${hex(g.bytes)}`;
          if (masked(realBytes, m) !== masked(simBytes, m)) disagreements.push(`${where}: real ${hex(realBytes)} sim ${hex(simBytes)}`);
          if (Boolean(real.alive) !== sim.h.helper.alive) disagreements.push(`${where}: alive real ${real.alive} sim ${sim.h.helper.alive}`);
          if (real.fd_received !== (s.fds.length > 0)) disagreements.push(`${where}: fd real ${real.fd_received} sim ${s.fds.length}`);
          if (real.fd_info && s.fds.length) {
            const fi = real.fd_info as Record<string, unknown>;
            const st = sim.k.fstat(sim.launcher, s.fds[0]!);
            const fl = sim.k.fcntl(sim.launcher, s.fds[0]!, 3);
            const p = sim.k.fdPath(sim.launcher, s.fds[0]!);
            const simPath = p.ok ? (p.value === sim.export ? '/' : p.value.slice(sim.export.length)) : '?';
            const got = { mode: st.ok ? st.value.mode & 0o7777 : -1, uid: st.ok ? st.value.uid : -1, gid: st.ok ? st.value.gid : -1, o_flags: fl.ok ? fl.value : -1 };
            const want = { mode: fi.mode, uid: fi.uid, gid: fi.gid, o_flags: fi.o_flags };
            if (JSON.stringify(got) !== JSON.stringify(want)) disagreements.push(`${where}: fd ${JSON.stringify(got)} vs real ${JSON.stringify(want)}`);
            if (simPath !== fi.host_path) {
              const alt = sim.k.lstat(sim.launcher, sim.export + fi.host_path);
              if (!(alt.ok && st.ok && alt.value.ino === st.value.ino)) disagreements.push(`${where}: fd path ${simPath} vs real ${fi.host_path}`);
            }
          }
          for (const fd of s.fds) sim.k.close(sim.launcher, fd);
          if (!real.alive) break;
          if (real.recv_status === 'quiet') {
            // the real helper sleeps in open() on a FIFO: the simulated one must too; end this seed
            if (!/fifo/.test(sim.h.helper.waitingOn?.on ?? '')) disagreements.push(`${where}: real helper blocked, sim ${JSON.stringify(sim.h.helper.waitingOn)}`);
            blocked = true;
            break;
          }
        }
        if (!blocked && sim.h.helper.alive && seed % 3 === 0) {
          // end some sessions with a frame the helper does not survive (§8): unknown type, oversize
          // header with payload (ECONNRESET), or a big-endian header
          const fatal = r.pick(['6300000000000000', 'ffffffff0400000061626364', '0800000001000100080066696c652e747874', '000000080000000a0800616263']);
          const real = await shim.call({ op: 'send', hex: fatal, reader: 'raw', timeout_ms: 500 });
          const s = sim.send(Buffer.from(fatal, 'hex'));
          steps++;
          if (real.recv_status !== s.status || String(real.response_hex) !== hex(s.reply)) disagreements.push(`seed ${seed} fatal ${fatal}: real ${real.recv_status} ${real.response_hex} sim ${s.status} ${hex(s.reply)}`);
          if (Boolean(real.alive) !== sim.h.helper.alive) disagreements.push(`seed ${seed} fatal ${fatal}: alive real ${real.alive} sim ${sim.h.helper.alive}`);
        }
        const end = await shim.call({ op: 'close' });
        sim.close();
        if (blocked) { await shim.call({ op: 'cleanup', base }); continue; }
        const realExit = end.exit as { returncode: number; signal: string | null };
        const simExit = sim.h.helper.exit;
        if (realExit.signal ? simExit?.signal !== realExit.signal : simExit?.status !== realExit.returncode) disagreements.push(`seed ${seed}: exit real ${JSON.stringify(realExit)} sim ${JSON.stringify(simExit)}`);
        if (!realExit.signal && end.stderr !== sim.stderr()) disagreements.push(`seed ${seed}: stderr real ${JSON.stringify(end.stderr)} sim ${JSON.stringify(sim.stderr())}`);
        await shim.call({ op: 'cleanup', base });
      }
    } finally {
      shim.quit();
    }
    console.log(`differential: ${steps} random steps on ${SEEDS.length} seeded trees, ${disagreements.length} disagreement(s)`);
    expect(disagreements).toEqual([]);
    expect(steps).toBeGreaterThan(SEEDS.length * 10);
  }, 120_000);
});
