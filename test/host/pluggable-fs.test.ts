// The guest-machine shape of DESIGN.md: a second kernel with its own root fs and a filesystem type
// implemented outside sim/host (remote-fs.ts, standing in for v9fs) mounted at /mnt.
import { describe, expect, it } from 'vitest';
import { Kernel, O_CREAT, O_RDONLY, O_RDWR, V9FS_MAGIC } from '../../sim/host/index.ts';
import { RemoteFs } from './remote-fs.ts';
import { dec, enc, errnoOf, unwrap, user } from './helpers.ts';

function machines(): { host: Kernel; guest: Kernel; remote: RemoteFs } {
  const host = new Kernel({ name: 'host' });
  unwrap(host.mkdir(host.init, '/srv', 0o755));
  unwrap(host.mkdir(host.init, '/srv/export', 0o755));
  unwrap(host.chmod(host.init, '/srv/export', 0o777));
  unwrap(host.mkdir(host.init, '/srv/export/sub', 0o755));
  const server = host.spawn({ comm: 'qemu-9p-server', umask: 0 });
  const guest = new Kernel({ name: 'guest', rootFs: 'tmpfs', clock: host.clock });
  unwrap(guest.mkdir(guest.init, '/mnt', 0o755));
  unwrap(guest.mkdir(guest.init, '/tmp', 0o755));
  unwrap(guest.chmod(guest.init, '/tmp', 0o1777));
  const remote = new RemoteFs(host, server, '/srv/export');
  unwrap(guest.mount(guest.init, '/mnt', remote, { source: 'share' }));
  return { host, guest, remote };
}

describe('a filesystem type plugged in from outside (the v9fs shape)', () => {
  it('gets one open per open file description (the open hook) and a release at the last close', () => {
    const { host, guest, remote } = machines();
    const g = user(guest, 1000, 1000);
    const fd = unwrap(guest.open(g, '/mnt/f', O_CREAT | O_RDWR, 0o644));
    expect([remote.opens, remote.releases]).toEqual([1, 0]);
    unwrap(guest.write(g, fd, enc('abc')));
    const dup = unwrap(guest.dup(g, fd));
    unwrap(guest.close(g, fd));
    expect(remote.releases).toBe(0);
    const srv = host.listOpenFds().filter((x) => x.comm === 'qemu-9p-server');
    expect(srv.map((x) => x.path)).toEqual(['/srv/export/f']);
    unwrap(guest.close(g, dup));
    expect([remote.opens, remote.releases]).toEqual([1, 1]);
    expect(host.listOpenFds().filter((x) => x.comm === 'qemu-9p-server')).toEqual([]);
    // O_TRUNC truncates after the filesystem's open (handle_truncate after vfs_open).
    const t = unwrap(guest.open(g, '/mnt/f', 0o1000 | 1));
    expect(unwrap(host.lstat(host.init, '/srv/export/f')).size).toBe(0);
    unwrap(guest.close(g, t));
    const d = unwrap(guest.open(g, '/mnt', O_RDONLY | 0o200000));
    expect(unwrap(guest.getdents(g, d)).map((e) => e.name).sort()).toEqual(['.', '..', 'f', 'sub']);
    expect(remote.opens).toBe(3);
  });

  it('walks into the mount, reads and writes through it, and leaves it through ..', () => {
    const { host, guest } = machines();
    const g = user(guest, 1000, 1000);
    const fd = unwrap(guest.open(g, '/mnt/hello.txt', O_CREAT | O_RDWR, 0o640));
    unwrap(guest.write(g, fd, enc('from the guest')));
    const hs = unwrap(host.lstat(host.init, '/srv/export/hello.txt'));
    expect(hs).toMatchObject({ uid: 1000, gid: 1000, mode: 0o100640, size: 14 });
    const r = unwrap(guest.open(g, '/mnt/hello.txt', O_RDONLY));
    expect(dec(unwrap(guest.read(g, r, 100)))).toBe('from the guest');
    expect(unwrap(guest.lstat(g, '/mnt/sub/../..')).ino).toBe(unwrap(guest.lstat(g, '/')).ino);
    expect(unwrap(guest.lstat(g, '/mnt')).dev).not.toBe(unwrap(guest.lstat(g, '/')).dev);
    expect(unwrap(guest.statfs(g, '/mnt/sub')).type).toBe(V9FS_MAGIC);
    const dirfd = unwrap(guest.open(g, '/mnt', O_RDONLY | 0o200000));
    expect(unwrap(guest.getdents(g, dirfd)).map((e) => e.name).sort()).toEqual(['.', '..', 'hello.txt', 'sub']);
  });

  it('the guest VFS checks permissions on remote attributes, and keeps EXDEV/EBUSY at the mount', () => {
    const { host, guest } = machines();
    const g = user(guest, 1000, 1000);
    expect(errnoOf(guest.mkdir(g, '/mnt/sub/x', 0o755))).toBe('EACCES'); // sub is root 0755 on the host
    unwrap(guest.mkdir(g, '/mnt/mine', 0o700));
    unwrap(guest.rename(g, '/mnt/mine', '/mnt/sub2'));
    expect(errnoOf(host.lstat(host.init, '/srv/export/sub2'))).toBe('ok');
    unwrap(guest.mkdir(g, '/tmp/t', 0o755));
    expect(errnoOf(guest.rename(g, '/tmp/t', '/mnt/t'))).toBe('EXDEV');
    expect(errnoOf(guest.rmdir(guest.init, '/mnt'))).toBe('EBUSY');
    unwrap(guest.symlink(g, '/etc/passwd', '/mnt/l'));
    expect(dec(unwrap(host.readlink(host.init, '/srv/export/l', 100)))).toBe('/etc/passwd');
    // The symlink is resolved by the guest VFS in the guest's namespace (DESIGN.md: guest/ row).
    expect(errnoOf(guest.stat(g, '/mnt/l'))).toBe('ENOENT');
    unwrap(guest.open(g, '/mnt/f', O_CREAT | O_RDWR, 0o644));
    unwrap(guest.link(g, '/mnt/f', '/mnt/f2'));
    expect(unwrap(guest.lstat(g, '/mnt/f2')).nlink).toBe(2);
    expect(errnoOf(guest.link(g, '/mnt/f', '/tmp/f3'))).toBe('EXDEV');
  });
});
