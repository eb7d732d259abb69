// Wire constants of the 9p proxy protocol (hw/9pfs/9p-proxy.h, unchanged QEMU 1.1 → 9.1).
// Source: proxy-protocol.md §2, §4.1, §9.

/** sizeof(ProxyHeader): u32 type + u32 size, marshalled as "dd" (§2.1). */
export const PROXY_HDR_SZ = 8;
/** Largest payload either side accepts (§2.3). A header announcing more makes the helper leave its loop. */
export const PROXY_MAX_IO_SZ = 64 * 1024;
/** Each side's in/out buffer: PROXY_MAX_IO_SZ + PROXY_HDR_SZ = 65544 (§2.3). */
export const PROXY_BUF_SZ = PROXY_MAX_IO_SZ + PROXY_HDR_SZ;
/** The 4-byte word of a successful fd reply: INT_MAX, bytes ff ff ff 7f (§9). */
export const V9FS_FD_VALID = 0x7fffffff;
/** Payload size of a ProxyStat: "qqqdddqqqqqqqqqq" = 8*3 + 4*3 + 8*10 (§6.1). */
export const PROXY_STAT_SZ = 116;
/** Payload size of a ProxyStatFS: "qqqqqqqqqqq" = 11 * 8 (§6.2). */
export const PROXY_STATFS_SZ = 88;

/** Reply types (only ever in replies). */
export const T_SUCCESS = 0;
export const T_ERROR = 1;

/** Request codes, in enum order (§4.1). */
export const T_OPEN = 2;
export const T_CREATE = 3;
export const T_MKNOD = 4;
export const T_MKDIR = 5;
export const T_SYMLINK = 6;
export const T_LINK = 7;
export const T_LSTAT = 8;
export const T_READLINK = 9;
export const T_STATFS = 10;
export const T_CHMOD = 11;
export const T_CHOWN = 12;
export const T_TRUNCATE = 13;
export const T_UTIME = 14;
export const T_RENAME = 15;
export const T_REMOVE = 16;
export const T_LGETXATTR = 17;
export const T_LLISTXATTR = 18;
export const T_LSETXATTR = 19;
export const T_LREMOVEXATTR = 20;
export const T_GETVERSION = 21;

/** Linux x86_64 values the proxy layer itself needs (replies built by the codecs, §7.1). */
export const ENOBUFS = 105;
