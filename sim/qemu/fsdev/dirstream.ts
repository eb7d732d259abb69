// glibc's DIR* as QEMU uses it on a directory fd (opendir/fdopendir, readdir, telldir, seekdir,
// rewinddir): entries come from getdents64 in batches; telldir is the d_off of the last entry
// returned (glibc dirp->filepos), seekdir lseeks the fd to a cookie and drops the buffer.
import type { Libc } from '../process/libc.ts';
import type { Co } from '../server/coroutine.ts';
import { sys } from '../server/coroutine.ts';
import { ERRNO } from '../../host/errno.ts';
import { SEEK_SET } from '../../host/constants.ts';
import type { DirEntry, DirStream, FsResult } from './file-ops.ts';

export function fdopendir(fd: number): DirStream {
  return { fd, buf: [], pos: 0, offset: 0, eof: false };
}

export function* readdir(libc: Libc, d: DirStream): Co<FsResult<DirEntry | null>> {
  if (d.pos >= d.buf.length) {
    if (d.eof) return { ok: true, value: null };
    const r = yield* sys(libc.getdents(d.fd));
    if (!r.ok) return { ok: false, errno: ERRNO[r.errno] };
    d.buf = r.value.map((e) => ({ ino: e.ino, off: e.off, type: e.type, name: e.bname }));
    d.pos = 0;
    if (!d.buf.length) {
      d.eof = true;
      return { ok: true, value: null };
    }
  }
  const e = d.buf[d.pos++]!;
  d.offset = e.off;
  return { ok: true, value: e };
}

export function telldir(d: DirStream): number {
  return d.offset;
}

export function seekdir(libc: Libc, d: DirStream, off: number): void {
  libc.lseek(d.fd, off, SEEK_SET);
  d.buf = [];
  d.pos = 0;
  d.eof = false;
  d.offset = off;
}

export function rewinddir(libc: Libc, d: DirStream): void {
  seekdir(libc, d, 0);
}
