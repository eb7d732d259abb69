// Which capabilities libvirt sees, for both eras.
//
// 2012 (libvirt.md §2): v0.10.2 parses `-help` for every QEMU; v1.0.0 probes QEMU ≥ 1.2 over QMP,
// whose fixed basic set (qemuCapsInitQMPBasic) contains FSDEV, FSDEV_READONLY, FSDEV_WRITEOUT but
// never the patch's FSDEV_PROXY. Without a help text we derive what that QEMU's help would have
// contained from sim/qemu/versions.ts (DESIGN.md §3), the one version table of the project.
// 9.0 (libvirt.md §6.1): the FSDEV flags are retired (minimum QEMU 4.2.0); fsdev.multidevs,
// vhost-user-fs and JSON -device come from the QEMU version.

import { LibvirtError } from '../errors.ts';
import type { LegacyRelease } from '../era.ts';
import { qemuVersion as modelVersion } from '../../qemu/versions.ts';
import { capsFromHelp, unwrapHelpTranscript, isHelpTranscript, versionString } from './help.ts';
import type { CapName } from './names.ts';

export interface ResolvedCaps {
  /** Where the flags came from. */
  source: 'help' | 'version' | 'qmp' | 'xml2argv-test';
  /** "1.2.0" style. */
  qemuVersion: string;
  /** libvirt's number, major * 1000000 + minor * 1000 + micro. */
  versionNumber: number;
  isKvm: boolean;
  flags: Set<CapName>;
  /** The help text was a recorded transcript and was unwrapped. */
  unwrappedTranscript: boolean;
  /** A help text was given but v1.0.0+ would not have read it (QMP probe). */
  helpIgnoredForQmp: boolean;
}

function versionNumberOf(v: string): number {
  const q = modelVersion(v);
  return q.major * 1000000 + q.minor * 1000 + q.micro;
}

/** The flags a `-help` of that QEMU version would give libvirt 0.10.2 (help probe, patch applied). */
export function helpFlagsForVersion(version: string): Set<CapName> {
  const q = modelVersion(version);
  const f = q.features;
  const n = q.major * 1000000 + q.minor * 1000 + q.micro;
  const flags = new Set<CapName>(['name', 'uuid', 'drive', 'device', 'rtc', 'chardev', 'balloon', 'enable-kvm', 'nodefconfig', 'no-acpi']);
  if (n >= 13000) { flags.add('netdev'); flags.add('monitor-json'); flags.add('no-shutdown'); }
  if (n >= 1002000) flags.add('no-user-config');
  if (f.fsdevOption) {
    flags.add('fsdev');
    // qemu-kvm-0.13.0's help has neither word; qemu-1.0's has both (fixtures/qemu-help).
    if (n >= 1000000) { flags.add('fsdev-readonly'); flags.add('fsdev-writeout'); }
    // `sock_fd` is in the help exactly while the help lists proxy (helpTextEra, versions.ts).
    if (f.helpTextEra !== 'none' && f.helpTextEra !== 'local-only' && f.helpTextEra !== 'no-proxy') flags.add('fsdev-proxy');
  }
  return flags;
}

/** qemuCapsInitQMPBasic (v1.0.0) — the flags relevant here; FSDEV_PROXY is not among them. */
const QMP_BASIC: CapName[] = ['name', 'uuid', 'drive', 'device', 'rtc', 'chardev', 'balloon', 'enable-kvm',
  'nodefconfig', 'no-user-config', 'netdev', 'monitor-json', 'no-shutdown', 'no-acpi', 'fsdev', 'fsdev-readonly', 'fsdev-writeout'];

/** The fixed caps of libvirt's qemuxml2argv test for fs9p (libvirt.md §3.7), + NO_ACPI (see note). */
export const XML2ARGV_FS9P_CAPS: CapName[] = ['device', 'nodefconfig', 'fsdev', 'fsdev-writeout', 'no-acpi'];

export function resolveLegacyCaps(opts: {
  qemuHelp?: string; qemuVersion?: string; release: LegacyRelease; arch: string; xml2argvTest?: boolean;
  /** The corrected variant also feeds FSDEV_PROXY from the QMP path (libvirt.md §4.5). */
  proxyFromQmp?: boolean;
}): ResolvedCaps {
  const x86 = opts.arch === 'x86_64' || opts.arch === 'i686';
  if (opts.xml2argvTest) {
    const v = opts.qemuVersion ?? '1.2.0';
    const flags = new Set<CapName>(XML2ARGV_FS9P_CAPS);
    if (x86) flags.add('pci-multibus');
    return { source: 'xml2argv-test', qemuVersion: v, versionNumber: versionNumberOf(v), isKvm: false, flags, unwrappedTranscript: false, helpIgnoredForQmp: false };
  }
  let result: ResolvedCaps;
  if (opts.qemuHelp !== undefined) {
    const unwrapped = isHelpTranscript(opts.qemuHelp);
    const help = unwrapHelpTranscript(opts.qemuHelp);
    const hc = capsFromHelp(help, true);
    result = {
      source: 'help', qemuVersion: versionString(hc.version), versionNumber: hc.version, isKvm: hc.isKvm,
      flags: hc.flags, unwrappedTranscript: unwrapped, helpIgnoredForQmp: false,
    };
  } else {
    const v = opts.qemuVersion ?? '1.2.0';
    const n = versionNumberOf(v);
    result = { source: 'version', qemuVersion: normalise(v), versionNumber: n, isKvm: false, flags: helpFlagsForVersion(v), unwrappedTranscript: false, helpIgnoredForQmp: false };
  }
  if (opts.release !== '0.10.2' && result.versionNumber >= 1002000) {
    // v1.0.0: "Not new enough for QMP capabilities detection" only below 1.2 (libvirt.md §2.3).
    result = { ...result, source: 'qmp', flags: new Set(QMP_BASIC), helpIgnoredForQmp: opts.qemuHelp !== undefined };
    // As posted, only the help probe sets FSDEV_PROXY. The corrected variant asks QMP too (e.g. whether
    // the fsdev options know sock_fd); the answer is yes exactly while QEMU has the proxy driver.
    if (opts.proxyFromQmp && modelVersion(result.qemuVersion).features.proxyDriver) result.flags.add('fsdev-proxy');
  }
  // PCI_MULTIBUS is set for x86 at caps init, not from the help text (libvirt.md §2.2).
  if (x86) result.flags.add('pci-multibus');
  return result;
}

function normalise(v: string): string {
  const q = modelVersion(v);
  return `${q.major}.${q.minor}.${q.micro}`;
}

/** libvirt 9.0: capability flags from the QEMU version (probed over QMP by the real daemon). */
export function resolveModernCaps(version: string): ResolvedCaps {
  const q = modelVersion(version);
  const n = q.major * 1000000 + q.minor * 1000 + q.micro;
  if (n < 4002000) {
    // qemuCapsInitQMP… refuses binaries older than the minimum (libvirt 9.0: 4.2.0).
    throw new LibvirtError('INTERNAL_ERROR', `QEMU version >= 4.2.0 is required, but ${q.major}.${q.minor}.${q.micro} found`);
  }
  const flags = new Set<CapName>(['pci-multibus']);
  if (q.features.multidevsKey) flags.add('fsdev.multidevs');
  if (n >= 5000000) flags.add('vhost-user-fs');
  if (n >= 7000000) flags.add('vhost-user-fs.bootindex');
  if (n >= 6002000) flags.add('device.json');
  return { source: 'version', qemuVersion: `${q.major}.${q.minor}.${q.micro}`, versionNumber: n, isKvm: false, flags, unwrappedTranscript: false, helpIgnoredForQmp: false };
}
