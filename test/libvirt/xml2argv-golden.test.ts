// libvirt's own golden pairs (fixtures/libvirt-xml2argv): the fs9p domain at v0.10.2, v1.0.0, the
// 2014 tree and 9.0, generated with the harness's capabilities and compared word for word after
// joining backslash-newline continuations; and the 9.0 virtio-fs / s390 pairs on their fs words.
import { describe, expect, it } from 'vitest';
import { parseDomainXml, planLaunch, type LegacyRelease } from '../../sim/libvirt/index.ts';
import { buildVirtiofsDevice } from '../../sim/libvirt/qemu/modern-fs.ts';
import { buildModernFsStr } from '../../sim/libvirt/qemu/modern-fs.ts';
import { fixture, joinContinuations, shellSplit, splitEnv } from './support.ts';

const LEGACY: [string, LegacyRelease][] = [['v0.10.2', '0.10.2'], ['v1.0.0', '1.0.0'], ['v1.2.8-pre', '1.2.8']];

describe('qemuxml2argv-fs9p, 2012–2014 (patched libvirt generates the same words for non-proxy filesystems)', () => {
  for (const [dir, release] of LEGACY) {
    for (const variant of ['as-posted', 'corrected'] as const) {
      it(`${dir} (${variant})`, () => {
        const xml = fixture('libvirt-xml2argv', dir, 'qemuxml2argv-fs9p.xml');
        const expected = splitEnv(shellSplit(joinContinuations(fixture('libvirt-xml2argv', dir, 'qemuxml2argv-fs9p.args'))));
        const r = planLaunch(xml, { era: '0.10.2', variant, legacyRelease: release, host: 'xml2argv-test' });
        if (!r.ok) throw new Error(r.error.message);
        expect(r.env).toEqual(expected.env);
        expect(r.qemu).toEqual(expected.argv);
        expect(r.helper).toBeNull();
        expect(r.socketpairs).toEqual([]);
      });
    }
  }
});

describe('libvirt 9.0 qemuxml2argvdata', () => {
  it('fs9p.x86_64-latest: the whole line', () => {
    const xml = fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'fs9p.xml');
    const expected = splitEnv(shellSplit(joinContinuations(fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'fs9p.x86_64-latest.args'))));
    const r = planLaunch(xml, { era: '9.0', variant: 'as-posted', host: 'xml2argv-test' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.env).toEqual(expected.env);
    expect(r.qemu).toEqual(expected.argv);
  });
  it('fs9p-ccw.s390x-latest: the -fsdev words (s390 machines and ccw devices are not modelled)', () => {
    const xml = fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'fs9p-ccw.xml');
    const words = shellSplit(joinContinuations(fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'fs9p-ccw.s390x-latest.args')));
    const expected = words.filter((_, i) => words[i - 1] === '-fsdev');
    const fss = parseDomainXml(xml, '9.0').filesystems;
    expect(fss.map((f, i) => buildModernFsStr(f, `fs${i}`).text)).toEqual(expected);
    expect(expected).toHaveLength(3);
  });
  it('vhost-user-fs-fd-memory: -chardev and vhost-user-fs-pci -device', () => {
    const xml = fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'vhost-user-fs-fd-memory.xml');
    const words = shellSplit(joinContinuations(fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'vhost-user-fs-fd-memory.x86_64-latest.args')));
    const r = planLaunch(xml, { era: '9.0', variant: 'as-posted', host: 'xml2argv-test' });
    if (!r.ok) throw new Error(r.error.message);
    const pick = (w: string[]) => w.filter((x, i) => x.includes('vu-fs0') || (w[i + 1]?.includes('vu-fs0') && x.startsWith('-')));
    expect(pick(r.qemu)).toEqual(pick(words));
    expect(pick(words)).toHaveLength(4);
  });
  it('vhost-user-fs-hugepages: the device on a pcie-root-port (bus pci.1) with bootindex', () => {
    const xml = fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'vhost-user-fs-hugepages.xml');
    const words = shellSplit(joinContinuations(fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'vhost-user-fs-hugepages.x86_64-latest.args')));
    const fs = parseDomainXml(xml, '9.0').filesystems[0]!;
    expect(words).toContain(buildVirtiofsDevice(fs, 'fs0', fs.address!, true));
  });
  it('vhost-user-fs-readonly: the .err text', () => {
    const xml = fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'vhost-user-fs-readonly.xml');
    const r = planLaunch(xml, { era: '9.0', variant: 'as-posted', host: 'xml2argv-test' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'vhost-user-fs-readonly.x86_64-latest.err').trim());
  });
  it('vhost-user-fs-sock: an external virtiofsd socket is used as the chardev path', () => {
    const xml = fixture('libvirt-xml2argv', 'v9.0.0', 'qemuxml2argvdata', 'vhost-user-fs-sock.xml');
    const r = planLaunch(xml, { era: '9.0', variant: 'as-posted', host: 'xml2argv-test' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.qemu).toContain('socket,id=chr-vu-fs0,path=/tmp/sock');
    expect(r.qemu).toContain('{"driver":"vhost-user-fs-pci","id":"fs0","chardev":"chr-vu-fs0","queue-size":1024,"tag":"tag","bus":"pci.0","addr":"0x2"}');
  });
});
