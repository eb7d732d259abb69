// The runner on small inline scenarios: the guest's own tree and user, another mount point, a
// blocked line that never finishes, a libvirt refusal, the racer at placement 0.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/validate.ts';
import { runScenario, ScenarioRun, withDriver } from '../../sim/scenario/run.ts';

const DOMAIN = `<domain type='qemu'><name>g</name><memory unit='KiB'>219136</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator><filesystem type='mount' accessmode='passthrough'><driver type='proxy'/><source dir='/srv/share'/><target dir='data'/></filesystem></devices></domain>`;

function scenario(script: string[], extra: Record<string, unknown> = {}) {
  return parseScenario({
    version: 1, title: 'inline',
    host: { export: '/srv/share', tree: [
      { path: '/srv/share', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      { path: '/srv/share/owned', type: 'dir', mode: 0o700, uid: 1000, gid: 1000 },
      { path: '/srv/share/f', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'host file\n', mtime: { sec: 1500000000, nsec: 0 } },
    ] },
    guest: { mount: '/data', uid: 1000, gid: 1000, tree: [{ path: '/home/user/notes', type: 'file', mode: 0o600, uid: 1000, gid: 1000, content: 'guest note\n' }], script },
    domain: DOMAIN, era: '0.10.2', variant: 'corrected', qemu: '7.2', ...extra,
  });
}

describe('runScenario', () => {
  it('runs the script as the guest user, on the chosen mount point, with the guest tree', () => {
    const r = runScenario(scenario(['id', 'cat /home/user/notes', 'ls -l /data', 'touch /data/owned/mine', 'touch /data/nope', 'host: ls -ln /srv/share/owned']));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.results.map((x) => x.exit)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(r.results[0]!.stdout).toBe('uid=1000(user) gid=1000(user) groups=1000(user)\n');
    expect(r.results[1]!.stdout).toBe('guest note\n');
    expect(r.results[2]!.stdout).toMatch(/^total \d+\n-rw-r--r-- 1 root root   10 Jul 14  2017 f\ndrwx------ 2 user user 4096 .* owned\n$/);
    expect(r.results[4]!.stderr).toBe("touch: cannot touch '/data/nope': Permission denied\n");
    expect(r.results[5]!.stdout).toMatch(/-rw-r--r-- 1 1000 1000 0 .* mine\n$/);
    expect(r.launch.qemu.join(' ')).toContain('-fsdev proxy,id=fsdev-fs0,sock_fd=25 -device virtio-9p-pci,id=fs0,fsdev=fsdev-fs0,mount_tag=data');
  });

  it('reports libvirt refusals and QEMU refusals as ok:false', () => {
    const nine = runScenario(scenario(['ls /data'], { era: '9.0' }));
    expect(nine).toMatchObject({ ok: false, error: { message: "XML error: Invalid value for attribute 'type' in element 'driver': 'proxy'." } });
    const old = runScenario(scenario(['ls /data'], { qemu: '9.2', variant: 'as-posted' }));
    expect(old.ok).toBe(false);
    expect(!old.ok && old.error.message).toContain('fsdriver proxy not found');
  });

  it('keeps a line that never unblocks as exit null with what it waits on', () => {
    const r = runScenario(scenario(['host: mkfifo /srv/share/p', 'cat /data/p', 'echo never']));
    expect(r.ok && r.results.slice(1).map((x) => [x.exit, x.blocked])).toEqual([
      [null, 'fifo-open-reader: /data/p'],
      [null, "not started: guest's terminal stayed blocked"],
    ]);
  });

  it('runs the racer at placement 0 before anything else, and counts host syscalls', () => {
    const run = new ScenarioRun(scenario(['cat /data/f', 'racer: host: rm /srv/share/f'], { race: { afterHostSyscall: 0 } }));
    const r = run.runAll();
    expect(r.ok && r.results.map((x) => [x.exit, x.stderr])).toEqual([[1, 'cat: /data/f: No such file or directory\n'], [0, '']]);
    expect(run.hostSyscalls).toBeGreaterThan(0);
  });

  it('reports a host tree the kernel cannot build as ok:false', () => {
    const bad = scenario(['ls /data']);
    bad.host.tree.push({ path: '/srv/share/f/inside', type: 'file', mode: 0o644, uid: 0, gid: 0 });
    expect(runScenario(bad)).toMatchObject({ ok: false, error: { message: 'host tree: cannot build /srv/share/f/inside: open failed with ENOTDIR' } });
  });

  it('swaps the first <filesystem> driver for preset cells', () => {
    expect(withDriver(DOMAIN, 'local')).toContain("<driver type='path'/>");
    expect(withDriver(DOMAIN.replace("<driver type='proxy'/>", ''), 'proxy')).toContain("accessmode='passthrough'><driver type='proxy'/>");
  });
});
