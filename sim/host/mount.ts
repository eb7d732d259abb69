// Mounts and locations. A Location is Linux's struct path: (vfsmount, dentry) — here (Mount, inode).
// Path walks cross into a mount when they reach its mountpoint and leave it through '..' at its root
// (fs/namei.c follow_dotdot, traverse_mounts).
import type { FsInode, SuperBlock } from './vfs.ts';

export interface Mount {
  readonly id: number;
  readonly sb: SuperBlock;
  readonly root: FsInode;
  /** null for the root mount of a kernel. */
  readonly parent: Mount | null;
  /** Where it is mounted inside `parent`. */
  readonly mountpoint: FsInode | null;
  readonly readonly: boolean;
  /** Display source/target for /proc/mounts. */
  readonly source: string;
  target: string;
}

export interface Location {
  readonly mnt: Mount;
  readonly inode: FsInode;
  /** The dentry the walk reached a non-directory through (a file's inode has no unique parent:
   * hard links); used for display paths (d_path) only. Not updated by later renames. */
  readonly via?: { dir: FsInode; name: string };
}

export function sameLocation(a: Location, b: Location): boolean {
  return a.mnt === b.mnt && (a.inode === b.inode || (a.inode.sb === b.inode.sb && a.inode.ino === b.inode.ino));
}
