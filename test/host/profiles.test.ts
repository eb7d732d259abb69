// ext4 and tmpfs visible values checked against replies recorded from the real helper
// (vectors/proxy-conformance-public.json), decoded by hand here.
import { describe, expect, it } from 'vitest';
import { Kernel, O_CREAT, O_RDWR, loadTree, type TreeEntry, type RootAttrs } from '../../sim/host/index.ts';
import { enc, unwrap } from './helpers.ts';
import { decodeStat, decodeStatfs, step, suite } from './vectors.ts';

function exportOf(sessionId: string, fs: 'ext4' | 'tmpfs'): { k: Kernel; h: ReturnType<Kernel['spawn']> } {
  const s = suite().sessions.find((x) => x.id === sessionId)!;
  const k = new Kernel({ rootFs: fs });
  loadTree(k, '/base/export', s.tree as TreeEntry[], { createParents: true, root: s.export_root as unknown as RootAttrs });
  const h = k.spawn({ comm: 'virtfs-proxy-helper' });
  unwrap(k.chroot(h, '/base/export'));
  unwrap(k.chdir(h, '/'));
  k.umask(h, 0);
  return { k, h };
}

describe('ext4 profile vs basic_fd replies', () => {
  it('STATFS: f_type, f_bsize, f_namelen, f_frsize (fs_dependent fields) and the recorded totals', () => {
    const { k, h } = exportOf('basic_fd', 'ext4');
    const rec = decodeStatfs(step('basic_fd', 'statfs_root').response_hex);
    const sim = unwrap(k.statfs(h, '/'));
    expect(BigInt(sim.type)).toBe(rec.type);
    expect(rec.type).toBe(0xef53n);
    expect(BigInt(sim.bsize)).toBe(rec.bsize);
    expect(BigInt(sim.namelen)).toBe(rec.namelen);
    expect(BigInt(sim.frsize)).toBe(rec.frsize);
    expect(BigInt(sim.blocks)).toBe(rec.blocks);
    expect(BigInt(sim.files)).toBe(rec.files);
    // fsid words are ints sign-extended to u64 on the wire.
    expect(BigInt.asUintN(64, BigInt(sim.fsid[0]))).toBe(rec.fsid0);
  });

  it('LSTAT of the export root: 040755, size 4096, 8 blocks, blksize 4096, dev 0xfe00, recorded mtime', () => {
    const { k, h } = exportOf('basic_fd', 'ext4');
    const st = unwrap(k.lstat(h, '/'));
    // The realize reply of proxy-protocol.md §6.1 (export root before any request): 5 links.
    expect(st.nlink).toBe(5);
    const rec = decodeStat(step('basic_fd', 'lstat_root').response_hex);
    expect(BigInt(st.mode)).toBe(rec.mode);
    expect(BigInt(st.size)).toBe(rec.size);
    expect(BigInt(st.blocks)).toBe(rec.blocks);
    expect(BigInt(st.blksize)).toBe(rec.blksize);
    expect(BigInt(st.dev)).toBe(rec.dev);
    expect(st.mtime).toEqual({ sec: 1700000000, nsec: 222222222 });
    // Three mkdirs happen before lstat_root (mkdir_new, mkdir_as_1000, mkdir_dotdot_escape): 8 links.
    unwrap(k.mkdir(h, 'newdir', 0o755));
    unwrap(k.mkdir(h, 'newdir1000', 0o700));
    unwrap(k.mkdir(h, '../../escape_dir', 0o755));
    expect(BigInt(unwrap(k.lstat(h, '/')).nlink)).toBe(rec.nlink);
    expect(unwrap(k.lstat(h, '..')).ino).toBe(st.ino);
  });

  it('LSTAT of file, fast symlink, char device and a grown sparse file', () => {
    const { k, h } = exportOf('basic_fd', 'ext4');
    unwrap(k.link(h, 'file.txt', 'hardlink.txt'));
    unwrap(k.link(h, 'link_abs_outside', 'hl_to_abs_symlink'));
    const f = unwrap(k.lstat(h, 'file.txt'));
    const rf = decodeStat(step('basic_fd', 'lstat_file').response_hex);
    for (const key of ['nlink', 'mode', 'uid', 'gid', 'size', 'blksize', 'blocks', 'mtime_sec', 'mtime_nsec'] as const) {
      const simv = { nlink: f.nlink, mode: f.mode, uid: f.uid, gid: f.gid, size: f.size, blksize: f.blksize, blocks: f.blocks, mtime_sec: f.mtime.sec, mtime_nsec: f.mtime.nsec }[key];
      expect([key, BigInt(simv)]).toEqual([key, rf[key]]);
    }
    const l = unwrap(k.lstat(h, 'link_abs_outside'));
    const rl = decodeStat(step('basic_fd', 'lstat_symlink_abs').response_hex);
    expect([l.mode, l.size, l.blocks, l.nlink].map(BigInt)).toEqual([rl.mode, rl.size, rl.blocks, rl.nlink]);
    unwrap(k.mknod(h, 'null_dev', 0o20666, 0x103n));
    const c = unwrap(k.lstat(h, 'null_dev'));
    const rc = decodeStat(step('basic_fd', 'lstat_chr').response_hex);
    expect([c.mode, c.size, c.blocks, c.rdev].map(BigInt)).toEqual([rc.mode, rc.size, rc.blocks, rc.rdev]);
    // create_new wrote 'abc'; truncate_shrink (1) and truncate_grow (100000): one page allocated.
    const fd = unwrap(k.open(h, 'created.txt', O_CREAT | O_RDWR, 0o640));
    unwrap(k.write(h, fd, enc('abc')));
    unwrap(k.truncate(h, 'created.txt', 1));
    unwrap(k.truncate(h, 'created.txt', 100000));
    const g = unwrap(k.lstat(h, 'created.txt'));
    const rg = decodeStat(step('basic_fd', 'lstat_after_utime').response_hex);
    expect([g.size, g.blocks, g.blksize].map(BigInt)).toEqual([rg.size, rg.blocks, rg.blksize]);
  });

  it('FS_IOC_GETVERSION works on ext4 files and directories, ENOTTY on a char device', () => {
    const { k, h } = exportOf('basic_fd', 'ext4');
    const fd = unwrap(k.open(h, 'file.txt', 0));
    const v = unwrap(k.ioctl(h, fd, 0x80087601));
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(2 ** 32);
    const d = unwrap(k.open(h, '/', 0));
    expect(unwrap(k.ioctl(h, d, 0x80087601))).not.toBe(v);
    unwrap(k.mknod(h, 'null_dev', 0o20666, 0x103n));
    const c = unwrap(k.open(h, 'null_dev', 0));
    expect(k.ioctl(h, c, 0x80087601)).toEqual({ ok: false, errno: 'ENOTTY' });
  });
});

describe('tmpfs profile vs tmpfs replies', () => {
  it('STATFS f_type 0x01021994, bsize, namelen, frsize; LSTAT of a 12-byte file', () => {
    const { k, h } = exportOf('tmpfs', 'tmpfs');
    const rec = decodeStatfs(step('tmpfs', 'statfs_root').response_hex);
    const sim = unwrap(k.statfs(h, '/'));
    expect(rec.type).toBe(0x01021994n);
    expect([sim.type, sim.bsize, sim.namelen, sim.frsize, sim.blocks, sim.files].map(BigInt)).toEqual([rec.type, rec.bsize, rec.namelen, rec.frsize, rec.blocks, rec.files]);
    const f = unwrap(k.lstat(h, 'file.txt'));
    const rf = decodeStat(step('tmpfs', 'lstat_file').response_hex);
    expect([f.nlink, f.mode, f.size, f.blksize, f.blocks, f.atime.sec, f.atime.nsec, f.mtime.sec, f.mtime.nsec].map(BigInt)).toEqual(
      [rf.nlink, rf.mode, rf.size, rf.blksize, rf.blocks, rf.atime_sec, rf.atime_nsec, rf.mtime_sec, rf.mtime_nsec]);
  });

  it('directories: size 20 per entry plus 40, 0 blocks; no GETVERSION', () => {
    const k = new Kernel({ rootFs: 'tmpfs' });
    const t = k.init;
    unwrap(k.mkdir(t, '/d', 0o755));
    expect(unwrap(k.lstat(t, '/d')).size).toBe(40);
    unwrap(k.mkdir(t, '/d/a', 0o755));
    unwrap(k.symlink(t, 'x', '/d/l'));
    const st = unwrap(k.lstat(t, '/d'));
    expect([st.size, st.blocks, st.nlink]).toEqual([80, 0, 3]);
    const fd = unwrap(k.open(t, '/d', 0));
    expect(k.ioctl(t, fd, 0x80087601)).toEqual({ ok: false, errno: 'ENOTTY' });
  });
});

describe('ext4 directory growth (measured on this machine\'s ext4 with dir_index)', () => {
  it('stays one block up to 254 eight-byte names, becomes a 3-block htree at 255, never shrinks', () => {
    const k = new Kernel();
    const t = k.init;
    unwrap(k.mkdir(t, '/d', 0o755));
    const name = (i: number): string => `/d/name${String(i).padStart(4, '0')}`;
    for (let i = 1; i <= 254; i++) unwrap(k.close(t, unwrap(k.open(t, name(i), O_CREAT | O_RDWR, 0o644))));
    expect([unwrap(k.lstat(t, '/d')).size, unwrap(k.lstat(t, '/d')).blocks]).toEqual([4096, 8]);
    unwrap(k.close(t, unwrap(k.open(t, name(255), O_CREAT | O_RDWR, 0o644))));
    expect([unwrap(k.lstat(t, '/d')).size, unwrap(k.lstat(t, '/d')).blocks]).toEqual([12288, 24]);
    for (let i = 1; i <= 255; i++) unwrap(k.unlink(t, name(i)));
    expect(unwrap(k.lstat(t, '/d')).size).toBe(12288);
  });
});
