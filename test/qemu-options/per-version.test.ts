// Per-version verdicts (proxy-protocol.md §12.2–12.4, §15; libvirt.md §5). 7.2 is pinned by the golden
// and real-QEMU tests; the other versions follow the documented changes, with the docs' confidence.
import { describe, expect, it } from 'vitest';
import { MODELLED_QEMU_VERSIONS } from '../../sim/qemu/versions.ts';
import { checkQemuCommandLine, runQemuCommandLine, V9FS } from '../../sim/qemu/options/index.ts';

const BASE = ['-nodefaults', '-display', 'none', '-machine', 'pc,accel=tcg', '-S'];
const DEV = ['-device', 'virtio-9p-pci,fsdev=fsdev-fs0,mount_tag=tag0'];
const PATCH_V3 = ['-fsdev', 'proxy,id=fsdev-fs0,sock_fd=4,path=/dir']; // libvirt proxy patch v3 as posted (libvirt.md §5)
const DEPRECATED = "'-fsdev proxy' and '-virtfs proxy' are deprecated, use 'local' instead of 'proxy, or consider deploying virtiofsd as alternative to 9p";
const P = 'qemu-system-x86_64: ';

const verdict = (version: string, args: string[], peer: 'helper' | 'none' = 'helper') =>
  checkQemuCommandLine([...BASE, ...args], { version, peer });

describe('the patch v3 option string -fsdev proxy,…,sock_fd=N,path=DIR across versions (libvirt.md §5)', () => {
  const expected: Record<string, { starts: boolean; stderr: string }> = {};
  for (const v of MODELLED_QEMU_VERSIONS) {
    const n = Number(v);
    if (n < 1.1) expected[v] = { starts: false, stderr: `${P}-fsdev ${PATCH_V3[1]}: Invalid parameter 'sock_fd'\n` };
    else if (n < 4.1) expected[v] = { starts: true, stderr: '' }; // path= silently ignored
    else if (n < 8.1) expected[v] = { starts: false, stderr: `${P}-fsdev ${PATCH_V3[1]}: 'path' is invalid for fsdriver 'proxy'\n` };
    else if (n < 9.2) expected[v] = { starts: false, stderr: `${P}-fsdev ${PATCH_V3[1]}: warning: ${DEPRECATED}\n${P}-fsdev ${PATCH_V3[1]}: 'path' is invalid for fsdriver 'proxy'\n` };
    else expected[v] = { starts: false, stderr: `${P}-fsdev ${PATCH_V3[1]}: fsdev: fsdriver proxy not found\n` };
  }
  for (const v of MODELLED_QEMU_VERSIONS) {
    it(`QEMU ${v}`, () => {
      const r = verdict(v, [...PATCH_V3, ...DEV]);
      expect({ starts: r.starts, stderr: r.stderr }).toEqual(expected[v]);
      expect(r.exitCode).toBe(r.starts ? null : 1);
    });
  }
  it('the corrected string (no path=) starts on every version with the driver', () => {
    const ok = MODELLED_QEMU_VERSIONS.filter((v) => verdict(v, ['-fsdev', 'proxy,id=fsdev-fs0,sock_fd=4', ...DEV]).starts);
    expect(ok).toEqual(['1.1', '1.2', '2.6', '2.8', '2.9', '4.0', '4.1', '5.0', '5.1', '6.0', '7.1', '7.2', '8.1', '9.1']);
  });
});

describe('deprecation (8.1) and removal (9.2), proxy-protocol.md §12.3', () => {
  it('8.1 warns before the driver lookup, with strncmp(…, "proxy", 5): proxyX warns too', () => {
    const r = verdict('8.1', ['-fsdev', 'proxyX,id=f0,sock_fd=4']);
    expect(r.stderr).toBe(`${P}-fsdev proxyX,id=f0,sock_fd=4: warning: ${DEPRECATED}\n${P}-fsdev proxyX,id=f0,sock_fd=4: fsdev: fsdriver proxyX not found\n`);
  });
  it('8.1 and 9.1 start with the warning; 7.2 is silent', () => {
    for (const v of ['8.1', '9.1']) {
      expect(verdict(v, ['-fsdev', 'proxy,id=fsdev-fs0,sock_fd=4', ...DEV])).toEqual({ starts: true, exitCode: null, stderr: `${P}-fsdev proxy,id=fsdev-fs0,sock_fd=4: warning: ${DEPRECATED}\n` });
    }
    expect(verdict('7.2', ['-fsdev', 'proxy,id=fsdev-fs0,sock_fd=4', ...DEV]).stderr).toBe('');
  });
  it('9.2 refuses -virtfs proxy at fsdev creation, echoing the -virtfs option', () => {
    expect(verdict('9.2', ['-virtfs', 'proxy,sock_fd=4,mount_tag=t'])).toEqual({ starts: false, exitCode: 1, stderr: `${P}-virtfs proxy,sock_fd=4,mount_tag=t: fsdev: fsdriver proxy not found\n` });
  });
  it('9.2 still parses socket/sock_fd (the option file was not touched), so a bad sock_fd is a parse error first', () => {
    expect(verdict('9.2', ['-fsdev', 'proxy,id=f0,sock_fd=abc']).stderr).toBe(`${P}-fsdev proxy,id=f0,sock_fd=abc: Parameter 'sock_fd' expects a number\n`);
  });
});

describe('QEMU 1.0 and 0.12 (no proxy driver; no -fsdev at all)', () => {
  it('1.0 without socket/sock_fd keys fails at the driver lookup (1.x fprintf: no prefix)', () => {
    expect(verdict('1.0', ['-fsdev', 'proxy,id=f0,path=/x'])).toEqual({ starts: false, exitCode: 1, stderr: 'fsdev: fsdriver proxy not found\n' });
  });
  it('0.12 does not know -fsdev', () => {
    expect(verdict('0.12', ['-fsdev', 'local,id=f0,path=/x,security_model=none']).stderr).toBe(`${P}-fsdev: invalid option\n`);
  });
});

describe('proxy_parse_opts message eras (§12.2)', () => {
  const cases: [string, string, string][] = [
    ['1.2', 'socket and sock_fd none of the option specified\n', 'Both socket and sock_fd options specified\n'],
    ['2.9', `${P}-fsdev proxy,id=f0: Must specify either socket or sock_fd\n`, `${P}-fsdev proxy,id=f0,socket=/s,sock_fd=3: Both socket and sock_fd options specified\n`],
    ['7.2', `${P}-fsdev proxy,id=f0: both socket and sock_fd properties are missing\n`, `${P}-fsdev proxy,id=f0,socket=/s,sock_fd=3: both socket and sock_fd properties are set\n`],
  ];
  for (const [v, neither, both] of cases) {
    it(`QEMU ${v}`, () => {
      expect(verdict(v, ['-fsdev', 'proxy,id=f0']).stderr).toBe(neither);
      expect(verdict(v, ['-fsdev', 'proxy,id=f0,socket=/s,sock_fd=3']).stderr).toBe(both);
    });
  }
});

describe('readonly / writeout with proxy (§12.2: no effect before 5.0)', () => {
  const flags = (v: string) => runQemuCommandLine([...BASE, '-fsdev', 'proxy,id=f0,sock_fd=4,readonly=on,writeout=immediate'], { version: v }).fsdevs[0]!;
  it('4.1 drops the flags (export_flags = …), 5.0 keeps them (|=)', () => {
    expect(flags('4.1').exportFlags).toBe(V9FS.PROXY_SOCK_FD);
    expect(flags('4.1').droppedFlags).toBe(V9FS.RDONLY | V9FS.IMMEDIATE_WRITEOUT);
    expect(flags('5.0').exportFlags).toBe(V9FS.PROXY_SOCK_FD | V9FS.RDONLY | V9FS.IMMEDIATE_WRITEOUT);
    expect(flags('5.0').droppedFlags).toBe(0);
  });
  it('short-form readonly warns from 6.0; readonly=yes is accepted from 6.0 only', () => {
    expect(verdict('5.1', ['-fsdev', 'proxy,id=f0,sock_fd=4,readonly']).stderr).toBe('');
    expect(verdict('6.0', ['-fsdev', 'proxy,id=f0,sock_fd=4,readonly']).stderr)
      .toBe(`${P}-fsdev proxy,id=f0,sock_fd=4,readonly: warning: short-form boolean option 'readonly' deprecated\nPlease use readonly=on instead\n`);
    expect(verdict('5.1', ['-fsdev', 'proxy,id=f0,sock_fd=4,readonly=yes']).stderr).toBe(`${P}-fsdev proxy,id=f0,sock_fd=4,readonly=yes: Parameter 'readonly' expects 'on' or 'off'\n`);
    expect(verdict('6.0', ['-fsdev', 'proxy,id=f0,sock_fd=4,readonly=yes']).starts).toBe(true);
  });
});

describe('realize against peers (real-helper.md §5)', () => {
  const run = (peer: 'fake_not_dir' | 'fake_short' | 'fake_silent', v = '7.2') =>
    runQemuCommandLine([...BASE, '-fsdev', 'proxy,id=f0,sock_fd=3', '-device', 'virtio-9p-pci,fsdev=f0,mount_tag=tag0'], { version: v, peer });
  it('a regular-file stat is "not a directory"', () => {
    expect(run('fake_not_dir').stderr).toBe(`${P}-device virtio-9p-pci,fsdev=f0,mount_tag=tag0: share path 3 is not a directory\n`);
  });
  it('a short reply trips the 7.2 client assert (SIGABRT, no exit status)', () => {
    const r = run('fake_short');
    expect([r.starts, r.exitCode, r.signal]).toEqual([false, null, 'SIGABRT']);
    expect(r.stderr).toBe("qemu-system-x86_64: ../../hw/9pfs/9p-proxy.c:241: v9fs_receive_response: Assertion `retval == 8 * 3 + 4 * 3 + 8 * 10' failed.\n");
  });
  it('a silent peer hangs realize', () => {
    expect(run('fake_silent')).toMatchObject({ starts: false, exitCode: null, hung: true, stderr: '' });
  });
  it('QEMU unlinks a named socket after connecting: a second device on the same socket gets ENOENT (checked against real 7.2)', () => {
    const r = runQemuCommandLine([...BASE, '-fsdev', 'proxy,id=f0,socket=/run/p.sock', '-device', 'virtio-9p-pci,fsdev=f0,mount_tag=a', '-device', 'virtio-9p-pci,fsdev=f0,mount_tag=b'], { version: '7.2', peer: 'socket_helper' });
    expect(r.stderr).toBe(`${P}-device virtio-9p-pci,fsdev=f0,mount_tag=b: cannot initialize fsdev 'f0': failed to connect to '/run/p.sock': No such file or directory\n`);
  });
  it('sock_fd is atoi()ed: 0x4 is fd 0, whose peer decides', () => {
    const r = runQemuCommandLine([...BASE, '-fsdev', 'proxy,id=f0,sock_fd=0x4', ...DEV.map((a) => a.replace('fsdev-fs0', 'f0'))], { version: '7.2', peer: { fds: { 4: 'helper' } } });
    expect(r.stderr).toBe(`${P}-device virtio-9p-pci,fsdev=f0,mount_tag=tag0: share path 0x4 does not exist\n`);
  });
});

describe('-msg timestamp=on uses the virtual clock, from its position in argv on', () => {
  it('prefixes later reports only', () => {
    const r = runQemuCommandLine([...BASE, '-fsdev', 'proxy,id=f0,sock_fd=4,readonly', '-msg', 'timestamp=on', '-fsdev', 'proxy,id=f1'], { version: '7.2', clockIso: () => '2030-01-02T03:04:05.000006Z' });
    expect(r.stderr).toBe(`${P}-fsdev proxy,id=f0,sock_fd=4,readonly: warning: short-form boolean option 'readonly' deprecated\nPlease use readonly=on instead\n`
      + `2030-01-02T03:04:05.000006Z ${P}-fsdev proxy,id=f1: both socket and sock_fd properties are missing\n`);
  });
});

describe("9p realize eras (NinePRealizeEra; wording from each era's sources, boundaries approximate)", () => {
  const dev = 'virtio-9p-pci,fsdev=f0,mount_tag=tag0';
  const run = (v: string, fsdev: string, peer: 'none' | 'helper' = 'none') => verdict(v, ['-fsdev', fsdev, '-device', dev], peer);
  it('1.2: bare fprintf lines, "socket error" for a failed connect, then the Virtio-9p init line', () => {
    expect(run('1.2', 'proxy,id=f0,socket=/run/p.sock').stderr).toBe('socket error\nVirtio-9p Failed to initialize fs-driver with id:f0 and export path:/run/p.sock\n');
    expect(run('1.2', 'proxy,id=f0,sock_fd=9').stderr).toBe('share path 9 does not exist\n');
    expect(verdict('1.2', ['-device', 'virtio-9p-pci,fsdev=nope,mount_tag=t']).stderr).toBe("Virtio-9p device couldn't find fsdev with the id = nope\n");
  });
  it('2.9: error_report lines with the -device location, then the 9pfs init line', () => {
    expect(run('2.9', 'proxy,id=f0,socket=/run/p.sock').stderr).toBe(
      `${P}-device ${dev}: Failed to connect to /run/p.sock: No such file or directory\n${P}-device ${dev}: 9pfs Failed to initialize fs-driver with id:f0 and export path:/run/p.sock\n`);
  });
  it('7.2: one line, the driver error prefixed "cannot initialize fsdev" (observed)', () => {
    expect(run('7.2', 'proxy,id=f0,socket=/run/p.sock').stderr).toBe(`${P}-device ${dev}: cannot initialize fsdev 'f0': failed to connect to '/run/p.sock': No such file or directory\n`);
  });
  it('mount tags longer than 31 bytes are refused from 2.x on; 1.x truncated them', () => {
    const long = ['-fsdev', 'proxy,id=f0,sock_fd=4', '-device', `virtio-9p-pci,fsdev=f0,mount_tag=${'t'.repeat(40)}`];
    expect(verdict('1.2', long).starts).toBe(true);
    expect(verdict('2.9', long).stderr).toContain('(40 bytes) is longer than maximum (31 bytes)');
  });
});

describe('local export roots across the 2.9 hardening', () => {
  const host = (p: string) => (p === '/srv/file' ? 'file' as const : p === '/srv/x' ? 'dir' as const : 'missing' as const);
  const run = (v: string, path: string) => runQemuCommandLine([...BASE, '-fsdev', `local,id=f0,path=${path},security_model=none`, '-device', 'virtio-9p-pci,fsdev=f0,mount_tag=t'], { version: v, host }).stderr;
  it('2.8 (naive: no open at init) fails at the root lstat; 2.9 fails in init; 7.2 names the errno', () => {
    expect(run('2.8', '/srv/gone')).toBe(`${P}-device virtio-9p-pci,fsdev=f0,mount_tag=t: share path /srv/gone does not exist\n`);
    expect(run('2.8', '/srv/file')).toBe(`${P}-device virtio-9p-pci,fsdev=f0,mount_tag=t: share path /srv/file is not a directory\n`);
    expect(run('2.9', '/srv/gone')).toBe(`${P}-device virtio-9p-pci,fsdev=f0,mount_tag=t: 9pfs Failed to initialize fs-driver with id:f0 and export path:/srv/gone\n`);
    expect(run('7.2', '/srv/file')).toBe(`${P}-device virtio-9p-pci,fsdev=f0,mount_tag=t: cannot initialize fsdev 'f0': failed to open '/srv/file': Not a directory\n`);
    expect(run('2.9', '/srv/x')).toBe('');
  });
});

describe('options the model refuses to guess about', () => {
  it('-set and -readconfig are reported as not modelled (typed error)', () => {
    expect(() => verdict('7.2', ['-fsdev', 'proxy,id=f0,sock_fd=4', '-set', 'fsdev.f0.path=/x'])).toThrow(expect.objectContaining({ code: 'QemuNotModelled' }));
    expect(() => verdict('7.2', ['-readconfig', '/etc/qemu.cfg'])).toThrow(expect.objectContaining({ code: 'QemuNotModelled' }));
    expect(() => verdict('7.2', ['-set', 'machine.foo=bar'])).toThrow(expect.objectContaining({ code: 'QemuNotModelled' }));
    expect(() => verdict('7.2', ['-global', 'virtio-9p-pci.mount_tag=x'])).toThrow(expect.objectContaining({ code: 'QemuNotModelled' }));
  });
});
