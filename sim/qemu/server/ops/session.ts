// Tversion, Tattach, Tclunk (hw/9pfs/9p.c v9fs_version, v9fs_attach, v9fs_clunk; QEMU 7.x text,
// version differences noted where they exist).
import type { P9MessageOf } from '../../../p9/messages.ts';
import type { V9fsState } from '../state.ts';
import { atLeast, reportOnce } from '../state.ts';
import type { Co } from '../coroutine.ts';
import { type Reply, lerror, E } from '../reply.ts';
import { statToQid } from '../qid.ts';
import { freeFid } from './fids.ts';

/** P9_MIN_MSIZE = 4096 + P9_IOHDRSZ (9p.h); enforced since QEMU 5.0 ("9pfs: require msize >= 4096"). */
export const P9_MIN_MSIZE = 4096 + 24;

export function* v9fsVersion(s: V9fsState, m: P9MessageOf<'Tversion'>): Co<Reply> {
  s.msize = m.msize;
  // virtfs_reset: every fid of the old session is clunked.
  for (const f of s.fids.clear()) yield* freeFid(s, f);
  let version = m.version;
  if (m.version === '9P2000.u') s.proto = '9P2000.u';
  else if (m.version === '9P2000.L') s.proto = '9P2000.L';
  else {
    s.proto = undefined;
    // "skip min. msize check, reporting invalid version has priority"
    return { kind: 'Rversion', msize: s.msize, version: (version = 'unknown') };
  }
  if (atLeast(s, 5, 0) && s.msize < P9_MIN_MSIZE) {
    s.stderr(`qemu-system-x86_64: 9pfs: Client requested msize < minimum msize (${P9_MIN_MSIZE}) supported by this server.`);
    return lerror(E.EMSGSIZE);
  }
  // "8192 is the default msize of Linux clients" (9p.c, QEMU 5.2; warn_report_once). Observed on the
  // real 7.2.22 through qtest, text included.
  if (atLeast(s, 5, 2) && s.msize <= 8192) {
    reportOnce(s, 'msize-perf', 'qemu-system-x86_64: warning: 9p: degraded performance: a reasonable high msize should be chosen on client/guest side (chosen msize is <= 8192). See https://wiki.qemu.org/Documentation/9psetup#msize for details.');
  }
  return { kind: 'Rversion', msize: s.msize, version };
}

export function* v9fsAttach(s: V9fsState, m: P9MessageOf<'Tattach'>): Co<Reply> {
  const root = s.driver.nameToPath(null, '/');
  if (!root.ok) return lerror(E.EINVAL);
  const f = s.fids.alloc(m.fid, root.value, m.n_uname);
  if (!f) return lerror(E.EINVAL);
  // fid_to_qid → lstat of the root ("/" for proxy: T_LSTAT "/\0", proxy-protocol.md §14).
  const st = yield* s.driver.lstat(f.path);
  if (!st.ok) {
    s.fids.remove(m.fid);
    return lerror(E.EINVAL);
  }
  const qid = statToQid(st.value);
  // s->root_qid (2.7 CVE-2016-7116 fix) and s->root_st (7.x walk): what `..` is compared against.
  s.rootQid = qid;
  s.rootSt = st.value;
  return { kind: 'Rattach', qid };
}

export function* v9fsClunk(s: V9fsState, m: P9MessageOf<'Tclunk'>): Co<Reply> {
  const f = s.fids.remove(m.fid);
  if (!f) return lerror(E.ENOENT);
  const err = yield* freeFid(s, f);
  if (err < 0) return lerror(-err);
  return { kind: 'Rclunk' };
}
