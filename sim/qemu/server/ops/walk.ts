// Twalk (hw/9pfs/9p.c v9fs_walk) with its three eras:
// - before 2.7: every name goes to the driver, `..` included (CVE-2016-7116: escaping with naive
//   local; proxy's chroot contains it);
// - 2.7 – 7.0 (56f101ecce0e, fff39a7a): illegal names → ENOENT before any driver call, the start fid
//   is lstat'ed first, `..` while at the export root stays at the root without a driver call, and
//   any failing name → Rlerror;
// - 7.1+ (a93d2e89e59e): if at least one name was walked, Rwalk with fewer qids and no new fid.
import type { P9MessageOf, Qid } from '../../../p9/messages.ts';
import type { Stat } from '../../../host/types.ts';
import type { V9fsState } from '../state.ts';
import type { Co } from '../coroutine.ts';
import type { V9fsPath } from '../../fsdev/file-ops.ts';
import { type Reply, lerror, E } from '../reply.ts';
import { statToQid } from '../qid.ts';
import { nameIsIllegal, wireToBstr, cString } from '../names.ts';
import { P9_MAXWELEM } from '../../../p9/constants.ts';

function sameQid(a: Qid | undefined, b: Qid | undefined): boolean {
  return !!a && !!b && a.path === b.path && a.type === b.type && a.version === b.version;
}
function sameStatId(a: Stat | undefined, b: Stat | undefined): boolean {
  return !!a && !!b && a.dev === b.dev && a.ino === b.ino;
}

export function* v9fsWalk(s: V9fsState, m: P9MessageOf<'Twalk'>): Co<Reply> {
  const fixed = s.features.dotdotAtRootFixed;
  const names = m.wnames.map(wireToBstr);
  if (names.length > P9_MAXWELEM) return lerror(E.EINVAL);
  if (fixed && names.some(nameIsIllegal)) return lerror(E.ENOENT);
  const fidp = s.fids.get(m.fid);
  if (!fidp) return lerror(E.ENOENT);

  let dpath: V9fsPath = fidp.path;
  let path: V9fsPath = fidp.path;
  const qids: Qid[] = [];
  let qid: Qid | undefined;
  let stbuf: Stat | undefined;
  let walked = 0;
  let err = 0;

  if (fixed) {
    // fid_to_qid (2.7+) / "fetch stat for root fid" (7.x): the start fid is lstat'ed first.
    const st = yield* s.driver.lstat(fidp.path);
    if (!st.ok) return lerror(st.errno);
    stbuf = st.value;
    qid = statToQid(st.value);
  }

  for (const raw of names) {
    const name = cString(raw);
    // 2.7 – 6.x compare the current qid with s->root_qid, 7.x the stat ids with s->root_st.
    const atRoot = s.features.partialRwalk ? sameStatId(s.rootSt, stbuf) : sameQid(s.rootQid, qid);
    if (fixed && atRoot && name === '..') {
      // `..` at the export root: stay, no driver call (CVE-2016-7116 fix).
      s.trace.note('walk:dotdot-at-root', '`..` at the export root stays at the root (no driver call)', 'QEMU 2.7 56f101ecce0e; scenarios.md walk/dotdot-from-root');
    } else {
      const np = s.driver.nameToPath(dpath, name);
      if (!np.ok) { err = np.errno; break; }
      const st = yield* s.driver.lstat(np.value);
      if (!st.ok) { err = st.errno; break; }
      stbuf = st.value;
      qid = statToQid(st.value);
      dpath = np.value;
      path = np.value;
    }
    qids.push(qid!);
    walked++;
  }

  if (err) {
    if (!s.features.partialRwalk || walked === 0) return lerror(err);
    s.trace.note('walk:partial', `walk stopped after ${walked} of ${names.length} names: Rwalk with ${walked} qids, no new fid`, 'QEMU 7.1 a93d2e89e59e; proxy-protocol.md §14');
    return { kind: 'Rwalk', wqids: qids };
  }

  if (m.fid === m.newfid) {
    if (fidp.type !== 'none') return lerror(E.EINVAL);
    fidp.path = path;
  } else {
    const nf = s.fids.alloc(m.newfid, path, fidp.uid);
    if (!nf) return lerror(E.EINVAL);
  }
  return { kind: 'Rwalk', wqids: qids };
}
