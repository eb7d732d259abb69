// v9fs: the Linux 9P2000.L client filesystem (fs/9p/vfs_*_dotl.c), plugged into the guest kernel's
// VFS through sim/host's SuperBlock/FsInode interface. cache=none semantics: every lookup is one
// Twalk of ONE name from the parent's fid plus a Tgetattr(P9_STATS_ALL); symlinks are never walked
// through — the guest VFS reads them (Treadlink) and resolves the target in the GUEST namespace;
// special files (FIFOs, devices) are opened locally by the guest kernel, never on the server.
//
// Opens: the simulated VFS has no file-open hook, so the guest machine calls `lopen()` right after a
// successful open(2) of a v9fs regular file (clone + Tlopen with v9fs_open_to_dotl_flags of the open
// flags; an error fails the open) and `release()` at the last close (Tclunk). Reads and writes use
// the newest open fid with the needed access. Deviations (labelled): O_TRUNC's Tsetattr(size 0)
// comes before the Tlopen (Linux: after vfs_open); directories are opened, read and clunked inside
// one getdents; dentry fids are not clunked (Linux does when the dentry is released); the root's
// attributes are refreshed only by operations on it.
import type { Errno } from '../host/errno.ts';
import { err, ok, OK_VOID, type Result } from '../host/result.ts';
import type { StatFs } from '../host/types.ts';
import type { AttrChange, FsDirEntry, FsInode, InodeAttr, NewInode, SuperBlock } from '../host/vfs.ts';
import { linuxOpenToDotl, P9_AT_REMOVEDIR, P9_DOTL, P9_GETATTR, P9_SETATTR, type P9Message, type Qid } from '../p9/index.ts';
import type { V9fsSession } from './session.ts';

/** include/uapi/linux/magic.h V9FS_MAGIC. */
export const V9FS_MAGIC = 0x01021997;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
/** Linux P9_READDIRHDRSZ / P9_IOHDRSZ (include/net/9p/client.h). */
const READDIR_HDR = 24;
const IO_HDR = 24;

/** DT_* → S_IF* for directory entries (fs/9p/vfs_dir.c dt_type inverse). */
function modeOfDtype(t: number): number {
  return (t & 0o17) << 12;
}

function attrFrom(r: Extract<P9Message, { kind: 'Rgetattr' }>): InodeAttr {
  return {
    ino: qidIno(r.qid), mode: r.mode, uid: r.uid, gid: r.gid, nlink: Number(r.nlink), size: Number(r.size),
    blocks: Number(r.blocks), blksize: Number(r.blksize), rdev: r.rdev,
    atime: { sec: Number(r.atime_sec), nsec: Number(r.atime_nsec) },
    mtime: { sec: Number(r.mtime_sec), nsec: Number(r.mtime_nsec) },
    ctime: { sec: Number(r.ctime_sec), nsec: Number(r.ctime_nsec) },
  };
}

/** v9fs_qid2ino: the qid path is the inode number (kept below 2^53 for JS numbers). */
function qidIno(q: Qid): number {
  return Number(q.path % 9007199254740992n);
}

export class V9fsSuper implements SuperBlock {
  id = 0;
  readonly fsType = 'v9fs';
  readonly magic = V9FS_MAGIC;
  readonly stableInodes = false;
  root!: V9fsInode;

  /** `dev`: an anonymous block device number (major 0), as Linux gives network filesystems.
   * `now`: the guest clock — a time equal to it came from ATTR_*TIME without *_SET ("now"). */
  constructor(readonly session: V9fsSession, readonly dev: number, readonly mountTag: string, readonly now: () => { sec: number; nsec: number } = () => ({ sec: -1, nsec: -1 })) {}

  /** Attach as the mounting user and build the root inode (v9fs_mount → v9fs_session_init). */
  mount(uid: number): Result<void> {
    this.session.current = { fsuid: uid, fsgid: 0 };
    const v = this.session.version();
    if (!v.ok) return v;
    const fid = this.session.rootFid(uid);
    if (!fid.ok) return fid;
    const a = getattrOf(this.session, fid.value);
    if (!a.ok) return a;
    this.root = new V9fsInode(this, a.value, null, '');
    this.root.fids.set(uid, fid.value);
    return OK_VOID;
  }

  statfs(): StatFs {
    // v9fs_statfs: Tstatfs on the root fid; on failure Linux falls back to simple_statfs (zeros).
    const fid = this.root.fidFor();
    const zero: StatFs = { type: V9FS_MAGIC, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, fsid: [0, 0], namelen: 255, frsize: 4096, flags: 0 };
    if (!fid.ok) return zero;
    const r = this.session.rpc(() => ({ kind: 'Tstatfs' as const, fid: fid.value }));
    if (!r.ok || r.value.reply.kind !== 'Rstatfs') return zero;
    const s = r.value.reply;
    // struct statfs gets f_type = V9FS_MAGIC (not the server's), the fsid split in two halves.
    return {
      type: V9FS_MAGIC, bsize: s.bsize, blocks: Number(s.blocks), bfree: Number(s.bfree), bavail: Number(s.bavail),
      files: Number(s.files), ffree: Number(s.ffree),
      fsid: [Number(s.fsid & 0xffffffffn) | 0, Number((s.fsid >> 32n) & 0xffffffffn) | 0], namelen: s.namelen, frsize: s.bsize, flags: 0,
    };
  }
}

function getattrOf(session: V9fsSession, fid: number): Result<InodeAttr> {
  const r = session.rpc(() => ({ kind: 'Tgetattr' as const, fid, request_mask: BigInt(P9_GETATTR.ALL) }));
  if (!r.ok) return r;
  if (r.value.reply.kind !== 'Rgetattr') return err('EIO');
  return ok(attrFrom(r.value.reply));
}

export class V9fsInode implements FsInode {
  readonly ino: number;
  /** Walked (not opened) fid per uid: access=user keeps one per user. */
  readonly fids = new Map<number, number>();
  /** Open fids, newest last: one per open(2) of this inode (Linux: one per struct file). */
  private readonly opens: { file: number; uid: number; accmode: number; fid: number }[] = [];

  constructor(readonly sb: V9fsSuper, private attr: InodeAttr, private readonly up: V9fsInode | null, readonly name: string) {
    this.ino = attr.ino;
  }

  private get s(): V9fsSession { return this.sb.session; }
  private get uid(): number { return this.s.current.fsuid; }

  /** v9fs_fid_lookup: this dentry's fid for the caller's uid, walking from the parent if needed. */
  fidFor(): Result<number> {
    const uid = this.uid;
    const have = this.fids.get(uid);
    if (have !== undefined) return ok(have);
    if (!this.up) {
      const r = this.s.rootFid(uid);
      if (r.ok) this.fids.set(uid, r.value);
      return r;
    }
    const pf = this.up.fidFor();
    if (!pf.ok) return pf;
    const w = this.walk1(pf.value, this.name);
    if (!w.ok) return w;
    this.fids.set(uid, w.value.fid);
    return ok(w.value.fid);
  }

  /** One Twalk of one name (or a clone with none) to a new fid. */
  private walk1(from: number, name: string | null): Result<{ fid: number; qid?: Qid }> {
    const r = this.s.rpc(() => ({ kind: 'Twalk' as const, fid: from, newfid: this.s.client.allocFid(), wnames: name === null ? [] : [name] }));
    if (!r.ok) return r;
    const rep = r.value.reply;
    if (rep.kind !== 'Rwalk') return err('EIO');
    if (name !== null && rep.wqids.length < 1) { this.s.client.releaseFid(r.value.req.newfid); return err('ENOENT'); }
    return ok({ fid: r.value.req.newfid, ...(rep.wqids[0] ? { qid: rep.wqids[0] } : {}) });
  }

  getattr(): InodeAttr { return { ...this.attr }; }

  setattr(change: AttrChange): Result<void> {
    const fid = this.fidFor();
    if (!fid.ok) return fid;
    let valid = 0;
    if (change.mode !== undefined) valid |= P9_SETATTR.MODE;
    if (change.uid !== undefined) valid |= P9_SETATTR.UID;
    if (change.gid !== undefined) valid |= P9_SETATTR.GID;
    if (change.size !== undefined) valid |= P9_SETATTR.SIZE;
    // v9fs_vfs_setattr_dotl: ATTR_ATIME → P9_ATTR_ATIME, plus P9_ATTR_ATIME_SET only for an explicit
    // time (utimensat with a value). The VFS here hands both as values: "now" is recognised as the
    // guest clock's current time (truncate, touch without -d), and sent without *_SET.
    const now = this.sb.now();
    const isNow = (t: { sec: number; nsec: number }) => t.sec === now.sec && t.nsec === now.nsec;
    if (change.atime !== undefined) valid |= P9_SETATTR.ATIME | (isNow(change.atime) ? 0 : P9_SETATTR.ATIME_SET);
    if (change.mtime !== undefined) valid |= P9_SETATTR.MTIME | (isNow(change.mtime) ? 0 : P9_SETATTR.MTIME_SET);
    if (change.ctime !== undefined) valid |= P9_SETATTR.CTIME;
    const r = this.s.rpc(() => ({
      kind: 'Tsetattr' as const, fid: fid.value, valid,
      mode: change.mode ?? 0, uid: change.uid ?? 0, gid: change.gid ?? 0, size: BigInt(change.size ?? 0),
      atime_sec: BigInt(change.atime?.sec ?? 0), atime_nsec: BigInt(change.atime?.nsec ?? 0),
      mtime_sec: BigInt(change.mtime?.sec ?? 0), mtime_nsec: BigInt(change.mtime?.nsec ?? 0),
    }));
    if (!r.ok) return r;
    const a = this.attr;
    if (change.mode !== undefined) a.mode = (a.mode & S_IFMT) | (change.mode & 0o7777);
    if (change.uid !== undefined) a.uid = change.uid;
    if (change.gid !== undefined) a.gid = change.gid;
    if (change.size !== undefined) a.size = change.size;
    if (change.atime) a.atime = change.atime;
    if (change.mtime) a.mtime = change.mtime;
    if (change.ctime) a.ctime = change.ctime;
    return OK_VOID;
  }

  /** v9fs_vfs_lookup: Twalk dfid [name] → new fid, then Tgetattr(P9_STATS_ALL) on it. */
  lookup(name: string): Result<FsInode> {
    const dfid = this.fidFor();
    if (!dfid.ok) return dfid;
    const w = this.walk1(dfid.value, name);
    if (!w.ok) return w;
    const a = getattrOf(this.s, w.value.fid);
    if (!a.ok) return a;
    const child = new V9fsInode(this.sb, a.value, this, name);
    child.fids.set(this.uid, w.value.fid);
    return ok(child);
  }

  parent(): FsInode { return this.up ?? this; }

  /** Clone the fid and Tlopen it (v9fs_file_open). */
  private openClone(flags: number): Result<number> {
    const fid = this.fidFor();
    if (!fid.ok) return fid;
    const c = this.walk1(fid.value, null);
    if (!c.ok) return c;
    const o = this.s.rpc(() => ({ kind: 'Tlopen' as const, fid: c.value.fid, flags }));
    if (!o.ok) { this.clunk(c.value.fid); return o; }
    return ok(c.value.fid);
  }

  private clunk(fid: number): void {
    this.s.rpc(() => ({ kind: 'Tclunk' as const, fid }));
    this.s.client.releaseFid(fid);
  }

  /** v9fs_dir_readdir_dotl: open the directory, Treaddir until an empty reply, clunk. */
  readdir(): Result<FsDirEntry[]> {
    // glibc opendir(): open(O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY), + O_LARGEFILE from the kernel.
    const fid = this.openClone(P9_DOTL.RDONLY | P9_DOTL.NONBLOCK | P9_DOTL.CLOEXEC | P9_DOTL.DIRECTORY | P9_DOTL.LARGEFILE);
    if (!fid.ok) return fid;
    const out: FsDirEntry[] = [];
    let offset = 0n;
    for (;;) {
      const r = this.s.rpc(() => ({ kind: 'Treaddir' as const, fid: fid.value, offset, count: this.s.msize - READDIR_HDR }));
      if (!r.ok) { this.clunk(fid.value); return r; }
      const rep = r.value.reply;
      if (rep.kind !== 'Rreaddir' || rep.entries.length === 0) break;
      for (const e of rep.entries) {
        offset = e.offset;
        if (e.name === '.' || e.name === '..') continue;
        out.push({ name: e.name, ino: qidIno(e.qid), mode: modeOfDtype(e.type) });
      }
    }
    this.clunk(fid.value);
    return ok(out);
  }

  /** mkdir / symlink / mknod / create, each as Linux's v9fs sends it; the new inode carries no fid
   * (cache=none: the next access walks to it). */
  create(name: string, init: NewInode): Result<FsInode> {
    const dfid = this.fidFor();
    if (!dfid.ok) return dfid;
    const type = init.mode & S_IFMT;
    const perm = init.mode & 0o7777;
    let r: Result<{ reply: P9Message }>;
    let openFid: number | undefined;
    if (type === S_IFDIR) {
      r = this.s.rpc(() => ({ kind: 'Tmkdir' as const, dfid: dfid.value, name, mode: perm, gid: init.gid }));
    } else if (type === S_IFLNK) {
      r = this.s.rpc(() => ({ kind: 'Tsymlink' as const, fid: dfid.value, name, symtgt: init.target ?? '', gid: init.gid }));
    } else if (type === S_IFREG) {
      // v9fs_vfs_atomic_open_dotl: clone the directory fid, Tlcreate on it; the fid is now the open file.
      const c = this.walk1(dfid.value, null);
      if (!c.ok) return c;
      // The open(2) flags as v9fs_open_to_dotl_flags maps them (mknod(S_IFREG) has none: O_RDONLY|O_CREAT).
      // (64-bit kernels add O_LARGEFILE to every open: fs/open.c force_o_largefile.)
      const oflags = (this.s.openFlags ?? 0o100) | 0o100000;
      r = this.s.rpc(() => ({ kind: 'Tlcreate' as const, fid: c.value.fid, name, flags: linuxOpenToDotl(oflags) | P9_DOTL.CREATE, mode: perm, gid: init.gid }));
      if (!r.ok) { this.clunk(c.value.fid); return r; }
      openFid = c.value.fid;
    } else {
      const rdev = init.rdev ?? 0n;
      const major = Number((rdev >> 8n) & 0xfffn) | Number((rdev >> 32n) & ~0xfffn);
      const minor = Number(rdev & 0xffn) | Number((rdev >> 12n) & ~0xffn & 0xffffffffn);
      r = this.s.rpc(() => ({ kind: 'Tmknod' as const, dfid: dfid.value, name, mode: init.mode, major, minor, gid: init.gid }));
    }
    if (!r.ok) return r;
    const rep = r.value.reply;
    const qid = 'qid' in rep ? (rep as { qid: Qid }).qid : { type: 0, version: 0, path: 0n };
    const now = { sec: 0, nsec: 0 };
    const attr: InodeAttr = {
      ino: qidIno(qid), mode: init.mode, uid: this.uid, gid: init.gid, nlink: type === S_IFDIR ? 2 : 1, size: init.target?.length ?? 0,
      blocks: 0, blksize: 4096, rdev: init.rdev ?? 0n, atime: now, mtime: now, ctime: now,
    };
    const child = new V9fsInode(this.sb, attr, this, name);
    // The Tlcreate fid is the new file's open fid; lopen() adopts it for the struct file.
    if (openFid !== undefined) child.opens.push({ file: -1, uid: this.uid, accmode: (this.s.openFlags ?? 0) & 3, fid: openFid });
    return ok(child);
  }

  link(name: string, target: FsInode): Result<void> {
    if (!(target instanceof V9fsInode)) return err('EXDEV');
    const dfid = this.fidFor();
    if (!dfid.ok) return dfid;
    const tfid = target.fidFor();
    if (!tfid.ok) return tfid;
    const r = this.s.rpc(() => ({ kind: 'Tlink' as const, dfid: dfid.value, fid: tfid.value, name }));
    return r.ok ? OK_VOID : r;
  }

  private unlinkat(name: string, flags: number): Result<void> {
    const dfid = this.fidFor();
    if (!dfid.ok) return dfid;
    const r = this.s.rpc(() => ({ kind: 'Tunlinkat' as const, dirfid: dfid.value, name, flags }));
    return r.ok ? OK_VOID : r;
  }
  unlink(name: string): Result<void> { return this.unlinkat(name, 0); }
  rmdir(name: string): Result<void> { return this.unlinkat(name, P9_AT_REMOVEDIR); }

  rename(oldName: string, newDir: FsInode, newName: string, exchange: boolean): Result<void> {
    // v9fs has no RENAME_EXCHANGE (v9fs_vfs_rename: flags → -EINVAL).
    if (exchange) return err('EINVAL');
    if (!(newDir instanceof V9fsInode)) return err('EXDEV');
    const o = this.fidFor();
    if (!o.ok) return o;
    const n = newDir.fidFor();
    if (!n.ok) return n;
    const r = this.s.rpc(() => ({ kind: 'Trenameat' as const, olddirfid: o.value, oldname: oldName, newdirfid: n.value, newname: newName }));
    return r.ok ? OK_VOID : r;
  }

  readlink(): Result<string> {
    const fid = this.fidFor();
    if (!fid.ok) return fid;
    const r = this.s.rpc(() => ({ kind: 'Treadlink' as const, fid: fid.value }));
    if (!r.ok) return r;
    const rep = r.value.reply;
    return rep.kind === 'Rreadlink' ? ok(rep.target) : err('EIO');
  }

  /** open(2) of this file by struct file `file`: clone + Tlopen (or adopt the Tlcreate fid). */
  lopen(file: number, flags: number): Result<void> {
    const fresh = this.opens.find((o) => o.file === -1 && o.uid === this.uid);
    if (fresh) { fresh.file = file; return OK_VOID; }
    // v9fs_file_open: O_TRUNC is not sent (the VFS truncates with setattr), nor O_CREAT/O_EXCL here.
    const fid = this.openClone(linuxOpenToDotl(flags & ~0o300));
    if (!fid.ok) return fid;
    this.opens.push({ file, uid: this.uid, accmode: flags & 3, fid: fid.value });
    return OK_VOID;
  }

  /** Last close of struct file `file` (v9fs_dir_release → p9_fid_put → Tclunk). */
  release(file: number): void {
    const i = this.opens.findIndex((o) => o.file === file);
    if (i < 0) return;
    const [o] = this.opens.splice(i, 1);
    this.clunk(o!.fid);
  }

  private ioFid(write: boolean): Result<number> {
    const want = (a: number) => (write ? a === 1 || a === 2 : a === 0 || a === 2);
    for (let i = this.opens.length - 1; i >= 0; i--) {
      const o = this.opens[i]!;
      if (o.uid === this.uid && want(o.accmode)) return ok(o.fid);
    }
    // No open fid (e.g. a file opened before a uid switch): open one as Linux's writeback fid would.
    const fid = this.openClone(write ? P9_DOTL.RDWR : P9_DOTL.RDONLY);
    if (fid.ok) this.opens.push({ file: -2, uid: this.uid, accmode: write ? 2 : 0, fid: fid.value });
    return fid;
  }

  read(pos: number, len: number): Result<Uint8Array> {
    const fid = this.ioFid(false);
    if (!fid.ok) return fid;
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total < len) {
      const count = Math.min(len - total, this.s.msize - IO_HDR);
      const r = this.s.rpc(() => ({ kind: 'Tread' as const, fid: fid.value, offset: BigInt(pos + total), count }));
      if (!r.ok) return total > 0 ? ok(concat(chunks, total)) : r;
      const rep = r.value.reply;
      if (rep.kind !== 'Rread' || rep.data.length === 0) break;
      chunks.push(rep.data);
      total += rep.data.length;
      if (rep.data.length < count) break;
    }
    const data = concat(chunks, total);
    if (pos + total > this.attr.size) this.attr.size = pos + total;
    return ok(data);
  }

  write(pos: number, data: Uint8Array): Result<number> {
    const fid = this.ioFid(true);
    if (!fid.ok) return fid;
    let done = 0;
    while (done < data.length) {
      const chunk = data.subarray(done, done + this.s.msize - IO_HDR);
      const r = this.s.rpc(() => ({ kind: 'Twrite' as const, fid: fid.value, offset: BigInt(pos + done), data: chunk }));
      if (!r.ok) return done > 0 ? ok(done) : r;
      const rep = r.value.reply;
      if (rep.kind !== 'Rwrite' || rep.count === 0) break;
      done += rep.count;
    }
    if (pos + done > this.attr.size) this.attr.size = pos + done;
    return ok(done);
  }

  fsync(): Result<void> {
    const fid = this.opens[this.opens.length - 1]?.fid;
    if (fid === undefined) return OK_VOID;
    const r = this.s.rpc(() => ({ kind: 'Tfsync' as const, fid, datasync: 0 }));
    return r.ok ? OK_VOID : r;
  }

  /** v9fs_xattr_get: Txattrwalk to a new fid (size), Tread the value, Tclunk. */
  private xattrRead(name: string): Result<Uint8Array> {
    const fid = this.fidFor();
    if (!fid.ok) return fid;
    const w = this.s.rpc(() => ({ kind: 'Txattrwalk' as const, fid: fid.value, newfid: this.s.client.allocFid(), name }));
    if (!w.ok) return w.errno === 'ENOENT' && name !== '' ? err('ENODATA') : w;
    const xfid = w.value.req.newfid;
    const size = w.value.reply.kind === 'Rxattrwalk' ? Number(w.value.reply.size) : 0;
    let data: Uint8Array = new Uint8Array(0);
    if (size > 0) {
      const r = this.s.rpc(() => ({ kind: 'Tread' as const, fid: xfid, offset: 0n, count: size }));
      if (r.ok && r.value.reply.kind === 'Rread') data = r.value.reply.data;
    }
    this.clunk(xfid);
    return ok(data);
  }

  getxattr(name: string): Result<Uint8Array> { return this.xattrRead(name); }

  listxattr(): Result<string[]> {
    const r = this.xattrRead('');
    if (!r.ok) return r;
    const names: string[] = [];
    let cur = '';
    for (const b of r.value) { if (b === 0) { names.push(cur); cur = ''; } else cur += String.fromCharCode(b); }
    return ok(names);
  }

  /** v9fs_xattr_set: clone, Txattrcreate, Twrite the value, Tclunk (the server commits at clunk). */
  setxattr(name: string, value: Uint8Array, flags: number): Result<void> {
    const fid = this.fidFor();
    if (!fid.ok) return fid;
    const c = this.walk1(fid.value, null);
    if (!c.ok) return c;
    const x = this.s.rpc(() => ({ kind: 'Txattrcreate' as const, fid: c.value.fid, name, attr_size: BigInt(value.length), flags }));
    if (!x.ok) { this.clunk(c.value.fid); return x; }
    if (value.length > 0) {
      const w = this.s.rpc(() => ({ kind: 'Twrite' as const, fid: c.value.fid, offset: 0n, data: value }));
      if (!w.ok) { this.clunk(c.value.fid); return w; }
    }
    const cl = this.s.rpc(() => ({ kind: 'Tclunk' as const, fid: c.value.fid }));
    this.s.client.releaseFid(c.value.fid);
    return cl.ok ? OK_VOID : cl;
  }

  /** Removal is a set with no value (v9fs_xattr_set(…, NULL, 0, 0)). */
  removexattr(name: string): Result<void> { return this.setxattr(name, new Uint8Array(0), 0); }

  /** v9fs has no FS_IOC_GETVERSION ioctl. */
  getversion(): Result<number> { return err('ENOTTY' as Errno); }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}
