// Tread, Twrite, Treaddir, Tfsync (hw/9pfs/9p.c v9fs_read, v9fs_write, v9fs_readdir,
// v9fs_do_readdir, v9fs_xattr_read/_write, v9fs_fsync). Data never crosses the proxy socket: the
// driver reads and writes the fd it holds (proxy-protocol.md §13).
import type { P9MessageOf, Dirent as P9Dirent } from '../../../p9/messages.ts';
import type { V9fsState } from '../state.ts';
import { reportOnce } from '../state.ts';
import type { Co } from '../coroutine.ts';
import { type Reply, lerror, E } from '../reply.ts';
import { bstrToWire } from '../names.ts';
import { encodeUtf8 } from '../../../p9/utf8.ts';

/** alloc_fid's g_new0: fs.fd = 0 until the fid is opened. */
export const UNOPENED = { fd: 0 } as const;

/** Rread header: size[4] type[1] tag[2] count[4]; the guest's buffer is msize bytes. */
const RREAD_HDR = 11;

export function* v9fsRead(s: V9fsState, m: P9MessageOf<'Tread'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.EINVAL);
  // virtio_init_in_iov_from_pdu clamps to the guest's in-buffer (msize).
  const max = Math.min(m.count, Math.max(0, s.msize - RREAD_HDR));
  if (f.type === 'dir') {
    if (s.proto !== '9P2000.u') {
      reportOnce(s, 'read-dir', 'qemu-system-x86_64: warning: 9p: bad client: T_read request on directory only expected with 9P2000.u protocol version');
      return lerror(E.EOPNOTSUPP);
    }
    return lerror(E.EOPNOTSUPP);
  }
  if (f.type === 'xattr' && f.xattr) {
    const off = Number(m.offset);
    let n = f.xattr.len - off;
    if (n > max) n = max;
    else if (n < 0) n = 0;
    return { kind: 'Rread', data: f.xattr.value.slice(off, off + n) };
  }
  if (f.type !== 'file' || !f.fs) return lerror(E.EINVAL);
  const parts: Uint8Array[] = [];
  let off = Number(m.offset);
  let count = 0;
  // "Loop in case of EINTR" / until max_count or EOF.
  for (;;) {
    const r = yield* s.driver.preadv(f.fs, off, max - count);
    if (!r.ok) return lerror(r.errno);
    const len = r.value.length;
    parts.push(r.value);
    off += len;
    count += len;
    if (!(count < max && len > 0)) break;
  }
  const data = new Uint8Array(count);
  let p = 0;
  for (const b of parts) { data.set(b, p); p += b.length; }
  return { kind: 'Rread', data };
}

export function* v9fsWrite(s: V9fsState, m: P9MessageOf<'Twrite'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.EINVAL);
  if (f.type === 'xattr' && f.xattr) {
    // v9fs_xattr_write: the setxattr value is assembled in QEMU and applied at clunk.
    const x = f.xattr;
    const off = Number(m.offset);
    if (x.len < off) return lerror(E.ENOSPC);
    let n = x.len - off;
    if (n > m.data.length) n = m.data.length;
    x.value.set(m.data.subarray(0, n), off);
    x.copied += n;
    return { kind: 'Rwrite', count: n };
  }
  if (f.type !== 'file' || !f.fs || f.fs.fd === -1) return lerror(E.EINVAL);
  let off = Number(m.offset);
  let total = 0;
  for (;;) {
    const r = yield* s.driver.pwritev(f.fs, off, m.data.subarray(total));
    if (!r.ok) return lerror(r.errno);
    off += r.value;
    total += r.value;
    if (!(total < m.data.length && r.value > 0)) break;
  }
  return { kind: 'Rwrite', count: total };
}

/** One Rreaddir entry's wire size: qid[13] offset[8] type[1] name[s]. */
function direntSize(name: string): number {
  return 13 + 8 + 1 + 2 + encodeUtf8(name).length;
}

export function* v9fsReaddir(s: V9fsState, m: P9MessageOf<'Treaddir'>): Co<Reply> {
  let max = m.count;
  // "Enough space for a R_readdir header: size[4] Rreaddir tag[2] count[4]"
  if (max > s.msize - RREAD_HDR) {
    max = s.msize - RREAD_HDR;
    reportOnce(s, 'readdir-count', 'qemu-system-x86_64: warning: 9p: bad client: T_readdir with count > msize - 11');
  }
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.EINVAL);
  if (f.type !== 'dir' || !f.fs) {
    reportOnce(s, 'readdir-nondir', 'qemu-system-x86_64: warning: 9p: bad client: T_readdir on non-directory stream');
    return lerror(E.ENOTDIR);
  }
  if (m.offset === 0n) s.driver.rewinddir(f.fs);
  else s.driver.seekdir(f.fs, Number(m.offset));
  const entries: P9Dirent[] = [];
  let count = 0;
  for (;;) {
    const saved = s.driver.telldir(f.fs);
    const d = yield* s.driver.readdir(f.fs);
    if (!d.ok) {
      if (!entries.length) return lerror(d.errno);
      break;
    }
    if (!d.value) break;
    const name = bstrToWire(d.value.name);
    const size = direntSize(name);
    if (count + size > max) {
      // Entry does not fit: put the stream back and stop (v9fs_do_readdir).
      s.driver.seekdir(f.fs, saved);
      break;
    }
    // Without multidevs=remap only qid.path is filled, from d_ino; type and version are 0.
    entries.push({ qid: { type: 0, version: 0, path: BigInt(d.value.ino) }, offset: BigInt(d.value.off), type: d.value.type, name });
    count += size;
  }
  return { kind: 'Rreaddir', entries };
}

export function* v9fsFsync(s: V9fsState, m: P9MessageOf<'Tfsync'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.ENOENT);
  // A fid that was never opened still has the zeroed V9fsFidOpenState of alloc_fid (g_new0): QEMU
  // fsyncs its own fd 0 (observed on the real 7.2.22: EINVAL, fd 0 being a pipe there).
  const r = yield* s.driver.fsync(f.fs ?? UNOPENED, f.type === 'dir', m.datasync !== 0);
  if (!r.ok) return lerror(r.errno);
  return { kind: 'Rfsync' };
}
