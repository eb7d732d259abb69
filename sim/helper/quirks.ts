// Labels for the real helper's quirks as the simulation reproduces them (DESIGN.md §2: "Real quirks are
// reproduced and labelled in the trace"). The helper reports each occurrence through
// HelperConfig.onQuirk and keeps them in VirtfsProxyHelper.quirks.

export type HelperQuirkKind =
  /** uid 0 / gid ≠ 0 switch left the main thread with CapEff = CAP_DAC_OVERRIDE only (§10.3). */
  | 'cap-eff-stuck'
  /** glibc's set*id broadcast found the threads disagreeing and aborted (§10.3). */
  | 'setxid-abort'
  /** open() of a FIFO without a writer: the whole helper sleeps (§5.5, real-helper.md §8.2). */
  | 'fifo-block'
  /** CVE-2023-2861 open_regular refused a special file with ENXIO (§5.5). */
  | 'special-file-enxio'
  /** g_malloc of a negative size: GLib error, SIGTRAP (§5.2, §5.3). */
  | 'glib-sigtrap'
  /** LSETXATTR stored bytes past the value (the NUL and heap bytes) (§5.4). */
  | 'lsetxattr-heap-read'
  /** T_GETVERSION high half from uninitialised stack (the optional "stack garbage" mode, §11.7). */
  | 'getversion-stack-garbage'
  /** T_GETVERSION answered 0 without parsing (filesystem without FS_IOC_GETVERSION support, §11.7). */
  | 'getversion-shortcut'
  /** Unknown request type or header.size > 65536: the helper leaves its loop without a reply (§8). */
  | 'protocol-error-exit';

export interface HelperQuirk {
  kind: HelperQuirkKind;
  /** proxy-protocol.md / real-helper.md section and vector ids it reproduces. */
  source: string;
  detail: string;
}

export const QUIRK_SOURCES: Record<HelperQuirkKind, string> = {
  'cap-eff-stuck': 'proxy-protocol.md §10.3; cap_quirk_a/mkdir_uid0_gid1000',
  'setxid-abort': 'proxy-protocol.md §10.3; cap_quirk_a/mkdir_uid1000_after, cap_quirk_b',
  'fifo-block': 'proxy-protocol.md §5.5, §11.7; fifo_block/open_fifo_blocks, getversion_fifo_blocks',
  'special-file-enxio': 'proxy-protocol.md §5.5 (CVE-2023-2861); basic_fd/open_fifo_nonblock',
  'glib-sigtrap': 'proxy-protocol.md §5.2; malformed/readlink_negative_size',
  'lsetxattr-heap-read': 'proxy-protocol.md §5.4; malformed/lsetxattr_size_larger_than_value',
  'getversion-stack-garbage': 'proxy-protocol.md §11.7; basic_fd/getversion_file (quirk)',
  'getversion-shortcut': 'proxy-protocol.md §11.7; tmpfs/getversion_missing',
  'protocol-error-exit': 'proxy-protocol.md §8; malformed/unknown_type_99, size_over_max_65537',
};
