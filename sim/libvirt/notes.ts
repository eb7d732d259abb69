// The explanations a launch plan carries: findings about the proxy patch as posted, differences of
// the corrected variant, and facts worth knowing about the generated command line. Each cites its
// source; ids are stable (the playground and the tests key on them).

import type { Note } from './types.ts';

const L = 'docs/libvirt.md';

export const NOTES = {
  deadCapCheck: (capsHaveProxy: boolean): Note => ({
    id: 'patch-dead-cap-check', kind: 'finding', source: `${L} §4.4; seed patch qemuBuildCommandLine`,
    text: 'The patch tests `qemuCapsGet(qemuCaps, QEMU_CAPS_FSDEV_PROXY) < 0`, but qemuCapsGet returns a bool (0 or 1), '
      + 'so "proxy helper not supported" can never be raised and -fsdev proxy is emitted for any QEMU. '
      + (capsHaveProxy
        ? 'Here the capabilities do contain fsdev-proxy, so the intended check would have passed anyway.'
        : 'Here the capabilities lack fsdev-proxy: the intended `!qemuCapsGet(…)` would have refused this domain.'),
  }),
  pathKept: (rejects: boolean): Note => ({
    id: 'patch-path-kept', kind: 'finding', source: `${L} §4.4, §5; proxy-protocol.md §12.3`,
    text: 'qemuBuildFSStr still appends `,path=<source dir>` for proxy. QEMU 1.1–4.0 ignore it; QEMU ≥ 4.1 refuses it with '
      + "\"'path' is invalid for fsdriver 'proxy'\"" + (rejects ? ' — which is what this QEMU does.' : '.'),
  }),
  helperPath: (helper: string, installed: string | null): Note => ({
    id: 'patch-helper-path', kind: 'finding', source: `${L} §4.3, §4.4; real-helper.md §1`,
    text: `The helper path is dirname(<emulator>) + "/virtfs-proxy-helper" = ${helper}. `
      + (installed && installed !== helper
        ? `This QEMU installs the helper at ${installed}, so the exec fails.`
        : 'QEMU 1.1–5.1 installed the helper next to the emulator (bindir), so this path works there.'),
  }),
  helperFailureInvisible: (): Note => ({
    id: 'patch-helper-failure-invisible', kind: 'finding', source: `${L} §4.4 (inferred)`,
    text: 'virCommandDaemonize forks twice and the intermediate child exits 0, so virCommandRun reports success even when '
      + 'the helper cannot be executed ("%s can\'t execute" is never shown). QEMU then gets a sock_fd whose peer is closed and '
      + 'fails at device realize with "share path N does not exist".',
  }),
  doubleDaemonize: (): Note => ({
    id: 'patch-double-daemonize', kind: 'finding', source: `${L} §4.4`,
    text: 'libvirt daemonises the helper and the helper (started without -n) calls daemon(0,0) again; no pid is recorded, '
      + 'nothing stops or reaps it — it exits when QEMU closes its end of the socket.',
  }),
  helperAtBuild: (): Note => ({
    id: 'patch-helper-at-build', kind: 'finding', source: `${L} §4.4 (inferred)`,
    text: 'The socketpair and the root helper are created while the command line is *built*; qemuBuildCommandLine also '
      + 'serves `virsh domxml-to-native`, so merely converting XML to argv would start a helper.',
  }),
  enumTable: (): Note => ({
    id: 'patch-enum-table', kind: 'finding', source: `${L} §4.2, §4.4 (inferred; not compiled)`,
    text: 'The patch deletes the name "virtio-blk-pci.scsi" while adding "fsdev-proxy": 100 names for 101 flags. '
      + 'VIR_ENUM_IMPL\'s verify() should stop the build; had it compiled, every capability name from 80 on would shift by one.',
  }),
  helpTest: (): Note => ({
    id: 'patch-qemuhelptest', kind: 'finding', source: `${L} §4.4 (inferred)`,
    text: 'tests/qemuhelptest.c expects QEMU_CAPS_FSDEV_PROXY for qemu-1.0, whose help has no "sock_fd": that expectation cannot hold.',
  }),
  fdNumbers: (first: number): Note => ({
    id: 'fd-numbers', kind: 'info', source: `${L} §4.3; seed patch (virCommandTransferFD)`,
    text: `socketpair() returns the lowest free descriptors of libvirtd (from ${first} here; the real number depends on what libvirtd has open). `
      + 'The helper end is closed in libvirtd once the helper is spawned, so the next proxy filesystem reuses that number; '
      + 'QEMU inherits its end at the same number (sock_fd=N).',
  }),
  qmpNoProxyCap: (): Note => ({
    id: 'qmp-no-proxy-cap', kind: 'finding', source: `${L} §2.3, §4.4`,
    text: 'libvirt ≥ 1.0.0 probes QEMU ≥ 1.2 over QMP; qemuCapsInitQMPBasic never sets the patch\'s FSDEV_PROXY, so a fixed '
      + 'capability check would refuse proxy on every modern QEMU.',
  }),
  helpIgnored: (): Note => ({
    id: 'help-ignored-qmp', kind: 'info', source: `${L} §2.3`,
    text: 'This libvirt release does not read -help for QEMU ≥ 1.2: the capabilities come from the QMP basic set.',
  }),
  proxyFlagsNoop: (): Note => ({
    id: 'proxy-readonly-noop', kind: 'warning', source: 'proxy-protocol.md §12.2',
    text: 'With proxy, readonly and writeout have no effect before QEMU 5.0 (proxy_parse_opts overwrote the export flags).',
  }),
  correctedCapCheck: (): Note => ({
    id: 'corrected-cap-check', kind: 'difference', source: `${L} §4.5`,
    text: 'Corrected: the capability test is `!qemuCapsGet(qemuCaps, QEMU_CAPS_FSDEV_PROXY)`, raising "unsupported configuration: proxy helper not supported".',
  }),
  correctedNoPath: (): Note => ({
    id: 'corrected-no-path', kind: 'difference', source: `${L} §4.5; proxy-protocol.md §12.3`,
    text: 'Corrected: no `,path=` for proxy (QEMU ≥ 4.1 rejects it, older QEMUs ignore it).',
  }),
  correctedHelperDir: (dir: string): Note => ({
    id: 'corrected-helper-dir', kind: 'difference', source: `${L} §4.5; real-helper.md §1`,
    text: `Corrected: the helper is looked up in a configurable directory (${dir}; Debian installs it in /usr/lib/qemu), not next to the emulator.`,
  }),
  correctedForeground: (): Note => ({
    id: 'corrected-helper-foreground', kind: 'difference', source: `${L} §4.5; proxy-protocol.md §11.1`,
    text: 'Corrected: the helper runs with -n (no daemon()) under libvirt\'s own process management, started at domain start rather than while building the command line.',
  }),
  correctedQmpProxy: (): Note => ({
    id: 'corrected-qmp-proxy', kind: 'difference', source: `${L} §2.3, §4.5`,
    text: 'Corrected: with QMP probing (libvirt ≥ 1.0.0, QEMU ≥ 1.2) FSDEV_PROXY is set from QMP as well, for QEMUs that have the proxy driver (1.1–9.1).',
  }),
  correctedFlagsRefused: (): Note => ({
    id: 'corrected-proxy-flags', kind: 'difference', source: `${L} §4.5; proxy-protocol.md §12.2`,
    text: 'Corrected: readonly/writeout on a proxy filesystem are refused for QEMU < 5.0, where they would silently do nothing.',
  }),
  transcript: (): Note => ({
    id: 'help-transcript', kind: 'info', source: 'fixtures/qemu-help/qemu-7.2.22',
    text: 'The help text is a recorded transcript ("$ qemu-system-x86_64 -help", "(rc=0)"); its first two lines were removed before '
      + 'parsing. Real libvirt would have refused the text ("cannot parse QEMU version number").',
  }),
  commaRaw: (): Note => ({
    id: 'comma-unescaped', kind: 'warning', source: `${L} §3.2 step 7`,
    text: 'libvirt 0.10.2 writes path= and mount_tag= raw: a comma in them splits the option string (9.0 doubles commas in path=).',
  }),
  commaDoubled: (): Note => ({
    id: 'comma-doubled', kind: 'info', source: `${L} §6.2`,
    text: 'libvirt 9.0 doubles commas in path= (QemuOpts escaping); the mount tag goes into JSON -device unescaped.',
  }),
  handleGone: (): Note => ({
    id: 'handle-removed', kind: 'warning', source: `${L} §6.2; real-helper.md §5`,
    text: 'libvirt still emits -fsdev handle, which QEMU ≥ 4.0 refuses ("fsdev: fsdriver handle not found").',
  }),
  neverMerged: (): Note => ({
    id: 'proxy-never-merged', kind: 'info', source: `${L} (introduction), §6.1`,
    text: 'No released libvirt knows <driver type=\'proxy\'/>: libvirt 9.0 offers default, path, handle, loop, nbd, ploop, virtiofs.',
  }),
  virtiofsd: (): Note => ({
    id: 'virtiofsd-spawned', kind: 'info', source: `${L} §6.2`,
    text: 'For virtiofs without <source socket>, libvirt starts virtiofsd itself on <domain dir>/fsN-fs.sock (domxml-to-native does not).',
  }),
  ignored: (names: string[]): Note => ({
    id: 'ignored-elements', kind: 'info', source: 'sim/libvirt/conf/domain.ts',
    text: `Not modelled, left out of the command line: <${[...new Set(names)].join('>, <')}>.`,
  }),
  wholeLine2012: (): Note => ({
    id: 'legacy-whole-line', kind: 'info', source: `${L} §3.6, §3.7`,
    text: 'Outside the filesystem words, the 2012 command line is modelled from libvirt\'s fs9p test and qemuBuildCommandLine of that era '
      + '(-name, -S, -M, -m, -smp, -uuid, -nographic, -nodefconfig/-no-user-config, -nodefaults, monitor, -rtc, -no-shutdown, -no-acpi, '
      + '-boot, disks, -usb, nets, balloon); only the fs9p harness line is golden-tested.',
  }),
  emulatorDefault: (e: string): Note => ({
    id: 'emulator-default', kind: 'info', source: `${L} §7.1`,
    text: `No <emulator> in the domain: using ${e}.`,
  }),
} as const;
