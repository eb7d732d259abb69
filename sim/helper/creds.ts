// Credential switching around T_CREATE / T_MKNOD / T_MKDIR / T_SYMLINK (proxy-protocol.md §10).
//
// 5.0+ (libcap-ng): setugid() = setresgid(-1, gid, sgid); setresuid(-1, uid, suid); unless uid == gid == 0
// capng_apply(CAPNG_SELECT_CAPS) re-applies the prepared state (effective = CAP_DAC_OVERRIDE only) to
// the calling thread. resetugid() = setresgid(-1, sgid, sgid); setresuid(-1, suid, suid); abort() on
// failure. glibc runs every set*id call on *all* threads (the setxid broadcast) and aborts when the
// threads disagree — which is how the uid 0 / gid ≠ 0 quirk ends in SIGABRT (§10.3, observed 7.2.22,
// cap_quirk_a/b).
// 1.x (libcap): setfsgid(gid); setfsuid(uid); if uid or gid ≠ 0, raise CAP_DAC_OVERRIDE in the effective
// set again (cap_get_proc + cap_set_flag + cap_set_proc); reset with setfsugid(geteuid(), getegid()) (§10.4).
import { CAP, capBit } from '../host/caps.ts';
import { ERRNO, type Errno } from '../host/errno.ts';
import type { HelperOs, ThreadRef } from './os.ts';
import type { HelperBehaviour } from './behaviour.ts';
import type { HelperQuirkKind } from './quirks.ts';

/** The seven kept capabilities (§11.5): CapEff 0x080000db between requests. */
export const HELPER_CAP_LIST = [CAP.CHOWN, CAP.DAC_OVERRIDE, CAP.FOWNER, CAP.FSETID, CAP.SETGID, CAP.MKNOD, CAP.SETUID];
export const HELPER_CAP_MASK = HELPER_CAP_LIST.reduce((m, c) => m | capBit(c), 0n);

/** Thrown when glibc or the helper calls abort(): the process dies with SIGABRT, no reply. */
export class HelperAbort extends Error {
  static readonly code = 'HelperAbort' as const;
  readonly code = HelperAbort.code;
  constructor(readonly why: string) {
    super(`abort(): ${why}`);
  }
}

/**
 * libcap-ng's view of the process: the state capng_apply() writes. After init_capabilities() it holds
 * effective = {DAC_OVERRIDE}, permitted = the seven, inheritable = ∅ (§11.5, "prepare effective set").
 */
export interface CapngState {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  /** capng_clear(CAPNG_SELECT_BOTH) empties the bounding set; capng_apply(BOTH) drops it all. */
  bounding: bigint;
}

/** glibc's __nptl_setxid: run setresuid/setresgid(r, e, s) on every thread; all must agree or the
 * process aborts. (The call by name, not a closure: four broadcasts per creating request.) */
function setxidBroadcast(os: HelperOs, what: 'setresuid' | 'setresgid', r: number, e: number, s: number): number {
  const threads = os.threads();
  let first: Errno | null = null;
  let failures = 0;
  for (const t of threads) {
    const e2 = what === 'setresuid' ? os.setresuid(t, r, e, s) : os.setresgid(t, r, e, s);
    if (e2 !== null) {
      failures++;
      first ??= e2;
    }
  }
  if (failures === 0) return 0;
  if (failures !== threads.length) {
    // glibc __nptl_setxid_error: one thread succeeded and another failed → the process state is
    // inconsistent → abort()
    throw new HelperAbort(`${what}: ${failures} of ${threads.length} threads failed (${first})`);
  }
  return -ERRNO[first!];
}

export class CredSwitch {
  /** libcap-ng state (5.0+), set by initCapabilities. */
  capng: CapngState = { effective: 0n, permitted: 0n, inheritable: 0n, bounding: 0n };

  constructor(
    private readonly os: HelperOs,
    private readonly b: HelperBehaviour,
    /** Labelled-quirk reporter (quirks.ts). */
    private readonly onQuirk?: (kind: HelperQuirkKind, detail: string) => void,
  ) {}

  private get main(): ThreadRef {
    return this.os.threads()[0]!;
  }

  /**
   * init_capabilities(). 5.0+: capng_clear(BOTH), add the seven to effective+permitted,
   * capng_apply(BOTH) on the calling thread only, then drop every effective bit but DAC_OVERRIDE in
   * libcap-ng's *internal* state. 1.x: cap_init + permitted/effective = the seven, cap_set_proc.
   * Returns the failing call's name for do_perror, or null.
   */
  initCapabilities(): { call: string; errno: Errno } | null {
    const t = this.main;
    if (this.b.credSwitch === 'setresuid-libcap-ng') {
      this.capng = { effective: HELPER_CAP_MASK, permitted: HELPER_CAP_MASK, inheritable: 0n, bounding: 0n };
      const e = this.capngApply(t, true);
      if (e) return { call: 'capng_apply', errno: e };
      this.capng.effective = capBit(CAP.DAC_OVERRIDE);
      return null;
    }
    const e = this.os.capset(t, HELPER_CAP_MASK, HELPER_CAP_MASK, 0n);
    return e ? { call: 'cap_set_proc', errno: e } : null;
  }

  /** capng_apply: bounding drops first (needs CAP_SETPCAP, still there at start-up), then capset. */
  private capngApply(t: ThreadRef, withBounds: boolean): Errno | null {
    if (withBounds) {
      for (let cap = 0; cap <= 40; cap++) {
        if ((this.capng.bounding & capBit(cap)) === 0n) {
          const e = this.os.capbsetDrop(t, cap);
          if (e && e !== 'EINVAL') return e;
        }
      }
    }
    return this.os.capset(t, this.capng.effective, this.capng.permitted, this.capng.inheritable);
  }

  /**
   * setugid(uid, gid, &suid, &sgid) (5.0+) or setfsugid(uid, gid) (1.x). Returns 0 or -errno; throws
   * HelperAbort where the C code (or glibc) aborts.
   */
  setugid(uid: number, gid: number, saved: { uid: number; gid: number }): number {
    const os = this.os;
    if (this.b.credSwitch === 'setfsuid-libcap') {
      for (const t of os.threads()) os.setfsgid(t, gid);
      for (const t of os.threads()) os.setfsuid(t, uid);
      if (uid !== 0 || gid !== 0) {
        const caps = os.capget(this.main);
        const e = os.capset(this.main, caps.effective | capBit(CAP.DAC_OVERRIDE), caps.permitted, caps.inheritable);
        if (e) return -ERRNO[e];
      }
      return 0;
    }
    saved.uid = os.geteuid();
    saved.gid = os.getegid();
    let r = setxidBroadcast(os, 'setresgid', -1, gid, saved.gid);
    if (r < 0) return r;
    r = setxidBroadcast(os, 'setresuid', -1, uid, saved.uid);
    if (r < 0) {
      this.restoreGid(saved.gid);
      return r;
    }
    if (uid === 0 && gid === 0) return 0; // "running as root with full capabilities"
    const e = this.capngApply(this.main, false);
    if (!e && uid === 0) this.onQuirk?.('cap-eff-stuck', `uid 0 gid ${gid}: CapEff 0x2 stays after the restore (0 → 0 euid change)`);
    if (e) {
      if (setxidBroadcast(os, 'setresuid', -1, saved.uid, saved.uid) < 0) throw new HelperAbort('setresuid restore');
      this.restoreGid(saved.gid);
      return -ERRNO[e];
    }
    return 0;
  }

  private restoreGid(sgid: number): void {
    if (setxidBroadcast(this.os, 'setresgid', -1, sgid, sgid) < 0) throw new HelperAbort('setresgid restore');
  }

  /** resetugid(suid, sgid): any failure is abort() (§7.1). 1.x: setfsugid(geteuid(), getegid()). */
  resetugid(saved: { uid: number; gid: number }): void {
    const os = this.os;
    if (this.b.credSwitch === 'setfsuid-libcap') {
      const euid = os.geteuid();
      const egid = os.getegid();
      for (const t of os.threads()) os.setfsgid(t, egid);
      for (const t of os.threads()) os.setfsuid(t, euid);
      return;
    }
    this.restoreGid(saved.gid);
    if (setxidBroadcast(os, 'setresuid', -1, saved.uid, saved.uid) < 0) throw new HelperAbort('setresuid restore');
  }
}
