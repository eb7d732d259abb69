// Host trees from the conformance format (vectors/FORMAT.md "Tree entry") and a tree dump for shells
// and the host-tree panel. The loader builds inodes directly through the VFS interface — like the
// recorder preparing the export as root before the helper starts — so no umask or permission check
// applies, and the times it sets are final (directory times are set after their children exist).
import { base64Decode } from './base64.ts';
import { bstrToText, bytesToBstr, textToBstr, utf8Encode } from './bytes.ts';
import type { Timespec } from './clock.ts';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, isDir, isLnk, makedev } from './constants.ts';
import type { Kernel } from './kernel.ts';
import type { Location } from './mount.ts';
import type { FsInode } from './vfs.ts';

export type TreeEntryType = 'file' | 'dir' | 'symlink' | 'fifo' | 'chardev' | 'blockdev' | 'socket';

export interface TreeEntry {
  path?: string;
  path_b64?: string;
  type: TreeEntryType;
  mode: number;
  uid: number;
  gid: number;
  content?: string;
  content_b64?: string;
  target?: string;
  target_b64?: string;
  rdev?: number;
  rdev_major?: number;
  rdev_minor?: number;
  xattrs?: Record<string, string | { b64: string }>;
  atime?: Timespec;
  mtime?: Timespec;
  hardlink_of?: string;
}

export interface RootAttrs {
  mode: number;
  uid: number;
  gid: number;
  atime?: Timespec;
  mtime?: Timespec;
  xattrs?: Record<string, string | { b64: string }>;
}

/** A located error in a tree description: which entry (index and path) and which field. */
export class TreeLoadError extends Error {
  static readonly code = 'TreeLoadError' as const;
  readonly code = TreeLoadError.code;
  constructor(readonly data: { index: number; path: string; field: string; reason: string }) {
    super(`tree entry ${data.index} (${JSON.stringify(data.path)}), field ${data.field}: ${data.reason}`);
  }
}

const TYPE_BITS: Record<TreeEntryType, number> = {
  file: S_IFREG, dir: S_IFDIR, symlink: S_IFLNK, fifo: S_IFIFO, chardev: S_IFCHR, blockdev: S_IFBLK, socket: S_IFSOCK,
};

function decodeB64(v: string, index: number, path: string, field: string): Uint8Array {
  const r = base64Decode(v);
  if (!(r instanceof Uint8Array)) throw new TreeLoadError({ index, path, field, reason: `invalid base64 at offset ${r.badOffset}` });
  return r;
}

function xattrValue(v: string | { b64: string }, index: number, path: string, name: string): Uint8Array {
  if (typeof v === 'string') return utf8Encode(v);
  if (v && typeof v.b64 === 'string') return decodeB64(v.b64, index, path, `xattrs.${name}.b64`);
  throw new TreeLoadError({ index, path, field: `xattrs.${name}`, reason: 'expected a string or {b64}' });
}

function checkTime(t: Timespec | undefined, index: number, path: string, field: string): void {
  if (t === undefined) return;
  if (!Number.isInteger(t.sec) || !Number.isInteger(t.nsec) || t.nsec < 0 || t.nsec > 999_999_999) {
    throw new TreeLoadError({ index, path, field, reason: 'expected {sec: integer, nsec: 0..999999999}' });
  }
}

export interface LoadTreeOptions {
  /** Create missing directories leading to `dir` (0755 root:root) — for `outside` objects. */
  createParents?: boolean;
  /** Attributes of `dir` itself (FORMAT.md `export_root`). */
  root?: RootAttrs;
}

/** Resolve `dir` as init sees it, creating it (and parents) with mkdir -p semantics if asked. */
function ensureDir(k: Kernel, dir: string, createParents: boolean): Location {
  const r = k.resolve(k.init, dir);
  if (r.ok) {
    if (!isDir(r.value.inode.getattr().mode)) throw new TreeLoadError({ index: -1, path: dir, field: 'dir', reason: 'not a directory' });
    return r.value;
  }
  if (!createParents) throw new TreeLoadError({ index: -1, path: dir, field: 'dir', reason: `cannot resolve (${r.errno})` });
  let cur = k.resolve(k.init, '/');
  if (!cur.ok) throw new TreeLoadError({ index: -1, path: dir, field: 'dir', reason: 'no root' });
  let loc = cur.value;
  for (const comp of textToBstr(dir).split('/').filter((c) => c)) {
    const next = loc.inode.lookup(comp);
    if (next.ok) { loc = { mnt: loc.mnt, inode: next.value }; continue; }
    const c = loc.inode.create(comp, { mode: S_IFDIR | 0o755, uid: 0, gid: 0 });
    if (!c.ok) throw new TreeLoadError({ index: -1, path: dir, field: 'dir', reason: `mkdir ${bstrToText(comp)}: ${c.errno}` });
    loc = { mnt: loc.mnt, inode: c.value };
  }
  cur = k.resolve(k.init, dir);
  if (!cur.ok) throw new TreeLoadError({ index: -1, path: dir, field: 'dir', reason: `cannot resolve (${cur.errno})` });
  return cur.value;
}

/** A parent not listed earlier: it may already exist (outside objects such as /etc); with
 * createParents it is made 0755 root:root. */
function findParent(base: FsInode, comps: string[], create: boolean, index: number, shown: string): FsInode {
  let cur = base;
  for (const c of comps) {
    const r = cur.lookup(c);
    if (r.ok) {
      cur = r.value;
      continue;
    }
    if (!create) throw new TreeLoadError({ index, path: shown, field: 'path', reason: 'parent directory not defined earlier' });
    const m = cur.create(c, { mode: S_IFDIR | 0o755, uid: 0, gid: 0 });
    if (!m.ok) throw new TreeLoadError({ index, path: shown, field: 'path', reason: `mkdir parent: ${m.errno}` });
    cur = m.value;
  }
  if (!isDir(cur.getattr().mode)) throw new TreeLoadError({ index, path: shown, field: 'path', reason: 'parent is not a directory' });
  return cur;
}

/**
 * Build `entries` below `dir` (parents before children, as FORMAT.md guarantees). Throws
 * TreeLoadError for malformed entries; returns the number of entries created.
 */
export function loadTree(k: Kernel, dir: string, entries: readonly TreeEntry[], opts: LoadTreeOptions = {}): number {
  const base = ensureDir(k, dir, !!opts.createParents);
  const byPath = new Map<string, FsInode>();
  byPath.set('', base.inode);
  const timed: { inode: FsInode; atime?: Timespec; mtime?: Timespec }[] = [];
  entries.forEach((e, index) => {
    const shown = e.path ?? e.path_b64 ?? '';
    let rel: string;
    if (e.path_b64 !== undefined) rel = bytesToBstr(decodeB64(e.path_b64, index, shown, 'path_b64'));
    else if (typeof e.path === 'string') rel = textToBstr(e.path);
    else throw new TreeLoadError({ index, path: shown, field: 'path', reason: 'missing' });
    rel = rel.replace(/^\/+/, '');
    const comps = rel.split('/');
    if (rel === '' || comps.some((c) => c === '' || c === '.' || c === '..')) {
      throw new TreeLoadError({ index, path: shown, field: 'path', reason: 'empty, ".", ".." or empty component' });
    }
    if (!(e.type in TYPE_BITS)) throw new TreeLoadError({ index, path: shown, field: 'type', reason: `unknown type ${JSON.stringify(e.type)}` });
    if (!Number.isInteger(e.mode) || e.mode < 0 || e.mode > 0o7777) throw new TreeLoadError({ index, path: shown, field: 'mode', reason: 'expected permission bits 0..0o7777' });
    for (const f of ['uid', 'gid'] as const) {
      if (!Number.isInteger(e[f]) || e[f] < 0 || e[f] > 0xffffffff) throw new TreeLoadError({ index, path: shown, field: f, reason: 'expected 0..4294967295' });
    }
    checkTime(e.atime, index, shown, 'atime');
    checkTime(e.mtime, index, shown, 'mtime');
    const name = comps[comps.length - 1]!;
    const parentRel = comps.slice(0, -1).join('/');
    const parent = byPath.get(parentRel) ?? findParent(base.inode, comps.slice(0, -1), !!opts.createParents, index, shown);
    byPath.set(parentRel, parent);
    if (e.hardlink_of !== undefined) {
      const target = byPath.get(textToBstr(e.hardlink_of).replace(/^\/+/, ''));
      if (!target) throw new TreeLoadError({ index, path: shown, field: 'hardlink_of', reason: `no earlier entry ${JSON.stringify(e.hardlink_of)}` });
      const l = parent.link(name, target);
      if (!l.ok) throw new TreeLoadError({ index, path: shown, field: 'hardlink_of', reason: l.errno });
      byPath.set(rel, target);
      return;
    }
    let rdev = 0n;
    if (e.type === 'chardev' || e.type === 'blockdev') {
      if (e.rdev !== undefined) rdev = BigInt(e.rdev);
      else if (e.rdev_major !== undefined && e.rdev_minor !== undefined) rdev = makedev(e.rdev_major, e.rdev_minor);
      else throw new TreeLoadError({ index, path: shown, field: 'rdev', reason: 'devices need rdev or rdev_major/rdev_minor' });
    }
    let target: string | undefined;
    if (e.type === 'symlink') {
      if (e.target_b64 !== undefined) target = bytesToBstr(decodeB64(e.target_b64, index, shown, 'target_b64'));
      else if (typeof e.target === 'string') target = textToBstr(e.target);
      else throw new TreeLoadError({ index, path: shown, field: 'target', reason: 'symlinks need target or target_b64' });
    }
    const mode = TYPE_BITS[e.type] | (e.type === 'symlink' ? 0o777 : e.mode);
    const existing = parent.lookup(name);
    let inode: FsInode;
    if (existing.ok && e.type === 'dir' && isDir(existing.value.getattr().mode)) {
      inode = existing.value;
      inode.setattr({ mode: e.mode, uid: e.uid, gid: e.gid });
    } else {
      const c = parent.create(name, { mode, uid: e.uid >>> 0, gid: e.gid >>> 0, rdev, target });
      if (!c.ok) throw new TreeLoadError({ index, path: shown, field: 'path', reason: `create: ${c.errno}` });
      inode = c.value;
    }
    if (e.type === 'file') {
      const data = e.content_b64 !== undefined ? decodeB64(e.content_b64, index, shown, 'content_b64') : utf8Encode(e.content ?? '');
      if (data.length) {
        const w = inode.write(0, data);
        if (!w.ok) throw new TreeLoadError({ index, path: shown, field: 'content', reason: w.errno });
      }
    }
    for (const [xn, xv] of Object.entries(e.xattrs ?? {})) {
      const s = inode.setxattr(textToBstr(xn), xattrValue(xv, index, shown, xn), 0);
      if (!s.ok) throw new TreeLoadError({ index, path: shown, field: `xattrs.${xn}`, reason: s.errno });
    }
    byPath.set(rel, inode);
    timed.push({ inode, atime: e.atime, mtime: e.mtime });
  });
  if (opts.root) {
    const r = opts.root;
    base.inode.setattr({ mode: r.mode, uid: r.uid, gid: r.gid });
    for (const [xn, xv] of Object.entries(r.xattrs ?? {})) {
      const s = base.inode.setxattr(textToBstr(xn), xattrValue(xv, -1, dir, xn), 0);
      if (!s.ok) throw new TreeLoadError({ index: -1, path: dir, field: `xattrs.${xn}`, reason: s.errno });
    }
    timed.push({ inode: base.inode, atime: r.atime, mtime: r.mtime });
  }
  // Times last: creating children changes a directory's mtime.
  for (const x of timed) {
    if (x.atime || x.mtime) x.inode.setattr({ atime: x.atime, mtime: x.mtime });
  }
  return entries.length;
}

/** One row of a tree dump. */
export interface TreeNode {
  /** Path below the dumped directory ('' for the directory itself), display text. */
  path: string;
  type: TreeEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  ino: number;
  dev: number;
  rdev?: bigint;
  target?: string;
  xattrs?: string[];
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  /** Set on the second and later names of a hard-linked non-directory. */
  hardlinkOf?: string;
  /** A mount point: the mounted filesystem type. */
  mounted?: string;
}

function typeOf(mode: number): TreeEntryType {
  switch (mode & S_IFMT) {
    case S_IFDIR: return 'dir';
    case S_IFLNK: return 'symlink';
    case S_IFIFO: return 'fifo';
    case S_IFCHR: return 'chardev';
    case S_IFBLK: return 'blockdev';
    case S_IFSOCK: return 'socket';
    default: return 'file';
  }
}

/**
 * Dump the tree under `dir` (as init sees it), depth first, names sorted bytewise. Crosses into
 * mounts only when `crossMounts` (a mounted v9fs would otherwise be walked over 9P).
 */
export function dumpTree(k: Kernel, dir = '/', opts: { crossMounts?: boolean; maxEntries?: number } = {}): TreeNode[] {
  const start = k.resolve(k.init, dir);
  if (!start.ok) return [];
  const out: TreeNode[] = [];
  const seen = new Map<string, string>();
  const max = opts.maxEntries ?? 100000;
  const visit = (loc: Location, rel: string): void => {
    if (out.length >= max) return;
    const a = loc.inode.getattr();
    const node: TreeNode = {
      path: bstrToText(rel), type: typeOf(a.mode), mode: a.mode & 0o7777, uid: a.uid, gid: a.gid, size: a.size,
      nlink: a.nlink, ino: a.ino, dev: loc.inode.sb.dev, atime: a.atime, mtime: a.mtime, ctime: a.ctime,
    };
    if (isLnk(a.mode)) {
      const t = loc.inode.readlink();
      if (t.ok) node.target = bstrToText(t.value);
    }
    if ((a.mode & S_IFMT) === S_IFCHR || (a.mode & S_IFMT) === S_IFBLK) node.rdev = a.rdev;
    const xl = loc.inode.listxattr();
    if (xl.ok && xl.value.length) node.xattrs = xl.value.map(bstrToText);
    const key = `${loc.inode.sb.id}:${a.ino}`;
    if (!isDir(a.mode) && a.nlink > 1) {
      const first = seen.get(key);
      if (first !== undefined) node.hardlinkOf = first;
      else seen.set(key, node.path);
    }
    out.push(node);
    if (!isDir(a.mode)) return;
    const ents = loc.inode.readdir();
    if (!ents.ok) return;
    const names = ents.value.map((e) => e.name).sort();
    for (const n of names) {
      const c = loc.inode.lookup(n);
      if (!c.ok) continue;
      let child: Location = { mnt: loc.mnt, inode: c.value, via: { dir: loc.inode, name: n } };
      const m = k.mountList().find((x) => x.parent === loc.mnt && x.mountpoint && x.mountpoint.sb === c.value.sb && x.mountpoint.ino === c.value.ino);
      if (m) {
        if (!opts.crossMounts) {
          const ca = c.value.getattr();
          out.push({ path: bstrToText(rel ? rel + '/' + n : n), type: 'dir', mode: ca.mode & 0o7777, uid: ca.uid, gid: ca.gid, size: ca.size, nlink: ca.nlink, ino: ca.ino, dev: m.sb.dev, atime: ca.atime, mtime: ca.mtime, ctime: ca.ctime, mounted: m.sb.fsType });
          continue;
        }
        child = { mnt: m, inode: m.root };
      }
      visit(child, rel ? rel + '/' + n : n);
    }
  };
  visit(start.value, '');
  return out;
}

