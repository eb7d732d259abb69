// Credential changes (kernel/sys.c __sys_setresuid/__sys_setresgid/__sys_setfsuid/__sys_setfsgid,
// setgroups) and their capability effects (security/commoncap.c cap_task_fix_setuid; capabilities(7)
// "Effect of user ID changes on capabilities"):
//  - if one of ruid/euid/suid was 0 and afterwards none is, permitted and effective (and ambient) are
//    cleared, unless keep-caps (which keeps permitted; effective is cleared anyway);
//  - euid 0 → non-0 clears the effective set; non-0 → 0 copies permitted into effective;
//  - fsuid 0 → non-0 clears CAP_FS_SET from effective; non-0 → 0 raises permitted ∩ CAP_FS_SET.
import { CAP, CAP_FS_SET } from './caps.ts';
import type { Errno } from './errno.ts';
import { capable } from './perm.ts';
import type { Process } from './process.ts';

const KEEP = 0xffffffff; // -1 as an unsigned id: "leave unchanged"

function norm(id: number): number {
  return id >>> 0;
}

function fixSetuid(t: Process, old: { ruid: number; euid: number; suid: number; fsuid: number }): void {
  const c = t.cred;
  const caps = t.caps;
  if ((old.ruid === 0 || old.euid === 0 || old.suid === 0) && c.ruid !== 0 && c.euid !== 0 && c.suid !== 0) {
    if (!t.keepCaps) caps.permitted = 0n;
    caps.effective = 0n;
    caps.ambient = 0n;
  }
  if (old.euid === 0 && c.euid !== 0) caps.effective = 0n;
  if (old.euid !== 0 && c.euid === 0) caps.effective = caps.permitted;
  // fsuid follows euid in setresuid; the fs-cap fixup applies on its own transition.
  if (old.fsuid === 0 && c.fsuid !== 0) caps.effective &= ~CAP_FS_SET;
  else if (old.fsuid !== 0 && c.fsuid === 0) caps.effective |= caps.permitted & CAP_FS_SET;
}

/** setresuid(2): -1 (0xffffffff) leaves an id. Unprivileged callers may only use current r/e/s ids. */
export function setresuid(t: Process, r: number, e: number, s: number): Errno | null {
  r = norm(r); e = norm(e); s = norm(s);
  const c = t.cred;
  const allowed = (id: number): boolean => id === KEEP || id === c.ruid || id === c.euid || id === c.suid;
  if (!capable(t, CAP.SETUID) && !(allowed(r) && allowed(e) && allowed(s))) return 'EPERM';
  const old = { ruid: c.ruid, euid: c.euid, suid: c.suid, fsuid: c.fsuid };
  if (r !== KEEP) c.ruid = r;
  if (e !== KEEP) c.euid = e;
  if (s !== KEEP) c.suid = s;
  c.fsuid = c.euid;
  fixSetuid(t, old);
  return null;
}

/** setresgid(2): needs CAP_SETGID unless each id is one of the current r/e/s gids. No capability
 * effects. The fsgid follows the egid. */
export function setresgid(t: Process, r: number, e: number, s: number): Errno | null {
  r = norm(r); e = norm(e); s = norm(s);
  const c = t.cred;
  const allowed = (id: number): boolean => id === KEEP || id === c.rgid || id === c.egid || id === c.sgid;
  if (!capable(t, CAP.SETGID) && !(allowed(r) && allowed(e) && allowed(s))) return 'EPERM';
  if (r !== KEEP) c.rgid = r;
  if (e !== KEEP) c.egid = e;
  if (s !== KEEP) c.sgid = s;
  c.fsgid = c.egid;
  return null;
}

/** setfsuid(2): returns the previous fsuid whether or not the change happened (it never fails
 * visibly). Allowed with CAP_SETUID or to one of ruid/euid/suid/fsuid. */
export function setfsuid(t: Process, uid: number): number {
  uid = norm(uid);
  const c = t.cred;
  const old = c.fsuid;
  if (uid === c.ruid || uid === c.euid || uid === c.suid || uid === c.fsuid || capable(t, CAP.SETUID)) {
    if (uid !== old) {
      const o = { ruid: c.ruid, euid: c.euid, suid: c.suid, fsuid: old };
      c.fsuid = uid;
      fixSetuid(t, o);
    }
  }
  return old;
}

/** setfsgid(2): like setfsuid, with CAP_SETGID; no capability effects. */
export function setfsgid(t: Process, gid: number): number {
  gid = norm(gid);
  const c = t.cred;
  const old = c.fsgid;
  if (gid === c.rgid || gid === c.egid || gid === c.sgid || gid === c.fsgid || capable(t, CAP.SETGID)) c.fsgid = gid;
  return old;
}

/** setgroups(2): CAP_SETGID; at most NGROUPS_MAX (65536). */
export function setgroups(t: Process, groups: number[]): Errno | null {
  if (!capable(t, CAP.SETGID)) return 'EPERM';
  if (groups.length > 65536) return 'EINVAL';
  t.cred.groups = groups.map(norm);
  return null;
}

/**
 * capset(2) for the calling thread (kernel/capability.c + cap_capset): the new permitted set must be a
 * subset of the old one; effective ⊆ new permitted; inheritable ⊆ old inheritable ∪ old permitted
 * (without CAP_SETPCAP) and ⊆ old inheritable ∪ bounding.
 */
export function capset(t: Process, eff: bigint, perm: bigint, inh: bigint): Errno | null {
  const c = t.caps;
  if ((perm & ~c.permitted) !== 0n) return 'EPERM';
  if ((eff & ~perm) !== 0n) return 'EPERM';
  if (!capable(t, CAP.SETPCAP) && (inh & ~(c.inheritable | c.permitted)) !== 0n) return 'EPERM';
  if ((inh & ~(c.inheritable | c.bounding)) !== 0n) return 'EPERM';
  c.effective = eff;
  c.permitted = perm;
  c.inheritable = inh;
  c.ambient &= perm & inh;
  return null;
}

/** prctl(PR_CAPBSET_DROP, cap): needs CAP_SETPCAP. */
export function capbsetDrop(t: Process, cap: number): Errno | null {
  if (cap < 0 || cap > 40) return 'EINVAL';
  if (!capable(t, CAP.SETPCAP)) return 'EPERM';
  t.caps.bounding &= ~(1n << BigInt(cap));
  return null;
}
