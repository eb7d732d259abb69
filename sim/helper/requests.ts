// The helper's request handlers (fsdev/virtfs-proxy-helper.c: do_open, do_create, do_create_others,
// do_stat, do_readlink, do_getxattr, do_getversion and the inline cases of process_requests).
// Each returns the C `retval`: ≥ 0 or -errno, plus the marshalled response payload or the fd to pass.
// Unmarshal failures are -ENOBUFS (§7.1). Sources per handler below.
import { ERRNO } from '../host/errno.ts';
import { isDir, isReg, O_RDONLY, AT_SYMLINK_NOFOLLOW } from '../host/constants.ts';
import type { SysResult } from '../host/result.ts';
import type { Stat, StatFs } from '../host/types.ts';
import { ProxyDecodeError, PROXY_HDR_SZ, REQUESTS, WireReader, responsePayload, unmarshalFields, type FieldSpec, type RequestName } from '../proxy/index.ts';
import type { ProxyStatFS } from '../proxy/index.ts';
import { HelperAbort, type CredSwitch } from './creds.ts';
import type { HelperBehaviour } from './behaviour.ts';
import { MSG, glibAllocFailure } from './messages.ts';
import type { HelperQuirkKind } from './quirks.ts';
import type { HelperOs } from './os.ts';

const ENOBUFS = -ERRNO.ENOBUFS;
const XATTR_SIZE_MAX = 65536;

/** The process dies from a signal inside a handler (GLib's g_error → SIGTRAP). */
export class HelperSignal extends Error {
  constructor(readonly signal: 'SIGTRAP' | 'SIGABRT' | 'SIGPIPE', readonly stderr: string) {
    super(signal);
  }
}

export interface HandlerResult {
  ret: number;
  /** Response payload (marshalled at offset 8) for response-shaped requests. */
  payload?: Uint8Array;
}

/** Something the handler waits on (a FIFO open): the generator yields the kernel's Blocked result. */
export type Wait = { readonly on: string; readonly what: string };

/** Retry a possibly-blocking call until the kernel completes it (yielding while it sleeps). */
export function* wait<T>(r: SysResult<T>): Generator<Wait, SysResult<T>, void> {
  while (!r.ok && r.blocked !== undefined) {
    const b = r;
    yield b.blocked;
    r = b.resume();
  }
  return r;
}

const neg = (r: { ok: false; errno: keyof typeof ERRNO }): number => -ERRNO[r.errno];

/** wait() for an open(): a sleep there is the labelled FIFO-blocking behaviour. */
function* waitLabelled<T>(ctx: HelperContext, r: SysResult<T>): Generator<Wait, SysResult<T>, void> {
  if (!r.ok && r.blocked !== undefined) ctx.quirk('fifo-block', `${r.blocked.on}: ${r.blocked.what}`);
  return yield* wait(r);
}

export interface HelperContext {
  os: HelperOs;
  b: HelperBehaviour;
  creds: CredSwitch;
  /** statfs("/") at start-up found ext2/3/4, btrfs, reiserfs or xfs (§11.7). */
  getVersion: boolean;
  getversionHighHalf: 'zero' | 'stack';
  /** Deterministic stand-in for uninitialised memory (heap bytes, stack garbage). */
  garbage(n: number): Uint8Array;
  /** fd 2 of the helper. */
  stderr(text: string): void;
  /** Report a labelled quirk (quirks.ts). */
  quirk(kind: HelperQuirkKind, detail: string): void;
  /** error_report_once state for the CVE-2023-2861 line. */
  specialFileReported: boolean;
}

/** proxy_unmarshal: decode `fields` at `offset` within the request (iov_len = 8 + size). */
let viewBuf: Uint8Array | undefined;
let viewOf: DataView | undefined;

function unmarshal(buf: Uint8Array, end: number, offset: number, type: number, name: string, fields: readonly FieldSpec[]): { v: Record<string, number | bigint | Uint8Array>; next: number } | null {
  if (viewBuf !== buf) {
    viewBuf = buf;
    viewOf = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  // Strings as views of the in-buffer: every handler is done with them before process_requests
  // reads the next request into it (perf: no copy per path).
  const r = new WireReader(buf, offset, end, type, name, false, viewOf, true);
  try {
    const v = unmarshalFields(r, fields);
    return { v, next: r.pos };
  } catch (e) {
    if (e instanceof ProxyDecodeError) return null;
    throw e;
  }
}

const F = (name: RequestName) => REQUESTS[name].fields as readonly FieldSpec[];
/** A request's first two fields ("dd" uid/gid, "ds" size/path) and the rest: the C code unmarshals
 * them in two steps. The split lists are built once per request type (pure; perf). */
const HEAD = new Map<RequestName, readonly FieldSpec[]>();
const TAIL = new Map<RequestName, readonly FieldSpec[]>();
function head2(name: RequestName): readonly FieldSpec[] {
  let h = HEAD.get(name);
  if (!h) HEAD.set(name, (h = F(name).slice(0, 2)));
  return h;
}
function tail2(name: RequestName): readonly FieldSpec[] {
  let t = TAIL.get(name);
  if (!t) TAIL.set(name, (t = F(name).slice(2)));
  return t;
}
const i32 = (v: number | bigint | Uint8Array): number => Number(v) | 0;
const i64 = (v: number | bigint | Uint8Array): bigint => BigInt.asIntN(64, v as bigint);
const bytes = (v: number | bigint | Uint8Array): Uint8Array => v as Uint8Array;

/** g_malloc(size) with an int size: negative values become huge gsize and GLib aborts via g_error (§5.2). */
function gMalloc(ctx: HelperContext, size: number): void {
  if (size < 0) {
    const n = (1n << 64n) + BigInt(size);
    ctx.quirk('glib-sigtrap', `g_malloc(${size}) → ${n} bytes`);
    throw new HelperSignal('SIGTRAP', glibAllocFailure(ctx.os.pid, ctx.os.clockHms(), n));
  }
}

/** A C long/u64 slot from a JS number (safe integers; negatives as two's complement). */
function setU64(v: DataView, at: number, n: number): void {
  v.setUint32(at, n >>> 0, true);
  v.setUint32(at + 4, Math.floor(n / 4294967296) >>> 0, true);
}

/** statPayload's buffer: process_requests copies a payload into its out-buffer at once, so one
 * scratch ProxyStat is enough (perf: no array and DataView per T_LSTAT). */
const STAT_OUT = new Uint8Array(116);
const STAT_VIEW = new DataView(STAT_OUT.buffer);

/**
 * stat_to_prstat + marshal "qqqdddqqqqqqqqqq" (§6.1): the 116-byte ProxyStat, written straight from
 * struct stat (the hot path of every walk; the table-driven writeProxyStat encodes the same bytes).
 * Returns the shared scratch buffer: valid until the next call.
 */
function statPayload(st: Stat): Uint8Array {
  const out = STAT_OUT;
  const v = STAT_VIEW;
  setU64(v, 0, st.dev); setU64(v, 8, st.ino); setU64(v, 16, st.nlink);
  v.setUint32(24, st.mode >>> 0, true); v.setUint32(28, st.uid >>> 0, true); v.setUint32(32, st.gid >>> 0, true);
  v.setBigUint64(36, BigInt.asUintN(64, st.rdev), true);
  setU64(v, 44, st.size); setU64(v, 52, st.blksize); setU64(v, 60, st.blocks);
  setU64(v, 68, st.atime.sec); setU64(v, 76, st.atime.nsec);
  setU64(v, 84, st.mtime.sec); setU64(v, 92, st.mtime.nsec);
  setU64(v, 100, st.ctime.sec); setU64(v, 108, st.ctime.nsec);
  return out;
}

/** statfs_to_prstatfs: fsid halves are ints, sign-extended into the u64 slots (§6.2). */
function statfsToProxy(s: StatFs): ProxyStatFS {
  const u = (n: number) => BigInt.asUintN(64, BigInt(n));
  return {
    f_type: u(s.type), f_bsize: u(s.bsize), f_blocks: u(s.blocks), f_bfree: u(s.bfree), f_bavail: u(s.bavail),
    f_files: u(s.files), f_ffree: u(s.ffree), f_fsid0: u(s.fsid[0] | 0), f_fsid1: u(s.fsid[1] | 0),
    f_namelen: u(s.namelen), f_frsize: u(s.frsize),
  };
}

/**
 * open_regular(path, flags, mode) — the CVE-2023-2861 fix (§5.5): open, fstat, refuse anything but a
 * regular file or directory with ENXIO and print the error_report_once line. Before the fix: open().
 * The open itself may block (a FIFO without a writer): that is the labelled FIFO-blocking behaviour.
 */
function* openRegular(ctx: HelperContext, path: Uint8Array, flags: number, mode: number): Generator<Wait, number, void> {
  let r = ctx.os.open(path, flags, mode);
  if (!r.ok && r.blocked !== undefined) r = yield* waitLabelled(ctx, r); // only a sleep needs the waiting generators
  if (!r.ok) return neg(r);
  const fd = r.value;
  if (!ctx.b.openRegular) return fd;
  const st = ctx.os.fstat(fd);
  if (!st.ok) {
    ctx.os.close(fd);
    return neg(st);
  }
  if (!isReg(st.value.mode) && !isDir(st.value.mode)) {
    if (!ctx.specialFileReported) {
      ctx.specialFileReported = true;
      ctx.stderr(MSG.specialFile); // error_report_once → stderr (/dev/null when daemonised, never syslog)
    }
    ctx.quirk('special-file-enxio', `mode 0${(st.value.mode >>> 0).toString(8)}`);
    ctx.os.close(fd);
    return -ERRNO.ENXIO;
  }
  return fd;
}

/** do_open: "sd" (§4.1 T_OPEN). No mode travels: O_CREAT makes a mode-0 file on 7.2.4+ (§5.5). */
export function* doOpen(ctx: HelperContext, buf: Uint8Array, end: number): Generator<Wait, HandlerResult, void> {
  const u = unmarshal(buf, end, PROXY_HDR_SZ, 2, 'T_OPEN', F('T_OPEN'));
  if (!u) return { ret: ENOBUFS };
  return { ret: yield* openRegular(ctx, bytes(u.v.path!), Number(u.v.flags), 0) };
}

/** do_create: "sdddd", then switch credentials, open_regular(path, flags, mode), restore (§4.1, §10). */
export function* doCreate(ctx: HelperContext, buf: Uint8Array, end: number): Generator<Wait, HandlerResult, void> {
  const u = unmarshal(buf, end, PROXY_HDR_SZ, 3, 'T_CREATE', F('T_CREATE'));
  if (!u) return { ret: ENOBUFS };
  const saved = { uid: ctx.os.geteuid(), gid: ctx.os.getegid() };
  let ret = ctx.creds.setugid(Number(u.v.uid) >>> 0, Number(u.v.gid) >>> 0, saved);
  if (ret >= 0) ret = yield* openRegular(ctx, bytes(u.v.path!), Number(u.v.flags), Number(u.v.mode));
  ctx.creds.resetugid(saved);
  return { ret };
}

/**
 * do_create_others (MKNOD, MKDIR, SYMLINK): unmarshal "dd" (uid, gid) first and switch credentials,
 * *then* unmarshal the rest (§4.1 "Argument order trap"): a short payload after a valid uid/gid still
 * switches and restores. A failing setugid skips the restore (goto unmarshal_err_out).
 */
export function doCreateOthers(ctx: HelperContext, name: 'T_MKNOD' | 'T_MKDIR' | 'T_SYMLINK', buf: Uint8Array, end: number): HandlerResult {
  const code = REQUESTS[name].code;
  const ids = unmarshal(buf, end, PROXY_HDR_SZ, code, name, head2(name));
  if (!ids) return { ret: ENOBUFS };
  const saved = { uid: ctx.os.geteuid(), gid: ctx.os.getegid() };
  let ret = ctx.creds.setugid(Number(ids.v.uid) >>> 0, Number(ids.v.gid) >>> 0, saved);
  if (ret < 0) return { ret };
  const rest = unmarshal(buf, end, ids.next, code, name, tail2(name));
  if (!rest) {
    ret = ENOBUFS;
  } else {
    const v = rest.v;
    const r = name === 'T_MKNOD' ? ctx.os.mknod(bytes(v.path!), Number(v.mode), v.rdev as bigint)
      : name === 'T_MKDIR' ? ctx.os.mkdir(bytes(v.path!), Number(v.mode))
      : ctx.os.symlink(bytes(v.oldpath!), bytes(v.path!));
    ret = r.ok ? 0 : neg(r);
  }
  ctx.creds.resetugid(saved);
  return { ret };
}

/** do_stat: "s", lstat or statfs, marshal ProxyStat (116) / ProxyStatFS (88) (§6). */
export function doStat(ctx: HelperContext, name: 'T_LSTAT' | 'T_STATFS', buf: Uint8Array, end: number): HandlerResult {
  const u = unmarshal(buf, end, PROXY_HDR_SZ, REQUESTS[name].code, name, F(name));
  if (!u) return { ret: ENOBUFS };
  const path = bytes(u.v.path!);
  if (name === 'T_LSTAT') {
    const r = ctx.os.lstat(path);
    if (!r.ok) return { ret: neg(r) };
    const payload = statPayload(r.value);
    return { ret: payload.length, payload };
  }
  const r = ctx.os.statfs(path);
  if (!r.ok) return { ret: neg(r) };
  const payload = responsePayload.statfs(statfsToProxy(r.value));
  return { ret: payload.length, payload };
}

/**
 * do_readlink: "sd"; g_malloc(size) (negative → SIGTRAP); readlink(path, buf, size - 1) — 1.x passed
 * `size` (§5.2); only a result > 0 succeeds; the target is re-sprintf'd with "%s".
 */
export function doReadlink(ctx: HelperContext, buf: Uint8Array, end: number): HandlerResult {
  const u = unmarshal(buf, end, PROXY_HDR_SZ, 9, 'T_READLINK', F('T_READLINK'));
  if (!u) return { ret: ENOBUFS };
  const size = i32(u.v.size!);
  gMalloc(ctx, size);
  const r = ctx.os.readlink(bytes(u.v.path!), ctx.b.readlinkFullSize ? size : size - 1);
  if (!r.ok) return { ret: neg(r) };
  if (r.value.length === 0) return { ret: -ERRNO.EINVAL };
  const nul = r.value.indexOf(0);
  const target = nul >= 0 ? r.value.subarray(0, nul) : r.value;
  const payload = responsePayload.string('T_READLINK', target);
  return { ret: payload.length, payload };
}

/**
 * do_getxattr (LGETXATTR "dss", LLISTXATTR "ds"): "ds" first; g_malloc(size) when size ≠ 0 (negative →
 * SIGTRAP); size 0 → marshal "d" length (a status-shaped success); else "s" of the value (§5.3).
 */
export function doGetxattr(ctx: HelperContext, name: 'T_LGETXATTR' | 'T_LLISTXATTR', buf: Uint8Array, end: number): HandlerResult {
  const code = REQUESTS[name].code;
  const head = unmarshal(buf, end, PROXY_HDR_SZ, code, name, head2(name));
  if (!head) return { ret: ENOBUFS };
  const size = i32(head.v.size!);
  if (size) gMalloc(ctx, size);
  const path = bytes(head.v.path!);
  let r: SysResult<Uint8Array | number>;
  if (name === 'T_LGETXATTR') {
    const n = unmarshal(buf, end, head.next, code, name, tail2(name));
    if (!n) return { ret: ENOBUFS };
    r = ctx.os.lgetxattr(path, bytes(n.v.name!), size);
  } else {
    r = ctx.os.llistxattr(path, size);
  }
  if (!r.ok) return { ret: neg(r) };
  if (!size) {
    const payload = responsePayload.u32(typeof r.value === 'number' ? r.value : r.value.length);
    return { ret: 4, payload };
  }
  const value = typeof r.value === 'number' ? new Uint8Array(0) : r.value;
  // xattr.size is a uint16_t: a 65536-byte value would wrap (§5.4).
  const payload = responsePayload.string(name, value.subarray(0, value.length & 0xffff));
  return { ret: payload.length, payload };
}

/**
 * do_getversion (§11.7): without get_version (tmpfs…) reply q 0 *without unmarshalling*; else "s",
 * plain open(path, O_RDONLY) (no special-file check; may block on a FIFO), ioctl(FS_IOC_GETVERSION)
 * into an uninitialised u64 of which the kernel writes 4 bytes.
 */
export function* doGetversion(ctx: HelperContext, buf: Uint8Array, end: number): Generator<Wait, HandlerResult, void> {
  if (!ctx.getVersion) {
    ctx.quirk('getversion-shortcut', 'no FS_IOC_GETVERSION on this filesystem: 0 without parsing the payload');
    const payload = responsePayload.u64(0n);
    return { ret: payload.length, payload };
  }
  const u = unmarshal(buf, end, PROXY_HDR_SZ, 21, 'T_GETVERSION', F('T_GETVERSION'));
  if (!u) return { ret: ENOBUFS };
  const o = yield* waitLabelled(ctx, ctx.os.open(bytes(u.v.path!), O_RDONLY, 0));
  if (!o.ok) return { ret: neg(o) };
  const g = ctx.os.ioctlGetversion(o.value);
  ctx.os.close(o.value);
  if (!g.ok) return { ret: neg(g) };
  let high = 0n;
  if (ctx.getversionHighHalf === 'stack') {
    // observed 0x00007ffd…/0x00007ffe…: the top of a user stack address (basic_fd/getversion_file)
    high = ctx.garbage(1)[0]! & 1 ? 0x7ffen : 0x7ffdn;
    ctx.quirk('getversion-stack-garbage', `high half 0x${high.toString(16).padStart(8, '0')}`);
  }
  const payload = responsePayload.u64((high << 32n) | BigInt(g.value >>> 0));
  return { ret: payload.length, payload };
}

/** The status-shaped requests handled inline in process_requests (§4.1). */
export function doSimple(ctx: HelperContext, name: RequestName, buf: Uint8Array, end: number): HandlerResult {
  const u = unmarshal(buf, end, PROXY_HDR_SZ, REQUESTS[name].code, name, F(name));
  if (!u) return { ret: ENOBUFS };
  const v = u.v;
  const os = ctx.os;
  let r: SysResult<void>;
  switch (name) {
    case 'T_LINK': r = os.link(bytes(v.oldpath!), bytes(v.path!)); break;
    case 'T_UTIME': {
      // The four q values go straight into two struct timespec (tv_sec, tv_nsec) — the client's
      // nanosecond-slot bug (§5.1) is invisible here: the helper applies what it receives.
      const ts = (s: bigint, ns: bigint) => ({ sec: Number(BigInt.asIntN(64, s)), nsec: Number(BigInt.asIntN(64, ns)) });
      r = os.utimensat(bytes(v.path!), [ts(v.atime_sec as bigint, v.atime_nsec as bigint), ts(v.mtime_sec as bigint, v.mtime_nsec as bigint)], AT_SYMLINK_NOFOLLOW);
      break;
    }
    case 'T_RENAME': r = os.rename(bytes(v.oldpath!), bytes(v.path!)); break;
    case 'T_CHMOD': r = os.chmod(bytes(v.path!), Number(v.mode)); break;
    case 'T_CHOWN': r = os.lchown(bytes(v.path!), Number(v.uid) >>> 0, Number(v.gid) >>> 0); break;
    case 'T_TRUNCATE': r = os.truncate(bytes(v.path!), i64(v.offset!)); break;
    case 'T_REMOVE': {
      // glibc remove(): unlink, and rmdir when unlink says EISDIR (§5.6).
      const path = bytes(v.path!);
      r = os.unlink(path);
      if (!r.ok && r.errno === 'EISDIR') r = os.rmdir(path);
      break;
    }
    case 'T_LSETXATTR': {
      // value.data is a (len + 1)-byte g_malloc copy ending in NUL; lsetxattr reads `size` bytes from it,
      // so a larger size stores heap bytes (§5.4, malformed/lsetxattr_size_larger_than_value).
      const value = bytes(v.value!);
      const size = i32(v.size!);
      const want = size < 0 ? Number.MAX_SAFE_INTEGER : size; // (size_t) of a negative int: huge → E2BIG
      let data: Uint8Array;
      if (want <= value.length) data = value.subarray(0, want);
      else {
        const n = Math.min(want, XATTR_SIZE_MAX + 1);
        data = new Uint8Array(n);
        data.set(value);
        if (n > value.length + 1) data.set(ctx.garbage(n - value.length - 1), value.length + 1);
        ctx.quirk('lsetxattr-heap-read', `size ${size} > value length ${value.length}: NUL + ${Math.max(0, n - value.length - 1)} heap bytes`);
      }
      r = os.lsetxattr(bytes(v.path!), bytes(v.name!), data, want, Number(v.flags));
      break;
    }
    case 'T_LREMOVEXATTR': r = os.lremovexattr(bytes(v.path!), bytes(v.name!)); break;
    default: throw new Error(`doSimple: ${name} is not a simple request`);
  }
  return { ret: r.ok ? 0 : neg(r) };
}

export { HelperAbort };
