// Permission checks (fs/namei.c generic_permission, acl_permission_check; kernel/capability.c
// capable_wrt_inode_uidgid; fs/attr.c, fs/inode.c). Ownership and group membership use the FS ids
// (fsuid/fsgid) and supplementary groups; capability checks use the thread's effective set.
import { CAP, capBit } from './caps.ts';
import { MAY_EXEC, MAY_READ, MAY_WRITE, S_ISGID, S_ISUID, S_ISVTX, S_IXGRP, S_IXUGO, isDir, isLnk, isReg } from './constants.ts';
import type { Errno } from './errno.ts';
import type { Process } from './process.ts';
import type { InodeAttr, OwnerAttr } from './vfs.ts';

export function capable(t: Process, cap: number): boolean {
  return (t.caps.effective & capBit(cap)) !== 0n;
}

/** in_group_p: the fsgid or a supplementary group. */
export function inGroup(t: Process, gid: number): boolean {
  return t.cred.fsgid === gid || t.cred.groups.includes(gid);
}

/** generic_permission(): owner/group/other bits, then CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH. */
export function genericPermission(t: Process, a: OwnerAttr, mask: number): Errno | null {
  const m = mask & (MAY_READ | MAY_WRITE | MAY_EXEC);
  let bits: number;
  if (t.cred.fsuid === a.uid) bits = (a.mode >> 6) & 7;
  else if (inGroup(t, a.gid)) bits = (a.mode >> 3) & 7;
  else bits = a.mode & 7;
  if ((m & ~bits) === 0) return null;
  if (isDir(a.mode)) {
    // Directories: DAC_OVERRIDE grants everything; DAC_READ_SEARCH grants read and search.
    if (!(m & MAY_WRITE) && capable(t, CAP.DAC_READ_SEARCH)) return null;
    if (capable(t, CAP.DAC_OVERRIDE)) return null;
    return 'EACCES';
  }
  // Regular files: DAC_OVERRIDE grants read/write, and exec only if some x bit is set.
  if (!(m & MAY_EXEC) || (a.mode & S_IXUGO)) {
    if (capable(t, CAP.DAC_OVERRIDE)) return null;
  }
  if (m === MAY_READ && capable(t, CAP.DAC_READ_SEARCH)) return null;
  return 'EACCES';
}

/** inode_owner_or_capable(): the fsuid owns the inode, or CAP_FOWNER. */
export function ownerOrCapable(t: Process, a: OwnerAttr): boolean {
  return t.cred.fsuid === a.uid || capable(t, CAP.FOWNER);
}

/** The sticky-directory rule of may_delete()/check_sticky(): in a sticky directory only the owner of
 * the entry, the owner of the directory or CAP_FOWNER may remove or rename it (EPERM). */
export function stickyDenies(t: Process, dir: OwnerAttr, victim: OwnerAttr): boolean {
  if (!(dir.mode & S_ISVTX)) return false;
  if (t.cred.fsuid === victim.uid || t.cred.fsuid === dir.uid) return false;
  return !capable(t, CAP.FOWNER);
}

/** fs/attr.c chown_ok(): may the caller change the owner to `uid`? */
export function chownOk(t: Process, a: InodeAttr, uid: number): boolean {
  if (t.cred.fsuid === a.uid && uid === a.uid) return true;
  return capable(t, CAP.CHOWN);
}

/** fs/attr.c chgrp_ok(): the owner may change the group to one of its groups (or keep it). */
export function chgrpOk(t: Process, a: InodeAttr, gid: number): boolean {
  if (t.cred.fsuid === a.uid && (gid === a.gid || inGroup(t, gid))) return true;
  return capable(t, CAP.CHOWN);
}

/** setattr_prepare/chmod: S_ISGID is dropped when the caller is not in the file's group and lacks
 * CAP_FSETID (fs/attr.c, "Also check the setgid bit!"). */
export function chmodMode(t: Process, a: InodeAttr, mode: number, gid = a.gid): number {
  if ((mode & S_ISGID) && !inGroup(t, gid) && !capable(t, CAP.FSETID)) return mode & ~S_ISGID;
  return mode;
}

/**
 * inode_init_owner() + mode_strip_sgid(): owner and mode of a new inode. The uid is the fsuid; in a
 * setgid directory the gid is the directory's and new directories inherit S_ISGID; otherwise a
 * non-member without CAP_FSETID loses S_ISGID on a group-executable new file (CVE-2018-13405 rule).
 */
export function initOwner(t: Process, dir: OwnerAttr, mode: number): { uid: number; gid: number; mode: number } {
  const uid = t.cred.fsuid;
  let gid = t.cred.fsgid;
  if (dir.mode & S_ISGID) {
    gid = dir.gid;
    if (isDir(mode)) mode |= S_ISGID;
    else if ((mode & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP) && !inGroup(t, gid) && !capable(t, CAP.FSETID)) {
      mode &= ~S_ISGID;
    }
  }
  return { uid, gid, mode };
}

/** should_remove_suid(): bits a write or truncate by this caller must clear (fs/inode.c).
 * Linux clears them for any writer without CAP_FSETID, owner included. */
export function suidBitsToKill(t: Process, a: InodeAttr): number {
  if (!isReg(a.mode)) return 0;
  let kill = 0;
  if (a.mode & S_ISUID) kill |= S_ISUID;
  if ((a.mode & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP)) kill |= S_ISGID;
  if (kill && !capable(t, CAP.FSETID)) return kill;
  return 0;
}

/** user.* xattrs only on regular files and directories (fs/xattr.c xattr_permission): others EPERM
 * (observed: basic_fd/lsetxattr_symlink_user). */
export function userXattrAllowed(mode: number): boolean {
  return isReg(mode) || isDir(mode);
}

export { isLnk };
