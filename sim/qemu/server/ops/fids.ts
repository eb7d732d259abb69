// Releasing a fid's open state (9p.c free_fid / put_fid, v9fs_xattr_fid_clunk).
import type { V9fsState } from '../state.ts';
import type { V9fsFid } from '../fid.ts';
import type { Co } from '../coroutine.ts';
import { E } from '../reply.ts';

/**
 * free_fid: close the fd / DIR*, or for an xattr fid built by Txattrcreate commit the value with
 * lsetxattr (or lremovexattr for size 0) — the one place a clunk talks to the driver.
 * Returns 0 or -errno (which Tclunk reports).
 */
export function* freeFid(s: V9fsState, f: V9fsFid): Co<number> {
  if (f.type === 'file' && f.fs) {
    s.driver.close(f.fs);
  } else if (f.type === 'dir' && f.fs) {
    s.driver.closedir(f.fs);
  } else if (f.type === 'xattr' && f.xattr) {
    const x = f.xattr;
    f.xattr = undefined;
    if (!x.create) return 0; // xattrwalk fid: only the buffer goes
    // "clunk after partial write"
    if (x.len !== x.copied) return -E.EINVAL;
    const r = x.len
      ? yield* s.driver.lsetxattr(f.path, x.create.name, x.value.subarray(0, x.len), x.create.flags)
      : yield* s.driver.lremovexattr(f.path, x.create.name);
    return r.ok ? 0 : -r.errno;
  }
  f.fs = undefined;
  return 0;
}
