// The adapter from the real sim/host kernel's syscall observer to trace events (no stand-ins: a
// Kernel instance runs the calls).
import { describe, expect, it } from 'vitest';
import { HELPER_CAPS, Kernel } from '../../sim/host/index.ts';
import { attachKernel, exportText, TraceRecorder, type SyscallEvent } from '../../sim/trace/index.ts';

describe('sim/host syscall records → syscall events', () => {
  it('records creds, caps, root/cwd, results and errno numbers with the current cause', () => {
    const k = new Kernel({ rootFs: 'ext4' });
    const admin = k.spawn({ comm: 'setup', uid: 0, gid: 0 });
    expect(k.mkdir(admin, '/srv', 0o755).ok).toBe(true);
    expect(k.mkdir(admin, '/srv/export', 0o755).ok).toBe(true);
    // Root with every capability, as the helper starts (it chroots before dropping to its seven caps).
    const helper = k.spawn({ comm: 'virtfs-proxy-h', uid: 0, gid: 0 });

    const r = new TraceRecorder();
    const sub = attachKernel(r, k);
    const cause = r.note('qemu', 'test:cause', 'T_LSTAT', 'test');
    r.withCause(cause.id, () => {
      expect(k.chroot(helper, '/srv/export').ok).toBe(true);
      expect(k.lstat(helper, '/missing').ok).toBe(false);
      expect(k.setresuid(helper, -1, 1000, -1).ok).toBe(true);
      k.lstat(helper, '/');
    });
    // Kept to show the adapter does not invent caps: a process with only the helper's seven cannot chroot.
    const limited = k.spawn({ comm: 'virtfs-proxy-h', uid: 0, gid: 0, caps: { effective: HELPER_CAPS, permitted: HELPER_CAPS, inheritable: 0n, bounding: HELPER_CAPS, ambient: 0n } });
    sub.dispose();
    k.lstat(helper, '/');
    expect(k.chroot(limited, '/srv').ok).toBe(false);
    const sys = r.events.filter((e): e is SyscallEvent => e.kind === 'syscall');
    expect(sys.map((e) => [e.name, e.lane, e.cause, e.errno])).toEqual([
      ['chroot', 'helper', cause.id, undefined],
      ['lstat', 'helper', cause.id, 2],
      ['setresuid', 'helper', cause.id, undefined],
      ['lstat', 'helper', cause.id, undefined],
    ]);
    expect(sys[1]!.root).toBe('/srv/export');
    expect(sys[1]!.creds).toEqual({ uid: [0, 0, 0, 0], gid: [0, 0, 0, 0], groups: [] });
    // euid 0 → 1000 clears the effective set and (fsuid follows) keeps permitted (capabilities(7)).
    expect(sys[3]!.creds.uid).toEqual([0, 1000, 0, 1000]);
    expect(sys[3]!.caps.effective).toBe(0n);
    // In the default 'changes' mode the context appears on a process's first syscall and when it
    // changes (the kernel reports the context after the call: setresuid's line shows the new ids).
    const changes = exportText(r.events, { time: false }).trimEnd().split('\n');
    expect(changes.map((l) => l.includes('[pid '))).toEqual([false, true, false, true, false]);
    const text = exportText(r.events, { time: false, context: true });
    expect(text).toContain('#3 helper → host   lstat(');
    expect(text).toContain(') = -1 ENOENT  [pid ');
    expect(text).toContain('caps eff=all root /srv/export cwd ');
    expect(text).toContain('uid 0/1000/0/1000 gid 0/0/0/0 groups - caps eff=none prm=all root /srv/export');
  });
});
