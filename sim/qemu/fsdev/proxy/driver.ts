// The `proxy` fsdev driver (hw/9pfs/9p-proxy.c FileOperations proxy_ops): every name-based
// operation is a request to virtfs-proxy-helper; data I/O, directory listing, fstat and fsync
// happen in QEMU on the fds the helper passed over SCM_RIGHTS (proxy-protocol.md §13). QEMU never
// opens a host file itself for proxy.
import type { Libc } from '../../process/libc.ts';
import type { QemuFeatures } from '../../versions.ts';
import type { QemuTraceSink } from '../../server/trace-sink.ts';
import { type Co, sys } from '../../server/coroutine.ts';
import type { Stat, StatFs } from '../../../host/types.ts';
import { ERRNO } from '../../../host/errno.ts';
import { O_DIRECTORY, S_IFMT, S_IFREG, S_IFDIR } from '../../../host/constants.ts';
import { bstrToBytes, bytesToBstr } from '../../../host/bytes.ts';
import type { ProxyStat, ProxyStatFS, RequestArgs } from '../../../proxy/index.ts';
import {
  type FileOperations, type FsResult, type V9fsPath, type FsCred, type FidOpenState, type DirEntry,
  type Times, type ExportFlags, fsOk, fsErr,
} from '../file-ops.ts';
import { fdopendir, readdir, telldir, seekdir, rewinddir } from '../dirstream.ts';
import { ProxyClient } from './client.ts';

const ENOTTY = 25;
/** PATH_MAX - 1: the bufsz v9fs_co_readlink passes down (cofs.c). */
const READLINK_BUFSZ = 4095;

/** A fid path on the wire: v9fs_path_sprintf counts the trailing NUL, and the NUL is sent (§3.2). */
function fidPath(p: V9fsPath): Uint8Array {
  const b = bstrToBytes(p.data);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}
/** A built name (v9fs_string_sprintf): no NUL. */
const built = (s: string): Uint8Array => bstrToBytes(s);

/** prstat_to_stat. */
function toStat(p: ProxyStat): Stat {
  const n = (v: bigint) => Number(BigInt.asIntN(64, v));
  return {
    dev: Number(p.st_dev), ino: Number(p.st_ino), nlink: Number(p.st_nlink),
    mode: p.st_mode >>> 0, uid: p.st_uid >>> 0, gid: p.st_gid >>> 0,
    rdev: p.st_rdev, size: n(p.st_size), blksize: n(p.st_blksize), blocks: n(p.st_blocks),
    atime: { sec: n(p.st_atim_sec), nsec: n(p.st_atim_nsec) },
    mtime: { sec: n(p.st_mtim_sec), nsec: n(p.st_mtim_nsec) },
    ctime: { sec: n(p.st_ctim_sec), nsec: n(p.st_ctim_nsec) },
  };
}

/**
 * prstatfs_to_statfs. Quirk (every client version): `__val[1] = f_fsid[1] >> 32 & 0xFFFFFFFF` — the
 * UPPER half of the helper's sign-extended second word, i.e. 0 or 0xFFFFFFFF (§6.2).
 */
function toStatFs(p: ProxyStatFS): StatFs {
  const n = (v: bigint) => Number(BigInt.asIntN(64, v));
  const lo = Number(p.f_fsid0 & 0xffffffffn) | 0;
  const hi = Number((p.f_fsid1 >> 32n) & 0xffffffffn) | 0;
  return {
    type: n(p.f_type), bsize: n(p.f_bsize), blocks: n(p.f_blocks), bfree: n(p.f_bfree), bavail: n(p.f_bavail),
    files: n(p.f_files), ffree: n(p.f_ffree), fsid: [lo, hi], namelen: n(p.f_namelen), frsize: n(p.f_frsize), flags: 0,
  };
}

export interface ProxyDriverOptions {
  libc: Libc;
  features: QemuFeatures;
  trace: QemuTraceSink;
  stderr: (line: string) => void;
  /** The connected socket fd (sock_fd=, or the one connect_namedsocket made). */
  sockfd: number;
  /** -fsdev readonly / writeout=immediate as parsed. */
  readonly: boolean;
  writeoutImmediate: boolean;
}

export class ProxyDriver implements FileOperations {
  readonly name = 'proxy' as const;
  readonly exportFlags: ExportFlags;
  readonly client: ProxyClient;
  private readonly libc: Libc;
  private readonly trace: QemuTraceSink;

  constructor(o: ProxyDriverOptions) {
    this.libc = o.libc;
    this.trace = o.trace;
    this.client = new ProxyClient(o.libc, o.sockfd, o.features, o.trace, o.stderr);
    // proxy_parse_opts before 5.0 did `fs->export_flags = V9FS_PROXY_SOCK_*` (=, not |=), wiping
    // V9FS_RDONLY and V9FS_IMMEDIATE_WRITEOUT: readonly/writeout had no effect (§12.2, 659f1953281b).
    const effective = o.features.proxyExportFlagsEffective;
    this.exportFlags = {
      readonly: effective && o.readonly,
      immediateWriteout: effective && o.writeoutImmediate,
      // proxy_init: V9FS_PATHNAME_FSCONTEXT (§12.4).
      pathnameFsContext: true,
    };
    if (!effective && (o.readonly || o.writeoutImmediate)) {
      o.trace.note('quirk:readonly-ignored-before-5.0', `${o.readonly ? 'readonly' : 'writeout=immediate'} is parsed but proxy_parse_opts overwrites export_flags: no effect before QEMU 5.0`, 'proxy-protocol.md §12.2; 659f1953281b; scenarios.md config/readonly-ignored-before-5.0');
    }
  }

  *init(): Co<FsResult<void>> {
    return fsOk(undefined);
  }

  cleanup(): void {}

  /** proxy_name_to_path: "%s/%s" or "%s" (root "/", child "//name"). */
  nameToPath(dir: V9fsPath | null, name: string): FsResult<V9fsPath> {
    return fsOk({ data: dir ? `${dir.data}/${name}` : name });
  }

  private static err(retval: number): FsResult<never> {
    return fsErr(-retval);
  }

  *lstat(path: V9fsPath): Co<FsResult<Stat>> {
    const r = yield* this.client.request('T_LSTAT', { path: fidPath(path) });
    if (r.retval < 0) return ProxyDriver.err(r.retval);
    if (r.response.kind !== 'stat') return fsErr(ERRNO.ENOBUFS);
    return fsOk(toStat(r.response.stat));
  }

  *readlink(path: V9fsPath): Co<FsResult<string>> {
    const r = yield* this.client.request('T_READLINK', { path: fidPath(path), size: READLINK_BUFSZ });
    if (r.retval < 0) return ProxyDriver.err(r.retval);
    const b = r.response.kind === 'bytes' ? r.response.bytes : new Uint8Array(0);
    // strcpy(response, target.data): stops at the first NUL.
    const nul = b.indexOf(0);
    return fsOk(bytesToBstr(nul < 0 ? b : b.subarray(0, nul)));
  }

  *open(path: V9fsPath, flags: number): Co<FsResult<FidOpenState>> {
    const r = yield* this.client.request('T_OPEN', { path: fidPath(path), flags });
    if (r.retval < 0) return ProxyDriver.err(r.retval);
    return fsOk({ fd: r.retval });
  }

  *opendir(path: V9fsPath): Co<FsResult<FidOpenState>> {
    // proxy_opendir: T_OPEN with O_DIRECTORY only, then fdopendir.
    const r = yield* this.client.request('T_OPEN', { path: fidPath(path), flags: O_DIRECTORY });
    if (r.retval < 0) return ProxyDriver.err(r.retval);
    return fsOk({ fd: r.retval, dir: fdopendir(r.retval) });
  }

  *open2(dir: V9fsPath, name: string, flags: number, cred: FsCred): Co<FsResult<FidOpenState>> {
    const r = yield* this.client.request('T_CREATE', { path: built(`${dir.data}/${name}`), flags, mode: cred.mode, uid: cred.uid, gid: cred.gid });
    if (r.retval < 0) return ProxyDriver.err(r.retval);
    return fsOk({ fd: r.retval });
  }

  close(fs: FidOpenState): FsResult<void> {
    const r = this.libc.close(fs.fd);
    return r.ok ? fsOk(undefined) : fsErr(ERRNO[r.errno]);
  }

  closedir(fs: FidOpenState): FsResult<void> {
    return this.close(fs);
  }

  *fstat(fs: FidOpenState): Co<FsResult<Stat>> {
    const r = yield* sys(this.libc.fstat(fs.dir ? fs.dir.fd : fs.fd));
    return r.ok ? fsOk(r.value) : fsErr(ERRNO[r.errno]);
  }

  *preadv(fs: FidOpenState, offset: number, count: number): Co<FsResult<Uint8Array>> {
    const r = yield* sys(this.libc.pread(fs.fd, count, offset));
    return r.ok ? fsOk(r.value) : fsErr(ERRNO[r.errno]);
  }

  *pwritev(fs: FidOpenState, offset: number, data: Uint8Array): Co<FsResult<number>> {
    const r = yield* sys(this.libc.pwrite(fs.fd, data, offset));
    // writeout=immediate: sync_file_range after each write (only effective since 5.0) — no visible
    // effect on the in-memory host, so only the flag is modelled.
    return r.ok ? fsOk(r.value) : fsErr(ERRNO[r.errno]);
  }

  *readdir(fs: FidOpenState): Co<FsResult<DirEntry | null>> {
    if (!fs.dir) return fsErr(ERRNO.EBADF);
    return yield* readdir(this.libc, fs.dir);
  }
  telldir(fs: FidOpenState): number {
    return fs.dir ? telldir(fs.dir) : 0;
  }
  seekdir(fs: FidOpenState, off: number): void {
    if (fs.dir) seekdir(this.libc, fs.dir, off);
  }
  rewinddir(fs: FidOpenState): void {
    if (fs.dir) rewinddir(this.libc, fs.dir);
  }

  *fsync(fs: FidOpenState, _isDir: boolean, datasync: boolean): Co<FsResult<void>> {
    const fd = fs.dir ? fs.dir.fd : fs.fd;
    const r = yield* sys(datasync ? this.libc.fdatasync(fd) : this.libc.fsync(fd));
    return r.ok ? fsOk(undefined) : fsErr(ERRNO[r.errno]);
  }

  private *status<N extends 'T_MKNOD' | 'T_MKDIR' | 'T_SYMLINK' | 'T_LINK' | 'T_CHMOD' | 'T_CHOWN' | 'T_TRUNCATE' | 'T_UTIME' | 'T_RENAME' | 'T_REMOVE' | 'T_LSETXATTR' | 'T_LREMOVEXATTR'>(
    name: N, args: RequestArgs<N>,
  ): Co<FsResult<void>> {
    const r = yield* this.client.request(name, args);
    return r.retval < 0 ? ProxyDriver.err(r.retval) : fsOk(undefined);
  }

  *mknod(dir: V9fsPath, name: string, cred: FsCred): Co<FsResult<void>> {
    return yield* this.status('T_MKNOD', { uid: cred.uid, gid: cred.gid, path: built(`${dir.data}/${name}`), mode: cred.mode, rdev: cred.rdev });
  }
  *mkdir(dir: V9fsPath, name: string, cred: FsCred): Co<FsResult<void>> {
    return yield* this.status('T_MKDIR', { uid: cred.uid, gid: cred.gid, path: built(`${dir.data}/${name}`), mode: cred.mode });
  }
  *symlink(target: string, dir: V9fsPath, name: string, cred: FsCred): Co<FsResult<void>> {
    // "the cred mode is unused" (§13).
    return yield* this.status('T_SYMLINK', { uid: cred.uid, gid: cred.gid, oldpath: built(target), path: built(`${dir.data}/${name}`) });
  }
  *link(old: V9fsPath, dir: V9fsPath, name: string): Co<FsResult<void>> {
    return yield* this.status('T_LINK', { oldpath: fidPath(old), path: built(`${dir.data}/${name}`) });
  }
  *chmod(path: V9fsPath, cred: FsCred): Co<FsResult<void>> {
    return yield* this.status('T_CHMOD', { path: fidPath(path), mode: cred.mode });
  }
  *chown(path: V9fsPath, cred: FsCred): Co<FsResult<void>> {
    return yield* this.status('T_CHOWN', { path: fidPath(path), uid: cred.uid, gid: cred.gid });
  }
  *truncate(path: V9fsPath, size: number): Co<FsResult<void>> {
    return yield* this.status('T_TRUNCATE', { path: fidPath(path), offset: BigInt(size) });
  }
  *utimensat(path: V9fsPath, times: Times): Co<FsResult<void>> {
    // v9fs_request T_UTIME marshals spec[0].tv_sec, spec[1].tv_nsec, spec[1].tv_sec, spec[1].tv_nsec:
    // atime's nanosecond slot carries mtime's nanoseconds (every client 1.1 – 9.1, §5.1).
    if (times.atime.nsec !== times.mtime.nsec) {
      this.trace.note('quirk:utime-nsec-slot', `T_UTIME: atime nsec ${times.atime.nsec} replaced by mtime nsec ${times.mtime.nsec} on the wire`, 'hw/9pfs/9p-proxy.c v9fs_request T_UTIME; proxy-protocol.md §5.1; scenarios.md quirk/utime-nsec-slot');
    }
    return yield* this.status('T_UTIME', {
      path: fidPath(path),
      atime_sec: BigInt(times.atime.sec), atime_nsec: BigInt(times.mtime.nsec),
      mtime_sec: BigInt(times.mtime.sec), mtime_nsec: BigInt(times.mtime.nsec),
    });
  }
  *rename(oldpath: string, newpath: string): Co<FsResult<void>> {
    return yield* this.status('T_RENAME', { oldpath: built(oldpath), path: built(newpath) });
  }
  *renameat(olddir: V9fsPath, oldname: string, newdir: V9fsPath, newname: string): Co<FsResult<void>> {
    return yield* this.rename(`${olddir.data}/${oldname}`, `${newdir.data}/${newname}`);
  }
  *remove(path: string): Co<FsResult<void>> {
    return yield* this.status('T_REMOVE', { path: built(path) });
  }
  *unlinkat(dir: V9fsPath, name: string, _flags: number): Co<FsResult<void>> {
    // proxy_unlinkat: builds dir/name and sends T_REMOVE; AT_REMOVEDIR is ignored (§5.6).
    return yield* this.remove(`${dir.data}/${name}`);
  }
  *statfs(path: V9fsPath): Co<FsResult<StatFs>> {
    const r = yield* this.client.request('T_STATFS', { path: fidPath(path) });
    if (r.retval < 0) return ProxyDriver.err(r.retval);
    if (r.response.kind !== 'statfs') return fsErr(ERRNO.ENOBUFS);
    const st = toStatFs(r.response.statfs);
    if (r.response.statfs.f_fsid1 !== BigInt(st.fsid[1] >>> 0)) {
      this.trace.note('quirk:statfs-fsid-half', `statfs: f_fsid[1] ${'0x' + (r.response.statfs.f_fsid1 & 0xffffffffn).toString(16)} from the helper becomes 0x${(st.fsid[1] >>> 0).toString(16)} (upper half kept)`, 'hw/9pfs/9p-proxy.c prstatfs_to_statfs; proxy-protocol.md §6.2; scenarios.md quirk/statfs-fsid-half');
    }
    return fsOk(st);
  }
  *lgetxattr(path: V9fsPath, name: string, size: number): Co<FsResult<Uint8Array | number>> {
    const r = yield* this.client.request('T_LGETXATTR', { size, path: fidPath(path), name: built(name) });
    if (r.retval < 0) return ProxyDriver.err(r.retval);
    return fsOk(size === 0 ? r.retval : r.response.kind === 'bytes' ? r.response.bytes : new Uint8Array(0));
  }
  *llistxattr(path: V9fsPath, size: number): Co<FsResult<Uint8Array | number>> {
    const r = yield* this.client.request('T_LLISTXATTR', { size, path: fidPath(path) });
    if (r.retval < 0) return ProxyDriver.err(r.retval);
    return fsOk(size === 0 ? r.retval : r.response.kind === 'bytes' ? r.response.bytes : new Uint8Array(0));
  }
  *lsetxattr(path: V9fsPath, name: string, value: Uint8Array, flags: number): Co<FsResult<void>> {
    // The value string's wire length is (u16)size; the separate `d` size is what lsetxattr uses (§5.4).
    return yield* this.status('T_LSETXATTR', { path: fidPath(path), name: built(name), value: value.subarray(0, value.length & 0xffff), size: value.length, flags });
  }
  *lremovexattr(path: V9fsPath, name: string): Co<FsResult<void>> {
    return yield* this.status('T_LREMOVEXATTR', { path: fidPath(path), name: built(name) });
  }

  /** proxy_ioc_getversion: only regular files and directories, else ENOTTY locally (§11.7). */
  *getStGen(path: V9fsPath, mode: number): Co<FsResult<bigint>> {
    const fmt = mode & S_IFMT;
    if (fmt !== S_IFREG && fmt !== S_IFDIR) return fsErr(ENOTTY);
    const r = yield* this.client.request('T_GETVERSION', { path: fidPath(path) });
    if (r.retval < 0) return ProxyDriver.err(r.retval);
    const gen = r.response.kind === 'generation' ? r.response.generation : 0n;
    if (gen >> 32n !== 0n) {
      this.trace.note('leak:getversion-high-bits', `T_GETVERSION: high 32 bits 0x${(gen >> 32n).toString(16)} are helper stack bytes (the kernel writes only an int)`, 'proxy-protocol.md §11.7 (observed on QEMU 7.2.22, basic_fd/getversion_file); scenarios.md leak/getversion-high-bits');
    }
    return fsOk(gen);
  }
}
