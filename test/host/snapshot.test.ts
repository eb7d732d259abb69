import { describe, expect, it } from 'vitest';
import {
  Kernel, O_CREAT, O_RDWR, TreeLoadError, VirtualClock, dumpTree, loadTree, makedev, restoreFs, snapshotFs,
  type MemFs, type TreeEntry,
} from '../../sim/host/index.ts';
import { dec, enc, errnoOf, unwrap } from './helpers.ts';

function richKernel(profile: 'ext4' | 'tmpfs'): Kernel {
  const k = new Kernel({ rootFs: profile });
  const t = k.init;
  unwrap(k.mkdir(t, '/d', 0o2750));
  unwrap(k.chown(t, '/d', 1000, 50));
  const fd = unwrap(k.open(t, '/d/file', O_CREAT | O_RDWR, 0o4755));
  unwrap(k.write(t, fd, enc('hello')));
  unwrap(k.pwrite(t, fd, enc('far'), 3 * 4096 + 7)); // sparse
  unwrap(k.link(t, '/d/file', '/hard'));
  unwrap(k.symlink(t, '../hard', '/d/rel'));
  unwrap(k.symlink(t, 'x'.repeat(200), '/long'));
  unwrap(k.mknod(t, '/chr', 0o20620, makedev(4, 64)));
  unwrap(k.mknod(t, '/blk', 0o60600, makedev(259, 300)));
  unwrap(k.mknod(t, '/fifo', 0o10640));
  unwrap(k.mknod(t, '/sock', 0o140755));
  unwrap(k.lsetxattr(t, '/d/file', 'user.a', new Uint8Array([0, 1, 255]), 0));
  unwrap(k.lsetxattr(t, '/d', 'trusted.b', enc('t'), 0));
  unwrap(k.mkdir(t, new Uint8Array([0x6e, 0xff, 0xfe]), 0o700)); // a non-UTF-8 name
  unwrap(k.utimensat(t, -100, '/d/file', [{ sec: -5, nsec: 7 }, { sec: 1234, nsec: 999999999 }], 0));
  k.clock.advance(10n ** 9n);
  return k;
}

describe('snapshot round trip', () => {
  for (const profile of ['ext4', 'tmpfs'] as const) {
    it(`keeps modes, owners, all times, hard links, symlinks, devices, xattrs, sparse data (${profile})`, () => {
      const k = richKernel(profile);
      const fs = k.rootMount.sb as MemFs;
      const snap = JSON.parse(JSON.stringify(snapshotFs(fs)));
      const k2 = new Kernel({ rootFs: restoreFs(snap, new VirtualClock()) });
      const strip = (x: ReturnType<typeof dumpTree>): unknown => x.map((n) => ({ ...n, rdev: n.rdev?.toString() }));
      expect(strip(dumpTree(k2))).toEqual(strip(dumpTree(k)));
      expect(snapshotFs(k2.rootMount.sb as MemFs)).toEqual(snap);
      const a = unwrap(k2.lstat(k2.init, '/d/file'));
      expect([a.size, a.blocks, a.nlink, a.mode]).toEqual([3 * 4096 + 10, 16, 2, 0o104755]);
      const fd = unwrap(k2.open(k2.init, '/hard', 0));
      expect(dec(unwrap(k2.read(k2.init, fd, 5)))).toBe('hello');
      expect(Array.from(unwrap(k2.lgetxattr(k2.init, '/d/file', 'user.a', 10)) as Uint8Array)).toEqual([0, 1, 255]);
      expect(unwrap(k2.lstat(k2.init, '/chr')).rdev).toBe(makedev(4, 64));
      expect(unwrap(k2.lstat(k2.init, new Uint8Array([0x6e, 0xff, 0xfe]))).mode).toBe(0o40700);
      // New inodes do not reuse restored numbers.
      unwrap(k2.mkdir(k2.init, '/new', 0o755));
      const inos = dumpTree(k2).map((n) => n.ino);
      expect(new Set(inos).size).toBe(new Set(dumpTree(k2).filter((n) => !n.hardlinkOf).map((n) => n.path)).size);
    });
  }
});

describe('tree loader (FORMAT.md entries)', () => {
  it('builds every entry type with times, xattrs (text and b64), rdev and hard links', () => {
    const k = new Kernel();
    const entries: TreeEntry[] = [
      { path: 'dir', type: 'dir', mode: 0o750, uid: 1, gid: 2, atime: { sec: -10, nsec: 1 }, mtime: { sec: 20, nsec: 2 } },
      { path: 'dir/f', type: 'file', mode: 0o6755, uid: 1000, gid: 1000, content_b64: 'AAEC', xattrs: { 'user.t': 'v', 'trusted.x': { b64: '/w==' } } },
      { path: 'hl', type: 'file', mode: 0o6755, uid: 1000, gid: 1000, hardlink_of: 'dir/f' },
      { path: 's', type: 'symlink', mode: 0o777, uid: 0, gid: 0, target: '/etc/passwd' },
      { path: 'p', type: 'fifo', mode: 0o644, uid: 0, gid: 0 },
      { path: 'c', type: 'chardev', mode: 0o666, uid: 0, gid: 0, rdev: 259, rdev_major: 1, rdev_minor: 3 },
      { path: 'b', type: 'blockdev', mode: 0o660, uid: 0, gid: 6, rdev_major: 8, rdev_minor: 1 },
      { path: 'so', type: 'socket', mode: 0o755, uid: 0, gid: 0 },
      { path_b64: 'bv/+', type: 'file', mode: 0o600, uid: 0, gid: 0, content: 'x' },
    ];
    expect(loadTree(k, '/base/export', entries, { createParents: true, root: { mode: 0o755, uid: 0, gid: 0, atime: { sec: 1600000000, nsec: 111111111 }, mtime: { sec: 1700000000, nsec: 222222222 } } })).toBe(9);
    const t = k.init;
    expect(unwrap(k.lstat(t, '/base/export/dir'))).toMatchObject({ mode: 0o40750, uid: 1, gid: 2, atime: { sec: -10, nsec: 1 }, mtime: { sec: 20, nsec: 2 } });
    expect(unwrap(k.lstat(t, '/base/export/hl'))).toMatchObject({ nlink: 2, mode: 0o106755, size: 3 });
    expect(unwrap(k.lstat(t, '/base/export/c')).rdev).toBe(259n);
    expect(unwrap(k.lstat(t, '/base/export/b')).rdev).toBe(makedev(8, 1));
    expect(unwrap(k.lstat(t, '/base/export/so')).mode).toBe(0o140755);
    expect(unwrap(k.lstat(t, '/base/export')).mtime).toEqual({ sec: 1700000000, nsec: 222222222 });
    expect(Array.from(unwrap(k.lgetxattr(t, '/base/export/dir/f', 'trusted.x', 10)) as Uint8Array)).toEqual([255]);
    expect(errnoOf(k.lstat(t, new Uint8Array([...enc('/base/export/'), 0x6e, 0xff, 0xfe])))).toBe('ok');
  });

  it('reports the entry and field of malformed input', () => {
    const bad: [TreeEntry, string][] = [
      [{ path: 'x', type: 'nope' as 'file', mode: 0o644, uid: 0, gid: 0 }, 'type'],
      [{ path: 'a/b', type: 'file', mode: 0o644, uid: 0, gid: 0 }, 'path'],
      [{ path: 'x', type: 'file', mode: 0o644, uid: 0, gid: 0, content_b64: '@@' }, 'content_b64'],
      [{ path: 'x', type: 'file', mode: 0o644, uid: 0, gid: 0, hardlink_of: 'missing' }, 'hardlink_of'],
      [{ path: 'x', type: 'chardev', mode: 0o644, uid: 0, gid: 0 }, 'rdev'],
      [{ path: 'x', type: 'symlink', mode: 0o777, uid: 0, gid: 0 }, 'target'],
      [{ path: '../x', type: 'file', mode: 0o644, uid: 0, gid: 0 }, 'path'],
      [{ path: 'x', type: 'file', mode: 0o17777, uid: 0, gid: 0 }, 'mode'],
      [{ path: 'x', type: 'file', mode: 0o644, uid: -1, gid: 0 }, 'uid'],
      [{ path: 'x', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: { sec: 1, nsec: 1e9 } }, 'mtime'],
    ];
    for (const [e, field] of bad) {
      const k = new Kernel();
      unwrap(k.mkdir(k.init, '/e', 0o755));
      let caught: unknown;
      try {
        loadTree(k, '/e', [{ path: 'ok', type: 'dir', mode: 0o755, uid: 0, gid: 0 }, e]);
      } catch (x) {
        caught = x;
      }
      expect(caught).toBeInstanceOf(TreeLoadError);
      expect((caught as TreeLoadError).data).toMatchObject({ index: 1, field });
    }
  });
});
