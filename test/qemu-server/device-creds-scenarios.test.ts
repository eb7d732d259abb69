// scenarios.md §4: device nodes, FIFOs and credentials at the 9P level, per driver and version.
import { describe, it, expect } from 'vitest';
import { world, errnoOf, text, show, type Driver, type WorldOptions } from './world.ts';
import { SPECIAL_FILE_LINE } from '../../sim/qemu/fsdev/local/hardened.ts';
import type { ProxyEvent } from '../../sim/trace/event.ts';
import type { P9Message } from '../../sim/p9/messages.ts';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const S_IFBLK = 0o60000;
const S_IFIFO = 0o10000;
const noSet = { mode: 0, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n };

describe('mknod/host-device (CVE-2023-2861)', () => {
  const steps = (o: WorldOptions, uid = 0) => {
    const w = world({ record: true, ...o });
    w.attach(uid);
    const mk = w.rpc({ kind: 'Tmknod', dfid: 0, name: 'disk', mode: S_IFBLK | 0o600, major: 8, minor: 0, gid: 0 });
    if (mk.kind !== 'Rmknod') return { w, mk };
    const wk = w.rpc({ kind: 'Twalk', fid: 0, newfid: 7, wnames: ['disk'] });
    expect(wk.kind).toBe('Rwalk');
    const op = w.rpc({ kind: 'Tlopen', fid: 7, flags: 0 });
    const rd = op.kind === 'Rlopen' ? w.rpc({ kind: 'Tread', fid: 7, offset: 0n, count: 512 }) : undefined;
    return { w, mk, op, rd };
  };
  const hostDisk = (rd: unknown) => (rd as { kind: string; data?: Uint8Array })?.kind === 'Rread' ? text((rd as { data: Uint8Array }).data).slice(0, 8) : undefined;

  it('L-naive (root QEMU): the node opens the host disk', () => {
    const { mk, rd } = steps({ driver: 'local', version: '2.8' });
    expect(mk.kind).toBe('Rmknod');
    expect(hostDisk(rd)).toBe('HOSTDISK');
  });
  it('L-hard pre-fix (7.0, 7.2.0): same — the no-follow open opens the node', () => {
    for (const v of ['7.0', '7.2.0']) expect(hostDisk(steps({ driver: 'local', version: v }).rd), v).toBe('HOSTDISK');
  });
  it('L-hard post-fix without the O_PATH exemption (7.2.22 — observed with the real binary —, 8.1): the mknod itself fails with ENXIO', () => {
    for (const v of ['7.2', '8.1']) {
      const w = world({ driver: 'local', version: v });
      w.attach();
      const mk = w.rpc({ kind: 'Tmknod', dfid: 0, name: 'disk', mode: S_IFBLK | 0o600, major: 8, minor: 0, gid: 0 });
      expect(errnoOf(mk), v).toBe(6);
      expect(w.lab.qemu.stderr.split(SPECIAL_FILE_LINE).length - 1).toBe(1);
      // local_mknod's err_end removes the node again.
      expect(w.kernel.lstat(w.kernel.init, '/srv/export/disk').ok).toBe(false);
    }
  });
  it('L-hard post-fix with the O_PATH exemption (9.1.3, 9.2: d06a9d843fb6): Rmknod, Tlopen ENXIO, the stderr line once', () => {
    for (const v of ['9.1.3', '9.2']) {
      const { w, op } = steps({ driver: 'local', version: v });
      expect(errnoOf(op!), v).toBe(6);
      expect(errnoOf(w.rpc({ kind: 'Tlopen', fid: 7, flags: 0 }))).toBe(6);
      expect(w.lab.qemu.stderr.split(SPECIAL_FILE_LINE).length - 1).toBe(1);
      const st = w.kernel.lstat(w.kernel.init, '/srv/export/disk');
      expect(st.ok && (st.value.mode & 0o170000)).toBe(S_IFBLK);
    }
  });
  it('local mapped-xattr: the guest sees a block device, the host has an empty regular file', () => {
    const { w, mk, rd } = steps({ driver: 'local', version: '7.2', local: { securityModel: 'mapped-xattr' } });
    expect(mk.kind).toBe('Rmknod');
    const ga = w.rpc({ kind: 'Tgetattr', fid: 7, request_mask: 0x7ffn });
    expect(ga.kind === 'Rgetattr' && ga.mode).toBe(S_IFBLK | 0o600);
    expect(rd && rd.kind === 'Rread' && rd.data.length).toBe(0);
    const st = w.kernel.lstat(w.kernel.init, '/srv/export/disk');
    expect(st.ok && st.value.mode).toBe(0o100600);
    const x = w.kernel.lgetxattr(w.kernel.init, '/srv/export/disk', 'user.virtfs.mode', 64);
    expect(x.ok && x.value instanceof Uint8Array && hex(x.value)).toBe('80610000');
  });
  it('local security_model=none, QEMU unprivileged (export owned by the QEMU user): Rlerror EPERM', () => {
    const { w, mk } = steps({ driver: 'local', version: '7.2', local: { securityModel: 'none' }, lab: { qemuUser: { uid: 64055, gid: 64055 } }, prepare: (k) => { k.chown(k.init, '/srv/export', 64055, 64055); } });
    expect(errnoOf(mk)).toBe(1);
    expect(w.kernel.lstat(w.kernel.init, '/srv/export/disk').ok).toBe(false);
  });
  it('P pre-fix (5.0, 7.2.0): T_MKNOD bytes as listed, then the helper hands QEMU the host disk', () => {
    for (const v of ['5.0', '7.2.0']) {
      const { w, rd } = steps({ driver: 'proxy', version: v });
      expect(hostDisk(rd), v).toBe('HOSTDISK');
      const fr = w.recorder!.events.filter((e): e is ProxyEvent => e.kind === 'proxy');
      expect(fr.map((f) => hex(f.bytes))).toContain('040000001c00000000000000000000000600' + '2f2f6469736b' + '80610000' + '0008000000000000');
    }
  });
  it('P post-fix (7.2.22): Tlopen ENXIO (faffffff); helper stderr once with -n', () => {
    const { w, op } = steps({ driver: 'proxy', version: '7.2', proxy: { foreground: true } });
    expect(errnoOf(op!)).toBe(6);
    const fr = w.recorder!.events.filter((e): e is ProxyEvent => e.kind === 'proxy');
    const open = fr.findIndex((f) => hex(f.bytes) === '020000000d0000000700' + '2f2f6469736b00' + '00000000');
    expect(open).toBeGreaterThan(0);
    expect(hex(fr[open + 1]!.bytes)).toBe('faffffff');
    expect(w.lab.stderr.helper).toContain(SPECIAL_FILE_LINE);
  });
  it('P with a guest uid ≠ 0 (CapEff = DAC_OVERRIDE only): Rlerror EPERM, nothing created', () => {
    const { w, mk } = steps({ driver: 'proxy', version: '7.2' }, 1000);
    expect(errnoOf(mk)).toBe(1);
    expect(w.kernel.lstat(w.kernel.init, '/srv/export/disk').ok).toBe(false);
  });
});

describe('dos/fifo-open-freezes-helper', () => {
  const O_WRONLY = 1;
  const O_NONBLOCK = 0o4000;
  const setup = (driver: Driver, version: string) => {
    const w = world({ driver, version });
    w.attach();
    expect(w.rpc({ kind: 'Tmknod', dfid: 0, name: 'p', mode: S_IFIFO | 0o644, major: 0, minor: 0, gid: 0 }).kind).toBe('Rmknod');
    expect(w.rpc({ kind: 'Twalk', fid: 0, newfid: 8, wnames: ['p'] }).kind).toBe('Rwalk');
    const step3 = w.submit({ kind: 'Tlopen', fid: 8, flags: 0 });
    const step4 = w.submit({ kind: 'Tgetattr', fid: 0, request_mask: 0x7ffn });
    return { w, step3, step4 };
  };
  const writer = (w: ReturnType<typeof world>) => w.kernel.open(w.kernel.init, '/srv/export/p', O_WRONLY | O_NONBLOCK, 0);

  it('P post-fix: steps 3 and 4 hang until a host writer appears; then ENXIO and step 4 proceeds', () => {
    const { w, step3, step4 } = setup('proxy', '7.2');
    expect(step3.state).toBe('blocked');
    expect(step4.state).toBe('blocked');
    expect(step4.state === 'blocked' && step4.wait.on).toBe('proxy-mutex');
    expect(w.lab.transport().poll()).toEqual([]);
    expect(writer(w).ok).toBe(true);
    const done = w.lab.transport().poll();
    // Both complete in this poll (in QEMU the order of the two thread-pool completions is a race:
    // both orders were observed on the real pair).
    expect(done.map((x) => x.tag).sort()).toEqual([step3.tag, step4.tag].sort());
    const by = (tag: number) => done.find((x) => x.tag === tag) as { message: P9Message };
    expect(by(step4.tag).message.kind).toBe('Rgetattr');
    expect(errnoOf(by(step3.tag).message)).toBe(6);
  });
  it('P pre-fix (7.2.0): step 3 gets an fd once the writer appears', () => {
    const { w, step3 } = setup('proxy', '7.2.0');
    expect(step3.state).toBe('blocked');
    writer(w);
    const done = w.lab.transport().poll();
    expect(done.find((x) => x.tag === step3.tag)?.state === 'replied' && (done.find((x) => x.tag === step3.tag) as { message: { kind: string } }).message.kind).toBe('Rlopen');
  });
  it('L-naive: the blocking open ties up one request only; step 4 is served', () => {
    const { w, step3, step4 } = setup('local', '2.8');
    expect(step3.state).toBe('blocked');
    expect(step4.state === 'replied' && step4.message.kind).toBe('Rgetattr');
    writer(w);
    const done = w.lab.transport().poll();
    expect(done.length === 1 && done[0]!.state === 'replied' && done[0]!.message.kind).toBe('Rlopen');
  });
  it('L-hard pre-fix: Rlopen at once (O_NONBLOCK); Tread is ESPIPE (preadv on a FIFO; scenarios.md guessed 0 bytes)', () => {
    const { w, step3 } = setup('local', '7.0');
    expect(step3.state === 'replied' && step3.message.kind).toBe('Rlopen');
    expect(errnoOf(w.rpc({ kind: 'Tread', fid: 8, offset: 0n, count: 10 }))).toBe(29);
  });
  it('L-hard post-fix with the O_PATH exemption (9.2): ENXIO at once; on 7.2.22 the FIFO cannot even be made', () => {
    const { step3, step4 } = setup('local', '9.2');
    expect(step3.state === 'replied' && errnoOf(step3.message)).toBe(6);
    expect(step4.state).toBe('replied');
    const w = world({ driver: 'local', version: '7.2' });
    w.attach();
    expect(errnoOf(w.rpc({ kind: 'Tmknod', dfid: 0, name: 'p', mode: S_IFIFO | 0o644, major: 0, minor: 0, gid: 0 }))).toBe(6);
  });
});

describe('creds/dac-override-in-0555-dir', () => {
  const extra = [{ path: 'ro', type: 'dir' as const, mode: 0o555, uid: 0, gid: 0 }];
  const create = (o: WorldOptions) => {
    const w = world({ extra, ...o });
    w.attach(1000);
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['ro'] });
    return { w, r: w.rpc({ kind: 'Tlcreate', fid: 1, name: 'mine', flags: 1, mode: 0o644, gid: 1000 }) };
  };
  const owner = (w: ReturnType<typeof world>) => {
    const st = w.kernel.lstat(w.kernel.init, '/srv/export/ro/mine');
    return st.ok ? `${(st.value.mode & 0o7777).toString(8)} ${st.value.uid}:${st.value.gid}` : st.errno;
  };
  it('root QEMU (L-naive, L-hard): Rlcreate, file 0644 1000:1000', () => {
    for (const v of ['2.8', '7.2']) {
      const { w, r } = create({ driver: 'local', version: v });
      expect(r.kind, v).toBe('Rlcreate');
      expect(owner(w)).toBe('644 1000:1000');
    }
  });
  it('local with QEMU unprivileged: EACCES', () => {
    const { w, r } = create({ driver: 'local', version: '7.2', local: { securityModel: 'none' }, lab: { qemuUser: { uid: 64055, gid: 64055 } } });
    expect(errnoOf(r)).toBe(13);
    expect(owner(w)).toBe('ENOENT');
  });
  it('P: Rlcreate, the helper keeps CAP_DAC_OVERRIDE as euid 1000', () => {
    const { w, r } = create({ driver: 'proxy', version: '7.2' });
    expect(r.kind, show(r)).toBe('Rlcreate');
    expect(owner(w)).toBe('644 1000:1000');
  });
});

describe('creds/setgid-dir-root-create-kills-helper', () => {
  const extra = [{ path: 'shared', type: 'dir' as const, mode: 0o2775, uid: 0, gid: 1000 }];
  const run = (driver: Driver, version: string) => {
    const w = world({ driver, version, extra });
    w.attach(0);
    w.rpc({ kind: 'Tattach', fid: 10, afid: 0xffffffff, uname: '', aname: '', n_uname: 1000 });
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['shared'] });
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 2, wnames: ['hello.txt'] });
    w.rpc({ kind: 'Twalk', fid: 10, newfid: 11, wnames: ['pub'] });
    // Linux v9fs passes the directory's gid and S_ISGID for a setgid parent (v9fs_vfs_mkdir_dotl).
    const s1 = w.rpc({ kind: 'Tmkdir', dfid: 1, name: 'a', mode: 0o42755, gid: 1000 });
    const s2 = w.rpc({ kind: 'Tsetattr', fid: 2, valid: 0x2 | 0x4, ...noSet, uid: 1000, gid: 1000 });
    const s3 = w.rpc({ kind: 'Tmkdir', dfid: 11, name: 'b', mode: 0o40755, gid: 1000 });
    const s4 = w.rpc({ kind: 'Tgetattr', fid: 0, request_mask: 0x7ffn });
    return { w, s: [s1, s2, s3, s4] };
  };
  it('root QEMU local: all succeed, a/ is 0:1000 with S_ISGID inherited', () => {
    const { w, s } = run('local', '7.2');
    expect(s.map((m) => m.kind)).toEqual(['Rmkdir', 'Rsetattr', 'Rmkdir', 'Rgetattr']);
    const a = w.kernel.lstat(w.kernel.init, '/srv/export/shared/a');
    expect(a.ok && [a.value.uid, a.value.gid, (a.value.mode & 0o2000) !== 0]).toEqual([0, 1000, true]);
  });
  it('P 7.2: mkdir ok, chown EPERM, then the helper dies (SIGABRT) and everything is EIO forever', () => {
    const { w, s } = run('proxy', '7.2');
    expect(s[0]!.kind).toBe('Rmkdir');
    expect(errnoOf(s[1]!)).toBe(1);
    expect(errnoOf(s[2]!)).toBe(5);
    expect(errnoOf(s[3]!)).toBe(5);
    expect(w.lab.helper!.helper.exit).toEqual({ signal: 'SIGABRT' });
    expect(w.kernel.lstat(w.kernel.init, '/srv/export/shared/a').ok).toBe(true);
    expect(w.kernel.lstat(w.kernel.init, '/srv/export/pub/b').ok).toBe(false);
    expect(errnoOf(w.rpc({ kind: 'Twalk', fid: 0, newfid: 20, wnames: ['pub'] }))).toBe(5);
  });
});
