// qemuBuildFSStr / qemuBuildFSDevStr of libvirt 0.10.2 / 1.0.0, with the proxy patch v3.
//
// Source: libvirt.md §3.1–§3.3 (order of the -fsdev pieces and every error), §4.2/§4.3 (the patch:
// `proxy` driver name, `,sock_fd=%d` between `,id=` and `,path=`), §4.5 (corrected variant: no
// `,path=` for proxy, since QEMU ≥ 4.1 rejects it and 1.1–4.0 ignore it).

import { LibvirtError } from '../errors.ts';
import type { Variant } from '../era.ts';
import type { CapName } from '../caps/names.ts';
import type { FsDef, PciAddress } from '../conf/fsdef.ts';
import { OptString } from './argv-builder.ts';

/** qemuDomainFSDriver: DEFAULT → local, PATH → local, HANDLE → handle, (patch) PROXY → proxy. */
export function legacyFsDriverName(fs: FsDef): string | null {
  switch (fs.fsdriver) {
    case 'default': case 'path': return 'local';
    case 'handle': return 'handle';
    case 'proxy': return 'proxy';
    default: return null;
  }
}

export const QEMU_FSDEV_HOST_PREFIX = 'fsdev-';

export function buildLegacyFsStr(fs: FsDef, alias: string | null, caps: Set<CapName>, variant: Variant, qemuSocket: number): OptString {
  const sp = fs.spans;
  // 1. only `mount` reaches QEMU
  if (fs.type !== 'mount') {
    throw new LibvirtError('CONFIG_UNSUPPORTED', 'only supports mount filesystem type', sp.type ?? sp.element);
  }
  // 2. driver name
  const driver = legacyFsDriverName(fs);
  if (!driver) throw new LibvirtError('CONFIG_UNSUPPORTED', 'Filesystem driver type not supported', sp.driverType ?? sp.element);
  const opt = new OptString().add(driver, sp.driverType ?? sp.element);
  // 3. security model (libvirt never writes mapped-xattr / mapped-file)
  if (fs.fsdriver === 'default' || fs.fsdriver === 'path') {
    const model = fs.accessmode === 'squash' ? 'none' : fs.accessmode;
    opt.add(`,security_model=${model}`, sp.accessmode ?? sp.element);
  } else if (fs.accessmode !== 'passthrough') {
    throw new LibvirtError('CONFIG_UNSUPPORTED', 'only supports passthrough accessmode', sp.accessmode ?? sp.element);
  }
  // 4. write policy
  if (fs.wrpolicy !== 'default') {
    if (!caps.has('fsdev-writeout')) throw new LibvirtError('CONFIG_UNSUPPORTED', 'filesystem writeout not supported', sp.wrpolicy ?? sp.element);
    opt.add(`,writeout=${fs.wrpolicy}`, sp.wrpolicy);
  }
  // 5. id — with FSDEV but without DEVICE no alias is assigned and glibc prints "(null)" (§3.4).
  opt.add(`,id=${QEMU_FSDEV_HOST_PREFIX}${alias ?? '(null)'}`, sp.element);
  // 6. (patch) the QEMU end of the socketpair
  if (fs.fsdriver === 'proxy') opt.add(`,sock_fd=${qemuSocket}`, sp.driverType);
  // 7. path, raw: a comma in the path is not escaped (9.0 doubles it).
  if (!(fs.fsdriver === 'proxy' && variant === 'corrected')) {
    opt.add(`,path=${fs.src ?? ''}`, sp.src);
  }
  // 8. readonly
  if (fs.readonly) {
    if (!caps.has('fsdev-readonly')) {
      throw new LibvirtError('CONFIG_UNSUPPORTED', 'readonly filesystem is not supported by this QEMU binary', sp.readonly ?? sp.element);
    }
    opt.add(',readonly', sp.readonly);
  }
  return opt;
}

/** qemuBuildDeviceAddressStr for a PCI address (libvirt.md §3.3 step 3). */
export function legacyPciAddressStr(addr: PciAddress, caps: Set<CapName>): string {
  if (addr.domain !== 0) throw new LibvirtError('INTERNAL_ERROR', 'Only PCI device addresses with domain=0 are supported');
  if (addr.bus !== 0) throw new LibvirtError('INTERNAL_ERROR', 'Only PCI device addresses with bus=0 are supported');
  let s = caps.has('pci-multibus') ? ',bus=pci.0' : ',bus=pci';
  if (addr.multifunction) s += `,multifunction=${addr.multifunction}`;
  s += `,addr=0x${addr.slot.toString(16)}`;
  if (addr.function) s += `.0x${addr.function.toString(16)}`;
  return s;
}

export function buildLegacyFsDevStr(fs: FsDef, alias: string | null, addr: PciAddress | undefined, caps: Set<CapName>): OptString {
  if (fs.type !== 'mount') throw new LibvirtError('CONFIG_UNSUPPORTED', 'can only passthrough directories', fs.spans.type ?? fs.spans.element);
  const a = alias ?? '(null)';
  const opt = new OptString()
    .add('virtio-9p-pci', fs.spans.element)
    .add(`,id=${a}`)
    .add(`,fsdev=${QEMU_FSDEV_HOST_PREFIX}${a}`)
    .add(`,mount_tag=${fs.dst ?? ''}`, fs.spans.dst);
  if (addr) opt.add(legacyPciAddressStr(addr, caps), fs.spans.address);
  return opt;
}
