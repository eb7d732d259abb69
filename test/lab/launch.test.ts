// scenarios.md §6 launch scenarios through the libvirt layer and the assembled system.
import { describe, it, expect } from 'vitest';
import { planLaunch, DEFAULT_DOMAIN_XML } from '../../sim/libvirt/index.ts';
import { Kernel } from '../../sim/host/kernel.ts';
import { loadTree } from '../../sim/host/tree.ts';
import { launchFromPlan } from '../../sim/lab/plan.ts';
import { TraceRecorder } from '../../sim/trace/recorder.ts';
import type { LaunchEvent, ProxyEvent } from '../../sim/trace/event.ts';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

function host(): Kernel {
  const k = new Kernel();
  loadTree(k, '/', [
    { path: 'export', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    { path: 'export/to', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    { path: 'export/to/guest', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    { path: 'export/to/guest/f', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'data\n' },
  ]);
  return k;
}

function attachRead(lab: ReturnType<typeof launchFromPlan>): string {
  const t = lab.transport();
  t.call({ kind: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000.L' });
  t.call({ kind: 'Tattach', tag: 1, fid: 0, afid: 0xffffffff, uname: '', aname: '', n_uname: 0 });
  t.call({ kind: 'Twalk', tag: 1, fid: 0, newfid: 1, wnames: ['f'] });
  t.call({ kind: 'Tlopen', tag: 1, fid: 1, flags: 0 });
  const r = t.call({ kind: 'Tread', tag: 1, fid: 1, offset: 0n, count: 100 });
  return r.kind === 'Rread' ? new TextDecoder().decode(r.data) : r.kind;
}

describe('launch/*', () => {
  it('patch-v3-on-qemu-1.1 (as posted, helper next to the emulator): helper daemonised, path= ignored, one T_LSTAT at realize', () => {
    const rec = new TraceRecorder();
    const plan = planLaunch(DEFAULT_DOMAIN_XML, { era: '0.10.2', variant: 'as-posted', qemuVersion: '1.1' });
    const lab = launchFromPlan(plan, { kernel: host(), recorder: rec, installed: { emulator: '/usr/bin/qemu-system-x86_64', helper: '/usr/bin/virtfs-proxy-helper' } });
    expect(lab.qemu.status, lab.qemu.stderr).toBe('running');
    expect(lab.helper?.helper.alive).toBe(true);
    const frames = rec.events.filter((e): e is ProxyEvent => e.kind === 'proxy');
    expect(frames.map((f) => hex(f.bytes))[0]).toBe('08000000040000000200' + '2f00');
    expect(frames.length).toBe(2);
    const steps = rec.events.filter((e): e is LaunchEvent => e.kind === 'launch').map((e) => e.step);
    expect(steps).toEqual(['socketpair', 'exec-helper', 'close-fd', 'qemu-argv']);
    expect(lab.syslog.some((l) => l.includes('Started'))).toBe(true);
    expect(attachRead(lab)).toBe('data\n');
  });

  it('leftover-path-on-qemu-7.2 (as posted): QEMU exits 1 with the observed text; the orphaned helper sees EOF and exits 0', () => {
    const plan = planLaunch(DEFAULT_DOMAIN_XML, { era: '0.10.2', variant: 'as-posted', qemuVersion: '7.2' });
    const lab = launchFromPlan(plan, { kernel: host(), installed: { emulator: '/usr/bin/qemu-system-x86_64', helper: '/usr/bin/virtfs-proxy-helper' } });
    expect(lab.qemu.status).toBe('exited');
    expect(lab.qemu.exitCode).toBe(1);
    expect(lab.qemu.stderr).toBe("qemu-system-x86_64: -fsdev proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest: 'path' is invalid for fsdriver 'proxy'\n");
    expect(lab.helper!.helper.exit).toEqual({ status: 0 });
  });

  it('corrected on 7.2: QEMU starts, one T_LSTAT exchange, the guest reads through the helper', () => {
    const rec = new TraceRecorder();
    const plan = planLaunch(DEFAULT_DOMAIN_XML, { era: '0.10.2', variant: 'corrected', qemuVersion: '7.2' });
    const lab = launchFromPlan(plan, { kernel: host(), recorder: rec });
    expect(lab.qemu.status, lab.qemu.stderr).toBe('running');
    expect(lab.stderr.helper).toBe('Started\n');
    expect(attachRead(lab)).toBe('data\n');
    // QEMU runs as libvirt-qemu and never opens a host file: its fds come from SCM_RIGHTS.
    const qemuOpens = rec.events.filter((e) => e.kind === 'syscall' && e.lane === 'qemu' && (e.name === 'openat' || e.name === 'open'));
    expect(qemuOpens).toEqual([]);
    const qemuSend = rec.events.find((e) => e.kind === 'syscall' && e.lane === 'qemu' && e.name === 'sendmsg');
    expect(qemuSend && qemuSend.kind === 'syscall' && qemuSend.creds.uid).toEqual([64055, 64055, 64055, 64055]);
    expect(qemuSend && qemuSend.kind === 'syscall' && qemuSend.caps.effective).toBe(0n);
  });

  it('helper-not-next-to-emulator (as posted on Debian): the exec fails unseen; QEMU 7.2 fails at realize', () => {
    const plan = planLaunch(DEFAULT_DOMAIN_XML.replace(/\s*<readonly\/>/, ''), { era: '0.10.2', variant: 'as-posted', qemuVersion: '4.0' });
    const lab = launchFromPlan(plan, { kernel: host() });
    expect(lab.stderr.helper).toContain('cannot execute binary /usr/bin/virtfs-proxy-helper');
    expect(lab.qemu.status).toBe('exited');
    expect(lab.qemu.stderr).toContain('share path 25 does not exist');
  });

  it('removed-in-9.2: fsdev: fsdriver proxy not found', () => {
    const plan = planLaunch(DEFAULT_DOMAIN_XML, { era: '0.10.2', variant: 'corrected', qemuVersion: '9.2' });
    if (!plan.ok) { expect(plan.error.message).toMatch(/proxy/); return; }
    const lab = launchFromPlan(plan, { kernel: host() });
    expect(lab.qemu.status).toBe('exited');
    expect(lab.qemu.stderr).toContain('fsdev: fsdriver proxy not found');
  });
});
