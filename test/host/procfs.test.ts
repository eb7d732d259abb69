// procfs magic links (fs/proc/base.c proc_fd_link, proc_root_link) and /proc/PID/status.
import { describe, expect, it } from 'vitest';
import { HELPER_CAPS, Kernel, O_CREAT, O_DIRECTORY, O_PATH, O_RDONLY, O_WRONLY, S_IFLNK } from '../../sim/host/index.ts';
import { dec, enc, errnoOf, unwrap, user } from './helpers.ts';

describe('procfs (opt-in)', () => {
  function setup(): { k: Kernel; t: Kernel['init'] } {
    const k = new Kernel();
    unwrap(k.mountProc());
    return { k, t: k.init };
  }

  it('/proc/self/fd/N/name reaches a file through an O_PATH directory fd, as QEMU 2.9+ does', () => {
    const { k, t } = setup();
    unwrap(k.mkdir(t, '/export', 0o755));
    const q = k.spawn({ comm: 'qemu', uid: 0 });
    const dirfd = unwrap(k.open(q, '/export', O_PATH | O_DIRECTORY));
    unwrap(k.open(q, `/proc/self/fd/${dirfd}/new`, O_CREAT | O_WRONLY, 0o600));
    expect(errnoOf(k.lstat(t, '/export/new'))).toBe('ok');
    unwrap(k.lsetxattr(q, `/proc/self/fd/${dirfd}/new`, 'user.virtfs.uid', enc('1000'), 0));
    expect(dec(unwrap(k.lgetxattr(t, '/export/new', 'user.virtfs.uid', 10)) as Uint8Array)).toBe('1000');
    const l = unwrap(k.lstat(q, `/proc/self/fd/${dirfd}`));
    expect(l.mode & 0o170000).toBe(S_IFLNK);
    expect(dec(unwrap(k.readlink(q, `/proc/self/fd/${dirfd}`, 100)))).toBe('/export');
    expect(dec(unwrap(k.readlink(q, '/proc/self', 100)))).toBe(String(q.pid));
  });

  it('magic links jump even when the text would not resolve: a file renamed away, a chroot from outside', () => {
    const { k, t } = setup();
    unwrap(k.mkdir(t, '/jail', 0o755));
    unwrap(k.open(t, '/jail/inside', O_CREAT | O_WRONLY, 0o644));
    const fd = unwrap(k.open(t, '/jail/inside', O_RDONLY));
    unwrap(k.rename(t, '/jail/inside', '/jail/moved'));
    expect(unwrap(k.stat(t, `/proc/self/fd/${fd}`)).ino).toBe(unwrap(k.lstat(t, '/jail/moved')).ino);
    const h = k.spawn({ comm: 'helper' });
    unwrap(k.chroot(h, '/jail'));
    // From outside, /proc/PID/root enters the chroot (and .. inside it stays at the jail's root
    // only for the jailed process itself).
    expect(errnoOf(k.lstat(t, `/proc/${h.pid}/root/moved`))).toBe('ok');
    expect(errnoOf(k.lstat(h, '/proc'))).toBe('ENOENT'); // no /proc inside the jail
  });

  it('/proc/PID/status shows ids and capability sets; another user cannot follow fd/ links', () => {
    const { k, t } = setup();
    const h = k.spawn({ comm: 'virtfs-proxy-helper' });
    unwrap(k.capset(h, { effective: HELPER_CAPS, permitted: HELPER_CAPS, inheritable: 0n }));
    const fd = unwrap(k.open(t, `/proc/${h.pid}/status`, O_RDONLY));
    const text = dec(unwrap(k.read(t, fd, 4096)));
    expect(text).toContain('Name:\tvirtfs-proxy-helper');
    expect(text).toContain('CapEff:\t00000000080000db');
    expect(text).toContain('Uid:\t0\t0\t0\t0');
    unwrap(k.open(h, '/', O_RDONLY));
    const u = user(k, 1000, 1000);
    expect(errnoOf(k.stat(u, `/proc/${h.pid}/fd/0`))).toBe('EACCES');
    expect(errnoOf(k.stat(t, `/proc/${h.pid}/fd/0`))).toBe('ok');
    const dirfd = unwrap(k.open(t, `/proc/${h.pid}/fd`, O_RDONLY | O_DIRECTORY));
    expect(unwrap(k.getdents(t, dirfd)).map((e) => e.name)).toEqual(['.', '..', '0']);
    expect(errnoOf(k.mkdir(t, '/proc/x', 0o755))).toBe('ENOENT');
  });
});
