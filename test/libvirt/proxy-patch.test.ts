// The proxy patch v3 (seed-libvirt-proxy-patch.txt) as posted and corrected, built from the patch's
// code as libvirt.md §3–§4 reads it: the -fsdev string, the helper argv, libvirtd's descriptors, every
// capability gate, and the 0.10.2 parse errors — each with its exact virsh text.
import { describe, expect, it } from 'vitest';
import { planLaunch, type PlanOptions, type PlanResult } from '../../sim/libvirt/index.ts';
import { fixture } from './support.ts';

function domain(filesystems: string, emulator = '/usr/bin/qemu-system-x86_64'): string {
  return `<domain type='qemu'>
  <name>guest</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>${emulator}</emulator>
${filesystems}
  </devices>
</domain>
`;
}

const PROXY = `    <filesystem type='mount' accessmode='passthrough'>
      <driver type='proxy'/>
      <source dir='/export/to/guest'/>
      <target dir='/import/from/host'/>
    </filesystem>`;

const opts = (o: Partial<PlanOptions> = {}): PlanOptions => ({ era: '0.10.2', variant: 'as-posted', ...o });
function ok(r: PlanResult): Extract<PlanResult, { ok: true }> {
  if (!r.ok) throw new Error(`unexpected failure: ${r.error.message}`);
  return r;
}
function fail(r: PlanResult): Extract<PlanResult, { ok: false }> {
  if (r.ok) throw new Error(`unexpected success: ${r.qemu.join(' ')}`);
  return r;
}
const after = (argv: string[], opt: string) => argv.filter((_, i) => argv[i - 1] === opt);
const noteIds = (r: PlanResult) => r.notes.map((n) => n.id);

describe('patch v3 as posted: the launch plan of libvirt.md §4.3', () => {
  it('one proxy filesystem on QEMU 1.2 (qemu-1.2.0 help): socketpair 24/25, daemonised helper next to the emulator', () => {
    const r = ok(planLaunch(domain(PROXY), opts({ qemuHelp: fixture('qemu-help', 'qemu-1.2.0') })));
    expect(r.socketpairs).toEqual([{ alias: 'fs0', helperFd: 24, qemuFd: 25 }]);
    expect(r.helper).toEqual(['/usr/bin/virtfs-proxy-helper', '-f', '24', '-p', '/export/to/guest']);
    expect(after(r.qemu, '-fsdev')).toEqual(['proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest']);
    expect(after(r.qemu, '-device')[0]).toBe('virtio-9p-pci,id=fs0,fsdev=fsdev-fs0,mount_tag=/import/from/host,bus=pci.0,addr=0x3');
    expect(r.caps).toContain('fsdev-proxy');
    // QEMU 1.1–4.0 ignore path= for proxy; the helper is really at /usr/bin on 1.2: it starts.
    expect(r.verdict).toEqual({ starts: true, exitCode: null, stderr: '' });
    expect(noteIds(r)).toEqual(expect.arrayContaining(['patch-dead-cap-check', 'patch-path-kept', 'patch-helper-path', 'patch-double-daemonize', 'patch-helper-at-build', 'patch-enum-table', 'fd-numbers']));
  });
  it('the helper directory is dirname(<emulator>)', () => {
    const r = ok(planLaunch(domain(PROXY, '/opt/qemu-1.1/bin/qemu-system-x86_64'), opts({ qemuVersion: '1.1.0' })));
    expect(r.helper![0]).toBe('/opt/qemu-1.1/bin/virtfs-proxy-helper');
    const bare = ok(planLaunch(domain(PROXY, 'qemu'), opts({ qemuVersion: '1.1.0' })));
    expect(bare.helper![0]).toBe('./virtfs-proxy-helper');
  });
  it('writeout and readonly: proxy,writeout=immediate,id=…,sock_fd=N,path=/p,readonly', () => {
    const fs = `<filesystem><driver type='proxy' wrpolicy='immediate'/><source dir='/p'/><target dir='t'/><readonly/></filesystem>`;
    const r = ok(planLaunch(domain(fs), opts({ qemuVersion: '1.2.0' })));
    expect(after(r.qemu, '-fsdev')).toEqual(['proxy,writeout=immediate,id=fsdev-fs0,sock_fd=25,path=/p,readonly']);
    expect(noteIds(r)).toContain('proxy-readonly-noop');
  });
  it('several filesystems: aliases fs0…, slots from 0x3, the helper fd is reused after each spawn', () => {
    const fss = `<filesystem><source dir='/a'/><target dir='ta'/></filesystem>
${PROXY}
<filesystem><driver type='proxy'/><source dir='/c'/><target dir='tc'/></filesystem>`;
    const r = ok(planLaunch(domain(fss), opts({ qemuVersion: '1.2.0' })));
    expect(after(r.qemu, '-fsdev')).toEqual([
      'local,security_model=passthrough,id=fsdev-fs0,path=/a',
      'proxy,id=fsdev-fs1,sock_fd=25,path=/export/to/guest',
      'proxy,id=fsdev-fs2,sock_fd=26,path=/c',
    ]);
    expect(after(r.qemu, '-device').slice(0, 3).map((d) => d.replace(/.*addr=/, ''))).toEqual(['0x3', '0x4', '0x5']);
    expect(r.socketpairs).toEqual([{ alias: 'fs1', helperFd: 24, qemuFd: 25 }, { alias: 'fs2', helperFd: 24, qemuFd: 26 }]);
    expect(r.helpers).toEqual([
      ['/usr/bin/virtfs-proxy-helper', '-f', '24', '-p', '/export/to/guest'],
      ['/usr/bin/virtfs-proxy-helper', '-f', '24', '-p', '/c'],
    ]);
    const firstFree = ok(planLaunch(domain(fss), opts({ qemuVersion: '1.2.0', firstFreeFd: 5 })));
    expect(firstFree.socketpairs.map((s) => [s.helperFd, s.qemuFd])).toEqual([[5, 6], [5, 7]]);
  });
  it('the dead `< 0` check: QEMU 1.0 (no sock_fd in its help) still gets -fsdev proxy, and QEMU refuses it', () => {
    const r = ok(planLaunch(domain(PROXY), opts({ qemuHelp: fixture('qemu-help', 'qemu-1.0') })));
    expect(r.caps).not.toContain('fsdev-proxy');
    expect(after(r.qemu, '-fsdev')).toEqual(['proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest']);
    expect(r.verdict.starts).toBe(false);
    expect(r.notes.find((n) => n.id === 'patch-dead-cap-check')!.text).toContain('would have refused');
  });
  it('QEMU 7.2 (Debian): path= is refused, and the helper is not next to the emulator', () => {
    const r = ok(planLaunch(domain(PROXY), opts({ qemuHelp: fixture('qemu-help', 'qemu-7.2.22') })));
    expect(r.qemuVersion).toBe('7.2.22');
    expect(r.verdict.starts).toBe(false);
    expect(r.verdict.exitCode).toBe(1);
    expect(r.verdict.stderr).toContain("-fsdev proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest: 'path' is invalid for fsdriver 'proxy'");
    expect(noteIds(r)).toEqual(expect.arrayContaining(['help-transcript', 'patch-helper-failure-invisible']));
  });
  it('an -fsdev error after the helper was spawned leaves the helper running (mapped proxy)', () => {
    const fs = `<filesystem accessmode='mapped'><driver type='proxy'/><source dir='/p'/><target dir='t'/></filesystem>`;
    const r = fail(planLaunch(domain(fs), opts({ qemuVersion: '1.2.0' })));
    expect(r.error.message).toBe('unsupported configuration: only supports passthrough accessmode');
    expect(noteIds(r)).toContain('patch-helper-leak');
  });
  it('libvirt 1.0.0 with QEMU ≥ 1.2 probes QMP: no fsdev-proxy cap, the as-posted check still lets it through', () => {
    const r = ok(planLaunch(domain(PROXY), opts({ qemuHelp: fixture('qemu-help', 'qemu-1.2.0'), legacyRelease: '1.0.0' })));
    expect(r.caps).not.toContain('fsdev-proxy');
    expect(noteIds(r)).toEqual(expect.arrayContaining(['qmp-no-proxy-cap', 'help-ignored-qmp']));
  });
});

describe('corrected variant (libvirt.md §4.5)', () => {
  it('QEMU 7.2: helper from /usr/lib/qemu with -n, no path= for proxy, QEMU starts', () => {
    const r = ok(planLaunch(domain(PROXY), opts({ variant: 'corrected', qemuVersion: '7.2.22' })));
    expect(r.helper).toEqual(['/usr/lib/qemu/virtfs-proxy-helper', '-n', '-f', '24', '-p', '/export/to/guest']);
    expect(after(r.qemu, '-fsdev')).toEqual(['proxy,id=fsdev-fs0,sock_fd=25']);
    expect(r.verdict).toEqual({ starts: true, exitCode: null, stderr: '' });
    expect(noteIds(r)).toEqual(expect.arrayContaining(['corrected-cap-check', 'corrected-no-path', 'corrected-helper-dir', 'corrected-helper-foreground']));
    const custom = ok(planLaunch(domain(PROXY), opts({ variant: 'corrected', qemuVersion: '7.2.22', helperDir: '/usr/libexec/' })));
    expect(custom.helper![0]).toBe('/usr/libexec/virtfs-proxy-helper');
  });
  it('the real capability check refuses QEMU 1.0, qemu-kvm-0.13.0, and 9.2 (also over QMP)', () => {
    for (const o of [{ qemuHelp: fixture('qemu-help', 'qemu-1.0') }, { qemuHelp: fixture('qemu-help', 'qemu-kvm-0.13.0') }, { qemuVersion: '9.2.0' }, { qemuVersion: '9.2.0', legacyRelease: '1.0.0' as const }]) {
      const r = fail(planLaunch(domain(PROXY), opts({ variant: 'corrected', ...o })));
      expect(r.error.message).toBe('unsupported configuration: proxy helper not supported');
      expect(r.error.line).toBe(10);
    }
  });
  it('fed by the QMP path too: libvirt 1.0.0 with QEMU 1.2 / 7.2 accepts proxy', () => {
    for (const v of ['1.2.0', '7.2.22']) {
      const r = ok(planLaunch(domain(PROXY), opts({ variant: 'corrected', qemuVersion: v, legacyRelease: '1.0.0' })));
      expect(r.caps).toContain('fsdev-proxy');
      expect(noteIds(r)).toContain('corrected-qmp-proxy');
    }
  });
  it('readonly/writeout on proxy are refused below QEMU 5.0, accepted from 5.0', () => {
    const fs = `<filesystem><driver type='proxy'/><source dir='/p'/><target dir='t'/><readonly/></filesystem>`;
    expect(fail(planLaunch(domain(fs), opts({ variant: 'corrected', qemuVersion: '4.2.0' }))).error.message)
      .toBe('unsupported configuration: readonly and writeout have no effect with the proxy fsdriver before QEMU 5.0');
    expect(after(ok(planLaunch(domain(fs), opts({ variant: 'corrected', qemuVersion: '5.0.0' }))).qemu, '-fsdev')).toEqual(['proxy,id=fsdev-fs0,sock_fd=25,readonly']);
  });
});

describe('capability gates of qemuBuildCommandLine / qemuBuildFSStr (0.10.2)', () => {
  const cases: [string, string, Partial<PlanOptions>, string][] = [
    ['no -fsdev (qemu-0.12.1)', `<filesystem><source dir='/p'/><target dir='t'/></filesystem>`, { qemuHelp: fixture('qemu-help', 'qemu-0.12.1') }, 'unsupported configuration: filesystem passthrough not supported by this QEMU'],
    ['readonly without FSDEV_READONLY (qemu-kvm-0.13.0)', `<filesystem><source dir='/p'/><target dir='t'/><readonly/></filesystem>`, { qemuHelp: fixture('qemu-help', 'qemu-kvm-0.13.0') }, 'unsupported configuration: readonly filesystem is not supported by this QEMU binary'],
    ['writeout without FSDEV_WRITEOUT (qemu-kvm-0.13.0)', `<filesystem><driver type='path' wrpolicy='immediate'/><source dir='/p'/><target dir='t'/></filesystem>`, { qemuHelp: fixture('qemu-help', 'qemu-kvm-0.13.0') }, 'unsupported configuration: filesystem writeout not supported'],
    ['handle + mapped', `<filesystem accessmode='mapped'><driver type='handle'/><source dir='/p'/><target dir='t'/></filesystem>`, {}, 'unsupported configuration: only supports passthrough accessmode'],
    ['type bind at start', `<filesystem type='bind'><source dir='/p'/><target dir='t'/></filesystem>`, {}, 'unsupported configuration: only supports mount filesystem type'],
    ['proxy + squash', `<filesystem accessmode='squash'><driver type='proxy'/><source dir='/p'/><target dir='t'/></filesystem>`, {}, 'unsupported configuration: only supports passthrough accessmode'],
  ];
  for (const [name, fs, o, msg] of cases) {
    it(name, () => expect(fail(planLaunch(domain(fs), opts(o))).error.message).toBe(msg));
  }
  it('squash maps to security_model=none; readonly needs FSDEV_READONLY and gets ,readonly', () => {
    const r = ok(planLaunch(domain(`<filesystem accessmode='squash'><source dir='/p'/><target dir='t'/><readonly/></filesystem>`), opts({ qemuHelp: fixture('qemu-help', 'qemu-1.0') })));
    expect(after(r.qemu, '-fsdev')).toEqual(['local,security_model=none,id=fsdev-fs0,path=/p,readonly']);
  });
});

describe('0.10.2 parse errors (virDomainFSDefParseXML, libvirt.md §1.2) with their location', () => {
  const cases: [string, string, string][] = [
    [`<filesystem type='bogus'><source dir='/p'/><target dir='t'/></filesystem>`, "internal error unknown filesystem type 'bogus'", "type='bogus'"],
    [`<filesystem accessmode='x'><source dir='/p'/><target dir='t'/></filesystem>`, "internal error unknown accessmode 'x'", "accessmode='x'"],
    [`<filesystem><driver type='default'/><source dir='/p'/><target dir='t'/></filesystem>`, "internal error unknown fs driver type 'default'", "type='default'"],
    [`<filesystem><driver type='virtiofs'/><source dir='/p'/><target dir='t'/></filesystem>`, "internal error unknown fs driver type 'virtiofs'", "type='virtiofs'"],
    [`<filesystem><driver type='path' wrpolicy='default'/><source dir='/p'/><target dir='t'/></filesystem>`, "unsupported configuration: unknown filesystem write policy 'default'", "wrpolicy='default'"],
    [`<filesystem><target dir='t'/></filesystem>`, 'missing source information for device t', '<filesystem>'],
    [`<filesystem><source dir='/p'/><targt dir='t'/></filesystem>`, 'missing target information for device /p', '<filesystem>'],
    [`<filesystem type='ram'><target dir='t'/></filesystem>`, "XML error: missing 'usage' attribute for RAM filesystem", '<filesystem'],
    [`<filesystem><source dir='/p'/><target dir='t'/><space_hard_limit>lots</space_hard_limit></filesystem>`, 'XML error: could not parse element ./space_hard_limit[1]', '<space_hard_limit>'],
    [`<filesystem><source dir='/p'/><target dir='t'/><space_hard_limit unit='Q'>1</space_hard_limit></filesystem>`, "invalid argument: unknown suffix 'Q'", "unit='Q'"],
  ];
  for (const [fs, msg, marked] of cases) {
    it(msg, () => {
      const xml = domain(`    ${fs}`);
      const r = fail(planLaunch(xml, opts()));
      expect(r.error.message).toBe(msg);
      const d = r.diagnostics.find((x) => x.severity === 'error')!;
      expect(xml.slice(d.from, d.to).startsWith(marked)).toBe(true);
      expect(d.line).toBe(9);
      expect(r.error.line).toBe(9);
      expect(r.error.column).toBe(d.column);
    });
  }
  it('the same XML under 9.0 uses 9.0\'s texts (proxy is unknown there)', () => {
    const r = fail(planLaunch(domain(PROXY), { era: '9.0', variant: 'as-posted' }));
    expect(r.error.message).toBe("XML error: Invalid value for attribute 'type' in element 'driver': 'proxy'.");
    expect(noteIds(r)).toContain('proxy-never-merged');
  });
});
