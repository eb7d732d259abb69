// Automatic PCI slot assignment on bus 0 of an i440fx `pc` machine.
//
// 2012 (qemuAssignDevicePCISlots, libvirt.md §3.5): slot 0 host bridge, slot 1 PIIX3, slot 2 kept
// for a primary video card even when there is none; free slots then go to filesystems, nets,
// (sound, controllers), virtio disks, (hostdevs), the virtio balloon — so the first filesystem gets 0x3.
// 9.0 (libvirt.md §6.2, oracle case 45): no slot kept for a missing video card, same device order
// (fs → net → disk → balloon), first filesystem at 0x2. Explicit <address>es are reserved first, and
// the next automatic address is the lowest free slot (observed with virsh 9.0: fs0 at an explicit
// 0x7, fs1 automatic → 0x2).

import { LibvirtError } from '../errors.ts';
import type { Era } from '../era.ts';
import type { DomainDef } from '../conf/domain.ts';
import type { PciAddress } from '../conf/fsdef.ts';

export interface PciPlan {
  fs: (PciAddress | undefined)[];
  nets: (PciAddress | undefined)[];
  disks: (PciAddress | undefined)[];
  balloon?: PciAddress;
}

const key = (a: PciAddress) => `${a.domain}:${a.bus}:${a.slot}.${a.function}`;

/** Which filesystems take a PCI slot: 9.0 gives loop/nbd/ploop no connect flags (libvirt.md §6.1). */
function fsNeedsPci(era: Era, driver: string): boolean {
  if (era === '9.0') return driver === 'default' || driver === 'path' || driver === 'handle' || driver === 'virtiofs';
  return true;
}

export function assignPciSlots(dom: DomainDef, era: Era): PciPlan {
  const used = new Set<string>();
  const usedSlots = new Set<number>([0, 1]);
  if (era === '0.10.2') usedSlots.add(2);
  const reserve = (a: PciAddress | undefined) => {
    if (!a) return;
    if (used.has(key(a))) {
      throw new LibvirtError(era === '0.10.2' ? 'INTERNAL_ERROR' : 'XML_ERROR',
        era === '0.10.2'
          ? `unable to reserve PCI address 0:0:${a.slot}.${a.function}`
          : `Attempted double use of PCI Address 0000:00:${a.slot.toString(16).padStart(2, '0')}.${a.function}`);
    }
    used.add(key(a));
    usedSlots.add(a.slot);
  };
  dom.filesystems.forEach((f) => reserve(f.address));
  dom.nets.forEach((n) => reserve(n.address));
  dom.disks.forEach((d) => reserve(d.address));

  const next = (): PciAddress => {
    for (let slot = 0; slot <= 0x1f; slot++) {
      if (!usedSlots.has(slot)) {
        usedSlots.add(slot);
        return { type: 'pci', domain: 0, bus: 0, slot, function: 0 };
      }
    }
    throw new LibvirtError('INTERNAL_ERROR', era === '0.10.2' ? 'No more available PCI addresses' : 'No more available PCI slots');
  };
  const plan: PciPlan = { fs: [], nets: [], disks: [] };
  for (const f of dom.filesystems) {
    if (f.address) { plan.fs.push(f.address); continue; }
    if (!fsNeedsPci(era, f.fsdriver)) {
      throw new LibvirtError('INTERNAL_ERROR', 'Cannot automatically add a new PCI bus for a device with connect flags 00', f.spans.driverType ?? f.spans.element);
    }
    plan.fs.push(next());
  }
  for (const n of dom.nets) plan.nets.push(n.address ?? next());
  for (const d of dom.disks) plan.disks.push(d.bus === 'virtio' ? (d.address ?? next()) : undefined);
  if (dom.memballoonModel === 'virtio') plan.balloon = next();
  return plan;
}
