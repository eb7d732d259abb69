// The two libvirt generations virtfs-lab models (libvirt.md §0):
//  - '0.10.2': libvirt 0.10.2 / 1.0.0 (autumn 2012), the base of the proxy patch v3; the filesystem
//    code is identical in both, and survives until at least v1.2.8 (2014).
//  - '9.0':    Debian 12's libvirt 9.0.0, the oracle that runs on this machine.
export type Era = '0.10.2' | '9.0';

/** Which patch variant the 0.10.2 era applies (libvirt.md §4, §4.5). Ignored for 9.0. */
export type Variant = 'as-posted' | 'corrected';

/**
 * Releases inside the 2012 era whose command lines differ outside the filesystem words
 * (libvirt.md §0, §3.7): v1.0.0 moved `-usb` before the disks and probes QEMU ≥ 1.2 over QMP;
 * the 2014 tree (v1.2.8-rc) also exports QEMU_AUDIO_DRV=none.
 */
export type LegacyRelease = '0.10.2' | '1.0.0' | '1.2.8';
