// The naive `local` driver (QEMU 1.1 – 2.8; hw/9pfs/9p-local.c / virtio-9p-local.c before the
// CVE-2016-9602 rewrite): every operation builds a host path string `rpath = "%s/%s"` of the export
// root and the fid path ("/" for the root, "//a/b" below it) and makes a path-based syscall that
// follows symlinks in every intermediate component. open/open2 add O_NOFOLLOW (only the last
// component is protected); chmod, truncate, statfs, opendir and mapped-model xattr calls follow the
// last component too. QEMU runs as root for passthrough (scenarios.md L-naive).
import type { Libc } from '../../process/libc.ts';
import { AT_FDCWD } from '../../process/libc.ts';
import { type Co, sys } from '../../server/coroutine.ts';
import type { Stat, StatFs } from '../../../host/types.ts';
import { ERRNO } from '../../../host/errno.ts';
import {
  O_DIRECTORY, O_RDONLY, O_WRONLY, O_RDWR, O_NOFOLLOW, O_NONBLOCK, O_CLOEXEC, O_CREAT, O_EXCL, O_TRUNC,
  AT_SYMLINK_NOFOLLOW, S_IFREG, S_IFDIR, S_IFLNK, isDir, isReg,
} from '../../../host/constants.ts';
import { bstrToBytes, bytesToBstr } from '../../../host/bytes.ts';
import {
  type FileOperations, type FsResult, type V9fsPath, type FsCred, type FidOpenState, type DirEntry, type Times,
  type ExportFlags, type SecurityModel, fsOk, fsErr,
} from '../file-ops.ts';
import { fdopendir, readdir, telldir, seekdir, rewinddir } from '../dirstream.ts';
import {
  toFs, localXattrNamespace, mappedXattrs, applyMappedXattrs, applyMappedFile, parseMappedFile, formatMappedFile, GETVERSION_MAGICS,
  VIRTFS_META_DIR, SM_LOCAL_MODE_BITS, SM_LOCAL_DIR_MODE_BITS,
} from './common.ts';
import type { LocalDriverOptions } from './hardened.ts';

const ENOTTY = 25;

export class NaiveLocalDriver implements FileOperations {
  readonly name = 'local' as const;
  readonly exportFlags: ExportFlags;
  private readonly libc: Libc;
  private readonly model: SecurityModel;
  getStGen?: (path: V9fsPath, mode: number) => Co<FsResult<bigint>>;

  constructor(private readonly o: LocalDriverOptions) {
    this.libc = o.libc;
    this.model = o.securityModel;
    this.exportFlags = { readonly: o.readonly, immediateWriteout: o.writeoutImmediate, pathnameFsContext: true, securityModel: o.securityModel };
  }

  /** rpath(): the host path string every naive operation uses. */
  private rpath(path: string): string {
    return `${this.o.root}/${path}`;
  }

  /** local_init: statfs(fs_root) picks get_st_gen; there is no root fd. */
  *init(): Co<FsResult<void>> {
    const sf = yield* sys(this.libc.statfs(this.o.root));
    if (sf.ok && GETVERSION_MAGICS.has(sf.value.type >>> 0)) this.getStGen = (p, m) => this.iocGetversion(p, m);
    return fsOk(undefined);
  }
  cleanup(): void {}

  /** local_name_to_path (pre-2.9): "%s/%s" of the directory path and the name, or the name alone. */
  nameToPath(dir: V9fsPath | null, name: string): FsResult<V9fsPath> {
    return fsOk({ data: dir ? `${dir.data}/${name}` : name });
  }

  private metaPath(path: string): string {
    // local_mapped_attr_path: "%s/%s/%s/%s" of fs_root, the directory part, META_DIR, the base name.
    const i = path.lastIndexOf('/');
    return `${this.o.root}/${i < 0 ? '' : path.slice(0, i)}/${VIRTFS_META_DIR}/${path.slice(i + 1)}`;
  }

  private *readFile(p: string): Co<string | undefined> {
    const fd = yield* sys(this.libc.openat(AT_FDCWD, p, O_RDONLY | O_NOFOLLOW, 0));
    if (!fd.ok) return undefined;
    let s = '';
    for (let off = 0; ;) {
      const r = yield* sys(this.libc.pread(fd.value, 4096, off));
      if (!r.ok || !r.value.length) break;
      s += bytesToBstr(r.value);
      off += r.value.length;
    }
    this.libc.close(fd.value);
    return s;
  }

  private *setXattr(buffer: string, cred: FsCred): Co<FsResult<void>> {
    // local_set_xattr: setxattr(2) — follows a symlink in the last component.
    for (const [k, v] of mappedXattrs(cred)) {
      const r = yield* sys(this.libc.setxattr(AT_FDCWD, buffer, k, v, 0, true));
      if (!r.ok) return fsErr(ERRNO[r.errno]);
    }
    return fsOk(undefined);
  }

  private *setMappedFile(path: string, cred: FsCred): Co<FsResult<void>> {
    const attr = this.metaPath(path);
    const oldText = yield* this.readFile(attr);
    if (oldText === undefined) {
      // local_create_mapped_attr_dir
      const i = path.lastIndexOf('/');
      const mk = yield* sys(this.libc.mkdirat(AT_FDCWD, `${this.o.root}/${i < 0 ? '.' : path.slice(0, i)}/${VIRTFS_META_DIR}`, 0o700));
      if (!mk.ok && mk.errno !== 'EEXIST') return fsErr(ERRNO[mk.errno]);
    }
    const w = yield* sys(this.libc.openat(AT_FDCWD, attr, O_NOFOLLOW | O_WRONLY | O_TRUNC | O_CREAT, 0o666));
    if (!w.ok) return fsErr(ERRNO[w.errno]);
    const text = formatMappedFile(oldText === undefined ? { uid: -1, gid: -1, mode: -1, rdev: -1 } : parseMappedFile(oldText), cred);
    const r = yield* sys(this.libc.pwrite(w.value, bstrToBytes(text), 0));
    this.libc.close(w.value);
    return r.ok ? fsOk(undefined) : fsErr(ERRNO[r.errno]);
  }

  /** local_post_create_passthrough: lchown (no follow), then chmod — which FOLLOWS a symlink. */
  private *postCreatePassthrough(path: string, cred: FsCred): Co<FsResult<void>> {
    const buffer = this.rpath(path);
    const c = yield* sys(this.libc.fchownat(AT_FDCWD, buffer, cred.uid, cred.gid, AT_SYMLINK_NOFOLLOW));
    if (!c.ok && this.model !== 'none') return fsErr(ERRNO[c.errno]);
    return toFs(yield* sys(this.libc.fchmodat(AT_FDCWD, buffer, cred.mode & 0o7777)));
  }

  private *createdMeta(path: string, cred: FsCred, type: number): Co<FsResult<void>> {
    const c = { ...cred, mode: type === S_IFDIR || type === S_IFLNK || type === S_IFREG ? cred.mode | type : cred.mode };
    return this.model === 'mapped-xattr' ? yield* this.setXattr(this.rpath(path), c) : yield* this.setMappedFile(path, c);
  }

  *lstat(path: V9fsPath): Co<FsResult<Stat>> {
    const buffer = this.rpath(path.data);
    const r = yield* sys(this.libc.fstatat(AT_FDCWD, buffer, AT_SYMLINK_NOFOLLOW));
    if (!r.ok) return fsErr(ERRNO[r.errno]);
    if (this.model === 'mapped-xattr') {
      const vals = new Map<string, Uint8Array>();
      for (const k of ['user.virtfs.uid', 'user.virtfs.gid', 'user.virtfs.mode', 'user.virtfs.rdev']) {
        const v = yield* sys(this.libc.getxattr(AT_FDCWD, buffer, k, true));
        if (v.ok && v.value.length) vals.set(k, v.value);
      }
      return fsOk(applyMappedXattrs(r.value, (k) => vals.get(k)));
    }
    if (this.model === 'mapped-file') {
      const text = yield* this.readFile(this.metaPath(path.data));
      return fsOk(text === undefined ? r.value : applyMappedFile(r.value, text));
    }
    return fsOk(r.value);
  }

  *readlink(path: V9fsPath): Co<FsResult<string>> {
    if (this.model === 'mapped-xattr' || this.model === 'mapped-file') {
      const s = yield* this.readFile(this.rpath(path.data));
      return s === undefined ? fsErr(ERRNO.ENOENT) : fsOk(s);
    }
    return toFs(yield* sys(this.libc.readlinkat(AT_FDCWD, this.rpath(path.data), 4095)));
  }

  *open(path: V9fsPath, flags: number): Co<FsResult<FidOpenState>> {
    // open(rpath, flags | O_NOFOLLOW): intermediate symlinks are followed; a FIFO open without
    // O_NONBLOCK sleeps in the worker thread (other requests go on).
    const r = yield* sys(this.libc.openat(AT_FDCWD, this.rpath(path.data), flags | O_NOFOLLOW, 0));
    return r.ok ? fsOk({ fd: r.value }) : fsErr(ERRNO[r.errno]);
  }

  *opendir(path: V9fsPath): Co<FsResult<FidOpenState>> {
    // glibc opendir(): open(O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_CLOEXEC) — follows symlinks.
    const r = yield* sys(this.libc.openat(AT_FDCWD, this.rpath(path.data), O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC, 0));
    return r.ok ? fsOk({ fd: r.value, dir: fdopendir(r.value) }) : fsErr(ERRNO[r.errno]);
  }

  *open2(dir: V9fsPath, name: string, flags: number, cred: FsCred): Co<FsResult<FidOpenState>> {
    const path = `${dir.data}/${name}`;
    const buffer = this.rpath(path);
    // "Mark all the open to not follow symlinks"
    const fl = flags | O_NOFOLLOW;
    const mapped = this.model === 'mapped-xattr' || this.model === 'mapped-file';
    const fd = yield* sys(this.libc.openat(AT_FDCWD, buffer, fl, mapped ? SM_LOCAL_MODE_BITS : cred.mode));
    if (!fd.ok) return fsErr(ERRNO[fd.errno]);
    const r = mapped ? yield* this.createdMeta(path, cred, S_IFREG) : yield* this.postCreatePassthrough(path, cred);
    if (!r.ok) { this.libc.close(fd.value); this.libc.remove(buffer); return r; }
    return fsOk({ fd: fd.value });
  }

  close(fs: FidOpenState): FsResult<void> { return toFs(this.libc.close(fs.fd)); }
  closedir(fs: FidOpenState): FsResult<void> { return toFs(this.libc.close(fs.dir ? fs.dir.fd : fs.fd)); }

  *fstat(fs: FidOpenState): Co<FsResult<Stat>> {
    const fd = fs.dir ? fs.dir.fd : fs.fd;
    const r = yield* sys(this.libc.fstat(fd));
    if (!r.ok) return fsErr(ERRNO[r.errno]);
    if (this.model === 'mapped-file') return fsErr(ERRNO.EOPNOTSUPP);
    return fsOk(r.value);
  }

  *preadv(fs: FidOpenState, offset: number, count: number): Co<FsResult<Uint8Array>> {
    return toFs(yield* sys(this.libc.pread(fs.fd, count, offset)));
  }
  *pwritev(fs: FidOpenState, offset: number, data: Uint8Array): Co<FsResult<number>> {
    return toFs(yield* sys(this.libc.pwrite(fs.fd, data, offset)));
  }
  *readdir(fs: FidOpenState): Co<FsResult<DirEntry | null>> {
    if (!fs.dir) return fsErr(ERRNO.EBADF);
    for (;;) {
      const e = yield* readdir(this.libc, fs.dir);
      if (e.ok && e.value && this.model === 'mapped-file' && e.value.name === VIRTFS_META_DIR) continue;
      return e;
    }
  }
  telldir(fs: FidOpenState): number { return fs.dir ? telldir(fs.dir) : 0; }
  seekdir(fs: FidOpenState, off: number): void { if (fs.dir) seekdir(this.libc, fs.dir, off); }
  rewinddir(fs: FidOpenState): void { if (fs.dir) rewinddir(this.libc, fs.dir); }
  *fsync(fs: FidOpenState, _d: boolean, datasync: boolean): Co<FsResult<void>> {
    const fd = fs.dir ? fs.dir.fd : fs.fd;
    return toFs(yield* sys(datasync ? this.libc.fdatasync(fd) : this.libc.fsync(fd)));
  }

  *mknod(dir: V9fsPath, name: string, cred: FsCred): Co<FsResult<void>> {
    const path = `${dir.data}/${name}`;
    const buffer = this.rpath(path);
    if (this.model === 'mapped-xattr' || this.model === 'mapped-file') {
      const r = yield* sys(this.libc.mknodat(AT_FDCWD, buffer, SM_LOCAL_MODE_BITS | S_IFREG, 0n));
      if (!r.ok) return fsErr(ERRNO[r.errno]);
      const m = yield* this.createdMeta(path, cred, 0);
      if (!m.ok) this.libc.remove(buffer);
      return m;
    }
    const r = yield* sys(this.libc.mknodat(AT_FDCWD, buffer, cred.mode, cred.rdev));
    if (!r.ok) return fsErr(ERRNO[r.errno]);
    const c = yield* this.postCreatePassthrough(path, cred);
    if (!c.ok) this.libc.remove(buffer);
    return c;
  }

  *mkdir(dir: V9fsPath, name: string, cred: FsCred): Co<FsResult<void>> {
    const path = `${dir.data}/${name}`;
    const buffer = this.rpath(path);
    if (this.model === 'mapped-xattr' || this.model === 'mapped-file') {
      const r = yield* sys(this.libc.mkdirat(AT_FDCWD, buffer, SM_LOCAL_DIR_MODE_BITS));
      if (!r.ok) return fsErr(ERRNO[r.errno]);
      const m = yield* this.createdMeta(path, cred, S_IFDIR);
      if (!m.ok) this.libc.remove(buffer);
      return m;
    }
    const r = yield* sys(this.libc.mkdirat(AT_FDCWD, buffer, cred.mode));
    if (!r.ok) return fsErr(ERRNO[r.errno]);
    const c = yield* this.postCreatePassthrough(path, cred);
    if (!c.ok) this.libc.remove(buffer);
    return c;
  }

  *symlink(target: string, dir: V9fsPath, name: string, cred: FsCred): Co<FsResult<void>> {
    const path = `${dir.data}/${name}`;
    const buffer = this.rpath(path);
    if (this.model === 'mapped-xattr' || this.model === 'mapped-file') {
      const fd = yield* sys(this.libc.openat(AT_FDCWD, buffer, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW, SM_LOCAL_MODE_BITS));
      if (!fd.ok) return fsErr(ERRNO[fd.errno]);
      const w = yield* sys(this.libc.pwrite(fd.value, bstrToBytes(target), 0));
      this.libc.close(fd.value);
      if (!w.ok) { this.libc.remove(buffer); return fsErr(ERRNO[w.errno]); }
      const m = yield* this.createdMeta(path, cred, S_IFLNK);
      if (!m.ok) this.libc.remove(buffer);
      return m;
    }
    const r = yield* sys(this.libc.symlinkat(target, AT_FDCWD, buffer));
    if (!r.ok) return fsErr(ERRNO[r.errno]);
    const c = yield* sys(this.libc.fchownat(AT_FDCWD, buffer, cred.uid, cred.gid, AT_SYMLINK_NOFOLLOW));
    if (!c.ok && this.model !== 'none') { this.libc.remove(buffer); return fsErr(ERRNO[c.errno]); }
    return fsOk(undefined);
  }

  *link(old: V9fsPath, dir: V9fsPath, name: string): Co<FsResult<void>> {
    return toFs(yield* sys(this.libc.linkat(AT_FDCWD, this.rpath(old.data), AT_FDCWD, this.rpath(`${dir.data}/${name}`), 0)));
  }

  *chmod(path: V9fsPath, cred: FsCred): Co<FsResult<void>> {
    if (this.model === 'mapped-xattr') return yield* this.setXattr(this.rpath(path.data), cred);
    if (this.model === 'mapped-file') return yield* this.setMappedFile(path.data, cred);
    // chmod(2) follows a symlink in the last component (scenarios.md setattr/chmod-through-symlink).
    return toFs(yield* sys(this.libc.fchmodat(AT_FDCWD, this.rpath(path.data), cred.mode)));
  }

  *chown(path: V9fsPath, cred: FsCred): Co<FsResult<void>> {
    if ((cred.uid === -1 && cred.gid === -1) || this.model === 'passthrough' || this.model === 'none') {
      return toFs(yield* sys(this.libc.fchownat(AT_FDCWD, this.rpath(path.data), cred.uid, cred.gid, AT_SYMLINK_NOFOLLOW)));
    }
    if (this.model === 'mapped-xattr') return yield* this.setXattr(this.rpath(path.data), cred);
    return yield* this.setMappedFile(path.data, cred);
  }

  *truncate(path: V9fsPath, size: number): Co<FsResult<void>> {
    // truncate(2) follows (scenarios.md setattr/truncate-through-symlink).
    return toFs(yield* sys(this.libc.truncate(this.rpath(path.data), size)));
  }

  *utimensat(path: V9fsPath, times: Times): Co<FsResult<void>> {
    // qemu_utimens → utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW).
    return toFs(yield* sys(this.libc.utimensat(AT_FDCWD, this.rpath(path.data), [times.atime, times.mtime], AT_SYMLINK_NOFOLLOW)));
  }

  *rename(oldpath: string, newpath: string): Co<FsResult<void>> {
    if (this.model === 'mapped-file') this.libc.renameat(AT_FDCWD, this.metaPath(oldpath), AT_FDCWD, this.metaPath(newpath));
    return toFs(yield* sys(this.libc.renameat(AT_FDCWD, this.rpath(oldpath), AT_FDCWD, this.rpath(newpath))));
  }
  *renameat(olddir: V9fsPath, oldname: string, newdir: V9fsPath, newname: string): Co<FsResult<void>> {
    return yield* this.rename(`${olddir.data}/${oldname}`, `${newdir.data}/${newname}`);
  }
  *remove(path: string): Co<FsResult<void>> {
    if (this.model === 'mapped-file') this.libc.remove(this.metaPath(path));
    return toFs(yield* sys(this.libc.remove(this.rpath(path))));
  }
  *unlinkat(dir: V9fsPath, name: string, _flags: number): Co<FsResult<void>> {
    return yield* this.remove(`${dir.data}/${name}`);
  }

  *statfs(path: V9fsPath): Co<FsResult<StatFs>> {
    return toFs(yield* sys(this.libc.statfs(this.rpath(path.data))));
  }

  private hidden(name: string): boolean {
    return this.model === 'mapped-xattr' && name.startsWith('user.virtfs.');
  }
  *lgetxattr(path: V9fsPath, name: string, size: number): Co<FsResult<Uint8Array | number>> {
    if (!localXattrNamespace(name)) return fsErr(ERRNO.EOPNOTSUPP);
    if (this.hidden(name)) return fsErr(ERRNO.ENODATA);
    const r = yield* sys(this.libc.getxattr(AT_FDCWD, this.rpath(path.data), name, false));
    if (!r.ok) return fsErr(ERRNO[r.errno]);
    if (size === 0) return fsOk(r.value.length);
    return r.value.length > size ? fsErr(ERRNO.ERANGE) : fsOk(r.value);
  }
  *llistxattr(path: V9fsPath, size: number): Co<FsResult<Uint8Array | number>> {
    const r = yield* sys(this.libc.listxattr(AT_FDCWD, this.rpath(path.data), false));
    if (!r.ok) return fsErr(ERRNO[r.errno]);
    const bytes = bstrToBytes(r.value.filter((n) => localXattrNamespace(n) && !this.hidden(n)).map((n) => `${n}\0`).join(''));
    if (size === 0) return fsOk(bytes.length);
    return bytes.length > size ? fsErr(ERRNO.ERANGE) : fsOk(bytes);
  }
  *lsetxattr(path: V9fsPath, name: string, value: Uint8Array, flags: number): Co<FsResult<void>> {
    if (!localXattrNamespace(name)) return fsErr(ERRNO.EOPNOTSUPP);
    if (this.hidden(name)) return fsErr(ERRNO.EACCES);
    return toFs(yield* sys(this.libc.setxattr(AT_FDCWD, this.rpath(path.data), name, value, flags, false)));
  }
  *lremovexattr(path: V9fsPath, name: string): Co<FsResult<void>> {
    if (!localXattrNamespace(name)) return fsErr(ERRNO.EOPNOTSUPP);
    if (this.hidden(name)) return fsErr(ERRNO.EACCES);
    return toFs(yield* sys(this.libc.removexattr(AT_FDCWD, this.rpath(path.data), name, false)));
  }

  private *iocGetversion(path: V9fsPath, mode: number): Co<FsResult<bigint>> {
    if (!isReg(mode) && !isDir(mode)) return fsErr(ENOTTY);
    const fd = yield* sys(this.libc.openat(AT_FDCWD, this.rpath(path.data), O_RDONLY | O_NOFOLLOW, 0));
    if (!fd.ok) return fsErr(ERRNO[fd.errno]);
    const r = yield* sys(this.libc.ioctlGetversion(fd.value));
    this.libc.close(fd.value);
    return r.ok ? fsOk(BigInt(r.value >>> 0)) : fsErr(ERRNO[r.errno]);
  }
}

export { O_WRONLY };
