// The command-line options QEMU's vl.c knows (qemu-options.hx, as of 7.2) and whether each takes an
// argument (HAS_ARG). vl.c accepts `-opt` and `--opt`; an unknown one is `-foo: invalid option`, a
// missing argument `-fsdev: requires an argument` (both observed on 7.2.22). Only -fsdev, -virtfs,
// -device, -machine/-M and -msg are interpreted; the rest are consumed and assumed valid.

const WITH_ARG = [
  'machine', 'M', 'cpu', 'accel', 'smp', 'numa', 'add-fd', 'set', 'global', 'boot', 'm', 'mem-path', 'k',
  'audio', 'audiodev', 'soundhw', 'device', 'name', 'uuid', 'fda', 'fdb', 'hda', 'hdb', 'hdc', 'hdd', 'cdrom',
  'blockdev', 'drive', 'mtdblock', 'sd', 'pflash', 'fsdev', 'virtfs', 'iscsi', 'usbdevice', 'display', 'spice',
  'rotate', 'vga', 'g', 'vnc', 'acpitable', 'smbios', 'L', 'bios', 'xen-domid', 'action', 'loadvm', 'option-rom',
  'rtc', 'icount', 'watchdog', 'watchdog-action', 'echr', 'mon', 'monitor', 'qmp', 'qmp-pretty', 'chardev',
  'pidfile', 'overcommit', 'gdb', 'd', 'D', 'dfilter', 'seed', 'trace', 'plugin', 'readconfig', 'runas', 'chroot',
  'sandbox', 'msg', 'dump-vmstate', 'netdev', 'nic', 'net', 'object', 'tpmdev', 'incoming', 'serial', 'parallel',
  'debugcon', 'semihosting-config', 'prom-env', 'kernel', 'append', 'initrd', 'dtb', 'compat', 'qtest', 'qtest-log',
  'tb-size', 'fw_cfg', 'bt', 'writeconfig', 'mem-prealloc-threads',
] as const;

const WITHOUT_ARG = [
  'S', 'snapshot', 'nographic', 'audio-help', 'enable-kvm', 'no-acpi', 'no-hpet', 'no-reboot', 'no-shutdown',
  'no-user-config', 'nodefaults', 'nodefconfig', 'daemonize', 'singlestep', 's', 'usb', 'win2k-hack',
  'no-fd-bootchk', 'full-screen', 'portrait', 'xen-attach', 'xen-domid-restrict', 'only-migratable',
  'enable-sync-profile', 'mem-prealloc', 'preconfig', 'alt-grab', 'ctrl-grab', 'no-quit', 'sdl', 'curses',
  'show-cursor', 'semihosting', 'async-teardown', 'virtfs_synth', 'old-param',
] as const;

/** Options that print something and exit instead of starting: not modelled (their output is large). */
export const EXITING_OPTIONS: ReadonlySet<string> = new Set(['h', 'help', 'version']);

const TABLE: ReadonlyMap<string, boolean> = new Map<string, boolean>([
  ...WITH_ARG.map((n) => [n, true] as const),
  ...WITHOUT_ARG.map((n) => [n, false] as const),
  ...[...EXITING_OPTIONS].map((n) => [n, false] as const),
]);

/** `-fsdev` / `--fsdev` → `fsdev`; undefined when the word is not an option (a disk image). */
export function optionName(word: string): string | undefined {
  if (!word.startsWith('-') || word === '-') return undefined;
  return word.startsWith('--') ? word.slice(2) : word.slice(1);
}

/** true: takes an argument; false: takes none; undefined: QEMU does not know it. */
export function optionTakesArg(name: string): boolean | undefined {
  return TABLE.get(name);
}
