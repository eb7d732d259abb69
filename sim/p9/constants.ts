// 9P2000.L constants. Sources: Linux include/net/9p/9p.h (message numbers, P9_DOTL_*, P9_STATS_*,
// P9_QTDIR…), Linux fs/9p/vfs_inode_dotl.c (P9_ATTR_* as sent in Tsetattr), QEMU hw/9pfs/9p.h
// (P9_ATTR_*, P9_LOCK_*) and diod's protocol.md. Numbers are identical in all of them.

/** Wire size of the header every message starts with: size[4] type[1] tag[2]. */
export const P9_HEADER_SIZE = 7;
/** Tag used by Tversion (and its reply): "no tag". */
export const P9_NOTAG = 0xffff;
/** Fid meaning "none", e.g. Tattach afid without authentication. */
export const P9_NOFID = 0xffffffff;
/** n_uname meaning "no numeric uid" in Tattach/Tauth (Linux sends INVALID_UID as ~0). */
export const P9_NONUNAME = 0xffffffff;
/** Maximum names in one Twalk (Linux net/9p and QEMU 9p.c both enforce 16). */
export const P9_MAXWELEM = 16;
/** The protocol string Linux and QEMU negotiate for the .L dialect. */
export const P9_PROTO_2000L = '9P2000.L';
/** Wire size of a qid: type[1] version[4] path[8]. */
export const P9_QID_SIZE = 13;

/** qid.type bits (Linux p9_qid_t). */
export const P9_QTDIR = 0x80;
export const P9_QTAPPEND = 0x40;
export const P9_QTEXCL = 0x20;
export const P9_QTMOUNT = 0x10;
export const P9_QTAUTH = 0x08;
export const P9_QTTMP = 0x04;
export const P9_QTSYMLINK = 0x02;
export const P9_QTLINK = 0x01;
export const P9_QTFILE = 0x00;

/** Tgetattr request_mask / Rgetattr valid bits (Linux P9_STATS_*). */
export const P9_GETATTR = {
  MODE: 0x1,
  NLINK: 0x2,
  UID: 0x4,
  GID: 0x8,
  RDEV: 0x10,
  ATIME: 0x20,
  MTIME: 0x40,
  CTIME: 0x80,
  INO: 0x100,
  SIZE: 0x200,
  BLOCKS: 0x400,
  BTIME: 0x800,
  GEN: 0x1000,
  DATA_VERSION: 0x2000,
  /** Everything but btime/gen/data_version: what struct stat holds. */
  BASIC: 0x7ff,
  ALL: 0x3fff,
} as const;

/** Tsetattr valid bits (Linux P9_ATTR_*, QEMU P9_ATTR_*; the *_SET bits mean "time given", else now). */
export const P9_SETATTR = {
  MODE: 0x1,
  UID: 0x2,
  GID: 0x4,
  SIZE: 0x8,
  ATIME: 0x10,
  MTIME: 0x20,
  CTIME: 0x40,
  ATIME_SET: 0x80,
  MTIME_SET: 0x100,
} as const;

/** Tunlinkat flags: the only one defined is AT_REMOVEDIR (Linux value 0x200, passed through). */
export const P9_AT_REMOVEDIR = 0x200;

/** Tlock type / Rgetlock type (Linux P9_LOCK_TYPE_*). */
export const P9_LOCK_TYPE = { RDLCK: 0, WRLCK: 1, UNLCK: 2 } as const;
/** Rlock status (Linux P9_LOCK_*). */
export const P9_LOCK_STATUS = { SUCCESS: 0, BLOCKED: 1, ERROR: 2, GRACE: 3 } as const;
/** Tlock flags (Linux P9_LOCK_FLAGS_*). */
export const P9_LOCK_FLAGS = { BLOCK: 1, RECLAIM: 2 } as const;

/** Txattrcreate flags: Linux XATTR_CREATE / XATTR_REPLACE, passed through by v9fs. */
export const P9_XATTR_CREATE = 1;
export const P9_XATTR_REPLACE = 2;

/** Names of the bits of a mask, lowest first; unknown bits shown as hex. For displays. */
export function maskNames(mask: number | bigint, table: Readonly<Record<string, number>>, skip: readonly string[] = []): string[] {
  let rest = BigInt(mask);
  const out: string[] = [];
  for (const [name, bit] of Object.entries(table)) {
    if (skip.includes(name)) continue;
    const b = BigInt(bit);
    // Only single-bit entries name bits; aggregates (BASIC, ALL) are in `skip` by convention.
    if ((b & (b - 1n)) !== 0n) continue;
    if ((rest & b) !== 0n) { out.push(name); rest &= ~b; }
  }
  if (rest !== 0n) out.push(`0x${rest.toString(16)}`);
  return out;
}
