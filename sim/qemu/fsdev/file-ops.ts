// The fsdev driver contract: QEMU's `FileOperations` (fsdev/file-op-9p.h), one method per callback,
// as a coroutine (see server/coroutine.ts) returning errno as data. 9p.c (our server/) calls only
// these; each driver calls only what the real driver calls (proxy: the helper protocol over its
// socket plus local I/O on received fds; local: host syscalls by the QEMU process).
import type { Co } from '../server/coroutine.ts';
import type { Stat, StatFs } from '../../host/types.ts';

/** errno as data: Linux numbers (9P2000.L Rlerror carries them verbatim). */
export type FsResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errno: number };

export const fsOk = <T>(value: T): FsResult<T> => ({ ok: true, value });
export const fsErr = <T = never>(errno: number): FsResult<T> => ({ ok: false, errno });

/**
 * V9fsPath: the driver's name for a fid (9p.h). Bytes as a byte string (one char per byte, as
 * sim/host keeps names), WITHOUT the trailing NUL that `v9fs_path_sprintf` counts in `size`
 * ("Bump the size for including terminating NULL") — the proxy driver adds it on the wire
 * (proxy-protocol.md §3.2).
 */
export interface V9fsPath {
  readonly data: string;
}

/** FsCred (file-op-9p.h): what create-type calls carry. -1 means "not given". */
export interface FsCred {
  uid: number;
  gid: number;
  mode: number;
  rdev: bigint;
}

/** One directory entry as QEMU's readdir sees it (struct dirent): d_ino, d_off, d_type, d_name. */
export interface DirEntry {
  ino: number;
  off: number;
  type: number;
  /** byte string */
  name: string;
}

/**
 * V9fsFidOpenState: an fd in QEMU's own fd table (for proxy: received from the helper via
 * SCM_RIGHTS) or a DIR* over such an fd.
 */
export interface FidOpenState {
  fd: number;
  dir?: DirStream;
}

/** The glibc DIR* QEMU keeps for a directory fid (readdir/telldir/seekdir/rewinddir). */
export interface DirStream {
  readonly fd: number;
  /** Entries buffered from the last getdents, and where the next readdir continues. */
  buf: DirEntry[];
  pos: number;
  /** telldir cookie: d_off of the last entry returned (0 at the start). */
  offset: number;
  eof: boolean;
}

/** utimensat times; nsec may be UTIME_NOW / UTIME_OMIT. */
export interface Times {
  atime: { sec: number; nsec: number };
  mtime: { sec: number; nsec: number };
}

export type SecurityModel = 'passthrough' | 'mapped-xattr' | 'mapped-file' | 'none';

/** What `FsContext.export_flags` says (fsdev/file-op-9p.h V9FS_*). */
export interface ExportFlags {
  readonly: boolean;
  immediateWriteout: boolean;
  /** V9FS_PATHNAME_FSCONTEXT: fid paths are names the server must rewrite on rename. */
  pathnameFsContext: boolean;
  securityModel?: SecurityModel;
}

export interface FileOperations {
  readonly name: 'proxy' | 'local';
  /** ctx->export_flags after parse_opts + init (readonly survives for proxy only from 5.0). */
  readonly exportFlags: ExportFlags;
  /** Driver init at device realize (proxy: connect/sock_fd; local: open the export root). */
  init(): Co<FsResult<void>>;
  cleanup(): void;

  nameToPath(dir: V9fsPath | null, name: string): FsResult<V9fsPath>;
  lstat(path: V9fsPath): Co<FsResult<Stat>>;
  readlink(path: V9fsPath): Co<FsResult<string>>;
  open(path: V9fsPath, flags: number): Co<FsResult<FidOpenState>>;
  opendir(path: V9fsPath): Co<FsResult<FidOpenState>>;
  open2(dir: V9fsPath, name: string, flags: number, cred: FsCred): Co<FsResult<FidOpenState>>;
  close(fs: FidOpenState): FsResult<void>;
  closedir(fs: FidOpenState): FsResult<void>;
  fstat(fs: FidOpenState, isDir: boolean): Co<FsResult<Stat>>;
  preadv(fs: FidOpenState, offset: number, count: number): Co<FsResult<Uint8Array>>;
  pwritev(fs: FidOpenState, offset: number, data: Uint8Array): Co<FsResult<number>>;
  readdir(fs: FidOpenState): Co<FsResult<DirEntry | null>>;
  telldir(fs: FidOpenState): number;
  seekdir(fs: FidOpenState, off: number): void;
  rewinddir(fs: FidOpenState): void;
  fsync(fs: FidOpenState, isDir: boolean, datasync: boolean): Co<FsResult<void>>;

  mknod(dir: V9fsPath, name: string, cred: FsCred): Co<FsResult<void>>;
  mkdir(dir: V9fsPath, name: string, cred: FsCred): Co<FsResult<void>>;
  symlink(target: string, dir: V9fsPath, name: string, cred: FsCred): Co<FsResult<void>>;
  link(old: V9fsPath, dir: V9fsPath, name: string): Co<FsResult<void>>;
  chmod(path: V9fsPath, cred: FsCred): Co<FsResult<void>>;
  chown(path: V9fsPath, cred: FsCred): Co<FsResult<void>>;
  truncate(path: V9fsPath, size: number): Co<FsResult<void>>;
  utimensat(path: V9fsPath, times: Times): Co<FsResult<void>>;
  rename(oldpath: string, newpath: string): Co<FsResult<void>>;
  renameat(olddir: V9fsPath, oldname: string, newdir: V9fsPath, newname: string): Co<FsResult<void>>;
  remove(path: string): Co<FsResult<void>>;
  unlinkat(dir: V9fsPath, name: string, flags: number): Co<FsResult<void>>;
  statfs(path: V9fsPath): Co<FsResult<StatFs>>;
  lgetxattr(path: V9fsPath, name: string, size: number): Co<FsResult<Uint8Array | number>>;
  llistxattr(path: V9fsPath, size: number): Co<FsResult<Uint8Array | number>>;
  lsetxattr(path: V9fsPath, name: string, value: Uint8Array, flags: number): Co<FsResult<void>>;
  lremovexattr(path: V9fsPath, name: string): Co<FsResult<void>>;
  /** exops.get_st_gen (FS_IOC_GETVERSION), or undefined when the driver has none. */
  getStGen?(path: V9fsPath, mode: number): Co<FsResult<bigint>>;
}
