// Linux x86_64 constants (include/uapi/asm-generic/fcntl.h, linux/stat.h, linux/fcntl.h,
// linux/xattr.h, linux/fs.h, linux/magic.h, bits/socket.h). Octal where the headers use octal.

// open(2) flags, x86_64 values (asm-generic/fcntl.h).
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_ACCMODE = 0o3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DSYNC = 0o10000;
export const FASYNC = 0o20000;
export const O_DIRECT = 0o40000;
/** Always set by the x86_64 kernel on 64-bit opens (force_o_largefile): fd_info shows 0x8000. */
export const O_LARGEFILE = 0o100000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_NOATIME = 0o1000000;
export const O_CLOEXEC = 0o2000000;
export const __O_SYNC = 0o4000000;
export const O_SYNC = __O_SYNC | O_DSYNC;
export const O_PATH = 0o10000000;
export const __O_TMPFILE = 0o20000000;
export const O_TMPFILE = __O_TMPFILE | O_DIRECTORY;

/** Flags that survive in the open file description (fcntl F_GETFL); O_CREAT/O_EXCL/O_TRUNC/O_NOCTTY
 * are consumed by open (fs/open.c build_open_flags / do_dentry_open). */
export const OPEN_FLAGS_KEPT = ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);

// *at() (linux/fcntl.h)
export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_EACCESS = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_NO_AUTOMOUNT = 0x800;
export const AT_EMPTY_PATH = 0x1000;

// renameat2
export const RENAME_NOREPLACE = 1;
export const RENAME_EXCHANGE = 2;
export const RENAME_WHITEOUT = 4;

// access(2)
export const F_OK = 0;
export const X_OK = 1;
export const W_OK = 2;
export const R_OK = 4;

// Inode permission masks (include/linux/fs.h MAY_*)
export const MAY_EXEC = 1;
export const MAY_WRITE = 2;
export const MAY_READ = 4;
export const MAY_APPEND = 8;

// st_mode (linux/stat.h)
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;
export const S_IRWXUGO = 0o777;
export const S_IALLUGO = 0o7777;
export const S_IXGRP = 0o010;
export const S_IXUGO = 0o111;

export const isDir = (m: number): boolean => (m & S_IFMT) === S_IFDIR;
export const isReg = (m: number): boolean => (m & S_IFMT) === S_IFREG;
export const isLnk = (m: number): boolean => (m & S_IFMT) === S_IFLNK;
export const isFifo = (m: number): boolean => (m & S_IFMT) === S_IFIFO;
export const isChr = (m: number): boolean => (m & S_IFMT) === S_IFCHR;
export const isBlk = (m: number): boolean => (m & S_IFMT) === S_IFBLK;
export const isSock = (m: number): boolean => (m & S_IFMT) === S_IFSOCK;

// getdents64 d_type (linux/fs_types.h)
export const DT_UNKNOWN = 0;
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_BLK = 6;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;
export const dtypeOf = (mode: number): number => (mode & S_IFMT) >> 12;

// utimensat(2)
export const UTIME_NOW = (1 << 30) - 1;
export const UTIME_OMIT = (1 << 30) - 2;

// setxattr(2)
export const XATTR_CREATE = 1;
export const XATTR_REPLACE = 2;
/** Linux limits (linux/limits.h): XATTR_NAME_MAX 255, XATTR_SIZE_MAX 65536, XATTR_LIST_MAX 65536. */
export const XATTR_NAME_MAX = 255;
export const XATTR_SIZE_MAX = 65536;

// lseek(2)
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
export const SEEK_DATA = 3;
export const SEEK_HOLE = 4;

// ioctl
/** _IOR('v', 1, long) on 64-bit (proxy-protocol.md §11.7). */
export const FS_IOC_GETVERSION = 0x80087601;
export const FIONREAD = 0x541b;

// statfs f_type (linux/magic.h)
export const EXT4_SUPER_MAGIC = 0xef53;
export const TMPFS_MAGIC = 0x01021994;
export const V9FS_MAGIC = 0x01021997;
export const BTRFS_SUPER_MAGIC = 0x9123683e;
export const XFS_SUPER_MAGIC = 0x58465342;
export const REISERFS_SUPER_MAGIC = 0x52654973;
export const PROC_SUPER_MAGIC = 0x9fa0;

// Limits (linux/limits.h)
export const NAME_MAX = 255;
export const PATH_MAX = 4096;
/** fs/namei.c: MAXSYMLINKS = 40 followed links per walk. */
export const MAXSYMLINKS = 40;

// Sockets (bits/socket.h, linux/socket.h)
export const AF_UNIX = 1;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_SEQPACKET = 5;
export const SOCK_NONBLOCK = O_NONBLOCK;
export const SOCK_CLOEXEC = O_CLOEXEC;
export const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1;
export const MSG_PEEK = 0x2;
export const MSG_CTRUNC = 0x8;
export const MSG_DONTWAIT = 0x40;
export const MSG_WAITALL = 0x100;
export const MSG_NOSIGNAL = 0x4000;
export const MSG_CMSG_CLOEXEC = 0x40000000;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
/** struct sockaddr_un sun_path size. */
export const UNIX_PATH_MAX = 108;
/** net/core/scm.c SCM_MAX_FD: at most 253 fds per SCM_RIGHTS message. */
export const SCM_MAX_FD = 253;
/** Default socket buffer (net.core.wmem_default 212992) — caps a stream's unread bytes. */
export const UNIX_STREAM_BUFFER = 212992;
/** Pipe capacity (16 pages). */
export const PIPE_BUF_CAPACITY = 65536;

// fcntl
export const F_DUPFD = 0;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_DUPFD_CLOEXEC = 1030;
export const FD_CLOEXEC = 1;

/** glibc makedev() encoding as st_rdev / the proxy wire carries it (sys/sysmacros.h). */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major >>> 0);
  const mi = BigInt(minor >>> 0);
  return ((ma & 0xfffn) << 8n) | (mi & 0xffn) | ((ma & ~0xfffn) << 32n) | ((mi & ~0xffn) << 12n);
}
export function major(dev: bigint): number {
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn & 0xffffffffn));
}
export function minor(dev: bigint): number {
  return Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn & 0xffffffffn));
}
