// 9P2000.L open flags (Tlopen/Tlcreate `flags`) and their translation to and from Linux x86_64 O_*.
// Sources: Linux include/net/9p/9p.h (P9_DOTL_*), fs/9p/vfs_inode_dotl.c v9fs_open_to_dotl_flags()
// (guest side), QEMU hw/9pfs/9p.c dotl_to_open_flags() + get_dotl_openflags() (server side),
// Linux include/uapi/asm-generic/fcntl.h (x86_64 uses the generic values).

/** P9_DOTL_* (octal, as in 9p.h). The access mode occupies the low two bits, as in O_ACCMODE. */
export const P9_DOTL = {
  RDONLY: 0o0,
  WRONLY: 0o1,
  RDWR: 0o2,
  NOACCESS: 0o3,
  CREATE: 0o100,
  EXCL: 0o200,
  NOCTTY: 0o400,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  NONBLOCK: 0o4000,
  DSYNC: 0o10000,
  FASYNC: 0o20000,
  DIRECT: 0o40000,
  LARGEFILE: 0o100000,
  DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000,
  NOATIME: 0o1000000,
  CLOEXEC: 0o2000000,
  SYNC: 0o4000000,
} as const;

/** Linux x86_64 O_* as the kernel sees them (asm-generic/fcntl.h). */
export const LINUX_O = {
  RDONLY: 0o0,
  WRONLY: 0o1,
  RDWR: 0o2,
  ACCMODE: 0o3,
  CREAT: 0o100,
  EXCL: 0o200,
  NOCTTY: 0o400,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  NONBLOCK: 0o4000,
  DSYNC: 0o10000,
  FASYNC: 0o20000,
  DIRECT: 0o40000,
  LARGEFILE: 0o100000,
  DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000,
  NOATIME: 0o1000000,
  CLOEXEC: 0o2000000,
  /** O_SYNC is __O_SYNC | O_DSYNC: it contains the O_DSYNC bit (matters below). */
  SYNC: 0o4010000,
  PATH: 0o10000000,
  TMPFILE: 0o20200000,
} as const;

type Pair = readonly [open: number, dotl: number];

// Guest side: the table of v9fs_open_to_dotl_flags() (no O_TRUNC: the Linux client truncates with
// Tsetattr before Tlopen, so O_TRUNC never reaches the wire from a Linux guest).
const GUEST_MAP: readonly Pair[] = [
  [LINUX_O.CREAT, P9_DOTL.CREATE],
  [LINUX_O.EXCL, P9_DOTL.EXCL],
  [LINUX_O.NOCTTY, P9_DOTL.NOCTTY],
  [LINUX_O.APPEND, P9_DOTL.APPEND],
  [LINUX_O.NONBLOCK, P9_DOTL.NONBLOCK],
  [LINUX_O.DSYNC, P9_DOTL.DSYNC],
  [LINUX_O.FASYNC, P9_DOTL.FASYNC],
  [LINUX_O.DIRECT, P9_DOTL.DIRECT],
  [LINUX_O.LARGEFILE, P9_DOTL.LARGEFILE],
  [LINUX_O.DIRECTORY, P9_DOTL.DIRECTORY],
  [LINUX_O.NOFOLLOW, P9_DOTL.NOFOLLOW],
  [LINUX_O.NOATIME, P9_DOTL.NOATIME],
  [LINUX_O.CLOEXEC, P9_DOTL.CLOEXEC],
  [LINUX_O.SYNC, P9_DOTL.SYNC],
];

/**
 * Linux v9fs: guest open(2) flags → P9_DOTL_* (v9fs_open_to_dotl_flags).
 * Quirk (reproduced): the kernel tests `flags & O_SYNC`, and O_SYNC contains the O_DSYNC bit, so a
 * plain O_DSYNC open is sent as DSYNC|SYNC.
 */
export function linuxOpenToDotl(flags: number): number {
  let out = flags & LINUX_O.ACCMODE;
  for (const [open, dotl] of GUEST_MAP) if ((flags & open) !== 0) out |= dotl;
  return out >>> 0;
}

/**
 * QEMU's view of glibc O_LARGEFILE on x86_64: glibc defines it as 0 for 64-bit userspace, so QEMU's
 * `{ P9_DOTL_LARGEFILE, O_LARGEFILE }` row adds nothing there. (The kernel value 0o100000 is in
 * LINUX_O for the guest side.)
 */
const QEMU_O_LARGEFILE_X86_64 = 0;

// Server side: the table of dotl_to_open_flags() as built on Linux x86_64 (non-Darwin). There is
// no CLOEXEC row: QEMU opens with its own O_CLOEXEC regardless.
const QEMU_MAP: readonly Pair[] = [
  [LINUX_O.CREAT, P9_DOTL.CREATE],
  [LINUX_O.EXCL, P9_DOTL.EXCL],
  [LINUX_O.NOCTTY, P9_DOTL.NOCTTY],
  [LINUX_O.TRUNC, P9_DOTL.TRUNC],
  [LINUX_O.APPEND, P9_DOTL.APPEND],
  [LINUX_O.NONBLOCK, P9_DOTL.NONBLOCK],
  [LINUX_O.DSYNC, P9_DOTL.DSYNC],
  [LINUX_O.FASYNC, P9_DOTL.FASYNC],
  [LINUX_O.NOATIME, P9_DOTL.NOATIME],
  [LINUX_O.DIRECT, P9_DOTL.DIRECT],
  [QEMU_O_LARGEFILE_X86_64, P9_DOTL.LARGEFILE],
  [LINUX_O.DIRECTORY, P9_DOTL.DIRECTORY],
  [LINUX_O.NOFOLLOW, P9_DOTL.NOFOLLOW],
  [LINUX_O.SYNC, P9_DOTL.SYNC],
];

/** QEMU dotl_to_open_flags(): P9_DOTL_* → host O_* (access mode copied as is, NOACCESS stays 3). */
export function dotlToOpenFlags(dotl: number): number {
  let out = dotl & LINUX_O.ACCMODE;
  for (const [open, d] of QEMU_MAP) if ((dotl & d) !== 0) out |= open;
  return out >>> 0;
}

/**
 * Older 9p.c (the v9fs_open of the QEMU 1.x era) used the wire flags directly as host flags before
 * the same filtering; on x86_64 the two differ only in bits that change nothing there (LARGEFILE is
 * implied on 64-bit, CLOEXEC is QEMU's own choice), so one function serves every version modelled.
 *
 * QEMU get_dotl_openflags() (Tlopen): dotl_to_open_flags() then drop O_NOCTTY, O_ASYNC (= FASYNC)
 * and O_CREAT ("filter the client open flags") and O_DIRECT (ignored until supported; non-Darwin).
 * Tlcreate instead uses dotl_to_open_flags() directly and adds O_CREAT itself.
 */
export function qemuLopenFlags(dotl: number): number {
  return (dotlToOpenFlags(dotl) & ~(LINUX_O.NOCTTY | LINUX_O.FASYNC | LINUX_O.CREAT | LINUX_O.DIRECT)) >>> 0;
}

/** Readable `RDWR|CREAT|NOFOLLOW` for P9_DOTL_* flags (access mode first). */
export function formatDotlFlags(dotl: number): string {
  return formatFlags(dotl, P9_DOTL, ['RDONLY', 'WRONLY', 'RDWR', 'NOACCESS']);
}

/** Readable `O_RDWR|O_CREAT` for Linux open flags; O_SYNC shown as SYNC only when both bits set. */
export function formatOpenFlags(flags: number): string {
  const parts = formatFlags(flags, LINUX_O, ['RDONLY', 'WRONLY', 'RDWR', 'ACCMODE']).split('|');
  return parts.map((p) => (p.startsWith('0x') ? p : `O_${p}`)).join('|');
}

function formatFlags(flags: number, table: Readonly<Record<string, number>>, accNames: readonly string[]): string {
  const acc = flags & 3;
  const parts = [accNames[acc] ?? String(acc)];
  let rest = (flags & ~3) >>> 0;
  // Multi-bit entries first (O_SYNC, O_TMPFILE) so they are named only when fully present.
  const entries = Object.entries(table)
    .filter(([name, v]) => v > 3 && !accNames.includes(name))
    .sort((a, b) => popcount(b[1]) - popcount(a[1]) || a[1] - b[1]);
  for (const [name, v] of entries) {
    if ((rest & v) === v) { parts.push(name); rest = (rest & ~v) >>> 0; }
  }
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.join('|');
}

function popcount(v: number): number {
  let n = 0;
  for (let x = v >>> 0; x !== 0; x &= x - 1) n++;
  return n;
}
