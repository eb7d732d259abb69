// One row per request (proxy-protocol.md §4.1): payload letters in wire order, what kind of string
// each path is (§3.2), the reply shape (§4.2) and whether the helper switches credentials (§10.1).
// Codecs, the helper's dispatcher, the fuzzer and the UI's frame description all read this table.
import type { MarshalLetter } from './marshal.ts';

/**
 * What a string field holds on the wire (§3.2):
 * - `fid`: a V9fsPath built by v9fs_path_sprintf — the length counts a trailing NUL that is sent;
 * - `built`: a name built by v9fs_string_sprintf — no NUL;
 * - `name`: an xattr name (no NUL);
 * - `data`: raw bytes (an xattr value; its length is `(u16)size`, §5.4).
 */
export type StringRole = 'fid' | 'built' | 'name' | 'data';

export interface FieldSpec {
  readonly name: string;
  readonly kind: MarshalLetter;
  readonly role?: StringRole;
  /** Signed C type (int / int64): display and helper semantics interpret the bits as two's complement. */
  readonly signed?: boolean;
}

export type ReplyShape = 'fd' | 'status' | 'response';

export interface RequestSpec {
  readonly code: number;
  readonly fields: readonly FieldSpec[];
  /** Reply shape; LGETXATTR/LLISTXATTR answer status-shaped bytes when size is 0 (§4.2). */
  readonly reply: ReplyShape;
  /** CREATE, MKNOD, MKDIR, SYMLINK run under the request's uid/gid (§10.1). */
  readonly switchesCreds: boolean;
  /** The libc call the helper makes, for traces and docs. */
  readonly syscall: string;
}

// Generic over the name so the table keeps literal field names for RequestArgs/RequestFields.
const s = <N extends string>(name: N, role: StringRole) => ({ name, kind: 's' as const, role });
const d = <N extends string>(name: N, signed = false) => ({ name, kind: 'd' as const, signed });
const q = <N extends string>(name: N, signed = false) => ({ name, kind: 'q' as const, signed });

/** Field names follow the recorded suite's `request.fields` (vectors/FORMAT.md, Step). */
export const REQUESTS = {
  T_OPEN: { code: 2, fields: [s('path', 'fid'), d('flags')], reply: 'fd', switchesCreds: false, syscall: 'open_regular(path, flags, 0)' },
  T_CREATE: { code: 3, fields: [s('path', 'built'), d('flags'), d('mode'), d('uid', true), d('gid', true)], reply: 'fd', switchesCreds: true, syscall: 'open_regular(path, flags, mode)' },
  T_MKNOD: { code: 4, fields: [d('uid', true), d('gid', true), s('path', 'built'), d('mode'), q('rdev')], reply: 'status', switchesCreds: true, syscall: 'mknod(path, mode, rdev)' },
  T_MKDIR: { code: 5, fields: [d('uid', true), d('gid', true), s('path', 'built'), d('mode')], reply: 'status', switchesCreds: true, syscall: 'g_mkdir(path, mode)' },
  T_SYMLINK: { code: 6, fields: [d('uid', true), d('gid', true), s('oldpath', 'built'), s('path', 'built')], reply: 'status', switchesCreds: true, syscall: 'symlink(oldpath, path)' },
  T_LINK: { code: 7, fields: [s('oldpath', 'fid'), s('path', 'built')], reply: 'status', switchesCreds: false, syscall: 'link(oldpath, path)' },
  T_LSTAT: { code: 8, fields: [s('path', 'fid')], reply: 'response', switchesCreds: false, syscall: 'lstat(path)' },
  T_READLINK: { code: 9, fields: [s('path', 'fid'), d('size', true)], reply: 'response', switchesCreds: false, syscall: 'readlink(path, buf, size - 1)' },
  T_STATFS: { code: 10, fields: [s('path', 'fid')], reply: 'response', switchesCreds: false, syscall: 'statfs(path)' },
  T_CHMOD: { code: 11, fields: [s('path', 'fid'), d('mode')], reply: 'status', switchesCreds: false, syscall: 'chmod(path, mode)' },
  T_CHOWN: { code: 12, fields: [s('path', 'fid'), d('uid', true), d('gid', true)], reply: 'status', switchesCreds: false, syscall: 'lchown(path, uid, gid)' },
  T_TRUNCATE: { code: 13, fields: [s('path', 'fid'), q('offset', true)], reply: 'status', switchesCreds: false, syscall: 'truncate(path, offset)' },
  T_UTIME: { code: 14, fields: [s('path', 'fid'), q('atime_sec', true), q('atime_nsec', true), q('mtime_sec', true), q('mtime_nsec', true)], reply: 'status', switchesCreds: false, syscall: 'utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW)' },
  T_RENAME: { code: 15, fields: [s('oldpath', 'built'), s('path', 'built')], reply: 'status', switchesCreds: false, syscall: 'rename(oldpath, path)' },
  T_REMOVE: { code: 16, fields: [s('path', 'built')], reply: 'status', switchesCreds: false, syscall: 'remove(path)' },
  T_LGETXATTR: { code: 17, fields: [d('size', true), s('path', 'fid'), s('name', 'name')], reply: 'response', switchesCreds: false, syscall: 'lgetxattr(path, name, buf, size)' },
  T_LLISTXATTR: { code: 18, fields: [d('size', true), s('path', 'fid')], reply: 'response', switchesCreds: false, syscall: 'llistxattr(path, buf, size)' },
  T_LSETXATTR: { code: 19, fields: [s('path', 'fid'), s('name', 'name'), s('value', 'data'), d('size', true), d('flags')], reply: 'status', switchesCreds: false, syscall: 'lsetxattr(path, name, value, size, flags)' },
  T_LREMOVEXATTR: { code: 20, fields: [s('path', 'fid'), s('name', 'name')], reply: 'status', switchesCreds: false, syscall: 'lremovexattr(path, name)' },
  T_GETVERSION: { code: 21, fields: [s('path', 'fid')], reply: 'response', switchesCreds: false, syscall: 'ioctl(open(path), FS_IOC_GETVERSION)' },
} as const satisfies Record<string, RequestSpec>;

export type RequestName = keyof typeof REQUESTS;

type Spec<N extends RequestName> = (typeof REQUESTS)[N];
type FieldValueOf<F> = F extends { kind: 's' } ? Uint8Array | string : F extends { kind: 'q' } ? bigint | number : number;
type DecodedValueOf<F> = F extends { kind: 's' } ? Uint8Array : F extends { kind: 'q' } ? bigint : number;

/** The fields of request N as an object, for encoding (strings may be given as JS strings). */
export type RequestArgs<N extends RequestName> = {
  [F in Spec<N>['fields'][number] as F['name']]: FieldValueOf<F>;
};
/** The fields of request N as decoded: u32 as unsigned numbers, u64 as bigint, strings as bytes. */
export type RequestFields<N extends RequestName> = {
  [F in Spec<N>['fields'][number] as F['name']]: DecodedValueOf<F>;
};

const BY_CODE: (RequestName | undefined)[] = [];
for (const [name, spec] of Object.entries(REQUESTS)) BY_CODE[spec.code] = name as RequestName;

/** The request name for a type code, or undefined for 0, 1, 22… (§8: the helper exits on those). */
export function requestName(code: number): RequestName | undefined {
  return BY_CODE[code];
}

/** Display name of any u32 type code, as the suite writes it: T_LSTAT, T_SUCCESS, UNKNOWN(99). */
export function typeName(code: number): string {
  if (code === 0) return 'T_SUCCESS';
  if (code === 1) return 'T_ERROR';
  return BY_CODE[code] ?? `UNKNOWN(${code >>> 0})`;
}
