// The pluggable filesystem interface: what a filesystem type implements so the VFS (kernel.ts,
// namei.ts) can walk, check permissions and call it — the analogue of Linux's super_operations +
// inode_operations + file_operations. The in-memory fs (memory-fs.ts, with ext4/tmpfs profiles) is one
// implementation; the guest's v9fs (sim/guest/) is another, plugged in from outside (DESIGN.md §2).
//
// Division of labour follows Linux: the VFS does path walking, permission checks (generic_permission),
// type checks (EISDIR/ENOTDIR/EXDEV/EBUSY/EINVAL for rename into a subtree), sticky/owner rules,
// umask and new-inode ownership (inode_init_owner), suid clearing and atime policy (relatime). The
// filesystem stores and reports, updates the times its namespace operations change (like ext4/shmem
// do in their inode_operations), and reports ENOTEMPTY, ENOSPC, EMLINK and xattr storage errors.
import type { Timespec } from './clock.ts';
import type { Result } from './result.ts';
import type { StatFs } from './types.ts';

/** What getattr reports (the fs-specific part of struct stat; st_dev comes from the superblock). */
export interface InodeAttr {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  blocks: number;
  blksize: number;
  rdev: bigint;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
}

/** The attributes permission and ownership checks read (generic_permission, inode_init_owner,
 * check_sticky): what ownerAttr() gives without a getattr snapshot. */
export type OwnerAttr = Pick<InodeAttr, 'mode' | 'uid' | 'gid' | 'nlink'>;

/** notify_change's struct iattr: only the present fields change. The VFS always passes ctime when
 * Linux sets ATTR_CTIME. */
export interface AttrChange {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: Timespec;
  mtime?: Timespec;
  ctime?: Timespec;
}

/** A new inode as the VFS decided it: mode includes S_IFMT and is already umasked; uid/gid per
 * inode_init_owner. */
export interface NewInode {
  mode: number;
  uid: number;
  gid: number;
  rdev?: bigint;
  /** Symlink target bytes as a byte string. */
  target?: string;
}

export interface FsDirEntry {
  /** Byte string. */
  name: string;
  ino: number;
  mode: number;
}

export interface FsInode {
  readonly sb: SuperBlock;
  readonly ino: number;
  getattr(): InodeAttr;
  setattr(change: AttrChange): Result<void>;

  // Directories. Names are byte strings, never '.', '..' or containing '/'.
  lookup(name: string): Result<FsInode>;
  /** The parent directory inside this superblock ('..'); the root returns itself. */
  parent(): FsInode;
  /** Entries without '.' and '..', in the filesystem's readdir order. */
  readdir(): Result<FsDirEntry[]>;
  create(name: string, init: NewInode): Result<FsInode>;
  link(name: string, target: FsInode): Result<void>;
  unlink(name: string): Result<void>;
  rmdir(name: string): Result<void>;
  /** Move `oldName` to `newDir/newName`, replacing a compatible target the VFS has checked. The fs
   * reports ENOTEMPTY for a non-empty directory target. `exchange` swaps the two (RENAME_EXCHANGE). */
  rename(oldName: string, newDir: FsInode, newName: string, exchange: boolean): Result<void>;

  // Symlinks
  readlink(): Result<string>;

  // Regular files
  read(pos: number, len: number): Result<Uint8Array>;
  write(pos: number, data: Uint8Array): Result<number>;
  fsync?(): Result<void>;

  // Extended attributes: raw storage; namespace policy is the VFS's (fs/xattr.c).
  getxattr(name: string): Result<Uint8Array>;
  setxattr(name: string, value: Uint8Array, flags: number): Result<void>;
  listxattr(): Result<string[]>;
  removexattr(name: string): Result<void>;

  /** FS_IOC_GETVERSION: i_generation on ext4; ENOTTY where the fs has no such ioctl (tmpfs). */
  getversion(): Result<number>;

  /**
   * Optional file_operations->open for regular files and directories (not O_PATH, not special
   * files, which the VFS opens itself). Called after the permission checks and before O_TRUNC's
   * truncation, like vfs_open() in do_open(); an error fails the open(2). The returned handle serves
   * this open file description's reads, writes, fsync and getdents until `release()` at the last
   * close. A filesystem without per-open state (the memory fs) leaves it out.
   */
  open?(flags: number): Result<FsFile>;
}

/** Per-open state of a filesystem that has it (v9fs: the fid from Tlopen). Absent methods fall back
 * to the inode's. */
export interface FsFile {
  read?(pos: number, len: number): Result<Uint8Array>;
  write?(pos: number, data: Uint8Array): Result<number>;
  /** Directory entries without '.' and '..' (getdents reads them once per rewind). */
  readdir?(): Result<FsDirEntry[]>;
  fsync?(): Result<void>;
  /** file_operations->release: the last reference to the open file description is gone. */
  release(): void;
}

export interface SuperBlock {
  /** Unique per kernel; 0 until the kernel assigns one (newFs/mount). */
  id: number;
  /** 'ext4', 'tmpfs', 'v9fs', … as /proc/mounts shows it. */
  readonly fsType: string;
  /** st_dev of every inode (glibc encoding, fits in a number for our devices). */
  readonly dev: number;
  readonly magic: number;
  readonly root: FsInode;
  statfs(): StatFs;
  /** Whether inodes can be compared by identity (true for memory fs). Otherwise by (sb, ino). */
  readonly stableInodes: boolean;
}

export function sameInode(a: FsInode, b: FsInode): boolean {
  return a === b || (a.sb === b.sb && a.ino === b.ino);
}
