// The in-memory filesystem: inodes and directory entries held in JS objects, with an ext4 or tmpfs
// profile for the visible values (profiles.ts). Implements the VFS interface of vfs.ts.
// Regular files are sparse page maps, so st_blocks counts only written pages, like ext4 and tmpfs
// (observed: basic_fd/lstat_after_utime, size 100000 with 8 blocks).
import type { Timespec, VirtualClock } from './clock.ts';
import { S_IFMT, isDir, isLnk, isReg, XATTR_CREATE, XATTR_REPLACE, dtypeOf } from './constants.ts';
import { Prng } from './prng.ts';
import { BOGO_DIRENT_SIZE, ext4DirRecLen, type FsProfile } from './profiles.ts';
import { err, ok, OK_VOID, type Result } from './result.ts';
import type { Stat, StatFs } from './types.ts';
import type { AttrChange, FsDirEntry, FsInode, InodeAttr, NewInode, OwnerAttr, SuperBlock } from './vfs.ts';

const PAGE = 4096;
const NO_XATTRS: ReadonlyMap<string, Uint8Array> = new Map();
/** lookup()'s errors, shared (results are never mutated). */
const NOT_DIR = Object.freeze(err('ENOTDIR'));
const NO_ENTRY = Object.freeze(err('ENOENT'));

export interface MemFsOptions {
  profile: FsProfile;
  clock: VirtualClock;
  /** Seed for i_generation values (ext4). */
  seed?: number;
  /** Override the profile's st_dev (each superblock needs its own). */
  dev?: number;
  /** Override statfs totals. */
  totalBlocks?: number;
  totalInodes?: number;
  fsid?: [number, number];
  /** Root directory attributes. */
  rootMode?: number;
  rootUid?: number;
  rootGid?: number;
}

export class MemFs implements SuperBlock {
  readonly fsType: string;
  readonly magic: number;
  readonly dev: number;
  readonly root: MemInode;
  readonly stableInodes = true;
  readonly profile: FsProfile;
  readonly clock: VirtualClock;
  private nextIno: number;
  private readonly prng: Prng;
  private readonly totalBlocks: number;
  private readonly totalInodes: number;
  private readonly fsid: [number, number];
  /** Live inodes (linked or still open) for statfs counters. */
  inodeCount = 0;
  /** Assigned by the kernel when mounted; unique per kernel. */
  id = 0;

  constructor(opts: MemFsOptions) {
    this.profile = opts.profile;
    this.clock = opts.clock;
    this.fsType = opts.profile.name;
    this.magic = opts.profile.magic;
    this.dev = opts.dev ?? opts.profile.dev;
    this.prng = new Prng(opts.seed ?? 0x9e3779b9);
    this.totalBlocks = opts.totalBlocks ?? opts.profile.totalBlocks;
    this.totalInodes = opts.totalInodes ?? opts.profile.totalInodes;
    this.fsid = opts.fsid ?? opts.profile.fsid;
    this.nextIno = opts.profile.firstIno;
    const t = this.clock.now();
    this.root = new MemInode(this, opts.profile.rootIno, 0o040000 | (opts.rootMode ?? 0o755), opts.rootUid ?? 0, opts.rootGid ?? 0, 0n, t);
    this.root.parentDir = this.root;
    this.root.nlink = 2;
  }

  now(): Timespec {
    return this.clock.now();
  }

  allocInode(init: NewInode): MemInode {
    const ino = this.nextIno++;
    const node = new MemInode(this, ino, init.mode, init.uid, init.gid, init.rdev ?? 0n, this.now());
    if (init.target !== undefined) { node.target = init.target; node.size = init.target.length; }
    return node;
  }

  /** Continue inode numbering after restored inodes (snapshot.ts). */
  setNextIno(n: number): void {
    this.nextIno = Math.max(this.nextIno, n);
  }

  generation(): number {
    return this.prng.nextU32();
  }

  usedBlocks(): number {
    let blocks = 0;
    const seen = new Set<MemInode>();
    const walk = (n: MemInode): void => {
      if (seen.has(n)) return;
      seen.add(n);
      blocks += n.blocks512() / 8;
      if (n.entries) for (const c of n.entries.values()) walk(c);
    };
    walk(this.root);
    return blocks;
  }

  statfs(): StatFs {
    // Counters are volatile in the vectors (FORMAT.md masks); they move with usage here.
    const used = this.usedBlocks();
    const bfree = Math.max(0, this.totalBlocks - used - Math.floor(this.totalBlocks / 10));
    return {
      type: this.magic,
      bsize: this.profile.blksize,
      blocks: this.totalBlocks,
      bfree,
      bavail: Math.max(0, bfree - this.profile.reservedBlocks),
      files: this.totalInodes,
      ffree: Math.max(0, this.totalInodes - this.inodeCount - 11),
      fsid: [this.fsid[0], this.fsid[1]],
      namelen: this.profile.namelen,
      frsize: this.profile.blksize,
      flags: 0x20 | 0x400, // ST_VALID | ST_RELATIME, as statfs reports for a default mount
    };
  }
}

export class MemInode implements FsInode {
  readonly sb: MemFs;
  /** Assigned at creation; a snapshot restore sets it back to the recorded number. */
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink = 1;
  rdev: bigint;
  size = 0;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  /** Extended attributes, made at the first setxattr (perf: most inodes never have one). */
  private xattrMap: Map<string, Uint8Array> | undefined;
  get xattrs(): ReadonlyMap<string, Uint8Array> {
    return this.xattrMap ?? NO_XATTRS;
  }
  generationNo: number;
  /** Regular files: sparse pages. */
  pages: Map<number, Uint8Array> | undefined;
  /** Symlinks: target as a byte string. */
  target: string | undefined;
  /** Directories: name (byte string) → inode, in insertion order. */
  entries: Map<string, MemInode> | undefined;
  parentDir: MemInode | undefined;
  /** ext4: directory blocks ever used (directories never shrink). */
  dirBlocks = 1;
  /** Bytes of ext4 dirent records currently in the directory. */
  private dirRecBytes = 24;

  constructor(sb: MemFs, ino: number, mode: number, uid: number, gid: number, rdev: bigint, t: Timespec) {
    this.sb = sb;
    this.ino = ino;
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
    this.rdev = rdev;
    this.atime = t;
    this.mtime = t;
    this.ctime = t;
    this.generationNo = sb.profile.hasGeneration ? sb.generation() : 0;
    sb.inodeCount++;
    if (isReg(mode)) this.pages = new Map();
    if (isDir(mode)) { this.entries = new Map(); this.nlink = 2; }
  }

  blocks512(): number {
    const p = this.sb.profile;
    if (this.pages) return this.pages.size * (PAGE / 512);
    if (this.entries) return p.name === 'ext4' ? this.dirBlocks * (p.blksize / 512) : 0;
    if (this.target !== undefined) return this.target.length > p.inlineSymlinkMax ? p.blksize / 512 : 0;
    return 0;
  }

  private dirSize(): number {
    if (this.sb.profile.name === 'ext4') return this.dirBlocks * this.sb.profile.blksize;
    return BOGO_DIRENT_SIZE * (2 + this.entries!.size);
  }

  getattr(): InodeAttr {
    return {
      ino: this.ino,
      mode: this.mode,
      uid: this.uid,
      gid: this.gid,
      nlink: this.nlink,
      size: this.entries ? this.dirSize() : this.size,
      blocks: this.blocks512(),
      blksize: this.sb.profile.blksize,
      rdev: this.rdev,
      atime: this.atime,
      mtime: this.mtime,
      ctime: this.ctime,
    };
  }

  setattr(c: AttrChange): Result<void> {
    if (c.size !== undefined) {
      if (!this.pages) return err('EINVAL');
      this.truncatePages(c.size);
    }
    if (c.mode !== undefined) this.mode = (this.mode & S_IFMT) | (c.mode & 0o7777);
    if (c.uid !== undefined) this.uid = c.uid;
    if (c.gid !== undefined) this.gid = c.gid;
    if (c.atime) this.atime = c.atime;
    if (c.mtime) this.mtime = c.mtime;
    if (c.ctime) this.ctime = c.ctime;
    return OK_VOID;
  }

  private truncatePages(size: number): void {
    const pages = this.pages!;
    if (size < this.size) {
      for (const idx of [...pages.keys()]) {
        if (idx * PAGE >= size) pages.delete(idx);
      }
      const last = pages.get(Math.floor(size / PAGE));
      if (last && size % PAGE) last.fill(0, size % PAGE);
    }
    this.size = size;
  }

  // ---- directories
  private touchDir(): void {
    const t = this.sb.now();
    this.mtime = t;
    this.ctime = t;
  }

  private addEntry(name: string, node: MemInode): void {
    this.entries!.set(name, node);
    this.dirRecBytes += ext4DirRecLen(name.length);
    // ext4 with dir_index (never shrinks): a one-block linear directory that overflows becomes an
    // htree of a root block plus two leaves (3 blocks); leaves then split as they fill. Leaf
    // placement depends on the name hash and the filesystem's hash seed, so the split points are
    // approximated with leaves 3/4 full on average. Measured on this machine's ext4 with 8-byte
    // names: 1 block up to 254 entries, 3 at 255, 4 at 497, 5 at 525 (model: 3 at 255, 4 at 384,
    // 5 at 576). Directory size is fs_dependent in the vectors' masks (FORMAT.md).
    const bs = this.sb.profile.blksize;
    if (this.dirBlocks === 1 && this.dirRecBytes > bs) this.dirBlocks = 3;
    if (this.dirBlocks > 1) {
      const leaves = Math.max(2, Math.ceil(this.dirRecBytes / (bs * 0.75)));
      this.dirBlocks = Math.max(this.dirBlocks, 1 + leaves);
    }
  }

  private removeEntry(name: string): void {
    this.entries!.delete(name);
    this.dirRecBytes -= ext4DirRecLen(name.length);
  }

  lookup(name: string): Result<FsInode> {
    if (!this.entries) return NOT_DIR;
    const n = this.entries.get(name);
    return n ? (n.okSelf ??= Object.freeze(ok<FsInode>(n))) : NO_ENTRY;
  }
  /** ok(this), made once: what lookup() returns for this inode (perf: a lookup per path component). */
  private okSelf: Result<FsInode> | undefined;

  /** struct stat from the live fields, as the kernel's statInode builds it from getattr() (same
   * fields and order; perf: no InodeAttr in between). */
  stat(dev: number): Stat {
    return {
      dev, ino: this.ino, nlink: this.nlink, mode: this.mode, uid: this.uid, gid: this.gid, rdev: this.rdev,
      size: this.entries ? this.dirSize() : this.size, blksize: this.sb.profile.blksize, blocks: this.blocks512(),
      atime: this.atime, mtime: this.mtime, ctime: this.ctime,
    };
  }

  parent(): FsInode {
    return this.parentDir ?? this;
  }

  readdir(): Result<FsDirEntry[]> {
    if (!this.entries) return err('ENOTDIR');
    const out: FsDirEntry[] = [];
    for (const [name, n] of this.entries) out.push({ name, ino: n.ino, mode: n.mode });
    return ok(out);
  }

  create(name: string, init: NewInode): Result<FsInode> {
    if (!this.entries) return err('ENOTDIR');
    if (this.nlink === 0) return err('ENOENT'); // a removed directory accepts no new entries
    if (this.entries.has(name)) return err('EEXIST');
    const node = this.sb.allocInode(init);
    if (node.entries) {
      node.parentDir = this;
      this.nlink++;
    }
    this.addEntry(name, node);
    this.touchDir();
    return ok(node);
  }

  link(name: string, target: FsInode): Result<void> {
    if (!this.entries) return err('ENOTDIR');
    if (!(target instanceof MemInode) || target.sb !== this.sb) return err('EXDEV');
    if (this.entries.has(name)) return err('EEXIST');
    if (target.nlink >= 65000) return err('EMLINK'); // EXT4_LINK_MAX
    this.addEntry(name, target);
    target.nlink++;
    target.ctime = this.sb.now();
    this.touchDir();
    return OK_VOID;
  }

  private dropLink(n: MemInode): void {
    n.nlink--;
    n.ctime = this.sb.now();
    if (n.nlink === 0) this.sb.inodeCount--;
  }

  unlink(name: string): Result<void> {
    const n = this.entries?.get(name);
    if (!n) return err('ENOENT');
    this.removeEntry(name);
    this.dropLink(n);
    this.touchDir();
    return OK_VOID;
  }

  rmdir(name: string): Result<void> {
    const n = this.entries?.get(name);
    if (!n) return err('ENOENT');
    if (!n.entries) return err('ENOTDIR');
    if (n.entries.size > 0) return err('ENOTEMPTY');
    this.removeEntry(name);
    n.nlink = 0;
    n.ctime = this.sb.now();
    this.sb.inodeCount--;
    this.nlink--;
    this.touchDir();
    return OK_VOID;
  }

  rename(oldName: string, newDirI: FsInode, newName: string, exchange: boolean): Result<void> {
    if (!(newDirI instanceof MemInode) || newDirI.sb !== this.sb) return err('EXDEV');
    const newDir = newDirI;
    const src = this.entries?.get(oldName);
    if (!src) return err('ENOENT');
    const dst = newDir.entries?.get(newName);
    if (src === dst) return OK_VOID; // same inode (hard links): POSIX says do nothing
    const t = this.sb.now();
    if (exchange) {
      if (!dst) return err('ENOENT');
      this.entries!.set(oldName, dst);
      newDir.entries!.set(newName, src);
      if (src.entries && dst.entries) { src.parentDir = newDir; dst.parentDir = this; }
      else if (src.entries) { src.parentDir = newDir; this.nlink--; newDir.nlink++; }
      else if (dst.entries) { dst.parentDir = this; newDir.nlink--; this.nlink++; }
      src.ctime = t; dst.ctime = t;
      this.touchDir(); newDir.touchDir();
      return OK_VOID;
    }
    if (dst) {
      if (dst.entries) {
        if (dst.entries.size > 0) return err('ENOTEMPTY');
        dst.nlink = 0;
        this.sb.inodeCount--;
        newDir.nlink--;
      } else {
        this.dropLink(dst);
      }
      newDir.removeEntry(newName);
    }
    this.removeEntry(oldName);
    newDir.addEntry(newName, src);
    if (src.entries) {
      src.parentDir = newDir;
      this.nlink--;
      newDir.nlink++;
    }
    src.ctime = t; // ext4 and shmem update the moved inode's ctime
    this.touchDir();
    newDir.touchDir();
    return OK_VOID;
  }

  readlink(): Result<string> {
    return this.target !== undefined ? ok(this.target) : err('EINVAL');
  }

  // ---- data
  read(pos: number, len: number): Result<Uint8Array> {
    if (!this.pages) return err(this.entries ? 'EISDIR' : 'EINVAL');
    const end = Math.min(this.size, pos + len);
    if (pos >= end) return ok(new Uint8Array(0));
    const out = new Uint8Array(end - pos);
    for (let p = pos; p < end;) {
      const idx = Math.floor(p / PAGE);
      const off = p % PAGE;
      const n = Math.min(PAGE - off, end - p);
      const page = this.pages.get(idx);
      if (page) out.set(page.subarray(off, off + n), p - pos);
      p += n;
    }
    return ok(out);
  }

  write(pos: number, data: Uint8Array): Result<number> {
    if (!this.pages) return err(this.entries ? 'EISDIR' : 'EINVAL');
    if (pos + data.length > 0x7fffffffffff) return err('EFBIG');
    for (let i = 0; i < data.length;) {
      const p = pos + i;
      const idx = Math.floor(p / PAGE);
      const off = p % PAGE;
      const n = Math.min(PAGE - off, data.length - i);
      let page = this.pages.get(idx);
      if (!page) { page = new Uint8Array(PAGE); this.pages.set(idx, page); }
      page.set(data.subarray(i, i + n), off);
      i += n;
    }
    if (pos + data.length > this.size) this.size = pos + data.length;
    const t = this.sb.now();
    if (data.length > 0) { this.mtime = t; this.ctime = t; }
    return ok(data.length);
  }

  /** Replace the whole content (tree loader, snapshots). Pages that are all zero stay holes only
   * when `sparse` is asked for. */
  setContent(data: Uint8Array): void {
    this.pages = new Map();
    for (let i = 0; i < data.length; i += PAGE) {
      const page = new Uint8Array(PAGE);
      page.set(data.subarray(i, Math.min(i + PAGE, data.length)));
      this.pages.set(i / PAGE, page);
    }
    this.size = data.length;
  }

  content(): Uint8Array {
    const r = this.read(0, this.size);
    return r.ok ? r.value : new Uint8Array(0);
  }

  // ---- xattrs
  getxattr(name: string): Result<Uint8Array> {
    const v = this.xattrMap?.get(name);
    return v ? ok(v.slice()) : err('ENODATA');
  }

  setxattr(name: string, value: Uint8Array, flags: number): Result<void> {
    const has = this.xattrMap?.has(name) ?? false;
    if (flags & XATTR_CREATE && has) return err('EEXIST');
    if (flags & XATTR_REPLACE && !has) return err('ENODATA');
    // ext4 stores a value in the inode or in one external block: a value larger than a block minus
    // the entry headers does not fit (ENOSPC without the ea_inode feature).
    if (this.sb.profile.name === 'ext4' && value.length + name.length + 48 > this.sb.profile.blksize) return err('ENOSPC');
    (this.xattrMap ??= new Map()).set(name, value.slice());
    this.ctime = this.sb.now();
    return OK_VOID;
  }

  /** Put an attribute back as it was (snapshot restore): no checks, no ctime. */
  restoreXattr(name: string, value: Uint8Array): void {
    (this.xattrMap ??= new Map()).set(name, value);
  }

  listxattr(): Result<string[]> {
    return ok([...this.xattrs.keys()]);
  }

  removexattr(name: string): Result<void> {
    if (!this.xattrMap?.delete(name)) return err('ENODATA');
    this.ctime = this.sb.now();
    return OK_VOID;
  }

  getversion(): Result<number> {
    return this.sb.profile.hasGeneration ? ok(this.generationNo) : err('ENOTTY');
  }

  dtype(): number {
    return dtypeOf(this.mode);
  }

  isSymlink(): boolean {
    return isLnk(this.mode);
  }
}

/**
 * Mode, owner, group and link count of an inode, to be read at once (permission and type checks):
 * an in-memory inode answers with its live fields — no getattr() snapshot object per check (perf:
 * several per path component); any other filesystem (v9fs, procfs) through getattr() as before.
 */
export function ownerAttr(i: FsInode): OwnerAttr {
  return i instanceof MemInode ? i : i.getattr();
}
