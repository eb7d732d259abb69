// The shapes syscalls return (struct stat, struct statfs, linux_dirent64) — in JS numbers where the
// values fit in 2^53, bigint where glibc's encoding can use all 64 bits (st_rdev).
import type { Timespec } from './clock.ts';

/** struct stat as lstat/fstat/fstatat fill it (x86_64). */
export interface Stat {
  dev: number;
  ino: number;
  nlink: number;
  /** Type and permission bits (S_IFMT | 07777). */
  mode: number;
  uid: number;
  gid: number;
  /** glibc makedev() encoding. */
  rdev: bigint;
  size: number;
  blksize: number;
  /** 512-byte units. */
  blocks: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
}

/** struct statfs (x86_64). fsid is the two ints of __kernel_fsid_t, as signed 32-bit numbers. */
export interface StatFs {
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  fsid: [number, number];
  namelen: number;
  frsize: number;
  flags: number;
}

/** One getdents64 record. `off` is the cookie to continue after this entry (d_off). */
export interface Dirent {
  ino: number;
  off: number;
  /** DT_* */
  type: number;
  /** Raw name bytes as a byte string (see bytes.ts). */
  bname: string;
  /** Display name (UTF-8 decoded). */
  name: string;
}

/** Credentials of a task (include/linux/cred.h), all ids as unsigned 32-bit numbers. */
export interface Cred {
  ruid: number; euid: number; suid: number; fsuid: number;
  rgid: number; egid: number; sgid: number; fsgid: number;
  groups: number[];
}
