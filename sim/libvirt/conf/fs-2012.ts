// virDomainFSDefParseXML of libvirt 0.10.2 / 1.0.0, with the proxy patch v3's extra driver type.
//
// Source: libvirt.md §1.2 (evaluation order and texts), §1.1 (enums), §4.2 (the patch appends
// "proxy" to virDomainFSDriverType). Enum lookups are exact string compares (STREQ).

import { LibvirtError, type XmlSpan } from '../errors.ts';
import { attr, type XmlAttr, type XmlElement } from '../xml/tree.ts';
import { parseDeviceAddress } from './address.ts';
import type { FsAccessMode, FsDef, FsDriverType, FsType, FsWrpolicy } from './fsdef.ts';
import { parseULongLong, scaleInteger } from './scaled.ts';

const FS_TYPES: FsType[] = ['mount', 'block', 'file', 'template', 'ram', 'bind'];
const ACCESS_MODES: FsAccessMode[] = ['passthrough', 'mapped', 'squash'];
/** Index 0 is `default`, which the parser refuses when written (libvirt.md §1.2 step 5). */
const DRIVER_TYPES_PATCHED: FsDriverType[] = ['default', 'path', 'handle', 'proxy'];
const WRPOLICIES: FsWrpolicy[] = ['default', 'immediate'];

const span = (a: XmlAttr): XmlSpan => ({ from: a.from, to: a.to });
const elSpan = (e: XmlElement): XmlSpan => ({ from: e.from, to: e.startTagTo });

/** `./space_hard_limit[1]` etc. through virDomainParseScaledValue (0.10.2). */
function scaledLimit(fs: XmlElement, name: string): number {
  const el = fs.children.find((c) => c.name === name);
  if (!el || el.text === '') return 0;
  const v = parseULongLong(el.text);
  if (v === null) throw new LibvirtError('XML_ERROR', `could not parse element ./${name}[1]`, elSpan(el));
  const u = attr(el, 'unit');
  return Number(scaleInteger(v, u?.value, 1n, u ? span(u) : elSpan(el)));
}

export function parseFilesystem2012(fs: XmlElement, index: number): FsDef {
  const def: FsDef = {
    index, type: 'mount', fsdriver: 'default', accessmode: 'passthrough', accessmodeExplicit: false,
    wrpolicy: 'default', model: 'default', multidevs: 'default', fmode: 0, dmode: 0, readonly: false,
    spaceHardLimit: 0, spaceSoftLimit: 0, spans: { element: { from: fs.from, to: fs.to } },
  };
  // 1. type
  const type = attr(fs, 'type');
  if (type) {
    def.spans.type = span(type);
    if (!FS_TYPES.includes(type.value as FsType)) {
      throw new LibvirtError('INTERNAL_ERROR', `unknown filesystem type '${type.value}'`, span(type));
    }
    def.type = type.value as FsType;
  }
  // 2. accessmode
  const am = attr(fs, 'accessmode');
  if (am) {
    def.spans.accessmode = span(am);
    if (!ACCESS_MODES.includes(am.value as FsAccessMode)) {
      throw new LibvirtError('INTERNAL_ERROR', `unknown accessmode '${am.value}'`, span(am));
    }
    def.accessmode = am.value as FsAccessMode;
    def.accessmodeExplicit = true;
  }
  // 3. space limits (never reach QEMU)
  def.spaceHardLimit = scaledLimit(fs, 'space_hard_limit');
  def.spaceSoftLimit = scaledLimit(fs, 'space_soft_limit');
  // 4. one walk over the children: first <source>, <target>, <driver> count; any <readonly/>.
  let source: string | undefined;
  let sourceEl: XmlElement | undefined;
  let usage: XmlAttr | undefined;
  let unit: XmlAttr | undefined;
  let target: string | undefined;
  let driverType: XmlAttr | undefined;
  let wrpolicy: XmlAttr | undefined;
  let aliasEl: XmlElement | undefined;
  let addressEl: XmlElement | undefined;
  for (const c of fs.children) {
    if (c.name === 'source' && !sourceEl && source === undefined && !usage) {
      let a: XmlAttr | undefined;
      switch (def.type) {
        case 'mount': case 'bind': a = attr(c, 'dir'); break;
        case 'file': a = attr(c, 'file'); break;
        case 'block': a = attr(c, 'dev'); break;
        case 'template': a = attr(c, 'name'); break;
        case 'ram':
          usage = attr(c, 'usage');
          unit = attr(c, 'unit');
          break;
        default: break;
      }
      if (a) { source = a.value; def.spans.src = span(a); sourceEl = c; def.spans.source = elSpan(c); }
      if (usage) def.spans.source = elSpan(c);
    } else if (c.name === 'target' && target === undefined) {
      const d = attr(c, 'dir');
      if (d) { target = d.value; def.spans.dst = span(d); def.spans.target = elSpan(c); }
    } else if (c.name === 'readonly') {
      def.readonly = true;
      def.spans.readonly = elSpan(c);
    } else if (c.name === 'driver' && !def.spans.driver) {
      def.spans.driver = elSpan(c);
      driverType = attr(c, 'type');
      wrpolicy = attr(c, 'wrpolicy');
    } else if (c.name === 'alias' && !aliasEl) {
      aliasEl = c;
    } else if (c.name === 'address' && !addressEl) {
      addressEl = c;
    }
    // Unknown children are ignored silently (a misspelt <targt> is dropped): libvirt.md §1.2 step 4.
  }
  // 5. driver type: must map to a value > 0, so a literal 'default' is refused.
  if (driverType) {
    def.spans.driverType = span(driverType);
    const i = DRIVER_TYPES_PATCHED.indexOf(driverType.value as FsDriverType);
    if (i <= 0) throw new LibvirtError('INTERNAL_ERROR', `unknown fs driver type '${driverType.value}'`, span(driverType));
    def.fsdriver = DRIVER_TYPES_PATCHED[i]!;
  }
  // 6. write policy: must be > 0 ('default' refused).
  if (wrpolicy) {
    def.spans.wrpolicy = span(wrpolicy);
    const i = WRPOLICIES.indexOf(wrpolicy.value as FsWrpolicy);
    if (i <= 0) throw new LibvirtError('CONFIG_UNSUPPORTED', `unknown filesystem write policy '${wrpolicy.value}'`, span(wrpolicy));
    def.wrpolicy = WRPOLICIES[i]!;
  }
  // 7./8. source and target
  if (source === undefined && def.type !== 'ram') {
    throw new LibvirtError('NO_SOURCE', target ?? '', def.spans.element);
  }
  if (target === undefined) {
    throw new LibvirtError('NO_TARGET', source ?? '', def.spans.element);
  }
  def.src = source;
  def.dst = target;
  // 9. RAM usage (KiB, scaled with base 1024)
  if (def.type === 'ram') {
    if (!usage) throw new LibvirtError('XML_ERROR', `missing 'usage' attribute for RAM filesystem`, def.spans.source ?? def.spans.element);
    const v = parseULongLong(usage.value);
    if (v === null) throw new LibvirtError('XML_ERROR', `cannot parse usage '${usage.value}' for RAM filesystem`, span(usage));
    def.usage = Number(scaleInteger(v, unit?.value, 1024n, unit ? span(unit) : span(usage)) / 1024n);
  }
  // 10. device info: alias and address
  if (aliasEl) {
    const n = attr(aliasEl, 'name');
    // 0.10.2 parses <alias> only for live XML (VIR_DOMAIN_XML_INACTIVE skips it); a defined domain's
    // alias is reassigned fsN at start, so we keep it only for highlighting.
    if (n) def.spans.alias = span(n);
  }
  if (addressEl) {
    def.address = parseDeviceAddress(addressEl, '0.10.2');
    def.spans.address = elSpan(addressEl);
  }
  return def;
}
