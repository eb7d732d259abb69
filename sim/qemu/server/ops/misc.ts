// Tstatfs, Treadlink, Tlock, Tgetlock (hw/9pfs/9p.c v9fs_statfs/v9fs_fill_statfs, v9fs_readlink,
// v9fs_lock, v9fs_getlock).
import type { P9MessageOf } from '../../../p9/messages.ts';
import { P9_LOCK_STATUS, P9_LOCK_TYPE, P9_LOCK_FLAGS } from '../../../p9/constants.ts';
import type { V9fsState } from '../state.ts';
import type { Co } from '../coroutine.ts';
import { type Reply, lerror, E } from '../reply.ts';
import { P9_IOHDRSZ } from '../qid.ts';
import { bstrToWire } from '../names.ts';
import { UNOPENED } from './io.ts';

export function* v9fsStatfs(s: V9fsState, m: P9MessageOf<'Tstatfs'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.ENOENT);
  const r = yield* s.driver.statfs(f.path);
  if (!r.ok) return lerror(r.errno);
  const st = r.value;
  // v9fs_fill_statfs: scale f_bsize up to what fits msize, and the block counts down.
  let factor = st.bsize ? Math.floor((s.msize - P9_IOHDRSZ) / st.bsize) : 1;
  if (!factor) factor = 1;
  // `(unsigned int)__val[0] | (unsigned long long)__val[1] << 32`: __val[1] is an int, so a negative
  // value sign-extends before the shift (what the proxy's fsid half produces, §6.2).
  const lo = BigInt(st.fsid[0] >>> 0);
  const hi = BigInt.asUintN(64, BigInt(st.fsid[1] | 0) << 32n);
  return {
    kind: 'Rstatfs',
    type: st.type >>> 0,
    bsize: (st.bsize * factor) >>> 0,
    blocks: BigInt(Math.floor(st.blocks / factor)),
    bfree: BigInt(Math.floor(st.bfree / factor)),
    bavail: BigInt(Math.floor(st.bavail / factor)),
    files: BigInt(st.files),
    ffree: BigInt(st.ffree),
    fsid: lo | hi,
    namelen: st.namelen >>> 0,
  };
}

export function* v9fsReadlink(s: V9fsState, m: P9MessageOf<'Treadlink'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.ENOENT);
  const r = yield* s.driver.readlink(f.path);
  if (!r.ok) return lerror(r.errno);
  return { kind: 'Rreadlink', target: bstrToWire(r.value) };
}

export function* v9fsLock(s: V9fsState, m: P9MessageOf<'Tlock'>): Co<Reply> {
  // "We support only block flag now (that too ignored currently)"
  if (m.flags & ~P9_LOCK_FLAGS.BLOCK) return lerror(E.EINVAL);
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.ENOENT);
  // An unopened fid fstats QEMU's fd 0 (zeroed open state, see ops/io.ts UNOPENED).
  const st = yield* s.driver.fstat(f.fs ?? UNOPENED, f.type === 'dir');
  if (!st.ok) return lerror(st.errno);
  return { kind: 'Rlock', status: P9_LOCK_STATUS.SUCCESS };
}

export function* v9fsGetlock(s: V9fsState, m: P9MessageOf<'Tgetlock'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.ENOENT);
  const st = yield* s.driver.fstat(f.fs ?? UNOPENED, f.type === 'dir');
  if (!st.ok) return lerror(st.errno);
  return { kind: 'Rgetlock', type: P9_LOCK_TYPE.UNLCK, start: m.start, length: m.length, proc_id: m.proc_id, client_id: m.client_id };
}
