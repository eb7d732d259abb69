// Snapshots of an in-memory filesystem: every inode once (hard links keep their identity), with
// type, mode, owners, all three times, nlink, rdev, symlink target, xattrs, content and the ext4
// generation; names as byte strings (base64) so non-UTF-8 names survive. Plain JSON (no bigint).
// memfs's toJSON loses all of this (stack.md §3); this is the round trip the UI's share links and
// scenario resets need.
import { base64Decode, base64Encode } from './base64.ts';
import { bstrToBytes, bytesToBstr } from './bytes.ts';
import type { Timespec, VirtualClock } from './clock.ts';
import { S_IFMT, isDir } from './constants.ts';
import { MemFs, MemInode } from './memory-fs.ts';
import { PROFILES } from './profiles.ts';

export const SNAPSHOT_FORMAT = 'virtfs-lab-fs-snapshot/1';

export interface InodeSnapshot {
  id: number;
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  /** rdev as a decimal string (may exceed 2^53). */
  rdev?: string;
  target_b64?: string;
  /** Regular files: the written pages [page index, base64 of 4096 bytes] — holes stay holes. */
  pages?: [number, string][];
  size?: number;
  xattrs?: [string, string][];
  generation?: number;
  /** Directories: [name_b64, inode id] in readdir order. */
  entries?: [string, number][];
}

export interface FsSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  profile: 'ext4' | 'tmpfs';
  dev: number;
  root: number;
  inodes: InodeSnapshot[];
}

export class SnapshotError extends Error {
  static readonly code = 'SnapshotError' as const;
  readonly code = SnapshotError.code;
  constructor(readonly data: { where: string; reason: string }) {
    super(`snapshot ${data.where}: ${data.reason}`);
  }
}

export function snapshotFs(fs: MemFs): FsSnapshot {
  const ids = new Map<MemInode, number>();
  const inodes: InodeSnapshot[] = [];
  const visit = (n: MemInode): number => {
    const known = ids.get(n);
    if (known !== undefined) return known;
    const id = inodes.length;
    ids.set(n, id);
    const s: InodeSnapshot = { id, ino: n.ino, mode: n.mode, uid: n.uid, gid: n.gid, atime: { ...n.atime }, mtime: { ...n.mtime }, ctime: { ...n.ctime } };
    inodes.push(s);
    if (n.rdev !== 0n) s.rdev = n.rdev.toString();
    if (n.target !== undefined) s.target_b64 = base64Encode(bstrToBytes(n.target));
    if (n.pages) {
      s.pages = [...n.pages].sort((a, b) => a[0] - b[0]).map(([i, p]) => [i, base64Encode(p)]);
      s.size = n.size;
    }
    if (n.xattrs.size) s.xattrs = [...n.xattrs].map(([k, v]) => [base64Encode(bstrToBytes(k)), base64Encode(v)]);
    if (fs.profile.hasGeneration) s.generation = n.generationNo;
    if (n.entries) s.entries = [...n.entries].map(([name, c]) => [base64Encode(bstrToBytes(name)), visit(c)]);
    return id;
  };
  const root = visit(fs.root);
  return { format: SNAPSHOT_FORMAT, profile: fs.profile.name, dev: fs.dev, root, inodes };
}

function b64(s: string, where: string): Uint8Array {
  const r = base64Decode(s);
  if (!(r instanceof Uint8Array)) throw new SnapshotError({ where, reason: `bad base64 at offset ${r.badOffset}` });
  return r;
}

/** Rebuild a filesystem from a snapshot (a new superblock; mount it or use it as a kernel's root). */
export function restoreFs(snap: FsSnapshot, clock: VirtualClock): MemFs {
  if (snap.format !== SNAPSHOT_FORMAT) throw new SnapshotError({ where: 'format', reason: `expected ${SNAPSHOT_FORMAT}` });
  const profile = PROFILES[snap.profile];
  if (!profile) throw new SnapshotError({ where: 'profile', reason: `unknown profile ${String(snap.profile)}` });
  const rootSnap = snap.inodes[snap.root];
  if (!rootSnap || !isDir(rootSnap.mode)) throw new SnapshotError({ where: 'root', reason: 'root must be a directory' });
  const fs = new MemFs({ profile, clock, dev: snap.dev });
  const built = new Map<number, MemInode>();
  built.set(snap.root, fs.root);
  fs.root.ino = rootSnap.ino;
  let maxIno = rootSnap.ino;
  const fill = (n: MemInode, s: InodeSnapshot): void => {
    n.uid = s.uid;
    n.gid = s.gid;
    n.mode = (n.mode & S_IFMT) | (s.mode & 0o7777);
    if (s.pages && n.pages) {
      for (const [i, data] of s.pages) {
        const page = b64(data, `inode ${s.id} page ${i}`);
        if (page.length !== 4096 || !Number.isInteger(i) || i < 0) throw new SnapshotError({ where: `inode ${s.id} page ${i}`, reason: 'a page is 4096 bytes at a non-negative index' });
        n.pages.set(i, page);
      }
    }
    if (s.size !== undefined && n.pages) n.size = s.size;
    for (const [k, v] of s.xattrs ?? []) n.restoreXattr(bytesToBstr(b64(k, `inode ${s.id} xattr name`)), b64(v, `inode ${s.id} xattr`));
    if (s.generation !== undefined) n.generationNo = s.generation;
  };
  const times: [MemInode, InodeSnapshot][] = [];
  const build = (dir: MemInode, s: InodeSnapshot, depth: number): void => {
    if (depth > 10000) throw new SnapshotError({ where: `inode ${s.id}`, reason: 'directory cycle' });
    for (const [nameB64, childId] of s.entries ?? []) {
      const name = bytesToBstr(b64(nameB64, `inode ${s.id} entry`));
      const cs = snap.inodes[childId];
      if (!cs) throw new SnapshotError({ where: `inode ${s.id}`, reason: `entry refers to missing inode ${childId}` });
      const existing = built.get(childId);
      if (existing) {
        if (isDir(cs.mode)) throw new SnapshotError({ where: `inode ${childId}`, reason: 'directory linked twice' });
        const l = dir.link(name, existing);
        if (!l.ok) throw new SnapshotError({ where: `inode ${s.id}`, reason: `link ${l.errno}` });
        continue;
      }
      const target = cs.target_b64 !== undefined ? bytesToBstr(b64(cs.target_b64, `inode ${childId} target`)) : undefined;
      const c = dir.create(name, { mode: cs.mode, uid: cs.uid, gid: cs.gid, rdev: cs.rdev ? BigInt(cs.rdev) : 0n, target });
      if (!c.ok) throw new SnapshotError({ where: `inode ${s.id}`, reason: `create ${c.errno}` });
      const n = c.value as MemInode;
      n.ino = cs.ino;
      maxIno = Math.max(maxIno, cs.ino);
      built.set(childId, n);
      fill(n, cs);
      times.push([n, cs]);
      if (isDir(cs.mode)) build(n, cs, depth + 1);
    }
  };
  fill(fs.root, rootSnap);
  build(fs.root, rootSnap, 0);
  times.push([fs.root, rootSnap]);
  for (const [n, s] of times) { n.atime = { ...s.atime }; n.mtime = { ...s.mtime }; n.ctime = { ...s.ctime }; }
  fs.setNextIno(maxIno + 1);
  return fs;
}
