// virDomainFSDefParseXML of libvirt 9.0.0 (Debian 12).
//
// Source: libvirt.md §6.1; every text below was observed with Debian's virsh 9.0 domxml-to-native
// (fixtures/libvirt-9.0-oracle and our own probes): enum attributes go through virXMLPropEnum
// ("Invalid value for attribute '%s' in element '%s': '%s'."), fmode/dmode through virXMLPropUInt
// base 8 ("… Expected non-negative integer value"), `model` refuses a literal 'default'
// (VIR_XML_PROP_NONZERO) while `<driver type='default'/>` and `wrpolicy='default'` are accepted.

import { LibvirtError, type XmlSpan } from '../errors.ts';
import { attr, firstChild, type XmlAttr, type XmlElement } from '../xml/tree.ts';
import { parseDeviceAddress } from './address.ts';
import type { FsAccessMode, FsDef, FsDriverType, FsModel, FsMultidevs, FsType, FsWrpolicy } from './fsdef.ts';
import { parseULongLong, scaleInteger } from './scaled.ts';

const FS_TYPES: FsType[] = ['mount', 'block', 'file', 'template', 'ram', 'bind', 'volume'];
const ACCESS_MODES: FsAccessMode[] = ['passthrough', 'mapped', 'squash'];
const MODELS: FsModel[] = ['default', 'virtio', 'virtio-transitional', 'virtio-non-transitional'];
const MULTIDEVS: FsMultidevs[] = ['default', 'remap', 'forbid', 'warn'];
const DRIVER_TYPES: FsDriverType[] = ['default', 'path', 'handle', 'loop', 'nbd', 'ploop', 'virtiofs'];
const WRPOLICIES: FsWrpolicy[] = ['default', 'immediate'];
/** virStorageFileFormat names accepted by `<driver format>` (subset that matters here). */
const FORMATS = ['none', 'raw', 'dir', 'bochs', 'cloop', 'dmg', 'iso', 'vpc', 'vdi', 'fat', 'vhd', 'ploop',
  'cow', 'qcow', 'qcow2', 'qed', 'vmdk'];

const span = (a: XmlAttr): XmlSpan => ({ from: a.from, to: a.to });
const elSpan = (e: XmlElement): XmlSpan => ({ from: e.from, to: e.startTagTo });

function propEnum<T extends string>(el: XmlElement, name: string, values: readonly T[], nonzero = false): { value: T; a: XmlAttr } | undefined {
  const a = attr(el, name);
  if (!a) return undefined;
  const i = values.indexOf(a.value as T);
  if (i < 0 || (nonzero && i === 0)) {
    throw new LibvirtError('XML_ERROR', `Invalid value for attribute '${name}' in element '${el.name}': '${a.value}'.`, span(a));
  }
  return { value: values[i]!, a };
}

function propUIntOctal(el: XmlElement, name: string): { value: number; a: XmlAttr } | undefined {
  const a = attr(el, name);
  if (!a) return undefined;
  if (!/^\s*\+?[0-7]+$/.test(a.value) || parseInt(a.value, 8) > 0xffffffff) {
    throw new LibvirtError('XML_ERROR',
      `Invalid value for attribute '${name}' in element '${el.name}': '${a.value}'. Expected non-negative integer value`, span(a));
  }
  return { value: parseInt(a.value, 8), a };
}

/** virParseScaledValue("./space_hard_limit[1]", …) in 9.0. */
function scaledLimit(fs: XmlElement, name: string): number {
  const el = firstChild(fs, name);
  if (!el || el.text === '') return 0;
  const v = parseULongLong(el.text);
  if (v === null) throw new LibvirtError('XML_ERROR', `Invalid value '${el.text}' for element or attribute './${name}[1]'`, elSpan(el));
  const u = attr(el, 'unit');
  return Number(scaleInteger(v, u?.value, 1n, u ? span(u) : elSpan(el)));
}

const TRISTATE_SWITCH = ['default', 'on', 'off'] as const;
const CACHE_MODES = ['default', 'none', 'always'] as const;
const SANDBOX_MODES = ['default', 'namespace', 'chroot'] as const;

/** The virtiofs-only parts, in the order observed/assumed for 9.0 (queue, thread pool, xattr, lock, cache, sandbox). */
function parseVirtiofsExtras(fs: XmlElement, driver: XmlElement | undefined, def: FsDef): void {
  const q = driver ? attr(driver, 'queue') : undefined;
  if (q) {
    const v = parseULongLong(q.value);
    if (v === null) throw new LibvirtError('XML_ERROR', `cannot parse queue size '${q.value}' for virtiofs`, span(q));
    def.queue = Number(v);
    def.spans.queue = span(q);
  }
  const binary = firstChild(fs, 'binary');
  if (!binary) return;
  const pool = firstChild(binary, 'thread_pool');
  const size = pool ? attr(pool, 'size') : undefined;
  if (size && !/^\s*[+-]?\d+$/.test(size.value)) {
    throw new LibvirtError('XML_ERROR', `cannot parse thread pool size '${size.value}' for virtiofs`, span(size));
  }
  propEnum(binary, 'xattr', TRISTATE_SWITCH, true);
  const lock = firstChild(binary, 'lock');
  if (lock) { propEnum(lock, 'posix', TRISTATE_SWITCH, true); propEnum(lock, 'flock', TRISTATE_SWITCH, true); }
  const cache = firstChild(binary, 'cache');
  if (cache) propEnum(cache, 'mode', CACHE_MODES, true);
  const sandbox = firstChild(binary, 'sandbox');
  if (sandbox) propEnum(sandbox, 'mode', SANDBOX_MODES, true);
}

export function parseFilesystem9(fs: XmlElement, index: number): FsDef {
  const def: FsDef = {
    index, type: 'mount', fsdriver: 'default', accessmode: 'passthrough', accessmodeExplicit: false,
    wrpolicy: 'default', model: 'default', multidevs: 'default', fmode: 0, dmode: 0, readonly: false,
    spaceHardLimit: 0, spaceSoftLimit: 0, spans: { element: { from: fs.from, to: fs.to } },
  };
  // Attribute order observed with virsh 9.0: type, accessmode, fmode (+ range), dmode (+ range),
  // model, multidevs, then the space limits and <driver>.
  const t = propEnum(fs, 'type', FS_TYPES);
  if (t) { def.type = t.value; def.spans.type = span(t.a); }
  const am = propEnum(fs, 'accessmode', ACCESS_MODES);
  if (am) { def.accessmode = am.value; def.accessmodeExplicit = true; def.spans.accessmode = span(am.a); }
  for (const key of ['fmode', 'dmode'] as const) {
    const m = propUIntOctal(fs, key);
    if (!m) continue;
    // "invalid fmode: '%#o'" — printf's %#o gives a leading 0 (observed: '01644', '02775').
    if (m.value > 0o777) throw new LibvirtError('XML_ERROR', `invalid ${key}: '0${m.value.toString(8)}'`, span(m.a));
    def[key] = m.value;
    def.spans[key] = span(m.a);
  }
  const model = propEnum(fs, 'model', MODELS, true);
  if (model) { def.model = model.value; def.spans.model = span(model.a); }
  const md = propEnum(fs, 'multidevs', MULTIDEVS);
  if (md) { def.multidevs = md.value; def.spans.multidevs = span(md.a); }
  def.spaceHardLimit = scaledLimit(fs, 'space_hard_limit');
  def.spaceSoftLimit = scaledLimit(fs, 'space_soft_limit');

  const driver = firstChild(fs, 'driver');
  if (driver) {
    def.spans.driver = elSpan(driver);
    const dt = propEnum(driver, 'type', DRIVER_TYPES);
    if (dt) { def.fsdriver = dt.value; def.spans.driverType = span(dt.a); }
    const wp = propEnum(driver, 'wrpolicy', WRPOLICIES);
    if (wp) { def.wrpolicy = wp.value; def.spans.wrpolicy = span(wp.a); }
    const fmt = attr(driver, 'format');
    if (fmt) {
      // Not virXMLPropEnum here: "unsupported configuration: unknown driver format value '%s'" (observed).
      if (!FORMATS.includes(fmt.value)) throw new LibvirtError('CONFIG_UNSUPPORTED', `unknown driver format value '${fmt.value}'`, span(fmt));
      def.format = fmt.value;
    }
  }
  // The queue size and <binary> are only read for virtiofs: `<driver queue='abc'/>` or
  // `<binary><sandbox mode='chroot'/></binary>` on a 9p filesystem are ignored (observed with virsh
  // 9.0), which also makes "sandbox can only be used with driver=virtiofs" unreachable from XML.
  if (def.fsdriver === 'virtiofs') parseVirtiofsExtras(fs, driver, def);

  const source = firstChild(fs, 'source');
  let usage: XmlAttr | undefined;
  let units: XmlAttr | undefined;
  if (source) {
    def.spans.source = elSpan(source);
    let a: XmlAttr | undefined;
    switch (def.type) {
      case 'mount': case 'bind': a = attr(source, 'dir'); break;
      case 'file': a = attr(source, 'file'); break;
      case 'block': a = attr(source, 'dev'); break;
      case 'template': a = attr(source, 'name'); break;
      case 'ram': usage = attr(source, 'usage'); units = attr(source, 'units'); break;
      case 'volume': a = attr(source, 'volume'); break;
    }
    if (a) { def.src = a.value; def.spans.src = span(a); }
    const sock = attr(source, 'socket');
    if (sock) { def.sock = sock.value; def.spans.sock = span(sock); }
  }
  const target = firstChild(fs, 'target');
  const dst = target ? attr(target, 'dir') : undefined;
  if (target) def.spans.target = elSpan(target);
  if (dst) { def.dst = dst.value; def.spans.dst = span(dst); }
  const ro = firstChild(fs, 'readonly');
  if (ro) { def.readonly = true; def.spans.readonly = elSpan(ro); }

  if (def.src === undefined && def.type !== 'ram' && def.type !== 'volume' && def.sock === undefined) {
    throw new LibvirtError('NO_SOURCE', def.dst ?? '', def.spans.element);
  }
  // A missing target is not a parse error in 9.0: virDomainFSDefValidate reports it after address
  // assignment, device by device (observed: a later filesystem's missing source wins over an
  // earlier one's missing target). See validateModernFs.
  if (def.type === 'ram') {
    if (!usage) throw new LibvirtError('XML_ERROR', `missing 'usage' attribute for RAM filesystem`, def.spans.source ?? def.spans.element);
    const v = parseULongLong(usage.value);
    if (v === null) throw new LibvirtError('XML_ERROR', `cannot parse usage '${usage.value}' for RAM filesystem`, span(usage));
    def.usage = Number(scaleInteger(v, units?.value, 1024n, units ? span(units) : span(usage)) / 1024n);
  }

  const boot = firstChild(fs, 'boot');
  if (boot) {
    const o = attr(boot, 'order');
    def.spans.boot = elSpan(boot);
    if (o) {
      if (!/^[1-9]\d*$/.test(o.value)) throw new LibvirtError('XML_ERROR', `Invalid value for attribute 'order' in element 'boot': '${o.value}'. Expected positive integer value`, span(o));
      def.bootIndex = parseInt(o.value, 10);
    }
  }
  const alias = firstChild(fs, 'alias');
  const an = alias ? attr(alias, 'name') : undefined;
  // Inactive XML keeps only user aliases (prefix "ua-"); others are dropped (observed: 'foo' → fs0).
  if (an && an.value.startsWith('ua-')) { def.userAlias = an.value; def.spans.alias = span(an); }
  const addr = firstChild(fs, 'address');
  if (addr) { def.address = parseDeviceAddress(addr, '9.0'); def.spans.address = elSpan(addr); }
  return def;
}
