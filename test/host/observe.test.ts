import { describe, expect, it } from 'vitest';
import { HELPER_CAPS, O_CREAT, O_RDONLY, O_WRONLY, type SyscallRecord } from '../../sim/host/index.ts';
import { newKernel, unwrap } from './helpers.ts';

describe('observing syscalls', () => {
  it('records every call with ids, credentials, capabilities, root and cwd', () => {
    const { k, root } = newKernel();
    unwrap(k.mkdir(root, '/export', 0o755));
    unwrap(k.mknod(root, '/export/p', 0o10644));
    const recs: SyscallRecord[] = [];
    const stop = k.observe((r) => recs.push(r));
    const h = k.spawn({ comm: 'virtfs-proxy-helper' });
    unwrap(k.chroot(h, '/export'));
    unwrap(k.chdir(h, '/'));
    unwrap(k.capset(h, { effective: HELPER_CAPS, permitted: HELPER_CAPS, inheritable: 0n }));
    unwrap(k.open(h, 'f', O_CREAT | O_WRONLY, 0o600));
    k.lstat(h, 'nope');
    const blocked = k.open(h, 'p', O_RDONLY);
    expect(blocked.ok).toBe(false);
    k.clock.advance(1000n);
    unwrap(k.open(root, '/export/p', O_WRONLY));
    expect(!blocked.ok && blocked.blocked && blocked.resume().ok).toBe(true);
    stop();
    k.lstat(h, '/');
    const names = recs.map((r) => r.syscall);
    expect(names).toEqual(['chroot', 'chdir', 'capset', 'openat', 'lstat', 'openat', 'openat', 'openat']);
    const seqs = recs.map((r) => r.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const open = recs[3]!;
    // Both paths are in the kernel's global namespace (the helper's cwd after chdir("/") is /export).
    expect(open).toMatchObject({ pid: h.pid, tid: h.tid, comm: 'virtfs-proxy-helper', ok: true, result: 0, root: '/export', cwd: '/export' });
    expect(open.args).toMatchObject({ path: 'f', flags: O_CREAT | O_WRONLY, mode: '0600' });
    expect(open.caps).toEqual({ eff: '00000000080000db', perm: '00000000080000db', bnd: '000001ffffffffff' });
    expect(open.creds).toMatchObject({ ruid: 0, euid: 0, fsuid: 0, groups: [] });
    expect(recs[4]).toMatchObject({ ok: false, errno: 'ENOENT', result: 'ENOENT' });
    expect(recs[5]).toMatchObject({ ok: false, errno: 'EAGAIN', blocked: { on: 'fifo-open-reader' } });
    expect(recs[7]).toMatchObject({ ok: true, args: { resumed: true } });
    expect(recs[7]!.timeNs - recs[5]!.timeNs).toBe(1000n);
  });

  it('announces namespace changes and lists open fds per process', () => {
    const { k, root } = newKernel();
    const changes: string[] = [];
    k.onChange((e) => changes.push(e.syscall));
    unwrap(k.mkdir(root, '/d', 0o755));
    k.lstat(root, '/d');
    const fd = unwrap(k.open(root, '/d/f', O_CREAT | O_WRONLY, 0o644));
    unwrap(k.rename(root, '/d/f', '/d/g'));
    expect(changes).toEqual(['mkdirat', 'openat', 'renameat2']);
    const q = k.fork(root, 'qemu');
    const fds = k.listOpenFds();
    expect(fds.map((f) => [f.pid, f.comm, f.fd, f.kind])).toEqual([[root.pid, 'init', fd, 'regular'], [q.pid, 'qemu', fd, 'regular']]);
    expect(fds[0]!.description).toBe(fds[1]!.description);
    expect(fds[0]!.path).toBe('/d/f'); // d_path is the name at open time here (see mount.ts)
  });
});
