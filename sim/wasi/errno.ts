// Linux errno (the guest kernel's) → WASI preview1 errno (wasi_snapshot_preview1 `errno` enum).
// WASI numbers its errnos alphabetically, so every mapping goes through the name.
import type { Errno } from '../host/errno.ts';

/** WASI preview1 errno numbers by Linux-style name (witx `errno`: success = 0, 2big = 1, …, notcapable = 76). */
const WASI_ERRNO: Record<string, number> = {
  E2BIG: 1, EACCES: 2, EADDRINUSE: 3, EADDRNOTAVAIL: 4, EAFNOSUPPORT: 5, EAGAIN: 6, EALREADY: 7,
  EBADF: 8, EBADMSG: 9, EBUSY: 10, ECANCELED: 11, ECHILD: 12, ECONNABORTED: 13, ECONNREFUSED: 14,
  ECONNRESET: 15, EDEADLK: 16, EDESTADDRREQ: 17, EDOM: 18, EDQUOT: 19, EEXIST: 20, EFAULT: 21,
  EFBIG: 22, EHOSTUNREACH: 23, EIDRM: 24, EILSEQ: 25, EINPROGRESS: 26, EINTR: 27, EINVAL: 28,
  EIO: 29, EISCONN: 30, EISDIR: 31, ELOOP: 32, EMFILE: 33, EMLINK: 34, EMSGSIZE: 35, EMULTIHOP: 36,
  ENAMETOOLONG: 37, ENETDOWN: 38, ENETRESET: 39, ENETUNREACH: 40, ENFILE: 41, ENOBUFS: 42,
  ENODEV: 43, ENOENT: 44, ENOEXEC: 45, ENOLCK: 46, ENOLINK: 47, ENOMEM: 48, ENOMSG: 49,
  ENOPROTOOPT: 50, ENOSPC: 51, ENOSYS: 52, ENOTCONN: 53, ENOTDIR: 54, ENOTEMPTY: 55,
  ENOTRECOVERABLE: 56, ENOTSOCK: 57, EOPNOTSUPP: 58, ENOTTY: 59, ENXIO: 60, EOVERFLOW: 61,
  EOWNERDEAD: 62, EPERM: 63, EPIPE: 64, EPROTO: 65, EPROTONOSUPPORT: 66, EPROTOTYPE: 67,
  ERANGE: 68, EROFS: 69, ESPIPE: 70, ESRCH: 71, ESTALE: 72, ETIMEDOUT: 73, ETXTBSY: 74, EXDEV: 75,
  // Linux errnos WASI has no name for: the nearest meaning.
  // No xattr calls in WASI preview1, so ENODATA cannot reach a program; EIO-class fallback.
  ENODATA: 29,
  ENOTBLK: 28, ETIME: 73, ENOSR: 42, EREMOTE: 29, EBADFD: 8, EUSERS: 29, ESOCKTNOSUPPORT: 66,
  EPFNOSUPPORT: 5, ESHUTDOWN: 64, ETOOMANYREFS: 29, EHOSTDOWN: 23,
};

export const WASI_ESUCCESS = 0;
export const WASI_EBADF = 8;
export const WASI_EINVAL = 28;
export const WASI_ENOTCAPABLE = 76;

export function wasiErrno(e: Errno): number {
  return WASI_ERRNO[e] ?? 29; // EIO for anything unmapped
}

/** The name of a WASI errno, for the trace (`ENOTCAPABLE` has no Linux number). */
export function wasiErrnoName(n: number): string {
  if (n === 0) return 'ESUCCESS';
  if (n === WASI_ENOTCAPABLE) return 'ENOTCAPABLE';
  for (const [name, v] of Object.entries(WASI_ERRNO)) if (v === n) return name;
  return `E#${n}`;
}
