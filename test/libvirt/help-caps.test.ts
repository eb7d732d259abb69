// -help → capabilities, golden against libvirt's qemuhelptest expectations as libvirt.md §2.2 gives
// them (version / is_kvm / FSDEV / FSDEV_READONLY / FSDEV_WRITEOUT) plus the patch's `sock_fd` probe.
import { describe, expect, it } from 'vitest';
import { capsFromHelp, helpFlagsForVersion, isHelpTranscript, LibvirtError, parseHelpVersion, unwrapHelpTranscript } from '../../sim/libvirt/index.ts';
import { fixture, fixtureNames } from './support.ts';

// libvirt.md §2.2 table, one row per help dump.
const EXPECTED: Record<string, { version: number; isKvm: boolean; fsdev: boolean; ro: boolean; wo: boolean; proxy: boolean }> = {
  'qemu-0.12.1': { version: 12001, isKvm: false, fsdev: false, ro: false, wo: false, proxy: false },
  'qemu-kvm-0.12.1.2-rhel61': { version: 12001, isKvm: true, fsdev: false, ro: false, wo: false, proxy: false },
  'qemu-kvm-0.13.0': { version: 13000, isKvm: true, fsdev: true, ro: false, wo: false, proxy: false },
  'qemu-1.0': { version: 1000000, isKvm: false, fsdev: true, ro: true, wo: true, proxy: false },
  'qemu-1.1.0': { version: 1001000, isKvm: false, fsdev: true, ro: true, wo: true, proxy: true },
  'qemu-1.2.0': { version: 1002000, isKvm: false, fsdev: true, ro: true, wo: true, proxy: true },
  'qemu-kvm-1.2.0': { version: 1002000, isKvm: true, fsdev: true, ro: true, wo: true, proxy: true },
  'qemu-7.2.22': { version: 7002022, isKvm: false, fsdev: true, ro: true, wo: true, proxy: true },
};

const helpFiles = fixtureNames('qemu-help').filter((n) => !n.endsWith('-device'));

describe('fixtures/qemu-help: libvirt 0.10.2 help probe (+ patch sock_fd)', () => {
  it('has an expectation for every help dump in the fixtures', () => {
    expect(helpFiles.sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const name of helpFiles) {
    it(name, () => {
      const raw = fixture('qemu-help', name);
      const e = EXPECTED[name]!;
      // qemu-7.2.22 is a recorded transcript; real libvirt would refuse the "$ …" first line.
      const text = isHelpTranscript(raw) ? unwrapHelpTranscript(raw) : raw;
      expect(isHelpTranscript(raw)).toBe(name === 'qemu-7.2.22');
      const caps = capsFromHelp(text);
      expect(caps.version).toBe(e.version);
      expect(caps.isKvm).toBe(e.isKvm);
      expect(caps.kvmVersion).toBe(0);
      expect(caps.flags.has('fsdev')).toBe(e.fsdev);
      expect(caps.flags.has('fsdev-readonly')).toBe(e.ro);
      expect(caps.flags.has('fsdev-writeout')).toBe(e.wo);
      expect(caps.flags.has('fsdev-proxy')).toBe(e.proxy);
      // Without the patch there is never a proxy flag.
      expect(capsFromHelp(text, false).flags.has('fsdev-proxy')).toBe(false);
    });
  }
  it('the version-based model agrees with every help dump on the fsdev flags', () => {
    for (const name of helpFiles) {
      const e = EXPECTED[name]!;
      const v = `${Math.floor(e.version / 1e6)}.${Math.floor(e.version / 1e3) % 1000}.${e.version % 1000}`;
      const f = helpFlagsForVersion(v);
      expect([name, f.has('fsdev'), f.has('fsdev-readonly'), f.has('fsdev-writeout'), f.has('fsdev-proxy')])
        .toEqual([name, e.fsdev, e.ro, e.wo, e.proxy]);
    }
  });
  it('sub-searches run from the first -fsdev to the end of the text (libvirt.md §2.2)', () => {
    const help = 'QEMU emulator version 1.0, Copyright\n-drive ...,readonly\n-fsdev local,id=id\n-virtfs local,...[,writeout=immediate][,readonly]\n';
    const f = capsFromHelp(help).flags;
    expect(f.has('fsdev-readonly')).toBe(true);
    expect(f.has('fsdev-writeout')).toBe(true);
    const before = capsFromHelp('QEMU emulator version 1.0\n-drive readonly writeout sock_fd\n-fsdev local\n').flags;
    expect([before.has('fsdev-readonly'), before.has('fsdev-writeout'), before.has('fsdev-proxy')]).toEqual([false, false, false]);
  });
  it('banner parsing: micro defaults to 0, (kvm-NN) sets kvm_version, bad banner is refused with the first line', () => {
    expect(parseHelpVersion('QEMU emulator version 1.1, x')).toEqual({ version: 1001000, isKvm: false, kvmVersion: 0 });
    expect(parseHelpVersion('QEMU PC emulator version 0.10.5 (kvm-88), x')).toEqual({ version: 10005, isKvm: true, kvmVersion: 88 });
    let err: unknown;
    try { parseHelpVersion('$ qemu-system-x86_64 -help\n(rc=0)\n'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).format('0.10.2')).toBe("internal error cannot parse QEMU version number in '$ qemu-system-x86_64 -help'");
  });
});

describe('capabilities without a help text', () => {
  it('libvirt 9.0 refuses QEMU older than its minimum 4.2.0', async () => {
    const { planLaunch, DEFAULT_DOMAIN_XML } = await import('../../sim/libvirt/index.ts');
    const xml = DEFAULT_DOMAIN_XML.replace("<driver type='proxy'/>", '');
    const r = planLaunch(xml, { era: '9.0', variant: 'as-posted', qemuVersion: '1.2.0' });
    expect(r.ok ? '' : r.error.message).toBe('internal error: QEMU version >= 4.2.0 is required, but 1.2.0 found');
    const h = planLaunch(xml, { era: '9.0', variant: 'as-posted', qemuHelp: fixture('qemu-help', 'qemu-7.2.22') });
    expect(h.ok && h.qemuVersion).toBe('7.2.22');
    const v92 = planLaunch(xml, { era: '9.0', variant: 'as-posted', qemuVersion: '9.2.0' });
    expect(v92.ok && v92.qemu).toContain('pc-i440fx-9.2,usb=off,dump-guest-core=off,memory-backend=pc.ram');
  });
  it('libvirt 9.0 with QEMU 7.2: handle is emitted and QEMU refuses it (note handle-removed)', async () => {
    const { planLaunch } = await import('../../sim/libvirt/index.ts');
    const r = planLaunch(fixture('libvirt-9.0-oracle', '05-handle-passthrough-wrpolicy.xml'), { era: '9.0', variant: 'as-posted' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.notes.map((n) => n.id)).toContain('handle-removed');
    expect(r.verdict.starts).toBe(false);
    expect(r.verdict.stderr).toContain('fsdev: fsdriver handle not found');
  });
  it('the 2012 version model: proxy flag exactly while QEMU lists proxy in -help (1.1 – 9.1)', () => {
    expect(['1.0', '1.1', '4.0', '7.2', '9.1', '9.2'].map((v) => helpFlagsForVersion(v).has('fsdev-proxy'))).toEqual([false, true, true, true, true, false]);
  });
});
