// WASI file descriptors backed by guest-kernel fds (stack.md §4: our own `Fd` subclasses for
// browser_wasi_shim). Files and directories are kernel fds of the guest process; every method is
// one or a few syscalls on the guest kernel. Path methods resolve beneath this directory
// (resolve.ts). stdio is memory: stdin bytes given up front, stdout/stderr collected and streamed.
import { Fd, wasi } from '@bjorn3/browser_wasi_shim';
import {
  AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, F_GETFL, F_SETFL, O_APPEND, O_CREAT, O_DIRECTORY, O_DSYNC,
  O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR, O_SYNC, O_TRUNC, O_WRONLY, UTIME_NOW, UTIME_OMIT,
} from '../host/constants.ts';
import { bytesToBstr, utf8Decode, utf8Encode } from '../host/bytes.ts';
import type { UtimeSpec } from '../host/kernel.ts';
import type { Stat } from '../host/types.ts';
import { wasiErrno, WASI_EBADF } from './errno.ts';
import { KernelFilestat, wasiFiletype } from './filestat.ts';
import { resolveBeneath, type Beneath } from './resolve.ts';
import type { GuestSys } from './sys.ts';

type Ret<T> = { ret: number } & T;

const ALL_RIGHTS = 0x1fffffffn;
/** witx `lookupflags.symlink_follow`. */
const LOOKUP_SYMLINK_FOLLOW = 1;

/** Encode a path as the guest kernel's byte string (WASI paths are UTF-8). */
function bpath(s: string): string {
  return bytesToBstr(utf8Encode(s));
}

function timeSpec(t: bigint, set: boolean, now: boolean): UtimeSpec {
  if (now) return { sec: 0, nsec: UTIME_NOW };
  if (!set) return { sec: 0, nsec: UTIME_OMIT };
  return { sec: Number(t / 1_000_000_000n), nsec: Number(t % 1_000_000_000n) };
}

export function utimeFromWasi(atim: bigint, mtim: bigint, fst: number): [UtimeSpec, UtimeSpec] {
  return [
    timeSpec(atim, (fst & wasi.FSTFLAGS_ATIM) !== 0, (fst & wasi.FSTFLAGS_ATIM_NOW) !== 0),
    timeSpec(mtim, (fst & wasi.FSTFLAGS_MTIM) !== 0, (fst & wasi.FSTFLAGS_MTIM_NOW) !== 0),
  ];
}

export class KernelFd extends Fd {
  /** Entries read at the last rewind, for cookie-addressed fd_readdir (cookie n = entry n). */
  private dirents: wasi.Dirent[] | undefined;

  constructor(readonly sys: GuestSys, readonly kfd: number, readonly preopen?: string) {
    super();
  }

  private st(): { ok: true; value: Stat } | { ok: false; errno: number } {
    const r = this.sys.call('fstat', (k, p) => k.fstat(p, this.kfd), { fd: this.kfd });
    return r.ok ? r : { ok: false, errno: wasiErrno(r.errno) };
  }

  /** Resolve beneath this directory and run `op` on the final (dirfd, name). */
  private at(path: string, follow: boolean, op: (b: Beneath) => number): number {
    const r = resolveBeneath(this.sys, this.kfd, bpath(path), follow);
    if (!r.ok) return r.wasiErrno;
    try { return op(r.value); } finally { r.value.release(); }
  }

  override fd_close(): number {
    const r = this.sys.call('close', (k, p) => k.close(p, this.kfd), { fd: this.kfd });
    return r.ok ? 0 : wasiErrno(r.errno);
  }

  override fd_read(size: number): Ret<{ data: Uint8Array }> {
    const r = this.sys.call('read', (k, p) => k.read(p, this.kfd, size), { fd: this.kfd });
    return r.ok ? { ret: 0, data: r.value } : { ret: wasiErrno(r.errno), data: new Uint8Array() };
  }

  override fd_pread(size: number, offset: bigint): Ret<{ data: Uint8Array }> {
    const r = this.sys.call('pread', (k, p) => k.pread(p, this.kfd, size, Number(offset)), { fd: this.kfd });
    return r.ok ? { ret: 0, data: r.value } : { ret: wasiErrno(r.errno), data: new Uint8Array() };
  }

  override fd_write(data: Uint8Array): Ret<{ nwritten: number }> {
    const r = this.sys.call('write', (k, p) => k.write(p, this.kfd, data), { fd: this.kfd });
    return r.ok ? { ret: 0, nwritten: r.value } : { ret: wasiErrno(r.errno), nwritten: 0 };
  }

  override fd_pwrite(data: Uint8Array, offset: bigint): Ret<{ nwritten: number }> {
    const r = this.sys.call('pwrite', (k, p) => k.pwrite(p, this.kfd, data, Number(offset)), { fd: this.kfd });
    return r.ok ? { ret: 0, nwritten: r.value } : { ret: wasiErrno(r.errno), nwritten: 0 };
  }

  override fd_seek(offset: bigint, whence: number): Ret<{ offset: bigint }> {
    // WASI whence (set 0, cur 1, end 2) equals Linux SEEK_SET/CUR/END.
    const r = this.sys.call('lseek', (k, p) => k.lseek(p, this.kfd, Number(offset), whence), { fd: this.kfd });
    return r.ok ? { ret: 0, offset: BigInt(r.value) } : { ret: wasiErrno(r.errno), offset: 0n };
  }

  override fd_tell(): Ret<{ offset: bigint }> {
    return this.fd_seek(0n, wasi.WHENCE_CUR);
  }

  override fd_sync(): number {
    const r = this.sys.call('fsync', (k, p) => k.fsync(p, this.kfd), { fd: this.kfd });
    return r.ok ? 0 : wasiErrno(r.errno);
  }

  override fd_fdstat_get(): Ret<{ fdstat: wasi.Fdstat | null }> {
    const st = this.st();
    if (!st.ok) return { ret: st.errno, fdstat: null };
    const fl = this.sys.call('fcntl', (k, p) => k.fcntl(p, this.kfd, F_GETFL), { fd: this.kfd });
    const f = fl.ok ? fl.value : 0;
    let flags = 0;
    if (f & O_APPEND) flags |= wasi.FDFLAGS_APPEND;
    if (f & O_NONBLOCK) flags |= wasi.FDFLAGS_NONBLOCK;
    if ((f & O_SYNC) === O_SYNC) flags |= wasi.FDFLAGS_SYNC;
    else if (f & O_DSYNC) flags |= wasi.FDFLAGS_DSYNC;
    const fdstat = new wasi.Fdstat(wasiFiletype(st.value.mode), flags);
    fdstat.fs_rights_base = ALL_RIGHTS;
    fdstat.fs_rights_inherited = ALL_RIGHTS;
    return { ret: 0, fdstat };
  }

  override fd_fdstat_set_flags(flags: number): number {
    let f = 0;
    if (flags & wasi.FDFLAGS_APPEND) f |= O_APPEND;
    if (flags & wasi.FDFLAGS_NONBLOCK) f |= O_NONBLOCK;
    const r = this.sys.call('fcntl', (k, p) => k.fcntl(p, this.kfd, F_SETFL, f), { fd: this.kfd });
    return r.ok ? 0 : wasiErrno(r.errno);
  }

  override fd_filestat_get(): Ret<{ filestat: wasi.Filestat | null }> {
    const st = this.st();
    return st.ok ? { ret: 0, filestat: new KernelFilestat(st.value) } : { ret: st.errno, filestat: null };
  }

  override fd_filestat_set_size(size: bigint): number {
    const r = this.sys.call('ftruncate', (k, p) => k.ftruncate(p, this.kfd, Number(size)), { fd: this.kfd });
    return r.ok ? 0 : wasiErrno(r.errno);
  }

  override fd_filestat_set_times(atim: bigint, mtim: bigint, fst: number): number {
    const r = this.sys.call('utimensat', (k, p) => k.utimensat(p, this.kfd, null, utimeFromWasi(atim, mtim, fst), 0), { fd: this.kfd });
    return r.ok ? 0 : wasiErrno(r.errno);
  }

  override fd_readdir_single(cookie: bigint): Ret<{ dirent: wasi.Dirent | null }> {
    if (cookie === 0n || !this.dirents) {
      const rewind = this.sys.call('lseek', (k, p) => k.lseek(p, this.kfd, 0, 0), { fd: this.kfd });
      if (!rewind.ok) return { ret: wasiErrno(rewind.errno), dirent: null };
      const list: wasi.Dirent[] = [];
      for (;;) {
        const r = this.sys.call('getdents', (k, p) => k.getdents(p, this.kfd), { fd: this.kfd });
        if (!r.ok) return { ret: wasiErrno(r.errno), dirent: null };
        if (r.value.length === 0) break;
        for (const d of r.value) {
          // Linux DT_* → WASI filetype (DT_LNK 10, DT_DIR 4, DT_REG 8, DT_CHR 2, DT_BLK 6, DT_SOCK 12).
          const t = ({ 8: 4, 4: 3, 10: 7, 2: 2, 6: 1, 12: 6 } as Record<number, number>)[d.type] ?? 0;
          list.push(new wasi.Dirent(BigInt(list.length + 1), BigInt(d.ino), d.name, t));
        }
      }
      this.dirents = list;
    }
    const i = Number(cookie);
    return { ret: 0, dirent: i < this.dirents.length ? this.dirents[i]! : null };
  }

  override fd_prestat_get(): Ret<{ prestat: wasi.Prestat | null }> {
    if (this.preopen === undefined) return { ret: WASI_EBADF, prestat: null };
    return { ret: 0, prestat: wasi.Prestat.dir(this.preopen) };
  }

  override path_open(dirflags: number, path: string, oflags: number, rightsBase: bigint, _ri: bigint, fdflags: number): Ret<{ fd_obj: Fd | null }> {
    const follow = (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0;
    let flags = 0;
    const wantsWrite = (rightsBase & (BigInt(wasi.RIGHTS_FD_WRITE) | BigInt(wasi.RIGHTS_FD_ALLOCATE) | BigInt(wasi.RIGHTS_FD_FILESTAT_SET_SIZE))) !== 0n;
    const wantsRead = (rightsBase & (BigInt(wasi.RIGHTS_FD_READ) | BigInt(wasi.RIGHTS_FD_READDIR))) !== 0n;
    if (oflags & wasi.OFLAGS_DIRECTORY) flags |= O_DIRECTORY | O_RDONLY;
    else flags |= wantsWrite ? (wantsRead ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & wasi.OFLAGS_CREAT) flags |= O_CREAT;
    if (oflags & wasi.OFLAGS_EXCL) flags |= O_EXCL;
    if (oflags & wasi.OFLAGS_TRUNC) flags |= O_TRUNC;
    if (fdflags & wasi.FDFLAGS_APPEND) flags |= O_APPEND;
    if (fdflags & wasi.FDFLAGS_NONBLOCK) flags |= O_NONBLOCK;
    if (fdflags & wasi.FDFLAGS_DSYNC) flags |= O_DSYNC;
    if (fdflags & wasi.FDFLAGS_SYNC) flags |= O_SYNC;
    // The resolver has followed (and confined) any link in the final component already; the open
    // itself never follows, so a link swapped in afterwards gives ELOOP, not an escape.
    flags |= O_NOFOLLOW;
    let opened: KernelFd | null = null;
    const ret = this.at(path, follow, (b) => {
      const name = b.trailingSlash ? `${b.name}/` : b.name;
      const r = this.sys.call('openat', (k, p) => k.openat(p, b.dirfd, name, flags, 0o666), { dirfd: b.dirfd, path: name, flags: `0${flags.toString(8)}`, mode: '0666' });
      if (!r.ok) return wasiErrno(r.errno);
      opened = new KernelFd(this.sys, r.value);
      return 0;
    });
    return { ret, fd_obj: opened };
  }

  override path_create_directory(path: string): number {
    return this.at(path, false, (b) => {
      const r = this.sys.call('mkdirat', (k, p) => k.mkdirat(p, b.dirfd, b.name, 0o777), { dirfd: b.dirfd, path: b.name });
      return r.ok ? 0 : wasiErrno(r.errno);
    });
  }

  override path_filestat_get(flags: number, path: string): Ret<{ filestat: wasi.Filestat | null }> {
    let filestat: wasi.Filestat | null = null;
    const ret = this.at(path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0, (b) => {
      const r = this.sys.call('fstatat', (k, p) => k.fstatat(p, b.dirfd, b.name, AT_SYMLINK_NOFOLLOW), { dirfd: b.dirfd, path: b.name });
      if (!r.ok) return wasiErrno(r.errno);
      filestat = new KernelFilestat(r.value);
      return 0;
    });
    return { ret, filestat };
  }

  override path_filestat_set_times(flags: number, path: string, atim: bigint, mtim: bigint, fst: number): number {
    return this.at(path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0, (b) => {
      const r = this.sys.call('utimensat', (k, p) => k.utimensat(p, b.dirfd, b.name, utimeFromWasi(atim, mtim, fst), AT_SYMLINK_NOFOLLOW), { dirfd: b.dirfd, path: b.name });
      return r.ok ? 0 : wasiErrno(r.errno);
    });
  }

  /** readlink of `path` beneath this directory, as raw bytes. */
  readlinkBytes(path: string): { ret: number; data: Uint8Array | null } {
    let data: Uint8Array | null = null;
    const ret = this.at(path, false, (b) => {
      const r = this.sys.call('readlinkat', (k, p) => k.readlinkat(p, b.dirfd, b.name, 4096), { dirfd: b.dirfd, path: b.name });
      if (!r.ok) return wasiErrno(r.errno);
      data = r.value;
      return 0;
    });
    return { ret, data };
  }

  override path_readlink(path: string): Ret<{ data: string | null }> {
    const { ret, data } = this.readlinkBytes(path);
    return { ret, data: data ? utf8Decode(data) : null };
  }

  override path_remove_directory(path: string): number {
    return this.at(path, false, (b) => {
      const r = this.sys.call('unlinkat', (k, p) => k.unlinkat(p, b.dirfd, b.name, AT_REMOVEDIR), { dirfd: b.dirfd, path: b.name });
      return r.ok ? 0 : wasiErrno(r.errno);
    });
  }

  override path_unlink_file(path: string): number {
    return this.at(path, false, (b) => {
      if (b.trailingSlash) return wasiErrno('ENOTDIR');
      const r = this.sys.call('unlinkat', (k, p) => k.unlinkat(p, b.dirfd, b.name, 0), { dirfd: b.dirfd, path: b.name });
      return r.ok ? 0 : wasiErrno(r.errno);
    });
  }

  /** symlinkat(target, this/path): the target is only data (wasmtime#6166), the link name is confined. */
  symlink(target: Uint8Array, path: string): number {
    return this.at(path, false, (b) => {
      const r = this.sys.call('symlinkat', (k, p) => k.symlinkat(p, bytesToBstr(target), b.dirfd, b.name), { dirfd: b.dirfd, path: b.name });
      return r.ok ? 0 : wasiErrno(r.errno);
    });
  }

  /** renameat2(this/old, to/new, 0), both confined. */
  renameTo(oldPath: string, to: KernelFd, newPath: string): number {
    return this.at(oldPath, false, (a) => to.at(newPath, false, (b) => {
      const r = this.sys.call('renameat2', (k, p) => k.renameat2(p, a.dirfd, a.name, b.dirfd, b.name, 0), { olddirfd: a.dirfd, oldpath: a.name, newdirfd: b.dirfd, newpath: b.name });
      return r.ok ? 0 : wasiErrno(r.errno);
    }));
  }

  /** linkat(this/old, to/new), following a final link in `old` only with LOOKUP_SYMLINK_FOLLOW. */
  linkTo(oldFlags: number, oldPath: string, to: KernelFd, newPath: string): number {
    const follow = (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0;
    return this.at(oldPath, follow, (a) => to.at(newPath, false, (b) => {
      const r = this.sys.call('linkat', (k, p) => k.linkat(p, a.dirfd, a.name, b.dirfd, b.name, 0), { olddirfd: a.dirfd, oldpath: a.name, newdirfd: b.dirfd, newpath: b.name });
      return r.ok ? 0 : wasiErrno(r.errno);
    }));
  }
}


/** stdin: bytes given up front, then EOF. */
export class StdinFd extends Fd {
  private pos = 0;
  constructor(private readonly data: Uint8Array) { super(); }
  override fd_read(size: number): Ret<{ data: Uint8Array }> {
    const out = this.data.subarray(this.pos, this.pos + size);
    this.pos += out.length;
    return { ret: 0, data: out };
  }
  override fd_fdstat_get(): Ret<{ fdstat: wasi.Fdstat | null }> {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_CHARACTER_DEVICE, 0) };
  }
  override fd_close(): number { return 0; }
}

/** stdout/stderr: collected, and passed on as they come (the terminal shows output live). */
export class OutputFd extends Fd {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  constructor(private readonly sink: (b: Uint8Array) => void, private readonly limit: number) { super(); }
  override fd_write(data: Uint8Array): Ret<{ nwritten: number }> {
    if (this.size + data.length > this.limit) return { ret: wasiErrno('EFBIG'), nwritten: 0 };
    const copy = data.slice();
    this.chunks.push(copy);
    this.size += copy.length;
    this.sink(copy);
    return { ret: 0, nwritten: data.length };
  }
  override fd_fdstat_get(): Ret<{ fdstat: wasi.Fdstat | null }> {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_CHARACTER_DEVICE, wasi.FDFLAGS_APPEND) };
  }
  override fd_close(): number { return 0; }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
}

