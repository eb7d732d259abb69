// Tgetattr and Tsetattr (hw/9pfs/9p.c v9fs_getattr, stat_to_v9stat_dotl, v9fs_setattr).
import type { P9MessageOf } from '../../../p9/messages.ts';
import { P9_GETATTR, P9_SETATTR } from '../../../p9/constants.ts';
import { UTIME_NOW, UTIME_OMIT, S_IFMT, S_IFREG, S_IFDIR } from '../../../host/constants.ts';
import type { Stat } from '../../../host/types.ts';
import type { V9fsState } from '../state.ts';
import { atLeast } from '../state.ts';
import type { Co } from '../coroutine.ts';
import type { FsCred, Times } from '../../fsdev/file-ops.ts';
import { type Reply, lerror, E } from '../reply.ts';
import { statToQid, blksizeToIounit } from '../qid.ts';

const u64 = (n: number | bigint): bigint => BigInt.asUintN(64, BigInt(n));

/**
 * stat_to_v9stat_dotl: result mask P9_STATS_BASIC; st_blksize is the iounit-rounded block size
 * since QEMU 6.1 ("9pfs: fix wrong I/O block size in Rgetattr"; boundary approximate), the host
 * st_blksize before.
 */
export function statToRgetattr(s: V9fsState, st: Stat): Extract<Reply, { kind: 'Rgetattr' }> {
  const blksize = atLeast(s, 6, 1) ? blksizeToIounit(s.msize, st.blksize) : st.blksize;
  return {
    kind: 'Rgetattr',
    valid: BigInt(P9_GETATTR.BASIC),
    qid: statToQid(st),
    mode: st.mode >>> 0,
    uid: st.uid >>> 0,
    gid: st.gid >>> 0,
    nlink: u64(st.nlink),
    // host_dev_to_dotl_dev: identity on a Linux host.
    rdev: u64(st.rdev),
    size: u64(st.size),
    blksize: u64(blksize),
    blocks: u64(st.blocks),
    atime_sec: u64(st.atime.sec),
    atime_nsec: u64(st.atime.nsec),
    mtime_sec: u64(st.mtime.sec),
    mtime_nsec: u64(st.mtime.nsec),
    ctime_sec: u64(st.ctime.sec),
    ctime_nsec: u64(st.ctime.nsec),
    btime_sec: 0n,
    btime_nsec: 0n,
    gen: 0n,
    data_version: 0n,
  };
}

export function* v9fsGetattr(s: V9fsState, m: P9MessageOf<'Tgetattr'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.ENOENT);
  const st = yield* s.driver.lstat(f.path);
  if (!st.ok) return lerror(st.errno);
  const r = statToRgetattr(s, st.value);
  if ((m.request_mask & BigInt(P9_GETATTR.GEN)) !== 0n) {
    // v9fs_co_st_gen: without exops.get_st_gen the result is 0 and GEN is reported with gen 0.
    let gen: { ok: true; value: bigint } | { ok: false; errno: number } = { ok: true, value: 0n };
    if (s.driver.getStGen) gen = yield* s.driver.getStGen(f.path, st.value.mode);
    if (gen.ok) {
      r.valid |= BigInt(P9_GETATTR.GEN);
      r.gen = gen.value;
    }
    // "failed to get st_gen: not fatal, ignore"
  }
  return r;
}

export const isRegOrDir = (mode: number): boolean => (mode & S_IFMT) === S_IFREG || (mode & S_IFMT) === S_IFDIR;

/** P9_ATTR_MASK (9p.c): the low seven bits; the *_SET bits only qualify ATIME/MTIME. */
const P9_ATTR_MASK = 127;

export function* v9fsSetattr(s: V9fsState, m: P9MessageOf<'Tsetattr'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.EINVAL);
  const v = m.valid;
  // Order as 9p.c: chmod, utimensat, chown, truncate (proxy-protocol.md §14; verified in 9p.c).
  if (v & P9_SETATTR.MODE) {
    const cred: FsCred = { uid: -1, gid: -1, mode: m.mode, rdev: -1n };
    const r = yield* s.driver.chmod(f.path, cred);
    if (!r.ok) return lerror(r.errno);
  }
  if (v & (P9_SETATTR.ATIME | P9_SETATTR.MTIME)) {
    // `struct timespec times[2]` is not initialised: for UTIME_NOW/UTIME_OMIT tv_sec is whatever
    // was on the coroutine stack. We use 0 (proxy-protocol.md §5.1 marks this unverified).
    const times: Times = { atime: { sec: 0, nsec: UTIME_OMIT }, mtime: { sec: 0, nsec: UTIME_OMIT } };
    if (v & P9_SETATTR.ATIME) {
      times.atime = v & P9_SETATTR.ATIME_SET
        ? { sec: Number(BigInt.asIntN(64, m.atime_sec)), nsec: Number(m.atime_nsec & 0xffffffffffffn) }
        : { sec: 0, nsec: UTIME_NOW };
    }
    if (v & P9_SETATTR.MTIME) {
      times.mtime = v & P9_SETATTR.MTIME_SET
        ? { sec: Number(BigInt.asIntN(64, m.mtime_sec)), nsec: Number(m.mtime_nsec & 0xffffffffffffn) }
        : { sec: 0, nsec: UTIME_NOW };
    }
    const r = yield* s.driver.utimensat(f.path, times);
    if (!r.ok) return lerror(r.errno);
  }
  // "If the only valid entry in iattr is ctime we can call chown(-1,-1) to update the ctime".
  if ((v & (P9_SETATTR.UID | P9_SETATTR.GID)) || ((v & P9_SETATTR.CTIME) && !((v & P9_ATTR_MASK) & ~P9_SETATTR.CTIME))) {
    const cred: FsCred = {
      uid: v & P9_SETATTR.UID ? m.uid | 0 : -1,
      gid: v & P9_SETATTR.GID ? m.gid | 0 : -1,
      mode: -1,
      rdev: -1n,
    };
    const r = yield* s.driver.chown(f.path, cred);
    if (!r.ok) return lerror(r.errno);
  }
  if (v & P9_SETATTR.SIZE) {
    const r = yield* s.driver.truncate(f.path, Number(BigInt.asIntN(64, m.size)));
    if (!r.ok) return lerror(r.errno);
  }
  return { kind: 'Rsetattr' };
}
