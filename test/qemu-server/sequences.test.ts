// proxy-protocol.md §14: which proxy requests each 9P request causes (QEMU 7.x), plus 9p.c details:
// fid path rewriting on rename, xattr fids, Tremove, Tflush, Tversion, setattr order, Rgetattr values.
import { describe, it, expect } from 'vitest';
import { world, errnoOf, text, show, type Req } from './world.ts';
import type { ProxyEvent, P9Event } from '../../sim/trace/event.ts';

/** The number a described field starts with (the display text is sim/proxy's). */
const num = (v: unknown): number => Number.parseInt(String(v), 10);
const noSet = { mode: 0, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n };

function proxyWorld() {
  const w = world({ driver: 'proxy', version: '7.2', record: true });
  w.attach();
  /** The proxy request types caused by one 9P request (by trace causality). */
  const caused = (m: Req) => {
    const start = w.recorder!.events.length;
    const reply = w.rpc(m as never);
    const evs = w.recorder!.events.slice(start);
    const req = evs.find((e): e is P9Event => e.kind === 'p9' && e.direction === 'request')!;
    const frames = evs.filter((e): e is ProxyEvent => e.kind === 'proxy' && e.direction === 'request');
    for (const f of frames) expect(f.cause, `${f.requestType} caused by the 9P request`).toBe(req.id);
    return { reply, types: frames.map((f) => f.requestType), frames };
  };
  return { w, caused };
}

describe('§14 request sequences (proxy, 7.2)', () => {
  it('Tattach: T_LSTAT "/\\0"; Twalk: start fid, then each name', () => {
    const { caused } = proxyWorld();
    expect(caused({ kind: 'Tattach', fid: 9, afid: 0xffffffff, uname: '', aname: '', n_uname: 0 }).types).toEqual(['T_LSTAT']);
    expect(caused({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['pub', '..', 'hello.txt'] }).types).toEqual(['T_LSTAT', 'T_LSTAT', 'T_LSTAT', 'T_LSTAT']);
  });
  it('Tgetattr with P9_STATS_GEN: T_LSTAT then T_GETVERSION; Rgetattr fields are the host stat', () => {
    const { w, caused } = proxyWorld();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    const { reply, types } = caused({ kind: 'Tgetattr', fid: 1, request_mask: 0x3fffn });
    expect(types).toEqual(['T_LSTAT', 'T_GETVERSION']);
    const st = w.kernel.lstat(w.kernel.init, '/srv/export/hello.txt');
    if (!st.ok || reply.kind !== 'Rgetattr') throw new Error(show(reply));
    expect({ mode: reply.mode, uid: reply.uid, gid: reply.gid, nlink: reply.nlink, size: reply.size, blocks: reply.blocks, ino: reply.qid.path, mtime: reply.mtime_sec })
      .toEqual({ mode: st.value.mode, uid: 0, gid: 0, nlink: 1n, size: 6n, blocks: BigInt(st.value.blocks), ino: BigInt(st.value.ino), mtime: BigInt(st.value.mtime.sec) });
    // qid.version = mtime ^ (size << 8); 7.x st_blksize = iounit rounding of 4096 in msize 8192.
    expect(reply.qid.version).toBe(Number((BigInt(st.value.mtime.sec) ^ (6n << 8n)) & 0xffffffffn));
    expect(reply.blksize).toBe(4096n);
    expect(reply.valid).toBe(0x17ffn);
  });
  it('Tlopen file: T_LSTAT, T_OPEN, T_STATFS (iounit); directory: T_LSTAT, T_OPEN O_DIRECTORY', () => {
    const { w, caused } = proxyWorld();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    const f = caused({ kind: 'Tlopen', fid: 1, flags: 0 });
    expect(f.types).toEqual(['T_LSTAT', 'T_OPEN', 'T_STATFS']);
    expect(f.reply.kind === 'Rlopen' && f.reply.iounit).toBe(4096);
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 2, wnames: ['pub'] });
    const d = caused({ kind: 'Tlopen', fid: 2, flags: 0 });
    expect(d.types).toEqual(['T_LSTAT', 'T_OPEN']);
    expect(String(d.frames[1]!.fields.flags)).toMatch(/^65536\b/); // O_DIRECTORY only (display format is sim/proxy's)
  });
  it('Tread/Twrite/Tfsync/Treaddir: no proxy traffic (QEMU uses the received fd)', () => {
    const { w, caused } = proxyWorld();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    w.rpc({ kind: 'Tlopen', fid: 1, flags: 2 });
    expect(caused({ kind: 'Twrite', fid: 1, offset: 6n, data: new TextEncoder().encode('more\n') }).types).toEqual([]);
    expect(caused({ kind: 'Tfsync', fid: 1, datasync: 0 }).types).toEqual([]);
    const r = caused({ kind: 'Tread', fid: 1, offset: 0n, count: 100 });
    expect(r.types).toEqual([]);
    expect(r.reply.kind === 'Rread' && text(r.reply.data)).toBe('hello\nmore\n');
    w.rpc({ kind: 'Tlopen', fid: 0, flags: 0 });
    expect(caused({ kind: 'Treaddir', fid: 0, offset: 0n, count: 4096 }).types).toEqual([]);
  });
  it('Tlcreate: T_CREATE, T_LSTAT, T_STATFS; Tmkdir/Tsymlink/Tmknod: the request then T_LSTAT; Tlink, Treadlink, Tstatfs, Tunlinkat', () => {
    const { w, caused } = proxyWorld();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: [] });
    expect(caused({ kind: 'Tlcreate', fid: 1, name: 'n', flags: 2, mode: 0o100640, gid: 0 }).types).toEqual(['T_CREATE', 'T_LSTAT', 'T_STATFS']);
    const st = w.kernel.lstat(w.kernel.init, '/srv/export/n');
    expect(st.ok && st.value.mode).toBe(0o100640);
    expect(caused({ kind: 'Tmkdir', dfid: 0, name: 'd', mode: 0o40755, gid: 0 }).types).toEqual(['T_MKDIR', 'T_LSTAT']);
    expect(caused({ kind: 'Tsymlink', fid: 0, name: 's', symtgt: 'n', gid: 0 }).types).toEqual(['T_SYMLINK', 'T_LSTAT']);
    expect(caused({ kind: 'Tmknod', dfid: 0, name: 'p', mode: 0o10600, major: 0, minor: 0, gid: 0 }).types).toEqual(['T_MKNOD', 'T_LSTAT']);
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 2, wnames: ['hello.txt'] });
    expect(caused({ kind: 'Tlink', dfid: 0, fid: 2, name: 'h2' }).types).toEqual(['T_LINK']);
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 3, wnames: ['s'] });
    const rl = caused({ kind: 'Treadlink', fid: 3 });
    expect(rl.types).toEqual(['T_READLINK']);
    expect(num(rl.frames[0]!.fields.size)).toBe(4095);
    expect(caused({ kind: 'Tstatfs', fid: 0 }).types).toEqual(['T_STATFS']);
    expect(caused({ kind: 'Tunlinkat', dirfid: 0, name: 'd', flags: 0x200 }).types).toEqual(['T_REMOVE']);
  });
  it('Tsetattr: T_CHMOD, T_UTIME, T_CHOWN, T_TRUNCATE in 9p.c order; ctime only → T_CHOWN -1/-1', () => {
    const { w, caused } = proxyWorld();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    const all = caused({ kind: 'Tsetattr', fid: 1, valid: 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20, ...noSet, mode: 0o600, uid: 7, gid: 7, size: 1n });
    expect(all.types).toEqual(['T_CHMOD', 'T_UTIME', 'T_CHOWN', 'T_TRUNCATE']);
    const c = caused({ kind: 'Tsetattr', fid: 1, valid: 0x40, ...noSet });
    expect(c.types).toEqual(['T_CHOWN']);
    expect([num(c.frames[0]!.fields.uid), num(c.frames[0]!.fields.gid)]).toEqual([-1, -1]);
    const st = w.kernel.lstat(w.kernel.init, '/srv/export/hello.txt');
    expect(st.ok && [st.value.mode & 0o777, st.value.uid, st.value.size]).toEqual([0o600, 7, 1]);
  });
  it('Txattrwalk: size 0 query then the value; Txattrcreate + Twrite + Tclunk: T_LSETXATTR at clunk', () => {
    const { w, caused } = proxyWorld();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 2, wnames: ['hello.txt'] });
    expect(caused({ kind: 'Txattrcreate', fid: 2, name: 'user.k', attr_size: 3n, flags: 0 }).types).toEqual([]);
    expect(caused({ kind: 'Twrite', fid: 2, offset: 0n, data: new TextEncoder().encode('val') }).types).toEqual([]);
    expect(caused({ kind: 'Tclunk', fid: 2 }).types).toEqual(['T_LSETXATTR']);
    const g = caused({ kind: 'Txattrwalk', fid: 1, newfid: 3, name: 'user.k' });
    expect(g.types).toEqual(['T_LGETXATTR', 'T_LGETXATTR']);
    expect([num(g.frames[0]!.fields.size), num(g.frames[1]!.fields.size)]).toEqual([0, 3]);
    expect(g.reply.kind === 'Rxattrwalk' && g.reply.size).toBe(3n);
    const r = w.rpc({ kind: 'Tread', fid: 3, offset: 0n, count: 10 });
    expect(r.kind === 'Rread' && text(r.data)).toBe('val');
    const l = caused({ kind: 'Txattrwalk', fid: 1, newfid: 4, name: '' });
    expect(l.types).toEqual(['T_LLISTXATTR', 'T_LLISTXATTR']);
    const lr = w.rpc({ kind: 'Tread', fid: 4, offset: 0n, count: 100 });
    expect(lr.kind === 'Rread' && text(lr.data)).toBe('user.k\0');
    expect(errnoOf(w.rpc({ kind: 'Txattrwalk', fid: 1, newfid: 5, name: 'user.missing' }))).toBe(61);
    // A partial write then clunk: EINVAL, nothing set.
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 6, wnames: ['hello.txt'] });
    w.rpc({ kind: 'Txattrcreate', fid: 6, name: 'user.p', attr_size: 4n, flags: 0 });
    w.rpc({ kind: 'Twrite', fid: 6, offset: 0n, data: new TextEncoder().encode('ab') });
    expect(errnoOf(w.rpc({ kind: 'Tclunk', fid: 6 }))).toBe(22);
  });
});

describe('9p.c fid semantics', () => {
  for (const [driver, version] of [['proxy', '7.2'], ['local', '7.2'], ['local', '2.8']] as const) {
    it(`${driver} ${version}: Trenameat rewrites the paths of fids under the old name (V9FS_PATHNAME_FSCONTEXT)`, () => {
      const w = world({ driver, version, extra: [{ path: 'a', type: 'dir', mode: 0o755, uid: 0, gid: 0 }, { path: 'a/f', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'F\n' }] });
      w.attach();
      w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['a', 'f'] });
      expect(w.rpc({ kind: 'Trenameat', olddirfid: 0, oldname: 'a', newdirfid: 0, newname: 'b' }).kind).toBe('Rrenameat');
      expect(w.rpc({ kind: 'Tlopen', fid: 1, flags: 0 }).kind).toBe('Rlopen');
      const r = w.rpc({ kind: 'Tread', fid: 1, offset: 0n, count: 10 });
      expect(r.kind === 'Rread' && text(r.data)).toBe('F\n');
      // Trename (fid-based) rewrites too.
      w.rpc({ kind: 'Twalk', fid: 0, newfid: 2, wnames: ['b'] });
      w.rpc({ kind: 'Twalk', fid: 0, newfid: 3, wnames: ['b', 'f'] });
      expect(w.rpc({ kind: 'Trename', fid: 2, dfid: 0, name: 'c' }).kind).toBe('Rrename');
      expect(w.rpc({ kind: 'Tgetattr', fid: 3, request_mask: 0x7ffn }).kind).toBe('Rgetattr');
    });
  }
  it('Tremove clunks the fid even when the remove fails', () => {
    const w = world({ driver: 'proxy', version: '7.2', extra: [{ path: 'full', type: 'dir', mode: 0o755, uid: 0, gid: 0 }, { path: 'full/x', type: 'file', mode: 0o644, uid: 0, gid: 0, content: '' }] });
    w.attach();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['full'] });
    expect(errnoOf(w.rpc({ kind: 'Tremove', fid: 1 }))).toBe(39);
    expect(errnoOf(w.rpc({ kind: 'Tclunk', fid: 1 }))).toBe(2);
  });
  it('error codes of 9p.c: unknown fid → ENOENT (walk, lopen) / EINVAL (setattr, read); fid in use → EINVAL; name rules', () => {
    const w = world({ driver: 'local', version: '7.2' });
    w.attach();
    expect(errnoOf(w.rpc({ kind: 'Twalk', fid: 42, newfid: 43, wnames: [] }))).toBe(2);
    expect(errnoOf(w.rpc({ kind: 'Tsetattr', fid: 42, valid: 1, ...noSet }))).toBe(22);
    expect(errnoOf(w.rpc({ kind: 'Tread', fid: 42, offset: 0n, count: 1 }))).toBe(22);
    expect(errnoOf(w.rpc({ kind: 'Twalk', fid: 0, newfid: 0, wnames: [] }))).toBeUndefined();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: [] });
    expect(errnoOf(w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: [] }))).toBe(22);
    expect(errnoOf(w.rpc({ kind: 'Tmkdir', dfid: 0, name: '..', mode: 0o755, gid: 0 }))).toBe(17);
    expect(errnoOf(w.rpc({ kind: 'Tmkdir', dfid: 0, name: 'a/b', mode: 0o755, gid: 0 }))).toBe(2);
    expect(errnoOf(w.rpc({ kind: 'Tunlinkat', dirfid: 0, name: '.', flags: 0 }))).toBe(22);
    expect(errnoOf(w.rpc({ kind: 'Tunlinkat', dirfid: 0, name: '..', flags: 0 }))).toBe(39);
    expect(errnoOf(w.rpc({ kind: 'Trenameat', olddirfid: 0, oldname: 'hello.txt', newdirfid: 0, newname: '..' }))).toBe(21);
    expect(errnoOf(w.rpc({ kind: 'Twalk', fid: 0, newfid: 5, wnames: Array(17).fill('pub') }))).toBe(22);
    expect(errnoOf(w.rpc({ kind: 'Tauth', afid: 1, uname: '', aname: '', n_uname: 0 }))).toBe(95);
  });
  it('Tversion resets the session (fids clunked); unknown version → "unknown"; msize < 4120 → EMSGSIZE on 7.2', () => {
    const w = world({ driver: 'proxy', version: '7.2' });
    w.attach();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    const v = w.rpc({ kind: 'Tversion', msize: 65536, version: '9P2000.L' });
    expect(v.kind === 'Rversion' && [v.msize, v.version]).toEqual([65536, '9P2000.L']);
    expect(errnoOf(w.rpc({ kind: 'Tgetattr', fid: 1, request_mask: 1n }))).toBe(2);
    const u = w.rpc({ kind: 'Tversion', msize: 8192, version: '9P2000' });
    expect(u.kind === 'Rversion' && u.version).toBe('unknown');
    expect(errnoOf(w.rpc({ kind: 'Tversion', msize: 4096, version: '9P2000.L' }))).toBe(90);
  });
  it('Tflush of a request stuck in the helper: Rflush only after it completes', () => {
    const w = world({ driver: 'proxy', version: '7.2' });
    w.attach();
    w.rpc({ kind: 'Tmknod', dfid: 0, name: 'p', mode: 0o10644, major: 0, minor: 0, gid: 0 });
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['p'] });
    const open = w.submit({ kind: 'Tlopen', fid: 1, flags: 0 });
    expect(open.state).toBe('blocked');
    const flush = w.submit({ kind: 'Tflush', oldtag: open.tag });
    expect(flush.state).toBe('blocked');
    w.kernel.open(w.kernel.init, '/srv/export/p', 0o1 | 0o4000, 0);
    const done = w.lab.transport().poll();
    expect(done.map((d) => d.state === 'replied' && d.message.kind)).toEqual(['Rlerror', 'Rflush']);
  });
  it('an undecodable request breaks the device (virtio_error) and nothing is answered afterwards', () => {
    const w = world({ driver: 'local', version: '7.2' });
    w.attach();
    const t = w.lab.transport();
    // Twalk claiming 2 names but carrying none.
    const bad = Uint8Array.from([17, 0, 0, 0, 110, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0]);
    const r = t.submit(bad);
    expect(r.state).toBe('dropped');
    expect(w.lab.qemu.stderr).toContain('Failed to decode VirtFS request type 110');
    expect(w.submit({ kind: 'Tclunk', fid: 0 }).state).toBe('dropped');
  });
});

describe('trace causality: 9P request → proxy frame → helper syscalls', () => {
  it('each helper syscall hangs under the proxy request it serves, which hangs under the 9P request', () => {
    const w = world({ driver: 'proxy', version: '7.2', record: true });
    w.attach();
    const start = w.recorder!.events.length;
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    const evs = w.recorder!.events.slice(start);
    const req = evs.find((e): e is P9Event => e.kind === 'p9' && e.direction === 'request')!;
    const frames = evs.filter((e): e is ProxyEvent => e.kind === 'proxy' && e.direction === 'request');
    expect(frames.map((f) => f.cause)).toEqual(frames.map(() => req.id));
    const helperCalls = evs.filter((e) => e.kind === 'syscall' && e.lane === 'helper');
    expect(helperCalls.length).toBeGreaterThan(0);
    const frameIds = new Set(frames.map((f) => f.id));
    for (const h of helperCalls) expect(frameIds.has(h.cause!), `helper ${h.kind === 'syscall' ? h.name : ''} caused by a proxy frame`).toBe(true);
    // The helper's lstat of "//hello.txt" is caused by the T_LSTAT frame carrying that path.
    const lstat = helperCalls.find((h) => h.kind === 'syscall' && h.name.includes('stat') && JSON.stringify(h.args).includes('hello.txt'))!;
    const f = frames.find((x) => x.id === lstat.cause)!;
    expect(f.requestType).toBe('T_LSTAT');
    expect(Buffer.from(f.bytes).toString('latin1')).toContain('//hello.txt\0');
  });
});
