// The QEMU versions virtfs-lab models, and the feature flags every layer consults (option parsing,
// the fsdev drivers, the 9P server, the helper, libvirt's capability model).
//
// Flags are derived from the version number by the predicates below, so any "x.y[.z]" string works
// (e.g. 8.0.3 or 6.2); MODELLED_QEMU_VERSIONS is the list the UI offers and the tests pin.
// Sources: docs/DESIGN.md §3, docs/proxy-protocol.md §10, §12, §14, §15, docs/libvirt.md §5,
// docs/real-helper.md §5 (observed on QEMU 7.2.22), fixtures/qemu-help/* (0.12.1 … 7.2.22).
// Where a boundary is approximate in the docs it is marked `approximate` in its comment; the exact
// 7.2 behaviour is pinned by fixtures/qemu-7.2/*.

export class UnknownQemuVersionError extends Error {
  static readonly code = 'UnknownQemuVersion' as const;
  readonly code = UnknownQemuVersionError.code;
  constructor(readonly data: { version: string; reason: string }) {
    super(`unknown QEMU version '${data.version}': ${data.reason}`);
    this.name = 'UnknownQemuVersionError';
  }
}

/** How `proxy_parse_opts` words its two errors (proxy-protocol.md §12.2; era boundaries approximate). */
export type ProxyParseOptsEra = '1.x-fprintf' | '2.x-error_report' | 'final-error_setg';

/**
 * Which `-fsdev`/`-virtfs` lines `-help` prints (proxy-protocol.md §12.5, fixtures/qemu-help):
 * - `none`: no `-fsdev` at all (0.12);
 * - `local-only`: 0.13 / 1.0, `-fsdev fsdriver,id=id,path=path,[security_model=…]`;
 * - `combined`: 1.1 – 4.0, one line with `[,socket=socket|sock_fd=sock_fd]`;
 * - `per-driver-readonly`: 4.1 – 5.x, one line per driver, `[,readonly]` (approximate);
 * - `per-driver-readonly-on`: 6.0 – 9.1, `[,readonly=on]` (observed 7.2.22; start approximate);
 * - `no-proxy`: 9.2+, per-driver lines without proxy.
 */
export type HelpTextEra = 'none' | 'local-only' | 'combined' | 'per-driver-readonly' | 'per-driver-readonly-on' | 'no-proxy';

/**
 * How a 9p device reports realize failures (boundaries approximate, from the sources of each era):
 * - `1.x-fprintf`: virtio_9p_init prints bare lines with fprintf and exit(1)s: `Virtio-9p device
 *   couldn't find fsdev with the id = %s`, `Virtio-9p Failed to initialize fs-driver with id:%s and
 *   export path:%s`; no mount-tag length error (the tag is truncated);
 * - `2.x-virtio-9p`: realize with Error (`-device …: ` prefix), same wording;
 * - `2.x-9pfs`: after the 2.6 split into 9p.c: `9pfs device couldn't find …`, `9pfs Failed to initialize …`;
 * - `error-prepend`: the driver's own Error prefixed `cannot initialize fsdev '%s': ` (observed 7.2.22).
 */
export type NinePRealizeEra = '1.x-fprintf' | '2.x-virtio-9p' | '2.x-9pfs' | 'error-prepend';

/** How the helper switches credentials for T_CREATE/T_MKNOD/T_MKDIR/T_SYMLINK (proxy-protocol.md §10). */
export type HelperCredSwitch = 'setfsuid-libcap' | 'setresuid-libcap-ng';

export interface QemuFeatures {
  /** `-fsdev` exists at all: absent in 0.12.1, present from 0.13 (fixtures/qemu-help/qemu-0.12.1, qemu-kvm-0.13.0). */
  fsdevOption: boolean;
  /** `-virtfs` exists (same help files: appears with -fsdev in 0.13). */
  virtfsOption: boolean;
  /** The fsdev option list knows `socket` and `sock_fd` (1.1+; the 9.2 removal leaves qemu-fsdev-opts.c alone, §12.3). */
  proxyOptionKeys: boolean;
  /** The `proxy` fsdriver is registered (1.1 – 9.1; DESIGN.md §3, §15). */
  proxyDriver: boolean;
  /** The `handle` fsdriver exists (removed in 4.0, real-helper.md §5 "removed in QEMU 4.0"). */
  handleDriver: boolean;
  /** `local` security models `mapped-xattr`/`mapped-file` exist (1.1 help; 1.0 has only mapped|passthrough|none). */
  localMappedVariants: boolean;
  /** fsdev `fmode`/`dmode` keys exist (added 2.10; approximate). */
  fmodeDmodeKeys: boolean;
  /** fsdev `throttling.*` keys exist (added 2.9; approximate). */
  throttlingKeys: boolean;
  /** fsdev/virtfs `multidevs` key exists (added 4.2). */
  multidevsKey: boolean;
  /** Per-driver allowed-option lists: `'%s' is invalid for fsdriver '%s'` (4.1+, aee7f3ecd8b7, §12.3). */
  perDriverOptionValidation: boolean;
  /** The per-driver option tables lack NULL terminators: UB in the lookup loop (4.1 – 5.0; fixed 5.1, §12.3, inferred). */
  optionTableNullTerminatorBug: boolean;
  /** `readonly`/`writeout` survive `proxy_parse_opts` (`|=` instead of `=`): 5.0+, 659f1953281b (§12.2). */
  proxyExportFlagsEffective: boolean;
  /** Wording of proxy_parse_opts errors (§12.2). */
  proxyParseOptsEra: ProxyParseOptsEra;
  /** The modern connect_namedsocket texts (`socket name too long`, `failed to connect to '%s'` with
   *  sizeof(sockaddr_un)) — §12.4; before: 1.1's `socket error`, then error_report's `Socket name too
   *  long` / `Failed to connect to %s: %s`. Same (approximate) boundary as the final proxy_parse_opts texts. */
  modernProxyInitMessages: boolean;
  /** How 9p realize reports failures (see NinePRealizeEra). */
  ninePRealizeEra: NinePRealizeEra;
  /** Helper uses libcap-ng (bounding set cleared) — 5.0+ (§10.2, §15). */
  helperLibcapNg: boolean;
  /** Helper credential switching (§10.2 for 5.0–9.1, §10.4 for 1.x; the exact switch commit is unidentified). */
  helperCredSwitch: HelperCredSwitch;
  /** The uid 0 / gid ≠ 0 capability bug (§10.3: observed 7.2.22, inferred for every libcap-ng helper 5.0–9.1). */
  helperCapQuirkUid0Gid: boolean;
  /** Helper chroot-then-chdir, statfs("/") after chroot, sun_path check (≈2.x, §15; approximate: 2.0). */
  helperModernStartup: boolean;
  /** `readlink(size)` off-by-one in the 1.1 helper (§15). */
  helperReadlinkOffByOne: boolean;
  /** `..` at the export root stays at the root; `.`/`..`/names with `/` refused (2.7, CVE-2016-7116, §15). */
  dotdotAtRootFixed: boolean;
  /** `local` driver hardened: fd-relative walk with O_NOFOLLOW (2.9, CVE-2016-9602, DESIGN.md §3). */
  localHardened: boolean;
  /** Partial Rwalk when a later component fails (7.1, a93d2e89e59e, §14). */
  partialRwalk: boolean;
  /** CVE-2023-2861: helper `open_regular` / `-ENXIO` for special files (7.2.4+ and 8.1; 8.0.3 backport
   *  inferred; §15, real-helper.md §1 says Debian's 7.2.22 has it). */
  cve2023_2861Fix: boolean;
  /** `warn_report` of the proxy deprecation in qemu_fsdev_add (8.1 – 9.1, §12.3). */
  proxyDeprecationWarning: boolean;
  /** The driver is gone: `fsdev: fsdriver proxy not found` (9.2+, §12.3; expected, not run). */
  proxyRemoved: boolean;
  /** Client asserts on reply sizes (116/88/8, status 4): "5.x" in §15; approximate: 5.0. */
  clientReplySizeAsserts: boolean;
  /** Header-marshal assert (Jan 2021 → 6.0, §15). */
  clientHeaderMarshalAssert: boolean;
  /** Short-form booleans (`readonly`) warn `short-form boolean option '%s' deprecated` (6.0+, observed 7.2.22). */
  shortFormBooleanWarning: boolean;
  /** QemuOpts booleans accept yes/no/true/false besides on/off via qapi_bool_parse (observed 7.2.22:
   *  `readonly=yes` starts); before that only on/off (approximate boundary: 6.0). */
  boolAcceptsYesNo: boolean;
  /** `virtio-9p-pci-(non-)transitional` device names (4.0+, with the virtio 1.0 transitional split). */
  transitionalDeviceNames: boolean;
  /** Which -fsdev/-virtfs lines `-help` prints. */
  helpTextEra: HelpTextEra;
}

export interface QemuVersion {
  /** The string as the user gave it, normalised ("7.2", "7.2.22"). */
  id: string;
  major: number;
  minor: number;
  micro: number;
  /** What a user sees, e.g. "QEMU 7.2 (Debian 7.2.22, the recorded binary)". */
  label: string;
  features: QemuFeatures;
}

/** The versions offered in the UI and pinned by tests (DESIGN.md §3, plus the era boundaries of §15). */
export const MODELLED_QEMU_VERSIONS = [
  '1.0', '1.1', '1.2', '2.6', '2.8', '2.9', '4.0', '4.1', '5.0', '5.1', '6.0', '7.1', '7.2', '8.1', '9.1', '9.2',
] as const;
export type ModelledQemuVersion = (typeof MODELLED_QEMU_VERSIONS)[number];

/** "7.2" means the recorded Debian binary 7.2.22 (real-helper.md §1); use "7.2.0" for the upstream release. */
const DEFAULT_MICRO: Record<string, number> = { '7.2': 22 };

const LABELS: Partial<Record<ModelledQemuVersion, string>> = {
  '1.0': 'no proxy driver',
  '1.1': 'proxy driver and helper released',
  '2.8': 'last with the naive local driver',
  '2.9': 'local hardened (CVE-2016-9602)',
  '4.1': 'per-driver option validation',
  '5.0': 'readonly/writeout work for proxy; helper on libcap-ng',
  '7.2': 'Debian 7.2.22, the recorded binary',
  '8.1': 'proxy deprecated',
  '9.1': 'last with proxy',
  '9.2': 'proxy removed',
};

function cmp(v: { major: number; minor: number; micro: number }, major: number, minor: number, micro = 0): number {
  return v.major - major || v.minor - minor || v.micro - micro;
}

export function qemuFeatures(v: { major: number; minor: number; micro: number }): QemuFeatures {
  const atLeast = (a: number, b: number, c = 0) => cmp(v, a, b, c) >= 0;
  const proxyDriver = atLeast(1, 1) && !atLeast(9, 2);
  const helpTextEra: HelpTextEra = !atLeast(0, 13) ? 'none'
    : !atLeast(1, 1) ? 'local-only'
    : !atLeast(4, 1) ? 'combined'
    : !atLeast(6, 0) ? 'per-driver-readonly'
    : !atLeast(9, 2) ? 'per-driver-readonly-on' : 'no-proxy';
  return {
    fsdevOption: atLeast(0, 13),
    virtfsOption: atLeast(0, 13),
    proxyOptionKeys: atLeast(1, 1),
    proxyDriver,
    handleDriver: atLeast(0, 13) && !atLeast(4, 0),
    localMappedVariants: atLeast(1, 1),
    fmodeDmodeKeys: atLeast(2, 10),
    throttlingKeys: atLeast(2, 9),
    multidevsKey: atLeast(4, 2),
    perDriverOptionValidation: atLeast(4, 1),
    optionTableNullTerminatorBug: atLeast(4, 1) && !atLeast(5, 1),
    proxyExportFlagsEffective: atLeast(5, 0),
    proxyParseOptsEra: !atLeast(2, 0) ? '1.x-fprintf' : !atLeast(4, 0) ? '2.x-error_report' : 'final-error_setg',
    modernProxyInitMessages: atLeast(4, 0),
    ninePRealizeEra: !atLeast(2, 0) ? '1.x-fprintf' : !atLeast(2, 6) ? '2.x-virtio-9p' : !atLeast(4, 0) ? '2.x-9pfs' : 'error-prepend',
    helperLibcapNg: atLeast(5, 0) && proxyDriver,
    helperCredSwitch: atLeast(5, 0) ? 'setresuid-libcap-ng' : 'setfsuid-libcap',
    helperCapQuirkUid0Gid: atLeast(5, 0) && proxyDriver,
    helperModernStartup: atLeast(2, 0),
    helperReadlinkOffByOne: atLeast(1, 1) && !atLeast(2, 0),
    dotdotAtRootFixed: atLeast(2, 7),
    localHardened: atLeast(2, 9),
    partialRwalk: atLeast(7, 1),
    cve2023_2861Fix: (atLeast(7, 2, 4) && !atLeast(8, 0)) || atLeast(8, 0, 3),
    proxyDeprecationWarning: atLeast(8, 1) && proxyDriver,
    proxyRemoved: atLeast(9, 2),
    clientReplySizeAsserts: atLeast(5, 0),
    clientHeaderMarshalAssert: atLeast(6, 0),
    shortFormBooleanWarning: atLeast(6, 0),
    boolAcceptsYesNo: atLeast(6, 0),
    transitionalDeviceNames: atLeast(4, 0),
    helpTextEra,
  };
}

/** Parse "x.y" or "x.y.z" (also "v7.2.22", "QEMU 7.2.22"); the flags follow from the number. */
export function qemuVersion(version: string): QemuVersion {
  const m = /^\s*(?:qemu\s+)?v?(\d+)\.(\d+)(?:\.(\d+))?\s*$/i.exec(version);
  if (!m) throw new UnknownQemuVersionError({ version, reason: 'expected MAJOR.MINOR or MAJOR.MINOR.MICRO, e.g. 7.2 or 7.2.22' });
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const key = `${major}.${minor}`;
  const micro = m[3] !== undefined ? Number(m[3]) : (DEFAULT_MICRO[key] ?? 0);
  if (major === 0 && minor < 12) throw new UnknownQemuVersionError({ version, reason: 'versions before 0.12 are not modelled' });
  const id = m[3] !== undefined ? `${key}.${micro}` : key;
  const modelled = (MODELLED_QEMU_VERSIONS as readonly string[]).includes(key) ? (key as ModelledQemuVersion) : undefined;
  const note = modelled && m[3] === undefined ? LABELS[modelled] : undefined;
  const label = `QEMU ${id}${note ? ` (${note})` : ''}`;
  return { id, major, minor, micro, label, features: qemuFeatures({ major, minor, micro }) };
}

/** Every modelled version with its flags, oldest first. */
export function modelledQemuVersions(): QemuVersion[] {
  return MODELLED_QEMU_VERSIONS.map(qemuVersion);
}
