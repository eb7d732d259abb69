// Txattrwalk and Txattrcreate (hw/9pfs/9p.c v9fs_xattrwalk, v9fs_xattrcreate): the value is read
// into QEMU at walk time (size query, then the value: proxy T_LGETXATTR/T_LLISTXATTR with size 0,
// then with the size, §14) and written at clunk (ops/fids.ts).
import type { P9MessageOf } from '../../../p9/messages.ts';
import type { V9fsState } from '../state.ts';
import type { Co } from '../coroutine.ts';
import { type Reply, lerror, E } from '../reply.ts';
import { wireToBstr, cString } from '../names.ts';

/** P9_XATTR_SIZE_MAX (9p.c): 64 KiB, as Linux XATTR_SIZE_MAX. */
const P9_XATTR_SIZE_MAX = 65536;
const XATTR_NAME_MAX = 255;

export function* v9fsXattrwalk(s: V9fsState, m: P9MessageOf<'Txattrwalk'>): Co<Reply> {
  const name = cString(wireToBstr(m.name));
  const ff = s.fids.get(m.fid);
  if (!ff) return lerror(E.ENOENT);
  const xf = s.fids.alloc(m.newfid, ff.path, ff.uid);
  if (!xf) return lerror(E.EINVAL);
  const list = name.length === 0;
  const q = list ? yield* s.driver.llistxattr(xf.path, 0) : yield* s.driver.lgetxattr(xf.path, name, 0);
  if (!q.ok) {
    s.fids.remove(m.newfid);
    return lerror(q.errno);
  }
  const size = q.value as number;
  xf.type = 'xattr';
  xf.xattr = { value: new Uint8Array(size), len: size, copied: 0, isList: list };
  if (size) {
    const v = list ? yield* s.driver.llistxattr(xf.path, size) : yield* s.driver.lgetxattr(xf.path, name, size);
    if (!v.ok) {
      s.fids.remove(m.newfid);
      return lerror(v.errno);
    }
    if (v.value instanceof Uint8Array) xf.xattr.value.set(v.value.subarray(0, size));
  }
  return { kind: 'Rxattrwalk', size: BigInt(size) };
}

export function* v9fsXattrcreate(s: V9fsState, m: P9MessageOf<'Txattrcreate'>): Co<Reply> {
  if (m.flags & ~3) return lerror(E.EINVAL);
  const name = cString(wireToBstr(m.name));
  if (name.length > XATTR_NAME_MAX) return lerror(E.E2BIG);
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.EINVAL);
  if (f.type !== 'none') return lerror(E.EINVAL);
  if (m.attr_size > BigInt(P9_XATTR_SIZE_MAX)) return lerror(E.E2BIG);
  const size = Number(m.attr_size);
  f.type = 'xattr';
  f.xattr = { value: new Uint8Array(size), len: size, copied: 0, isList: false, create: { name, flags: m.flags } };
  return { kind: 'Rxattrcreate' };
}
