// Tlopen and Tlcreate (hw/9pfs/9p.c v9fs_open, v9fs_lcreate, get_iounit; cofile.c v9fs_co_open2).
import type { P9MessageOf } from '../../../p9/messages.ts';
import { qemuLopenFlags, P9_DOTL } from '../../../p9/openflags.ts';
import { O_CREAT } from '../../../host/constants.ts';
import type { V9fsState } from '../state.ts';
import type { Co } from '../coroutine.ts';
import type { V9fsPath, FsCred } from '../../fsdev/file-ops.ts';
import { type Reply, lerror, E } from '../reply.ts';
import { statToQid, blksizeToIounit } from '../qid.ts';
import { nameIsIllegal, wireToBstr, cString } from '../names.ts';
import { isDir } from '../../../host/constants.ts';

/** get_iounit: statfs of the fid's path (proxy: T_STATFS), f_bsize rounded into msize - P9_IOHDRSZ. */
export function* getIounit(s: V9fsState, path: V9fsPath): Co<number> {
  const st = yield* s.driver.statfs(path);
  return blksizeToIounit(s.msize, st.ok ? st.value.bsize : 0);
}

/** is_ro_export: the export flags the driver kept (proxy loses V9FS_RDONLY before 5.0). */
export const isRoExport = (s: V9fsState): boolean => s.driver.exportFlags.readonly;

export function* v9fsLopen(s: V9fsState, m: P9MessageOf<'Tlopen'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.ENOENT);
  if (f.type !== 'none') return lerror(E.EINVAL);
  const st = yield* s.driver.lstat(f.path);
  if (!st.ok) return lerror(st.errno);
  const qid = statToQid(st.value);
  if (isDir(st.value.mode)) {
    const d = yield* s.driver.opendir(f.path);
    if (!d.ok) return lerror(d.errno);
    f.fs = d.value;
    f.type = 'dir';
    return { kind: 'Rlopen', qid, iounit: 0 };
  }
  const flags = qemuLopenFlags(m.flags);
  if (isRoExport(s)) {
    // 9p.c tests the client's P9_DOTL bits (same values as O_*).
    const mode = m.flags;
    if (mode & P9_DOTL.WRONLY || mode & P9_DOTL.RDWR || mode & P9_DOTL.APPEND || mode & P9_DOTL.TRUNC) {
      return lerror(E.EROFS);
    }
  }
  const o = yield* s.driver.open(f.path, flags);
  if (!o.ok) return lerror(o.errno);
  f.fs = o.value;
  f.type = 'file';
  f.openFlags = flags;
  const iounit = yield* getIounit(s, f.path);
  return { kind: 'Rlopen', qid, iounit };
}

function createNameCheck(bname: string): number {
  if (nameIsIllegal(bname)) return E.ENOENT;
  const n = cString(bname);
  if (n === '.' || n === '..') return E.EEXIST;
  return 0;
}

/** The create-type name rules (9p.c, QEMU 2.7 805b5d98/fff39a7a): illegal → ENOENT, `.`/`..` → EEXIST. */
export function createNameError(s: V9fsState, bname: string): number {
  return s.features.dotdotAtRootFixed ? createNameCheck(bname) : 0;
}

export function* v9fsLcreate(s: V9fsState, m: P9MessageOf<'Tlcreate'>): Co<Reply> {
  const name = wireToBstr(m.name);
  const ne = createNameError(s, name);
  if (ne) return lerror(ne);
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.ENOENT);
  if (f.type !== 'none') return lerror(E.EINVAL);
  const flags = (qemuLopenFlags(m.flags) | O_CREAT) >>> 0;
  // v9fs_co_open2: mode & 07777, the fid's uid, the request's gid.
  const cred: FsCred = { uid: f.uid | 0, gid: m.gid | 0, mode: m.mode & 0o7777, rdev: -1n };
  const o = yield* s.driver.open2(f.path, cname(name), flags, cred);
  if (!o.ok) return lerror(o.errno);
  const np = s.driver.nameToPath(f.path, cname(name));
  if (!np.ok) {
    s.driver.close(o.value);
    return lerror(np.errno);
  }
  const st = yield* s.driver.lstat(np.value);
  if (!st.ok) {
    s.driver.close(o.value);
    return lerror(st.errno);
  }
  f.path = np.value;
  f.fs = o.value;
  f.type = 'file';
  f.openFlags = flags & ~O_CREAT;
  const iounit = yield* getIounit(s, f.path);
  return { kind: 'Rlcreate', qid: statToQid(st.value), iounit };
}

/** The name as C code passes it on (up to the first NUL). */
export const cname = cString;
