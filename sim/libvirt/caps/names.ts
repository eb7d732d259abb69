// Capability flags by their names in libvirt's VIR_ENUM_IMPL(qemuCaps, …) table (libvirt.md §2.2).
// Only those the modelled command lines consult. `fsdev-proxy` is the patch's flag (100 at its base).
export type CapName =
  | 'name' | 'uuid' | 'drive' | 'device' | 'nodefconfig' | 'no-user-config' | 'rtc' | 'chardev'
  | 'balloon' | 'no-acpi' | 'netdev' | 'monitor-json' | 'no-shutdown' | 'enable-kvm' | 'kvm' | 'pci-multibus'
  | 'fsdev' | 'fsdev-readonly' | 'fsdev-writeout' | 'fsdev-proxy'
  // 9.0 (libvirt.md §6.1): the three FSDEV flags are retired; these are new.
  | 'fsdev.multidevs' | 'vhost-user-fs' | 'vhost-user-fs.bootindex' | 'device.json';

/** Stable display order: the libvirt enum order for the 2012 flags, then the 9.0 ones. */
export const CAP_ORDER: CapName[] = [
  'kvm', 'name', 'uuid', 'drive', 'enable-kvm', 'monitor-json', 'balloon', 'device', 'rtc', 'netdev',
  'chardev', 'fsdev', 'nodefconfig', 'pci-multibus', 'no-shutdown', 'no-acpi', 'fsdev-readonly', 'fsdev-writeout',
  'no-user-config', 'fsdev-proxy', 'fsdev.multidevs', 'vhost-user-fs', 'vhost-user-fs.bootindex', 'device.json',
];

export function sortCaps(caps: Iterable<CapName>): CapName[] {
  const s = new Set(caps);
  return CAP_ORDER.filter((c) => s.has(c));
}
