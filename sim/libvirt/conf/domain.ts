// The parts of a `<domain>` that shape a QEMU command line around its filesystems.
//
// virtfs-lab models: name, uuid, memory, vcpu, os type (arch, machine) and boot devices, ACPI,
// emulator, memoryBacking (shared access, memfd source), disks (file/block, ide/virtio), USB
// controller model, user-mode/network interfaces, memballoon model, and every <filesystem>.
// Everything else in the domain is ignored, and the command-line builders say so in a note.

import { LibvirtError, type XmlSpan } from '../errors.ts';
import type { Era } from '../era.ts';
import { parseXmlTree } from '../xml/parse.ts';
import { attr, attrValue, childElements, firstChild, pathChild, type XmlElement } from '../xml/tree.ts';
import { parseDeviceAddress } from './address.ts';
import { parseFilesystem2012 } from './fs-2012.ts';
import { parseFilesystem9 } from './fs-9.ts';
import type { FsDef, PciAddress } from './fsdef.ts';
import { parseULongLong, scaleInteger } from './scaled.ts';

export interface DiskDef {
  type: 'file' | 'block';
  device: 'disk' | 'cdrom';
  src: string;
  dst: string;
  bus: 'ide' | 'virtio';
  format?: string;
  address?: PciAddress;
  span: XmlSpan;
}

export interface NetDef {
  type: 'user' | 'network';
  mac?: string;
  model?: string;
  address?: PciAddress;
  span: XmlSpan;
}

export interface DomainDef {
  virtType: 'qemu' | 'kvm';
  name: string;
  uuid?: string;
  memoryKiB: number;
  vcpus: number;
  arch: string;
  machine: string;
  bootDevs: string[];
  acpi: boolean;
  emulator?: string;
  emulatorSpan?: XmlSpan;
  sharedMemory: boolean;
  memfd: boolean;
  disks: DiskDef[];
  nets: NetDef[];
  usbModel?: string;
  memballoonModel: string;
  filesystems: FsDef[];
  /** Elements present but not modelled (for a note). */
  ignored: string[];
}

const MODELLED_DEVICES = new Set(['emulator', 'disk', 'filesystem', 'interface', 'controller', 'memballoon', 'input', 'audio']);

export function parseDomainXml(xml: string, era: Era): DomainDef {
  const root = parseXmlTree(xml);
  return parseDomain(root, era);
}

function text(el: XmlElement | undefined): string | undefined {
  return el ? el.text.trim() : undefined;
}

export function parseDomain(root: XmlElement, era: Era): DomainDef {
  if (root.name !== 'domain') {
    throw new LibvirtError('XML_ERROR', `unexpected root element <${root.name}>, expecting <domain>`, { from: root.from, to: root.startTagTo });
  }
  const typeA = attr(root, 'type');
  if (!typeA || (typeA.value !== 'qemu' && typeA.value !== 'kvm')) {
    throw new LibvirtError('NOT_MODELLED', `domain type '${typeA?.value ?? ''}' is not modelled (only 'qemu' and 'kvm')`,
      typeA ? { from: typeA.from, to: typeA.to } : { from: root.from, to: root.startTagTo });
  }
  const nameEl = firstChild(root, 'name');
  const name = text(nameEl);
  if (!name) throw new LibvirtError('NO_NAME', '', { from: root.from, to: root.startTagTo });
  const uuid = text(firstChild(root, 'uuid'));

  const memEl = firstChild(root, 'memory');
  let memoryKiB = 0;
  if (memEl) {
    const v = parseULongLong(memEl.text.trim());
    if (v === null) throw new LibvirtError('XML_ERROR', era === '0.10.2' ? 'could not parse element ./memory[1]' : `Invalid value '${memEl.text}' for element or attribute './memory[1]'`, { from: memEl.from, to: memEl.to });
    const u = attr(memEl, 'unit');
    memoryKiB = Number(scaleInteger(v, u?.value, 1024n) / 1024n);
  } else {
    // 9.0 text observed with virsh; 0.10.2's virDomainParseMemory required <memory> ("missing element").
    throw era === '9.0'
      ? new LibvirtError('XML_ERROR', 'Memory size must be specified via <memory> or in the <numa> configuration', { from: root.from, to: root.startTagTo })
      : new LibvirtError('XML_ERROR', 'missing element ./memory[1]', { from: root.from, to: root.startTagTo });
  }
  const vcpuEl = firstChild(root, 'vcpu');
  const vcpuText = text(vcpuEl);
  let vcpus = 1;
  if (vcpuText) {
    if (!/^\d+$/.test(vcpuText)) {
      throw new LibvirtError('XML_ERROR', era === '9.0' ? 'maximum vcpus count must be an integer' : 'maximum vcpus must be an integer', { from: vcpuEl!.from, to: vcpuEl!.to });
    }
    vcpus = parseInt(vcpuText, 10);
    if (vcpus === 0) {
      throw era === '9.0'
        ? new LibvirtError('INTERNAL_ERROR', 'CPU IDs in <numa> exceed the <vcpu> count', { from: vcpuEl!.from, to: vcpuEl!.to })
        : new LibvirtError('XML_ERROR', 'Invalid number of vcpus', { from: vcpuEl!.from, to: vcpuEl!.to });
    }
  }

  const osType = pathChild(root, 'os/type');
  const arch = (osType && attrValue(osType, 'arch')) ?? 'x86_64';
  const machine = (osType && attrValue(osType, 'machine')) ?? 'pc';
  const os = firstChild(root, 'os');
  const bootDevs = os ? childElements(os, 'boot').map((b) => attrValue(b, 'dev') ?? '') : [];
  const acpi = !!pathChild(root, 'features/acpi');
  const mb = firstChild(root, 'memoryBacking');
  const sharedMemory = !!mb && attrValue(firstChild(mb, 'access') ?? mb, 'mode') === 'shared';
  const memfd = !!mb && attrValue(firstChild(mb, 'source') ?? mb, 'type') === 'memfd';

  const devices = firstChild(root, 'devices');
  const dom: DomainDef = {
    virtType: typeA.value, name, uuid, memoryKiB, vcpus, arch, machine, bootDevs, acpi,
    sharedMemory, memfd, disks: [], nets: [], memballoonModel: 'virtio', filesystems: [], ignored: [],
  };
  if (!devices) return dom;
  const emu = firstChild(devices, 'emulator');
  if (emu) {
    dom.emulator = emu.text.trim();
    dom.emulatorSpan = { from: emu.from, to: emu.to };
  }
  for (const d of devices.children) {
    if (!MODELLED_DEVICES.has(d.name)) { dom.ignored.push(d.name); continue; }
    const sp = { from: d.from, to: d.to };
    switch (d.name) {
      case 'filesystem':
        dom.filesystems.push(era === '0.10.2' ? parseFilesystem2012(d, dom.filesystems.length) : parseFilesystem9(d, dom.filesystems.length));
        break;
      case 'disk': {
        const type = attrValue(d, 'type') ?? 'file';
        const device = attrValue(d, 'device') ?? 'disk';
        const src = firstChild(d, 'source');
        const tgt = firstChild(d, 'target');
        if ((type !== 'file' && type !== 'block') || (device !== 'disk' && device !== 'cdrom')) {
          throw new LibvirtError('NOT_MODELLED', `disk type '${type}' device '${device}' is not modelled`, { from: d.from, to: d.startTagTo });
        }
        const bus = (tgt && attrValue(tgt, 'bus')) ?? 'ide';
        if (bus !== 'ide' && bus !== 'virtio') {
          throw new LibvirtError('NOT_MODELLED', `disk bus '${bus}' is not modelled (only ide and virtio)`, { from: d.from, to: d.startTagTo });
        }
        const addrEl = firstChild(d, 'address');
        const drv = firstChild(d, 'driver');
        dom.disks.push({
          type, device, bus, span: sp,
          src: (src && attrValue(src, type === 'file' ? 'file' : 'dev')) ?? '',
          dst: (tgt && attrValue(tgt, 'dev')) ?? '',
          format: drv ? attrValue(drv, 'type') : undefined,
          address: addrEl && attrValue(addrEl, 'type') === 'pci' ? parseDeviceAddress(addrEl, era) : undefined,
        });
        break;
      }
      case 'interface': {
        const type = attrValue(d, 'type') ?? '';
        if (type !== 'user' && type !== 'network') {
          throw new LibvirtError('NOT_MODELLED', `interface type '${type}' is not modelled (only user and network)`, { from: d.from, to: d.startTagTo });
        }
        const mac = firstChild(d, 'mac');
        const model = firstChild(d, 'model');
        const addrEl = firstChild(d, 'address');
        dom.nets.push({
          type, span: sp, mac: mac ? attrValue(mac, 'address') : undefined, model: model ? attrValue(model, 'type') : undefined,
          address: addrEl ? parseDeviceAddress(addrEl, era) : undefined,
        });
        break;
      }
      case 'controller':
        if (attrValue(d, 'type') === 'usb') dom.usbModel = attrValue(d, 'model');
        break;
      case 'memballoon':
        dom.memballoonModel = attrValue(d, 'model') ?? 'virtio';
        break;
      default:
        break;
    }
  }
  if (era === '9.0') {
    // virDomainDeviceBootParseXML keeps a table of used orders (observed: wins over the validation errors).
    const seen = new Set<number>();
    for (const f of dom.filesystems) {
      if (f.bootIndex === undefined) continue;
      if (seen.has(f.bootIndex)) throw new LibvirtError('CONFIG_UNSUPPORTED', `boot order '${f.bootIndex}' used for more than one device`, f.spans.boot);
      seen.add(f.bootIndex);
    }
  }
  return dom;
}
