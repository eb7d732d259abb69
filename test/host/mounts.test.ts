import { describe, expect, it } from 'vitest';
import { Kernel, O_CREAT, O_WRONLY } from '../../sim/host/index.ts';
import { errnoOf, unwrap, user } from './helpers.ts';

describe('mounts', () => {
  function setup(): { k: Kernel; t: Kernel['init'] } {
    const k = new Kernel();
    const t = k.init;
    unwrap(k.mkdir(t, '/mnt', 0o755));
    unwrap(k.mkdir(t, '/other', 0o755));
    unwrap(k.open(t, '/other/f', O_CREAT | O_WRONLY, 0o644));
    const tmp = k.newFs('tmpfs');
    unwrap(k.mount(t, '/mnt', tmp));
    return { k, t };
  }

  it('crosses into a mount, has its own st_dev, and .. leaves it', () => {
    const { k, t } = setup();
    unwrap(k.mkdir(t, '/mnt/d', 0o755));
    const root = unwrap(k.lstat(t, '/'));
    const m = unwrap(k.lstat(t, '/mnt'));
    expect(m.dev).not.toBe(root.dev);
    expect(m.size).toBe(60); // tmpfs root with one entry
    expect(unwrap(k.lstat(t, '/mnt/d/../..')).ino).toBe(root.ino);
    expect(unwrap(k.lstat(t, '/mnt/..')).dev).toBe(root.dev);
    expect(unwrap(k.statfs(t, '/mnt/d')).type).toBe(0x01021994);
    expect(unwrap(k.statfs(t, '/other')).type).toBe(0xef53);
  });

  it('EXDEV for rename and link across mounts; EBUSY for the mountpoint', () => {
    const { k, t } = setup();
    expect(errnoOf(k.rename(t, '/other/f', '/mnt/f'))).toBe('EXDEV');
    expect(errnoOf(k.link(t, '/other/f', '/mnt/f'))).toBe('EXDEV');
    expect(errnoOf(k.rmdir(t, '/mnt'))).toBe('EBUSY');
    expect(errnoOf(k.rename(t, '/mnt', '/mnt2'))).toBe('EBUSY');
    expect(errnoOf(k.rename(t, '/', '/x'))).toBe('EBUSY');
    expect(errnoOf(k.rmdir(t, '/'))).toBe('EBUSY');
    expect(errnoOf(k.remove(t, '/'))).toBe('EBUSY');
  });

  it('read-only mounts refuse writes with EROFS; umount needs CAP_SYS_ADMIN and an idle mount', () => {
    const k = new Kernel();
    const t = k.init;
    unwrap(k.mkdir(t, '/ro', 0o755));
    const fs2 = k.newFs('ext4');
    unwrap(k.mount(t, '/ro', fs2, { readonly: true }));
    expect(errnoOf(k.mkdir(t, '/ro/x', 0o755))).toBe('EROFS');
    expect(errnoOf(k.open(t, '/ro/y', O_CREAT | O_WRONLY, 0o644))).toBe('EROFS');
    const u = user(k, 1000, 1000);
    expect(errnoOf(k.umount(u, '/ro'))).toBe('EPERM');
    unwrap(k.chdir(u, '/ro'));
    expect(errnoOf(k.umount(t, '/ro'))).toBe('EBUSY');
    unwrap(k.chdir(u, '/'));
    unwrap(k.umount(t, '/ro'));
    expect(errnoOf(k.mkdir(t, '/ro/x', 0o755))).toBe('ok');
  });

  it('a chroot into a mount keeps .. at the mount root', () => {
    const { k, t } = setup();
    const h = k.spawn({ comm: 'h' });
    unwrap(k.chroot(h, '/mnt'));
    unwrap(k.chdir(h, '/'));
    expect(unwrap(k.lstat(h, '../../..')).dev).toBe(unwrap(k.lstat(t, '/mnt')).dev);
    expect(errnoOf(k.lstat(h, '/other'))).toBe('ENOENT');
  });
});
