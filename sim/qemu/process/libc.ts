// The C library calls QEMU's 9p code makes, as seen from the QEMU process. The fsdev drivers call
// only these; `kernel-libc.ts` implements them on the simulated host kernel (sim/host) for one
// process, so every call is a host syscall the trace shows with QEMU's pid, creds and caps.
// Results are errno-as-data (sim/host SysResult); a call that would sleep returns Blocked.
import type { SysResult } from '../../host/result.ts';
import type { Stat, StatFs, Dirent } from '../../host/types.ts';

/** AT_FDCWD, for the path-based (naive) calls expressed as *at() calls. */
export const AT_FDCWD = -100;

export interface TimespecArg {
  sec: number;
  nsec: number;
}

/** Paths and names are byte strings (one char per byte), as sim/host keeps them. */
export interface Libc {
  readonly pid: number;

  // File descriptors.
  close(fd: number): SysResult<void>;
  pread(fd: number, count: number, offset: number): SysResult<Uint8Array>;
  pwrite(fd: number, data: Uint8Array, offset: number): SysResult<number>;
  fstat(fd: number): SysResult<Stat>;
  fsync(fd: number): SysResult<void>;
  fdatasync(fd: number): SysResult<void>;
  getdents(fd: number): SysResult<Dirent[]>;
  lseek(fd: number, offset: number, whence: number): SysResult<number>;
  fcntlSetfl(fd: number, flags: number): SysResult<void>;
  fstatfs(fd: number): SysResult<StatFs>;
  /** ioctl(fd, FS_IOC_GETVERSION, &u64) — the generation as the kernel writes it. */
  ioctlGetversion(fd: number): SysResult<number>;

  // AF_UNIX stream I/O (the proxy socket).
  sendmsg(fd: number, data: Uint8Array, fds?: readonly number[]): SysResult<number>;
  /** recvmsg with a `len`-byte buffer and room for `maxFds` SCM_RIGHTS fds; data empty = EOF. */
  recvmsg(fd: number, len: number, maxFds: number): SysResult<{ data: Uint8Array; fds: number[] }>;

  // Path-based calls, relative to `dirfd` (AT_FDCWD for the naive driver's absolute paths).
  openat(dirfd: number, path: string, flags: number, mode?: number): SysResult<number>;
  fstatat(dirfd: number, path: string, flags: number): SysResult<Stat>;
  mkdirat(dirfd: number, path: string, mode: number): SysResult<void>;
  mknodat(dirfd: number, path: string, mode: number, rdev: bigint): SysResult<void>;
  symlinkat(target: string, dirfd: number, path: string): SysResult<void>;
  linkat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number): SysResult<void>;
  renameat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string): SysResult<void>;
  unlinkat(dirfd: number, path: string, flags: number): SysResult<void>;
  readlinkat(dirfd: number, path: string, size: number): SysResult<string>;
  /** fchmodat; with AT_EMPTY_PATH and "" it acts on dirfd itself (how we model chmod("/proc/self/fd/N")). */
  fchmodat(dirfd: number, path: string, mode: number, flags?: number): SysResult<void>;
  fchownat(dirfd: number, path: string, uid: number, gid: number, flags: number): SysResult<void>;
  utimensat(dirfd: number, path: string | null, times: [TimespecArg, TimespecArg], flags: number): SysResult<void>;
  truncate(path: string, length: number): SysResult<void>;
  statfs(path: string): SysResult<StatFs>;
  /** glibc remove(): unlink, and rmdir if that fails with EISDIR. */
  remove(path: string): SysResult<void>;

  /** ftruncate(2) */
  ftruncate(fd: number, length: number): SysResult<void>;

  // Extended attributes. `path` relative to `dirfd` (AT_FDCWD for absolute paths), or null for the
  // fd itself (f*xattr). `follow`: getxattr vs lgetxattr. The hardened local driver reaches a file's
  // xattrs through "/proc/self/fd/N/name" + l*xattr (fgetxattrat_nofollow, 9p-util.c): that is
  // (dirfd, name, follow = false) here.
  getxattr(dirfd: number, path: string | null, name: string, follow: boolean): SysResult<Uint8Array>;
  listxattr(dirfd: number, path: string | null, follow: boolean): SysResult<string[]>;
  setxattr(dirfd: number, path: string | null, name: string, value: Uint8Array, flags: number, follow: boolean): SysResult<void>;
  removexattr(dirfd: number, path: string | null, name: string, follow: boolean): SysResult<void>;
}
