// WASI `filestat` (64 bytes) written by us: browser_wasi_shim 0.4.2's Filestat.write_bytes puts
// atim/mtim/ctim at +38/+46/+52 instead of +40/+48/+56 and so corrupts st_size (stack.md §4, shim
// defect 1; fixed upstream in bjorn3/browser_wasi_shim PR #101, not released).
import { wasi } from '@bjorn3/browser_wasi_shim';
import { S_IFMT, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFREG, S_IFSOCK } from '../host/constants.ts';
import type { Stat } from '../host/types.ts';

export function wasiFiletype(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFREG: return wasi.FILETYPE_REGULAR_FILE;
    case S_IFDIR: return wasi.FILETYPE_DIRECTORY;
    case S_IFLNK: return wasi.FILETYPE_SYMBOLIC_LINK;
    case S_IFCHR: return wasi.FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return wasi.FILETYPE_BLOCK_DEVICE;
    case S_IFSOCK: return wasi.FILETYPE_SOCKET_STREAM;
    case S_IFIFO: return wasi.FILETYPE_UNKNOWN; // WASI preview1 has no FIFO type
    default: return wasi.FILETYPE_UNKNOWN;
  }
}

const ns = (t: { sec: number; nsec: number }): bigint => BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);

/** A shim Filestat whose serialisation follows the witx layout (dev 0, ino 8, filetype 16, nlink 24, size 32, atim 40, mtim 48, ctim 56). */
export class KernelFilestat extends wasi.Filestat {
  constructor(st: Stat) {
    super(BigInt(st.ino), wasiFiletype(st.mode), BigInt(st.size));
    this.dev = BigInt(st.dev);
    this.nlink = BigInt(st.nlink);
    this.atim = ns(st.atime);
    this.mtim = ns(st.mtime);
    this.ctim = ns(st.ctime);
  }

  override write_bytes(view: DataView, ptr: number): void {
    view.setBigUint64(ptr, this.dev, true);
    view.setBigUint64(ptr + 8, this.ino, true);
    view.setUint8(ptr + 16, this.filetype);
    view.setBigUint64(ptr + 24, this.nlink, true);
    view.setBigUint64(ptr + 32, this.size, true);
    view.setBigUint64(ptr + 40, this.atim, true);
    view.setBigUint64(ptr + 48, this.mtim, true);
    view.setBigUint64(ptr + 56, this.ctim, true);
  }
}
