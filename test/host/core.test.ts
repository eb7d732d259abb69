import { describe, expect, it } from 'vitest';
import {
  O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_PATH, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY,
  S_IFDIR, S_IFLNK, S_IFREG, SEEK_SET,
} from '../../sim/host/index.ts';
import { dec, enc, errnoOf, newKernel, unwrap, user } from './helpers.ts';

describe('mkdir / open / read / write / lstat', () => {
  it('creates, writes and reads back a file with ext4 stat values', () => {
    const { k, root } = newKernel();
    unwrap(k.mkdir(root, '/d', 0o755));
    const fd = unwrap(k.open(root, '/d/f', O_CREAT | O_WRONLY, 0o666));
    expect(fd).toBe(0);
    expect(unwrap(k.write(root, fd, enc('hello proxy\n')))).toBe(12);
    unwrap(k.close(root, fd));
    const st = unwrap(k.lstat(root, '/d/f'));
    expect(st.mode).toBe(S_IFREG | 0o644); // umask 022
    expect(st.size).toBe(12);
    expect(st.blocks).toBe(8);
    expect(st.blksize).toBe(4096);
    expect(st.nlink).toBe(1);
    const r = unwrap(k.open(root, '/d/f', O_RDONLY));
    expect(dec(unwrap(k.read(root, r, 5)))).toBe('hello');
    expect(dec(unwrap(k.read(root, r, 100)))).toBe(' proxy\n');
    expect(unwrap(k.read(root, r, 100)).length).toBe(0);
    const d = unwrap(k.lstat(root, '/d'));
    expect(d.mode).toBe(S_IFDIR | 0o755);
    expect(d.size).toBe(4096);
    expect(d.nlink).toBe(2);
  });

  it('uses the lowest free fd', () => {
    const { k, root } = newKernel();
    const a = unwrap(k.open(root, '/', O_RDONLY | O_DIRECTORY));
    const b = unwrap(k.open(root, '/', O_RDONLY | O_DIRECTORY));
    const c = unwrap(k.open(root, '/', O_RDONLY | O_DIRECTORY));
    expect([a, b, c]).toEqual([0, 1, 2]);
    unwrap(k.close(root, 1));
    expect(unwrap(k.open(root, '/', O_RDONLY))).toBe(1);
    expect(errnoOf(k.close(root, 7))).toBe('EBADF');
  });

  it('O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW, O_PATH', () => {
    const { k, root } = newKernel();
    const fd = unwrap(k.open(root, '/f', O_CREAT | O_RDWR, 0o644));
    unwrap(k.write(root, fd, enc('abcdef')));
    expect(errnoOf(k.open(root, '/f', O_CREAT | O_EXCL | O_WRONLY, 0o644))).toBe('EEXIST');
    const a = unwrap(k.open(root, '/f', O_WRONLY | O_APPEND));
    unwrap(k.lseek(root, a, 0, SEEK_SET));
    unwrap(k.write(root, a, enc('XY')));
    expect(dec(unwrap(k.pread(root, fd, 100, 0)))).toBe('abcdefXY');
    unwrap(k.open(root, '/f', O_WRONLY | O_TRUNC));
    expect(unwrap(k.lstat(root, '/f')).size).toBe(0);
    expect(errnoOf(k.open(root, '/f', O_RDONLY | O_DIRECTORY))).toBe('ENOTDIR');
    expect(errnoOf(k.open(root, '/', O_WRONLY))).toBe('EISDIR');
    unwrap(k.symlink(root, 'f', '/l'));
    expect(errnoOf(k.open(root, '/l', O_RDONLY | O_NOFOLLOW))).toBe('ELOOP');
    const p = unwrap(k.open(root, '/l', O_PATH | O_NOFOLLOW));
    expect(unwrap(k.fstat(root, p)).mode & 0o170000).toBe(S_IFLNK);
    expect(errnoOf(k.read(root, p, 1))).toBe('EBADF');
    // O_PATH keeps O_PATH|O_NOFOLLOW only (no O_LARGEFILE), like Linux's build_open_flags.
    expect(unwrap(k.fcntl(root, p, 3))).toBe(O_PATH | O_NOFOLLOW);
    expect(unwrap(k.fcntl(root, fd, 3))).toBe(O_RDWR | 0o100000);
  });

  it('O_CREAT|O_EXCL fails on a dangling symlink; O_CREAT through one creates the target', () => {
    const { k, root } = newKernel();
    unwrap(k.symlink(root, 'target', '/dangling'));
    expect(errnoOf(k.open(root, '/dangling', O_CREAT | O_EXCL | O_WRONLY, 0o600))).toBe('EEXIST');
    unwrap(k.open(root, '/dangling', O_CREAT | O_WRONLY, 0o600));
    expect(unwrap(k.lstat(root, '/target')).mode).toBe(S_IFREG | 0o600);
  });

  it('symlink, readlink and lstat of a symlink (size = target length, fast symlink 0 blocks)', () => {
    const { k, root } = newKernel();
    unwrap(k.symlink(root, '/etc/passwd', '/l'));
    const st = unwrap(k.lstat(root, '/l'));
    expect(st.mode).toBe(S_IFLNK | 0o777);
    expect(st.size).toBe(11);
    expect(st.blocks).toBe(0);
    expect(dec(unwrap(k.readlink(root, '/l', 4096)))).toBe('/etc/passwd');
    expect(dec(unwrap(k.readlink(root, '/l', 4)))).toBe('/etc');
    expect(errnoOf(k.readlink(root, '/l', 0))).toBe('EINVAL');
    expect(errnoOf(k.readlink(root, '/', 10))).toBe('EINVAL');
    expect(errnoOf(k.stat(root, '/l'))).toBe('ENOENT');
    expect(errnoOf(k.symlink(root, '', '/e'))).toBe('ENOENT');
    expect(errnoOf(k.symlink(root, 'x', '/l'))).toBe('EEXIST');
    const long = 'x'.repeat(60);
    unwrap(k.symlink(root, long, '/slow'));
    expect(unwrap(k.lstat(root, '/slow')).blocks).toBe(8);
  });

  it('path walk: .., trailing slashes, ENOTDIR, ENAMETOOLONG, ELOOP', () => {
    const { k, root } = newKernel();
    unwrap(k.mkdir(root, '/a', 0o755));
    unwrap(k.mkdir(root, '/a/b/', 0o755)); // mkdir "a/" is fine
    unwrap(k.open(root, '/a/f', O_CREAT | O_WRONLY, 0o644));
    expect(unwrap(k.lstat(root, '/a/b/../../a/./f')).mode & S_IFREG).toBeTruthy();
    expect(errnoOf(k.lstat(root, '/a/f/'))).toBe('ENOTDIR');
    expect(errnoOf(k.lstat(root, '/a/f/x'))).toBe('ENOTDIR');
    expect(errnoOf(k.lstat(root, '/../../a/f'))).toBe('ok');
    expect(errnoOf(k.lstat(root, ''))).toBe('ENOENT');
    expect(errnoOf(k.lstat(root, '/' + 'n'.repeat(256)))).toBe('ENAMETOOLONG');
    expect(errnoOf(k.lstat(root, '/' + 'n'.repeat(255)))).toBe('ENOENT');
    expect(errnoOf(k.lstat(root, '/a/' + 'x/'.repeat(2100)))).toBe('ENAMETOOLONG');
    // A symlink with a trailing slash is followed.
    unwrap(k.symlink(root, 'a', '/la'));
    expect(unwrap(k.lstat(root, '/la/')).mode & 0o170000).toBe(S_IFDIR);
    expect(unwrap(k.lstat(root, '/la')).mode & 0o170000).toBe(S_IFLNK);
    // 40 links are followed, the 41st is ELOOP.
    unwrap(k.symlink(root, 'a', '/c0'));
    for (let i = 1; i <= 40; i++) unwrap(k.symlink(root, `c${i - 1}`, `/c${i}`));
    expect(errnoOf(k.stat(root, '/c39'))).toBe('ok');
    expect(errnoOf(k.stat(root, '/c40'))).toBe('ELOOP');
    unwrap(k.symlink(root, 'self', '/self'));
    expect(errnoOf(k.stat(root, '/self'))).toBe('ELOOP');
  });

  it('chroot keeps .. and absolute symlinks inside the new root', () => {
    const { k, root } = newKernel();
    unwrap(k.mkdir(root, '/export', 0o755));
    unwrap(k.open(root, '/secret', O_CREAT | O_WRONLY, 0o600));
    unwrap(k.open(root, '/export/file.txt', O_CREAT | O_WRONLY, 0o644));
    unwrap(k.symlink(root, '/secret', '/export/abs'));
    unwrap(k.symlink(root, '../../..', '/export/up'));
    unwrap(k.symlink(root, '/', '/export/toroot'));
    const h = k.spawn({ comm: 'helper' });
    unwrap(k.chroot(h, '/export'));
    unwrap(k.chdir(h, '/'));
    expect(errnoOf(k.lstat(h, '/secret'))).toBe('ENOENT');
    expect(errnoOf(k.lstat(h, '../../../secret'))).toBe('ENOENT');
    expect(errnoOf(k.stat(h, 'abs'))).toBe('ENOENT');
    expect(unwrap(k.stat(h, 'up')).ino).toBe(unwrap(k.lstat(root, '/export')).ino);
    expect(unwrap(k.stat(h, 'toroot/file.txt')).ino).toBe(unwrap(k.lstat(root, '/export/file.txt')).ino);
    expect(unwrap(k.getcwd(h))).toBe('/');
    unwrap(k.mkdir(h, '../../escape', 0o755));
    expect(errnoOf(k.lstat(root, '/export/escape'))).toBe('ok');
    expect(errnoOf(k.lstat(root, '/escape'))).toBe('ENOENT');
  });

  it('permission checks: EACCES for others, search permission, owner bits, root override', () => {
    const { k, root } = newKernel();
    unwrap(k.mkdir(root, '/priv', 0o700));
    unwrap(k.open(root, '/priv/f', O_CREAT | O_WRONLY, 0o644));
    unwrap(k.open(root, '/f600', O_CREAT | O_WRONLY, 0o600));
    const u = user(k, 1000, 1000);
    expect(errnoOf(k.lstat(u, '/priv/f'))).toBe('EACCES');
    expect(errnoOf(k.open(u, '/f600', O_RDONLY))).toBe('EACCES');
    expect(errnoOf(k.open(u, '/newfile', O_CREAT | O_WRONLY, 0o644))).toBe('EACCES');
    expect(errnoOf(k.open(root, '/f600', O_RDWR))).toBe('ok');
  });
});
