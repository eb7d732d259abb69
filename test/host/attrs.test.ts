import { describe, expect, it } from 'vitest';
import {
  AT_SYMLINK_NOFOLLOW, O_CREAT, O_RDONLY, O_RDWR, O_WRONLY, UTIME_NOW, UTIME_OMIT, XATTR_CREATE, XATTR_REPLACE,
  makedev, S_IFCHR, Kernel,
} from '../../sim/host/index.ts';
import { dec, enc, errnoOf, newKernel, unwrap, user } from './helpers.ts';

describe('xattrs (fs/xattr.c rules; observed basic_fd lgetxattr/llistxattr/lsetxattr steps)', () => {
  it('size 0 asks for the length, a small buffer is ERANGE, missing is ENODATA', () => {
    const { k, root } = newKernel();
    unwrap(k.open(root, '/f', O_CREAT | O_WRONLY, 0o644));
    unwrap(k.lsetxattr(root, '/f', 'user.test', enc('value'), 0));
    expect(unwrap(k.lgetxattr(root, '/f', 'user.test', 0))).toBe(5);
    expect(dec(unwrap(k.lgetxattr(root, '/f', 'user.test', 64)) as Uint8Array)).toBe('value');
    expect(errnoOf(k.lgetxattr(root, '/f', 'user.test', 2))).toBe('ERANGE');
    expect(errnoOf(k.lgetxattr(root, '/f', 'user.nope', 64))).toBe('ENODATA');
    expect(unwrap(k.llistxattr(root, '/f', 0))).toBe(10);
    expect(errnoOf(k.llistxattr(root, '/f', 3))).toBe('ERANGE');
    expect(errnoOf(k.lsetxattr(root, '/f', 'user.test', enc('x'), XATTR_CREATE))).toBe('EEXIST');
    expect(errnoOf(k.lsetxattr(root, '/f', 'user.none', enc('x'), XATTR_REPLACE))).toBe('ENODATA');
    expect(errnoOf(k.lsetxattr(root, '/f', 'user.x', enc('x'), 4))).toBe('EINVAL');
    expect(errnoOf(k.lsetxattr(root, '/f', 'foo.bar', enc('x'), 0))).toBe('EOPNOTSUPP');
    expect(errnoOf(k.lsetxattr(root, '/f', '', enc('x'), 0))).toBe('ERANGE');
    expect(errnoOf(k.lsetxattr(root, '/f', 'user.big', new Uint8Array(65537), 0))).toBe('E2BIG');
    unwrap(k.lsetxattr(root, '/f', 'user.empty', new Uint8Array(0), 0));
    expect(unwrap(k.lgetxattr(root, '/f', 'user.empty', 0))).toBe(0);
    unwrap(k.lremovexattr(root, '/f', 'user.empty'));
    expect(errnoOf(k.lremovexattr(root, '/f', 'user.empty'))).toBe('ENODATA');
  });

  it('user.* on a symlink: EPERM to set, ENODATA to get; trusted.* needs CAP_SYS_ADMIN and is hidden', () => {
    const { k, root } = newKernel();
    unwrap(k.open(root, '/f', O_CREAT | O_WRONLY, 0o644));
    unwrap(k.symlink(root, 'f', '/l'));
    expect(errnoOf(k.lsetxattr(root, '/l', 'user.x', enc('v'), 0))).toBe('EPERM');
    expect(errnoOf(k.lgetxattr(root, '/l', 'user.x', 64))).toBe('ENODATA');
    unwrap(k.lsetxattr(root, '/f', 'trusted.t', enc('v'), 0));
    unwrap(k.lsetxattr(root, '/f', 'user.u', enc('v'), 0));
    const helper = k.spawn({ comm: 'helper' });
    unwrap(k.capset(helper, { effective: 0x080000dbn, permitted: 0x080000dbn, inheritable: 0n }));
    expect(errnoOf(k.lsetxattr(helper, '/f', 'trusted.foo', enc('v'), 0))).toBe('EPERM');
    expect(errnoOf(k.lgetxattr(helper, '/f', 'trusted.t', 64))).toBe('ENODATA');
    expect(dec(unwrap(k.llistxattr(helper, '/f', 256)) as Uint8Array)).toBe('user.u\0');
    expect(dec(unwrap(k.llistxattr(root, '/f', 256)) as Uint8Array)).toBe('trusted.t\0user.u\0');
  });
});

describe('utimensat (fs/utimes.c)', () => {
  it('sets times, honours UTIME_NOW / UTIME_OMIT, EINVAL for bad nsec, AT_SYMLINK_NOFOLLOW', () => {
    const { k, root } = newKernel();
    unwrap(k.open(root, '/f', O_CREAT | O_WRONLY, 0o644));
    unwrap(k.utimensat(root, -100, '/f', [{ sec: 1000000000, nsec: 500000000 }, { sec: 1200000000, nsec: 250000000 }], 0));
    let st = unwrap(k.lstat(root, '/f'));
    expect(st.atime).toEqual({ sec: 1000000000, nsec: 500000000 });
    expect(st.mtime).toEqual({ sec: 1200000000, nsec: 250000000 });
    k.clock.advance(5_000_000_000n);
    unwrap(k.utimensat(root, -100, '/f', [{ sec: 0, nsec: UTIME_OMIT }, { sec: 0, nsec: UTIME_NOW }], 0));
    st = unwrap(k.lstat(root, '/f'));
    expect(st.atime).toEqual({ sec: 1000000000, nsec: 500000000 });
    expect(st.mtime).toEqual(k.clock.now());
    expect(st.ctime).toEqual(k.clock.now());
    expect(errnoOf(k.utimensat(root, -100, '/f', [{ sec: 0, nsec: 1000000000 }, { sec: 0, nsec: 0 }], 0))).toBe('EINVAL');
    expect(errnoOf(k.utimensat(root, -100, '/nope', [{ sec: 0, nsec: 1000000000 }, { sec: 0, nsec: 0 }], 0))).toBe('ENOENT');
    expect(errnoOf(k.utimensat(root, -100, '/nope', [{ sec: 0, nsec: UTIME_OMIT }, { sec: 0, nsec: UTIME_OMIT }], 0))).toBe('ok');
    unwrap(k.symlink(root, '/etc/passwd', '/l'));
    unwrap(k.utimensat(root, -100, '/l', [{ sec: 1, nsec: 2 }, { sec: 3, nsec: 4 }], AT_SYMLINK_NOFOLLOW));
    expect(unwrap(k.lstat(root, '/l')).mtime).toEqual({ sec: 3, nsec: 4 });
    const u = user(k, 1000, 1000);
    expect(errnoOf(k.utimensat(u, -100, '/f', [{ sec: 1, nsec: 2 }, { sec: 3, nsec: 4 }], 0))).toBe('EPERM');
    expect(errnoOf(k.utimensat(u, -100, '/f', null, 0))).toBe('EACCES');
    unwrap(k.chmod(root, '/f', 0o666));
    expect(errnoOf(k.utimensat(u, -100, '/f', null, 0))).toBe('ok');
  });
});

describe('timestamps and modes', () => {
  it('write updates mtime/ctime, read updates atime under relatime, chmod only ctime', () => {
    const { k, root } = newKernel();
    const fd = unwrap(k.open(root, '/f', O_CREAT | O_RDWR, 0o644));
    const t0 = k.clock.now();
    k.clock.advance(1_000_000n);
    unwrap(k.write(root, fd, enc('abc')));
    const t1 = k.clock.now();
    let st = unwrap(k.fstat(root, fd));
    expect([st.atime, st.mtime, st.ctime]).toEqual([t0, t1, t1]);
    k.clock.advance(1_000_000n);
    unwrap(k.pread(root, fd, 3, 0));
    const t2 = k.clock.now();
    st = unwrap(k.fstat(root, fd));
    expect(st.atime).toEqual(t2);
    k.clock.advance(1_000_000n);
    unwrap(k.pread(root, fd, 3, 0)); // atime > mtime and ctime, less than a day: no update
    expect(unwrap(k.fstat(root, fd)).atime).toEqual(t2);
    k.clock.advance(1_000_000n);
    unwrap(k.fchmod(root, fd, 0o600));
    st = unwrap(k.fstat(root, fd));
    expect([st.mtime, st.ctime]).toEqual([t1, k.clock.now()]);
  });

  it('setgid directories: gid inherited, new dirs get S_ISGID, non-members lose S_ISGID on chmod', () => {
    const { k, root } = newKernel();
    unwrap(k.mkdir(root, '/g', 0o777));
    unwrap(k.chown(root, '/g', 0, 50));
    unwrap(k.chmod(root, '/g', 0o2777));
    const u = user(k, 1000, 1000);
    unwrap(k.mkdir(u, '/g/d', 0o755));
    expect(unwrap(k.lstat(u, '/g/d'))).toMatchObject({ gid: 50, mode: 0o42755 });
    unwrap(k.open(u, '/g/f', O_CREAT | O_WRONLY, 0o2755));
    expect(unwrap(k.lstat(u, '/g/f'))).toMatchObject({ gid: 50, mode: 0o100755 });
    unwrap(k.chmod(u, '/g/f', 0o2755));
    expect(unwrap(k.lstat(u, '/g/f')).mode).toBe(0o100755);
    const member = user(k, 1001, 1001, [50]);
    unwrap(k.open(member, '/g/m', O_CREAT | O_WRONLY, 0o2755));
    expect(unwrap(k.lstat(u, '/g/m')).mode).toBe(0o102755);
  });

  it('suid/sgid cleared by chown (even root, even -1/-1) and by a write without CAP_FSETID', () => {
    const { k, root } = newKernel();
    unwrap(k.open(root, '/s', O_CREAT | O_WRONLY, 0o6755));
    unwrap(k.chmod(root, '/s', 0o6755));
    unwrap(k.chown(root, '/s', -1, -1));
    expect(unwrap(k.lstat(root, '/s')).mode & 0o7777).toBe(0o755);
    unwrap(k.chmod(root, '/s', 0o4777));
    const u = user(k, 1000, 1000);
    const fd = unwrap(k.open(u, '/s', O_WRONLY));
    unwrap(k.write(u, fd, enc('x')));
    expect(unwrap(k.lstat(root, '/s')).mode & 0o7777).toBe(0o777);
  });

  it('O_NOATIME needs ownership or CAP_FOWNER', () => {
    const { k, root } = newKernel();
    unwrap(k.open(root, '/f', O_CREAT | O_WRONLY, 0o644));
    const u = user(k, 1000, 1000);
    expect(errnoOf(k.open(u, '/f', O_RDONLY | 0o1000000))).toBe('EPERM');
    expect(errnoOf(k.open(root, '/f', O_RDONLY | 0o1000000))).toBe('ok');
  });

  it('truncate: EISDIR, EINVAL for negative lengths and non-regular files', () => {
    const { k, root } = newKernel();
    unwrap(k.mkdir(root, '/d', 0o755));
    unwrap(k.mknod(root, '/p', 0o10644));
    expect(errnoOf(k.truncate(root, '/d', 0))).toBe('EISDIR');
    expect(errnoOf(k.truncate(root, '/p', 0))).toBe('EINVAL');
    expect(errnoOf(k.truncate(root, '/d', -1))).toBe('EINVAL');
  });
});

describe('devices and directories', () => {
  it('every node with the same rdev reads the same configured device', () => {
    const { k, root } = newKernel();
    k.setDevice(makedev(8, 0), { kind: 'data', name: 'sda', content: enc('HOST DISK BYTES'), block: true });
    unwrap(k.mknod(root, '/a', 0o60600, makedev(8, 0)));
    unwrap(k.mkdir(root, '/export', 0o755));
    unwrap(k.mknod(root, '/export/b', 0o60600, makedev(8, 0)));
    const h = k.spawn({ comm: 'h' });
    unwrap(k.chroot(h, '/export'));
    const fd = unwrap(k.open(h, '/b', O_RDONLY));
    expect(dec(unwrap(k.read(h, fd, 9)))).toBe('HOST DISK');
    unwrap(k.mknod(root, '/null', S_IFCHR | 0o666, makedev(1, 3)));
    expect(unwrap(k.read(root, unwrap(k.open(root, '/null', O_RDONLY)), 10)).length).toBe(0);
    unwrap(k.mknod(root, '/nodev', S_IFCHR | 0o666, makedev(250, 1)));
    expect(errnoOf(k.open(root, '/nodev', O_RDONLY))).toBe('ENXIO');
  });

  it('getdents lists . and .. first with types and increasing offsets; small buffers page', () => {
    const { k, root } = newKernel();
    unwrap(k.mkdir(root, '/d', 0o755));
    unwrap(k.mkdir(root, '/d/sub', 0o755));
    unwrap(k.open(root, '/d/file', O_CREAT | O_WRONLY, 0o644));
    unwrap(k.symlink(root, 'x', '/d/link'));
    const fd = unwrap(k.open(root, '/d', O_RDONLY | 0o200000));
    const first = unwrap(k.getdents(root, fd, 48));
    expect(first.map((e) => e.name)).toEqual(['.', '..']);
    const rest = unwrap(k.getdents(root, fd, 4096));
    expect(rest.map((e) => [e.name, e.type])).toEqual([['sub', 4], ['file', 8], ['link', 10]]);
    expect(rest.map((e) => e.off)).toEqual([3, 4, 5]);
    expect(unwrap(k.getdents(root, fd, 4096))).toEqual([]);
    expect(errnoOf(k.getdents(root, fd, 10))).toBe('ok');
    unwrap(k.lseek(root, fd, 0, 0));
    expect(unwrap(k.getdents(root, fd, 10_000)).length).toBe(5);
    unwrap(k.lseek(root, fd, 0, 0));
    expect(errnoOf(k.getdents(root, fd, 8))).toBe('EINVAL'); // not even one record fits
  });
});

describe('fs.protected_* sysctls (Documentation/admin-guide/sysctl/fs.rst)', () => {
  function sticky(opts: ConstructorParameters<typeof Kernel>[0]): { k: Kernel; root: ReturnType<Kernel['spawn']> } {
    const k = new Kernel(opts);
    const root = k.init;
    unwrap(k.mkdir(root, '/tmp', 0o755));
    unwrap(k.chmod(root, '/tmp', 0o1777));
    return { k, root };
  }

  it('protected_symlinks: a foreign symlink in a sticky world-writable dir is not followed (EACCES), even by root', () => {
    const { k, root } = sticky({ protectedSymlinks: true });
    const u = user(k, 1000, 1000);
    unwrap(k.open(root, '/target', O_CREAT | O_WRONLY, 0o644));
    unwrap(k.symlink(u, '/target', '/tmp/evil'));
    expect(errnoOf(k.stat(root, '/tmp/evil'))).toBe('EACCES');
    expect(errnoOf(k.stat(u, '/tmp/evil'))).toBe('ok');
    expect(errnoOf(k.lstat(root, '/tmp/evil'))).toBe('ok');
    expect(errnoOf(k.readlink(root, '/tmp/evil', 100))).toBe('ok');
    const off = sticky({});
    unwrap(off.k.open(off.root, '/target', O_CREAT | O_WRONLY, 0o644));
    unwrap(off.k.symlink(user(off.k, 1000, 1000), '/target', '/tmp/evil'));
    expect(errnoOf(off.k.stat(off.root, '/tmp/evil'))).toBe('ok');
  });

  it('protected_regular / protected_fifos: O_CREAT of a foreign existing file in a sticky dir is EACCES', () => {
    const { k, root } = sticky({ protectedRegular: 1, protectedFifos: 1 });
    const u = user(k, 1000, 1000);
    unwrap(k.open(u, '/tmp/f', O_CREAT | O_WRONLY, 0o666));
    unwrap(k.chmod(u, '/tmp/f', 0o666));
    expect(errnoOf(k.open(root, '/tmp/f', O_CREAT | O_WRONLY, 0o644))).toBe('EACCES');
    expect(errnoOf(k.open(root, '/tmp/f', O_WRONLY, 0o644))).toBe('ok');
    unwrap(k.mknod(u, '/tmp/p', 0o10666));
    expect(errnoOf(k.open(root, '/tmp/p', O_CREAT | O_RDWR, 0o644))).toBe('EACCES');
    const off = sticky({});
    const v = user(off.k, 1000, 1000);
    unwrap(off.k.open(v, '/tmp/f', O_CREAT | O_WRONLY, 0o666));
    expect(errnoOf(off.k.open(off.root, '/tmp/f', O_CREAT | O_WRONLY, 0o644))).toBe('ok');
  });
});
