// Linux x86_64 errno numbers (include/uapi/asm-generic/errno-base.h and errno.h; x86_64 uses the
// generic table). The kernel returns errno as data, never as an exception: style.md §3.

export const ERRNO = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9,
  ECHILD: 10, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, ENOTBLK: 15, EBUSY: 16, EEXIST: 17,
  EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ENOTTY: 25,
  ETXTBSY: 26, EFBIG: 27, ENOSPC: 28, ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, EDOM: 33,
  ERANGE: 34, EDEADLK: 35, ENAMETOOLONG: 36, ENOLCK: 37, ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40,
  ENOMSG: 42, EIDRM: 43, ENODATA: 61, ETIME: 62, ENOSR: 63, EREMOTE: 66, ENOLINK: 67, EPROTO: 71,
  EBADMSG: 74, EOVERFLOW: 75, EBADFD: 77, EILSEQ: 84, EUSERS: 87, ENOTSOCK: 88, EDESTADDRREQ: 89,
  EMSGSIZE: 90, EPROTOTYPE: 91, ENOPROTOOPT: 92, EPROTONOSUPPORT: 93, ESOCKTNOSUPPORT: 94,
  EOPNOTSUPP: 95, EPFNOSUPPORT: 96, EAFNOSUPPORT: 97, EADDRINUSE: 98, EADDRNOTAVAIL: 99,
  ENETDOWN: 100, ENETUNREACH: 101, ENETRESET: 102, ECONNABORTED: 103, ECONNRESET: 104,
  ENOBUFS: 105, EISCONN: 106, ENOTCONN: 107, ESHUTDOWN: 108, ETOOMANYREFS: 109, ETIMEDOUT: 110,
  ECONNREFUSED: 111, EHOSTDOWN: 112, EHOSTUNREACH: 113, EALREADY: 114, EINPROGRESS: 115,
  ESTALE: 116, EDQUOT: 122, ECANCELED: 125, EOWNERDEAD: 130, ENOTRECOVERABLE: 131,
} as const;

/** An errno by its symbolic name, e.g. `'ENOENT'`. */
export type Errno = keyof typeof ERRNO;

/** Aliases glibc defines with the same number: ENOTSUP = EOPNOTSUPP, EWOULDBLOCK = EAGAIN,
 * EDEADLOCK = EDEADLK. Names here are the canonical ones; use these to translate user input. */
export const ERRNO_ALIASES: Readonly<Record<string, Errno>> = {
  ENOTSUP: 'EOPNOTSUPP', EWOULDBLOCK: 'EAGAIN', EDEADLOCK: 'EDEADLK',
};

const BY_NUMBER = new Map<number, Errno>(
  (Object.entries(ERRNO) as [Errno, number][]).map(([name, n]) => [n, name]),
);

/** The errno number of a name (Linux x86_64). */
export function errnoNumber(name: Errno): number {
  return ERRNO[name];
}

/** The canonical name of an errno number, or undefined when Linux x86_64 has none. */
export function errnoName(n: number): Errno | undefined {
  return BY_NUMBER.get(n < 0 ? -n : n);
}

/** glibc's strerror() texts (en_US), for shell messages and helper perror() lines. */
export const STRERROR: Readonly<Partial<Record<Errno, string>>> = {
  EPERM: 'Operation not permitted', ENOENT: 'No such file or directory', ESRCH: 'No such process',
  EINTR: 'Interrupted system call', EIO: 'Input/output error', ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long', EBADF: 'Bad file descriptor', EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory', EACCES: 'Permission denied', EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy', EEXIST: 'File exists', EXDEV: 'Invalid cross-device link',
  ENODEV: 'No such device', ENOTDIR: 'Not a directory', EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument', ENFILE: 'Too many open files in system', EMFILE: 'Too many open files',
  ENOTTY: 'Inappropriate ioctl for device', EFBIG: 'File too large', ENOSPC: 'No space left on device',
  ESPIPE: 'Illegal seek', EROFS: 'Read-only file system', EMLINK: 'Too many links', EPIPE: 'Broken pipe',
  ERANGE: 'Numerical result out of range', ENAMETOOLONG: 'File name too long',
  ENOSYS: 'Function not implemented', ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links', ENODATA: 'No data available',
  EOVERFLOW: 'Value too large for defined data type', ENOTSOCK: 'Socket operation on non-socket',
  EOPNOTSUPP: 'Operation not supported', EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use', ECONNRESET: 'Connection reset by peer',
  ENOBUFS: 'No buffer space available', EISCONN: 'Transport endpoint is already connected',
  ENOTCONN: 'Transport endpoint is not connected', ECONNREFUSED: 'Connection refused',
  ESTALE: 'Stale file handle', EDQUOT: 'Disk quota exceeded',
};

export function strerror(name: Errno): string {
  return STRERROR[name] ?? `Unknown error ${ERRNO[name]}`;
}
