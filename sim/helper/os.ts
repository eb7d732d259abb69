// The libc surface virtfs-proxy-helper.c calls, as the helper sees it: one object per helper process,
// each call running on the simulated kernel (sim/host) as that process (or as one of its threads for
// the per-thread credential calls). Results are the kernel's SysResult: errno as data, and `Blocked`
// where Linux would sleep (a FIFO open, accept, a read on an empty socket).
//
// kernel-os.ts implements it on the kernel; nothing here re-implements kernel rules.
import type { SysResult } from '../host/result.ts';
import type { Errno } from '../host/errno.ts';
import type { Stat, StatFs } from '../host/types.ts';
import type { Timespec } from '../host/clock.ts';

/** A thread of the helper process (capabilities and credentials are per thread, §10.3). */
export type ThreadRef = number;

export interface HelperOs {
  readonly pid: number;
  /** Threads of the process: [main, …others]. The libcap-ng helpers (5.0+) have QEMU's RCU thread. */
  threads(): ThreadRef[];

  lstat(path: Uint8Array | string): SysResult<Stat>;
  fstat(fd: number): SysResult<Stat>;
  statfs(path: Uint8Array | string): SysResult<StatFs>;
  access(path: Uint8Array | string, mode: number): SysResult<void>;
  open(path: Uint8Array | string, flags: number, mode: number): SysResult<number>;
  close(fd: number): SysResult<void>;
  /** read(2): up to `len` bytes; an empty array is EOF. */
  read(fd: number, len: number): SysResult<Uint8Array>;
  /** read(2) into `buf` at `off` (C: read(fd, buf + off, len)): the byte count; 0 is EOF. */
  readInto(fd: number, buf: Uint8Array, off: number, len: number): SysResult<number>;
  write(fd: number, data: Uint8Array): SysResult<number>;
  /** sendmsg(2) of `data` with an SCM_RIGHTS fd when `passFd` is given. */
  sendmsg(fd: number, data: Uint8Array, passFd?: number): SysResult<number>;

  readlink(path: Uint8Array, bufsiz: number): SysResult<Uint8Array>;
  mknod(path: Uint8Array, mode: number, rdev: bigint): SysResult<void>;
  mkdir(path: Uint8Array, mode: number): SysResult<void>;
  symlink(target: Uint8Array, linkpath: Uint8Array): SysResult<void>;
  link(oldpath: Uint8Array, newpath: Uint8Array): SysResult<void>;
  chmod(path: Uint8Array, mode: number): SysResult<void>;
  lchown(path: Uint8Array, uid: number, gid: number): SysResult<void>;
  chown(path: Uint8Array | string, uid: number, gid: number): SysResult<void>;
  truncate(path: Uint8Array, length: bigint): SysResult<void>;
  /** utimensat(AT_FDCWD, path, times, flags): times as the raw long pairs the helper unmarshalled. */
  utimensat(path: Uint8Array, times: [Timespec, Timespec], flags: number): SysResult<void>;
  unlink(path: Uint8Array): SysResult<void>;
  rmdir(path: Uint8Array): SysResult<void>;
  rename(oldpath: Uint8Array, newpath: Uint8Array): SysResult<void>;
  /** lgetxattr: size 0 → the value length; otherwise the value (ERANGE when longer than size). */
  lgetxattr(path: Uint8Array, name: Uint8Array, size: number): SysResult<Uint8Array | number>;
  llistxattr(path: Uint8Array, size: number): SysResult<Uint8Array | number>;
  /** lsetxattr with the C (size_t) size: `value` holds at least min(size, 65536+1) bytes. */
  lsetxattr(path: Uint8Array, name: Uint8Array, value: Uint8Array, size: number, flags: number): SysResult<void>;
  lremovexattr(path: Uint8Array, name: Uint8Array): SysResult<void>;
  /** ioctl(fd, FS_IOC_GETVERSION): the 32-bit generation the kernel writes. */
  ioctlGetversion(fd: number): SysResult<number>;

  chroot(path: string): SysResult<void>;
  chdir(path: string): SysResult<void>;
  umask(mask: number): number;

  socketUnixStream(): SysResult<number>;
  bind(fd: number, path: string): SysResult<void>;
  listen(fd: number, backlog: number): SysResult<void>;
  accept(fd: number): SysResult<number>;

  geteuid(): number;
  getegid(): number;
  setresuid(t: ThreadRef, r: number, e: number, s: number): Errno | null;
  setresgid(t: ThreadRef, r: number, e: number, s: number): Errno | null;
  setfsuid(t: ThreadRef, uid: number): number;
  setfsgid(t: ThreadRef, gid: number): number;
  capget(t: ThreadRef): { effective: bigint; permitted: bigint; inheritable: bigint };
  capset(t: ThreadRef, effective: bigint, permitted: bigint, inheritable: bigint): Errno | null;
  /** prctl(PR_CAPBSET_DROP, cap) */
  capbsetDrop(t: ThreadRef, cap: number): Errno | null;

  /** daemon(0, 0): fork (the parent exits 0), setsid, chdir("/"), stdio to /dev/null. */
  daemon(): SysResult<void>;
  /** Process exit (status) or death by signal: closes every fd, as the kernel does at exit. */
  exit(status: number): void;
  killSelf(signal: 'SIGABRT' | 'SIGTRAP' | 'SIGPIPE'): void;

  /** fd 2. */
  writeStderr(text: string): void;
  /** syslog(3) with openlog(…, LOG_PID, LOG_DAEMON): delivered to /dev/log if a syslogd listens. */
  syslog(line: string): void;
  /** Wall-clock "HH:MM:SS.mmm" of the virtual clock (GLib's message timestamp). */
  clockHms(): string;
}
