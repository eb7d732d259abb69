// Credential changes and their capability effects (capabilities(7)), including what the helper does
// around switched requests (proxy-protocol.md §10.2/§10.3).
import { describe, expect, it } from 'vitest';
import { CAP, CAP_FULL_SET, HELPER_CAPS, O_CREAT, O_WRONLY, capHex, capMask, fullCaps } from '../../sim/host/index.ts';
import { errnoOf, newKernel, unwrap } from './helpers.ts';

const DAC_OVERRIDE = capMask('DAC_OVERRIDE');

describe('setresuid / setresgid / setfsuid capability effects', () => {
  it('euid 0 → 1000 clears the effective set; back to 0 copies permitted into it', () => {
    const { k } = newKernel();
    const t = k.spawn({ comm: 't' });
    unwrap(k.setresuid(t, -1, 1000, -1));
    expect(t.cred).toMatchObject({ ruid: 0, euid: 1000, suid: 0, fsuid: 1000 });
    expect(t.caps.effective).toBe(0n);
    expect(t.caps.permitted).toBe(CAP_FULL_SET);
    unwrap(k.setresuid(t, -1, 0, -1));
    expect(t.caps.effective).toBe(CAP_FULL_SET);
    expect(t.cred.fsuid).toBe(0);
  });

  it('dropping every uid from 0 clears permitted too; an unprivileged process cannot regain 0', () => {
    const { k } = newKernel();
    const t = k.spawn({ comm: 't' });
    unwrap(k.setresuid(t, 1000, 1000, 1000));
    expect(t.caps.permitted).toBe(0n);
    expect(errnoOf(k.setresuid(t, -1, 0, -1))).toBe('EPERM');
    expect(errnoOf(k.setresgid(t, 5, 5, 5))).toBe('EPERM');
  });

  it('setfsuid to non-0 clears the fs capabilities from the effective set only', () => {
    const { k } = newKernel();
    const t = k.spawn({ comm: 't' });
    expect(k.setfsuid(t, 1000)).toBe(0);
    expect(t.caps.effective & capMask('CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'MKNOD')).toBe(0n);
    expect(t.caps.effective & capMask('SETUID', 'SYS_ADMIN')).toBe(capMask('SETUID', 'SYS_ADMIN'));
    expect(k.setfsuid(t, 0)).toBe(1000);
    expect(t.caps.effective).toBe(CAP_FULL_SET);
    // An unprivileged fsuid change to a foreign id is ignored but still returns the old value.
    const u = k.spawn({ comm: 'u', uid: 1000, gid: 1000 });
    expect(k.setfsuid(u, 5)).toBe(1000);
    expect(u.cred.fsuid).toBe(1000);
  });

  it('capset: permitted may only shrink; effective must stay within permitted', () => {
    const { k } = newKernel();
    const t = k.spawn({ comm: 'helper' });
    unwrap(k.capset(t, { effective: HELPER_CAPS, permitted: HELPER_CAPS, inheritable: 0n }));
    expect(capHex(t.caps.effective)).toBe('00000000080000db');
    expect(errnoOf(k.capset(t, { effective: CAP_FULL_SET, permitted: CAP_FULL_SET, inheritable: 0n }))).toBe('EPERM');
    expect(errnoOf(k.capset(t, { effective: capMask('SYS_ADMIN'), permitted: HELPER_CAPS, inheritable: 0n }))).toBe('EPERM');
    expect(errnoOf(k.capbsetDrop(t, CAP.SYS_ADMIN))).toBe('EPERM'); // no CAP_SETPCAP any more
  });
});

describe('the helper credential dance (proxy-protocol.md §10.2/§10.3)', () => {
  function helper(): { k: ReturnType<typeof newKernel>['k']; t: ReturnType<ReturnType<typeof newKernel>['k']['spawn']> } {
    const { k } = newKernel();
    const t = k.spawn({ comm: 'virtfs-proxy-helper' });
    unwrap(k.capset(t, { effective: HELPER_CAPS, permitted: HELPER_CAPS, inheritable: 0n }));
    return { k, t };
  }

  it('uid 1000 request: effective ids switch, capng_apply re-raises DAC_OVERRIDE, restore refills', () => {
    const { k, t } = helper();
    unwrap(k.setresgid(t, -1, 1000, 0));
    unwrap(k.setresuid(t, -1, 1000, 0));
    expect(t.caps.effective).toBe(0n);
    unwrap(k.capset(t, { effective: DAC_OVERRIDE, permitted: HELPER_CAPS, inheritable: 0n }));
    expect(capHex(t.caps.effective)).toBe('0000000000000002');
    // uid 1000 may create in a root-owned 0555 directory thanks to DAC_OVERRIDE (create_in_ro_dir_as_1000)
    unwrap(k.mkdir(k.init, '/ro', 0o555));
    const fd = unwrap(k.open(t, '/ro/f', O_CREAT | O_WRONLY, 0o644));
    expect(unwrap(k.fstat(t, fd))).toMatchObject({ uid: 1000, gid: 1000 });
    // ... but not mknod a character device (mknod_chr_as_1000: no CAP_MKNOD)
    expect(errnoOf(k.mknod(t, '/ro/dev', 0o20666, 0x103n))).toBe('EPERM');
    expect(errnoOf(k.mknod(t, '/ro/fifo', 0o10644))).toBe('ok');
    unwrap(k.setresgid(t, -1, 0, 0));
    unwrap(k.setresuid(t, -1, 0, 0));
    expect(capHex(t.caps.effective)).toBe('00000000080000db');
  });

  it('uid 0 / gid 1000: capng_apply leaves CapEff 0x2 and a 0 → 0 restore does not refill it', () => {
    const { k, t } = helper();
    unwrap(k.setresgid(t, -1, 1000, 0));
    unwrap(k.setresuid(t, -1, 0, 0));
    unwrap(k.capset(t, { effective: DAC_OVERRIDE, permitted: HELPER_CAPS, inheritable: 0n }));
    unwrap(k.setresgid(t, -1, 0, 0));
    unwrap(k.setresuid(t, -1, 0, 0));
    expect(capHex(t.caps.effective)).toBe('0000000000000002');
    unwrap(k.open(k.init, '/f', O_CREAT | O_WRONLY, 0o644));
    expect(errnoOf(k.chown(t, '/f', 1000, 1000))).toBe('EPERM'); // cap_quirk_a/chown_after_uid0_gid1000
    expect(errnoOf(k.mknod(t, '/dev0', 0o20666, 0x103n))).toBe('EPERM');
    // A second thread keeps its own (full) capabilities: setresgid succeeds there, fails here.
    const rcu = k.cloneThread(k.init, 'call_rcu');
    expect(errnoOf(k.setresgid(rcu, -1, 1000, 0))).toBe('ok');
    expect(errnoOf(k.setresgid(t, -1, 1000, 0))).toBe('EPERM');
  });

  it('threads share fds and cwd but not credentials', () => {
    const { k } = newKernel();
    const t = k.spawn({ comm: 'main', caps: fullCaps() });
    const th = k.cloneThread(t);
    const fd = unwrap(k.open(t, '/', 0));
    expect(errnoOf(k.fstat(th, fd))).toBe('ok');
    unwrap(k.setresuid(th, -1, 1000, -1));
    expect(t.cred.euid).toBe(0);
    expect(th.pid).toBe(t.pid);
    expect(th.tid).not.toBe(t.tid);
  });
});

describe('execve', () => {
  it('closes close-on-exec fds, recomputes capabilities for root and non-root, truncates comm', () => {
    const { k } = newKernel();
    const t = k.spawn({ comm: 'libvirtd' });
    const keep = unwrap(k.open(t, '/', 0));
    const drop = unwrap(k.open(t, '/', 0o2000000));
    unwrap(k.capset(t, { effective: HELPER_CAPS, permitted: HELPER_CAPS, inheritable: 0n }));
    unwrap(k.execve(t, 'virtfs-proxy-helper'));
    expect(t.comm).toBe('virtfs-proxy-he'); // 15 bytes + NUL, as ps shows it
    expect(errnoOf(k.fstat(t, keep))).toBe('ok');
    expect(errnoOf(k.fstat(t, drop))).toBe('EBADF');
    // root exec: permitted = inheritable | bounding = everything again (no file caps, no securebits)
    expect(t.caps.effective).toBe(CAP_FULL_SET);
    const q = k.fork(t, 'qemu');
    unwrap(k.setresgid(q, 64055, 64055, 64055));
    unwrap(k.setresuid(q, 64055, 64055, 64055));
    unwrap(k.execve(q, 'qemu-system-x86_64'));
    expect([q.caps.effective, q.caps.permitted]).toEqual([0n, 0n]);
    expect(q.cred).toMatchObject({ ruid: 64055, euid: 64055, suid: 64055 });
  });
});
