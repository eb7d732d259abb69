// What the shell needs from a machine: a process's view of one kernel instance, in syscall terms.
// The shell never knows which machine it runs on (DESIGN.md §2 `shell/`): the guest terminal and the
// `host:` lines both bind this to a process of their kernel (kernel-os.ts), so the same code runs
// over the host kernel and over the guest kernel with v9fs mounted.
import type { SysResult } from '../host/result.ts';
import type { Stat, StatFs } from '../host/types.ts';

export interface DirEntry { name: string; ino: number; type: number }
export interface MountInfo { source: string; target: string; fstype: string }
export interface Ids { uid: number; gid: number; groups: number[] }
export type TimeArg = { sec: number; nsec: number } | 'now' | 'omit';

export interface ShellOs {
  /** The display name of the machine's shell prompt ("guest", "host"); not used for behaviour. */
  readonly machine: string;
  ids(): Ids;
  /** The virtual clock, ns since the epoch (for ls's "recent" rule and touch). */
  nowNs(): bigint;
  getcwd(): string;
  chdir(path: string): SysResult<void>;

  stat(path: string): SysResult<Stat>;
  lstat(path: string): SysResult<Stat>;
  statfs(path: string): SysResult<StatFs>;
  open(path: string, flags: number, mode: number): SysResult<number>;
  read(fd: number, count: number): SysResult<Uint8Array>;
  write(fd: number, data: Uint8Array): SysResult<number>;
  close(fd: number): SysResult<void>;
  /** Entries of a directory (open O_DIRECTORY + getdents64 + close), '.' and '..' included. */
  readdir(path: string): SysResult<DirEntry[]>;
  mkdir(path: string, mode: number): SysResult<void>;
  rmdir(path: string): SysResult<void>;
  unlink(path: string): SysResult<void>;
  rename(from: string, to: string): SysResult<void>;
  link(target: string, path: string): SysResult<void>;
  symlink(target: string, path: string): SysResult<void>;
  readlink(path: string): SysResult<string>;
  mknod(path: string, mode: number, rdev: bigint): SysResult<void>;
  chmod(path: string, mode: number): SysResult<void>;
  /** chown (follow) or lchown (follow=false); -1 leaves an id unchanged. */
  chown(path: string, uid: number, gid: number, follow: boolean): SysResult<void>;
  utimensat(path: string, atime: TimeArg, mtime: TimeArg, follow: boolean): SysResult<void>;
  truncate(path: string, length: number): SysResult<void>;
  ftruncate(fd: number, length: number): SysResult<void>;
  futimens(fd: number, atime: TimeArg, mtime: TimeArg): SysResult<void>;
  getxattr(path: string, name: string, follow: boolean): SysResult<Uint8Array>;
  setxattr(path: string, name: string, value: Uint8Array, flags: number, follow: boolean): SysResult<void>;
  listxattr(path: string, follow: boolean): SysResult<string[]>;
  removexattr(path: string, name: string, follow: boolean): SysResult<void>;
  mounts(): MountInfo[];
  /** A child process with other credentials (setpriv/su); the shell runs one command in it. */
  withIds(ids: Ids): ShellOs;
}
