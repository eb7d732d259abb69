// Located errors and provenance: syntax errors at the validator's line/column, semantic errors
// underlining the exact attribute, advisory warnings, and argv words mapped back to the XML.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOMAIN_XML, parseFilesystems, planLaunch, type PlanResult } from '../../sim/libvirt/index.ts';

const fail = (r: PlanResult) => { if (r.ok) throw new Error('expected a failure'); return r; };
const ok = (r: PlanResult) => { if (!r.ok) throw new Error(r.error.message); return r; };

describe('syntax errors (fast-xml-parser XMLValidator + our scanner, worded as libxml2/virsh print them)', () => {
  it('tag mismatch: libvirt\'s text, the validator\'s position', () => {
    const xml = "<domain type='qemu'>\n  <name>x</name>\n  <memory>1024</memory>\n  <vcpu>1</vcpus>\n</domain>\n";
    const r = fail(planLaunch(xml, { era: '9.0', variant: 'as-posted' }));
    expect(r.error.message).toBe('(domain_definition):4: Opening and ending tag mismatch: vcpu line 4 and vcpus');
    expect([r.error.line, r.error.column]).toEqual([4, 10]); // at '</vcpus>'
  });
  it('a raw & is refused where it stands', () => {
    const r = fail(planLaunch("<domain type='qemu'>\n  <name>a & b</name>\n</domain>", { era: '0.10.2', variant: 'as-posted' }));
    expect(r.error.line).toBe(2);
    expect(r.diagnostics[0]!.severity).toBe('error');
  });
  it('what libxml2 refuses but the validator accepts: a second root, an undefined entity', () => {
    const two = fail(planLaunch("<domain type='qemu'><name>a</name><memory>1</memory></domain>\n<domain/>", { era: '9.0', variant: 'as-posted' }));
    expect(two.error.message).toBe('(domain_definition):2: Extra content at the end of the document');
    expect([two.error.line, two.error.column]).toEqual([2, 1]);
    const ent = fail(planLaunch("<domain type='qemu'><name>&nope;</name></domain>", { era: '9.0', variant: 'as-posted' }));
    expect(ent.error.message).toBe("(domain_definition):1: Entity 'nope' not defined");
  });
  it('the root must be <domain>', () => {
    expect(fail(planLaunch('<network/>', { era: '9.0', variant: 'as-posted' })).error.message).toBe('XML error: unexpected root element <network>, expecting <domain>');
  });
});

describe('semantic diagnostics and provenance', () => {
  it('columns count UTF-16 code units; the span covers the attribute', () => {
    const xml = DEFAULT_DOMAIN_XML.replace("<source dir='/export/to/guest'/>", "<source dir='/ä/ö'/>").replace("accessmode='passthrough'", "accessmode='ünknown'");
    const r = fail(planLaunch(xml, { era: '0.10.2', variant: 'as-posted' }));
    const d = r.diagnostics.find((x) => x.severity === 'error')!;
    expect(xml.slice(d.from, d.to)).toBe("accessmode='ünknown'");
    expect(d.line).toBe(12);
    expect(d.column).toBe(xml.split('\n')[11]!.indexOf('accessmode') + 1);
  });
  it('entities are decoded in attribute values (path=/a&b)', () => {
    const xml = DEFAULT_DOMAIN_XML.replace("dir='/export/to/guest'", "dir='/a&amp;b'");
    const r = ok(planLaunch(xml, { era: '0.10.2', variant: 'as-posted', qemuVersion: '1.2.0' }));
    expect(r.qemu).toContain('proxy,id=fsdev-fs0,sock_fd=25,path=/a&b');
    expect(r.helper).toEqual(['/usr/bin/virtfs-proxy-helper', '-f', '24', '-p', '/a&b']);
  });
  it('argv words point back at the XML: path= inside -fsdev and the helper\'s -p value', () => {
    const r = ok(planLaunch(DEFAULT_DOMAIN_XML, { era: '0.10.2', variant: 'as-posted', qemuVersion: '1.2.0' }));
    const fsdevIndex = r.qemu.indexOf('-fsdev') + 1;
    const word = r.qemu[fsdevIndex]!;
    const inPath = r.origins.find((o) => o.argv === 'qemu' && o.index === fsdevIndex && o.start !== undefined && word.slice(o.start, o.end).startsWith(',path='))!;
    expect(DEFAULT_DOMAIN_XML.slice(inPath.from, inPath.to)).toBe("dir='/export/to/guest'");
    const sockFd = r.origins.find((o) => o.argv === 'qemu' && o.index === fsdevIndex && o.start !== undefined && word.slice(o.start, o.end) === ',sock_fd=25')!;
    expect(DEFAULT_DOMAIN_XML.slice(sockFd.from, sockFd.to)).toBe("type='proxy'");
    const p = r.origins.find((o) => o.argv === 'helper' && o.index === 4)!;
    expect(DEFAULT_DOMAIN_XML.slice(p.from, p.to)).toBe("dir='/export/to/guest'");
    const tag = r.origins.find((o) => o.argv === 'qemu' && o.index === fsdevIndex + 2 && o.start !== undefined && r.qemu[fsdevIndex + 2]!.slice(o.start, o.end) === ',mount_tag=tag0')!;
    expect(DEFAULT_DOMAIN_XML.slice(tag.from, tag.to)).toBe("dir='tag0'");
  });
  it('advisories: a 32-byte mount tag, a duplicate tag, a relative source, a comma in a 2012 path', () => {
    const xml = DEFAULT_DOMAIN_XML.replace("<target dir='tag0'/>", `<target dir='${'t'.repeat(32)}'/>`)
      .replace('  </devices>', "    <filesystem><source dir='rel,dir'/><target dir='" + 't'.repeat(32) + "'/></filesystem>\n  </devices>");
    const r = ok(planLaunch(xml, { era: '0.10.2', variant: 'corrected', qemuVersion: '7.2.22' }));
    const msgs = r.diagnostics.map((d) => `${d.severity}: ${d.message}`);
    expect(msgs).toContain('warning: QEMU refuses mount tags longer than 31 bytes (this one has 32)');
    expect(msgs.some((m) => m.startsWith(`warning: mount tag '${'t'.repeat(32)}' is already used by filesystem 0`))).toBe(true);
    expect(msgs).toContain('info: libvirt passes a relative source directory unchanged (no check that it is absolute)');
    expect(msgs).toContain('warning: libvirt 0.10.2 does not escape commas: this path splits the -fsdev option string');
    expect(r.verdict.starts).toBe(false);
    // The unescaped comma makes QEMU read 'dir' as a short-form boolean option, then refuse it.
    expect(r.verdict.stderr).toContain("path=rel,dir: Invalid parameter 'dir'");
  });
  it('parseFilesystems: typed FsDefs in document order (the first is the mount)', () => {
    const [fs, ...rest] = parseFilesystems(DEFAULT_DOMAIN_XML, '0.10.2');
    expect(rest).toEqual([]);
    expect(fs).toMatchObject({ index: 0, type: 'mount', fsdriver: 'proxy', accessmode: 'passthrough', src: '/export/to/guest', dst: 'tag0', readonly: false });
    expect(() => parseFilesystems(DEFAULT_DOMAIN_XML, '9.0')).toThrow("Invalid value for attribute 'type' in element 'driver': 'proxy'.");
  });
});
