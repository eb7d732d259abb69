// A filesystem type implemented OUTSIDE sim/host on the VFS interface alone, the way the guest's
// v9fs plugs into the guest kernel: every inode operation becomes syscalls of a server process on
// another kernel (here directly, where v9fs would go through 9P and QEMU). Inode objects are made
// afresh on every lookup (stableInodes = false), as a network filesystem's would be.
import {
  AT_SYMLINK_NOFOLLOW, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_WRONLY, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, V9FS_MAGIC,
  bstrToBytes, bytesToBstr, err, ok, type AttrChange, type FsDirEntry, type FsInode, type InodeAttr, type Kernel,
  type FsFile, type NewInode, type Process, type Result, type StatFs, type SuperBlock,
} from '../../sim/host/index.ts';

const B = (s: string): Uint8Array => bstrToBytes(s);
function strip<T>(r: { ok: boolean; errno?: string; value?: T }): Result<T> {
  return r.ok ? ok(r.value as T) : err((r.errno === 'EAGAIN' ? 'EIO' : r.errno) as never);
}

export class RemoteFs implements SuperBlock {
  id = 0;
  readonly fsType = 'v9fs';
  readonly magic = V9FS_MAGIC;
  readonly stableInodes = false;
  readonly root: RemoteInode;
  /** Server-side opens made through the open hook, and their releases. */
  opens = 0;
  releases = 0;
  constructor(readonly host: Kernel, readonly server: Process, readonly base: string, readonly dev = 0x31) {
    this.root = new RemoteInode(this, base, base);
  }
  statfs(): StatFs {
    const r = this.host.statfs(this.server, B(this.base));
    const s = r.ok ? r.value : { type: 0, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, fsid: [0, 0] as [number, number], namelen: 255, frsize: 4096, flags: 0 };
    return { ...s, type: V9FS_MAGIC };
  }
}

export class RemoteInode implements FsInode {
  readonly ino: number;
  constructor(readonly sb: RemoteFs, readonly path: string, private readonly parentPath: string) {
    const st = sb.host.lstat(sb.server, B(path));
    this.ino = st.ok ? st.value.ino : -1;
  }
  private get k(): Kernel { return this.sb.host; }
  private get t(): Process { return this.sb.server; }
  private child(name: string): string { return this.path + '/' + name; }

  getattr(): InodeAttr {
    const r = this.k.lstat(this.t, B(this.path));
    if (!r.ok) return { ino: this.ino, mode: 0, uid: 0, gid: 0, nlink: 0, size: 0, blocks: 0, blksize: 4096, rdev: 0n, atime: { sec: 0, nsec: 0 }, mtime: { sec: 0, nsec: 0 }, ctime: { sec: 0, nsec: 0 } };
    const s = r.value;
    return { ino: s.ino, mode: s.mode, uid: s.uid, gid: s.gid, nlink: s.nlink, size: s.size, blocks: s.blocks, blksize: s.blksize, rdev: s.rdev, atime: s.atime, mtime: s.mtime, ctime: s.ctime };
  }
  setattr(c: AttrChange): Result<void> {
    const p = B(this.path);
    if (c.mode !== undefined) { const r = this.k.fchmodat(this.t, -100, p, c.mode, 0); if (!r.ok && r.errno !== 'EOPNOTSUPP') return strip(r); }
    if (c.uid !== undefined || c.gid !== undefined) { const r = this.k.lchown(this.t, p, c.uid ?? -1, c.gid ?? -1); if (!r.ok) return strip(r); }
    if (c.size !== undefined) { const r = this.k.truncate(this.t, p, c.size); if (!r.ok) return strip(r); }
    if (c.atime || c.mtime) {
      const omit = { sec: 0, nsec: (1 << 30) - 2 };
      const r = this.k.utimensat(this.t, -100, p, [c.atime ?? omit, c.mtime ?? omit], AT_SYMLINK_NOFOLLOW);
      if (!r.ok) return strip(r);
    }
    return ok(undefined);
  }
  lookup(name: string): Result<FsInode> {
    const r = this.k.lstat(this.t, B(this.child(name)));
    return r.ok ? ok(new RemoteInode(this.sb, this.child(name), this.path)) : strip(r);
  }
  parent(): FsInode {
    return this.path === this.sb.base ? this : new RemoteInode(this.sb, this.parentPath, this.parentPath.slice(0, this.parentPath.lastIndexOf('/')) || this.sb.base);
  }
  readdir(): Result<FsDirEntry[]> {
    const fd = this.k.open(this.t, B(this.path), O_RDONLY | O_DIRECTORY);
    if (!fd.ok) return strip(fd);
    const out: FsDirEntry[] = [];
    for (;;) {
      const d = this.k.getdents(this.t, fd.value);
      if (!d.ok || d.value.length === 0) break;
      for (const e of d.value) if (e.bname !== '.' && e.bname !== '..') out.push({ name: e.bname, ino: e.ino, mode: e.type << 12 });
    }
    this.k.close(this.t, fd.value);
    return ok(out);
  }
  create(name: string, init: NewInode): Result<FsInode> {
    const p = B(this.child(name));
    const type = init.mode & S_IFMT;
    let r: { ok: boolean; errno?: string };
    if (type === S_IFDIR) r = this.k.mkdir(this.t, p, init.mode & 0o7777);
    else if (type === S_IFLNK) r = this.k.symlink(this.t, B(init.target ?? ''), p);
    else if (type === S_IFREG) {
      const fd = this.k.open(this.t, p, O_CREAT | O_EXCL | O_WRONLY, init.mode & 0o7777);
      r = fd;
      if (fd.ok) this.k.close(this.t, fd.value);
    } else r = this.k.mknod(this.t, p, init.mode, init.rdev ?? 0n);
    if (!r.ok) return strip(r);
    // The server runs with umask 0 as root: owner and mode exactly as the client's VFS decided.
    this.k.lchown(this.t, p, init.uid, init.gid);
    if (type !== S_IFLNK) this.k.chmod(this.t, p, init.mode & 0o7777);
    return ok(new RemoteInode(this.sb, this.child(name), this.path));
  }
  link(name: string, target: FsInode): Result<void> {
    if (!(target instanceof RemoteInode)) return err('EXDEV');
    return strip(this.k.link(this.t, B(target.path), B(this.child(name))));
  }
  unlink(name: string): Result<void> { return strip(this.k.unlink(this.t, B(this.child(name)))); }
  rmdir(name: string): Result<void> { return strip(this.k.rmdir(this.t, B(this.child(name)))); }
  rename(oldName: string, newDir: FsInode, newName: string, exchange: boolean): Result<void> {
    if (!(newDir instanceof RemoteInode)) return err('EXDEV');
    return strip(this.k.renameat2(this.t, -100, B(this.child(oldName)), -100, B(newDir.child(newName)), exchange ? 2 : 0));
  }
  readlink(): Result<string> {
    const r = this.k.readlink(this.t, B(this.path), 4096);
    return r.ok ? ok(bytesToBstr(r.value)) : strip(r);
  }
  read(pos: number, len: number): Result<Uint8Array> {
    const fd = this.k.open(this.t, B(this.path), O_RDONLY);
    if (!fd.ok) return strip(fd);
    const r = this.k.pread(this.t, fd.value, len, pos);
    this.k.close(this.t, fd.value);
    return strip(r);
  }
  write(pos: number, data: Uint8Array): Result<number> {
    const fd = this.k.open(this.t, B(this.path), O_WRONLY);
    if (!fd.ok) return strip(fd);
    const r = this.k.pwrite(this.t, fd.value, data, pos);
    this.k.close(this.t, fd.value);
    return strip(r);
  }
  getxattr(name: string): Result<Uint8Array> {
    const r = this.k.lgetxattr(this.t, B(this.path), B(name), 65536);
    return r.ok ? ok(r.value as Uint8Array) : strip(r);
  }
  setxattr(name: string, value: Uint8Array, flags: number): Result<void> { return strip(this.k.lsetxattr(this.t, B(this.path), B(name), value, flags)); }
  listxattr(): Result<string[]> {
    const r = this.k.llistxattr(this.t, B(this.path), 65536);
    return r.ok ? ok(bytesToBstr(r.value as Uint8Array).split('\0').filter(Boolean)) : strip(r);
  }
  removexattr(name: string): Result<void> { return strip(this.k.lremovexattr(this.t, B(this.path), B(name))); }
  getversion(): Result<number> { return err('ENOTTY'); }

  /** The open hook: one server-side fd per open file description (a fid after Tlopen). */
  open(flags: number): Result<FsFile> {
    const isDir = (this.getattr().mode & S_IFMT) === S_IFDIR;
    const fd = this.k.open(this.t, B(this.path), isDir ? O_RDONLY | O_DIRECTORY : flags & 3);
    if (!fd.ok) return strip(fd);
    this.sb.opens++;
    const k = this.k;
    const t = this.t;
    const sb = this.sb;
    return ok({
      read: (pos, len) => strip(k.pread(t, fd.value, len, pos)),
      write: (pos, data) => strip(k.pwrite(t, fd.value, data, pos)),
      readdir: () => {
        const out: FsDirEntry[] = [];
        k.lseek(t, fd.value, 0, 0);
        for (;;) {
          const d = k.getdents(t, fd.value);
          if (!d.ok || d.value.length === 0) break;
          for (const e of d.value) if (e.bname !== '.' && e.bname !== '..') out.push({ name: e.bname, ino: e.ino, mode: e.type << 12 });
        }
        return ok(out);
      },
      release: () => { sb.releases++; k.close(t, fd.value); },
    });
  }
}
