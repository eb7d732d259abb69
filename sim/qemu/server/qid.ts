// stat → qid and stat → Rgetattr fields, as hw/9pfs/9p.c computes them.
import type { Stat } from '../../host/types.ts';
import { S_IFMT, S_IFDIR, S_IFLNK } from '../../host/constants.ts';
import type { Qid } from '../../p9/messages.ts';

export const P9_QID_TYPE_DIR = 0x80;
export const P9_QID_TYPE_SYMLINK = 0x02;

/**
 * stat_to_qid (9p.c, without multidevs=remap, which proxy refuses): path = st_ino, version =
 * st_mtime ^ (st_size << 8) truncated to u32, type = DIR / SYMLINK bits.
 */
export function statToQid(st: Stat): Qid {
  const fmt = st.mode & S_IFMT;
  let type = 0;
  if (fmt === S_IFDIR) type |= P9_QID_TYPE_DIR;
  if (fmt === S_IFLNK) type |= P9_QID_TYPE_SYMLINK;
  // C: `stbuf->st_mtime ^ (stbuf->st_size << 8)` in 64-bit, stored into a uint32_t.
  const v = (BigInt.asUintN(64, BigInt(st.mtime.sec)) ^ (BigInt.asUintN(64, BigInt(st.size)) << 8n)) & 0xffffffffn;
  return { type, version: Number(v), path: BigInt.asUintN(64, BigInt(st.ino)) };
}

/** P9_IOHDRSZ (9p.h): size of the Rread/Twrite header, subtracted from msize for the iounit. */
export const P9_IOHDRSZ = 24;

/**
 * blksize_to_iounit (9p.c): the largest multiple of the block size that fits msize - P9_IOHDRSZ,
 * or msize - P9_IOHDRSZ when the block size is 0 or larger than that.
 */
export function blksizeToIounit(msize: number, blksize: number): number {
  let iounit = 0;
  if (blksize) iounit = Math.floor((msize - P9_IOHDRSZ) / blksize) * blksize;
  if (!iounit) iounit = msize - P9_IOHDRSZ;
  return iounit;
}
