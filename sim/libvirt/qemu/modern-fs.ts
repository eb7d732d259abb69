// libvirt 9.0: qemuValidateDomainDeviceDefFS and the filesystem part of qemuBuildCommandLine.
//
// Sources: libvirt.md §6.1 (validation texts), §6.2 (generation); every output and error here is
// checked against Debian's virsh 9.0 (fixtures/libvirt-9.0-oracle and test/libvirt differential runs).

import { LibvirtError } from '../errors.ts';
import type { CapName } from '../caps/names.ts';
import type { DomainDef } from '../conf/domain.ts';
import type { FsDef, PciAddress } from '../conf/fsdef.ts';
import { OptString } from './argv-builder.ts';
import { QEMU_FSDEV_HOST_PREFIX } from './legacy-fs.ts';

/** qemuValidateDomainDeviceDefFS (9.0), in its order. `privileged` is libvirtd/embed as root. */
export function validateModernFs(fs: FsDef, dom: DomainDef, caps: Set<CapName>, privileged = true): void {
  const sp = fs.spans;
  const unsupported = (msg: string, span = sp.element) => new LibvirtError('CONFIG_UNSUPPORTED', msg, span);
  // virDomainFSDefValidate (generic) runs before the QEMU driver's checks for the same device
  // (observed: a block filesystem without target reports the missing target).
  if (fs.dst === undefined) throw new LibvirtError('NO_TARGET', fs.src ?? fs.sock ?? '', sp.element);
  // Order observed with virsh 9.0 (test/libvirt differential run): boot order, type, fmode/dmode,
  // then the driver switch (handle needs passthrough), multidevs, and the virtiofs block.
  if (fs.bootIndex !== undefined && fs.fsdriver !== 'virtiofs') throw unsupported('boot order is only supported for virtiofs', sp.boot);
  if (fs.type !== 'mount') throw unsupported('only supports mount filesystem type', sp.type);
  if ((fs.fmode || fs.dmode) && fs.accessmode !== 'mapped') {
    throw unsupported('fmode and dmode must be used with accessmode=mapped', sp.fmode ?? sp.dmode);
  }
  switch (fs.fsdriver) {
    case 'default': case 'path': case 'virtiofs': break;
    case 'handle':
      if (fs.accessmode !== 'passthrough') throw unsupported('only supports passthrough accessmode', sp.accessmode);
      break;
    default:
      throw unsupported('Filesystem driver type not supported', sp.driverType);
  }
  if (fs.multidevs !== 'default' && !caps.has('fsdev.multidevs')) throw unsupported('multidevs is not supported with this QEMU binary', sp.multidevs);
  if (fs.fsdriver === 'virtiofs') {
    // These four concern the virtiofsd libvirt would start; with <source socket> the daemon is the
    // user's and 9.0 skips them (observed: socket + readonly / mapped / wrpolicy are accepted).
    if (fs.sock === undefined) {
      if (fs.readonly) throw unsupported('virtiofs does not yet support read-only mode', sp.readonly);
      if (!privileged) throw unsupported('virtiofs is not yet supported in session mode');
      if (fs.accessmode !== 'passthrough') throw unsupported('virtiofs only supports passthrough accessmode', sp.accessmode);
      if (fs.wrpolicy !== 'default') throw unsupported('virtiofs does not support wrpolicy', sp.wrpolicy);
    }
    if (fs.model !== 'default') throw unsupported('virtiofs does not support model', sp.model);
    if (fs.format !== undefined && fs.format !== 'none') throw unsupported('virtiofs does not support format', sp.driver);
    if (!caps.has('vhost-user-fs')) throw unsupported('virtiofs is not supported with this QEMU binary', sp.driverType);
    if (fs.multidevs !== 'default') throw unsupported('virtiofs does not support multidevs', sp.multidevs);
    if (fs.fmode || fs.dmode) throw unsupported('virtiofs does not support fmode and dmode', sp.fmode ?? sp.dmode);
    if (!dom.sharedMemory) throw unsupported("'virtiofs' requires shared memory", sp.driverType);
  }
}

/** virQEMUBuildBufferEscapeComma: QemuOpts values double every comma. */
export function escapeComma(s: string): string {
  return s.replace(/,/g, ',,');
}

/** qemuBuildFSStr (9.0): `-fsdev` is still a legacy comma string (libvirt.md §6.2). */
export function buildModernFsStr(fs: FsDef, alias: string): OptString {
  const sp = fs.spans;
  const opt = new OptString();
  if (fs.fsdriver === 'handle') {
    opt.add('handle', sp.driverType);
  } else {
    opt.add('local', sp.driverType ?? sp.element);
    const model = fs.accessmode === 'squash' ? 'none' : fs.accessmode;
    opt.add(`,security_model=${model}`, sp.accessmode);
    if (fs.multidevs !== 'default') opt.add(`,multidevs=${fs.multidevs}`, sp.multidevs);
    if (fs.fmode) opt.add(`,fmode=${fs.fmode.toString(8).padStart(4, '0')}`, sp.fmode);
    if (fs.dmode) opt.add(`,dmode=${fs.dmode.toString(8).padStart(4, '0')}`, sp.dmode);
  }
  if (fs.wrpolicy === 'immediate') opt.add(',writeout=immediate', sp.wrpolicy);
  opt.add(`,id=${QEMU_FSDEV_HOST_PREFIX}${alias}`, sp.element);
  opt.add(`,path=${escapeComma(fs.src ?? '')}`, sp.src);
  if (fs.readonly) opt.add(',readonly', sp.readonly);
  return opt;
}

/** JSON device properties for a PCI address (qemuBuildDeviceAddressProps). */
export function pciAddressProps(addr: PciAddress): Record<string, unknown> {
  const p: Record<string, unknown> = { bus: `pci.${addr.bus}` };
  if (addr.multifunction) p.multifunction = addr.multifunction === 'on';
  p.addr = addr.function ? `0x${addr.slot.toString(16)}.0x${addr.function.toString(16)}` : `0x${addr.slot.toString(16)}`;
  return p;
}

/** The 9p `-device` as JSON (QEMU_CAPS_DEVICE_JSON), or the legacy comma form for older QEMUs. */
export function buildModern9pDevice(fs: FsDef, alias: string, addr: PciAddress, json: boolean): string {
  const driver = fs.model === 'virtio-transitional' ? 'virtio-9p-pci-transitional'
    : fs.model === 'virtio-non-transitional' ? 'virtio-9p-pci-non-transitional' : 'virtio-9p-pci';
  const props: Record<string, unknown> = { driver, id: alias, fsdev: `${QEMU_FSDEV_HOST_PREFIX}${alias}`, mount_tag: fs.dst ?? '', ...pciAddressProps(addr) };
  return json ? JSON.stringify(props) : propsToCommaString(props);
}

/** vhost-user-fs-pci for virtiofs. */
export function buildVirtiofsDevice(fs: FsDef, alias: string, addr: PciAddress, json: boolean): string {
  const props: Record<string, unknown> = { driver: 'vhost-user-fs-pci', id: alias, chardev: `chr-vu-${alias}` };
  if (fs.queue !== undefined) props['queue-size'] = fs.queue;
  props.tag = fs.dst ?? '';
  if (fs.bootIndex !== undefined) props.bootindex = fs.bootIndex;
  Object.assign(props, pciAddressProps(addr));
  return json ? JSON.stringify(props) : propsToCommaString(props);
}

function propsToCommaString(props: Record<string, unknown>): string {
  const { driver, ...rest } = props;
  return [String(driver), ...Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'on' : 'off') : escapeComma(String(v))}`)].join(',');
}
