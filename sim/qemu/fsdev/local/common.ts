// Pieces shared by both generations of the `local` driver (hw/9pfs/9p-local.c): the security-model
// metadata (user.virtfs.* xattrs for mapped(-xattr), .virtfs_metadata files for mapped-file), errno
// conversion and the ioc_getversion filesystems.
import type { SysResult } from '../../../host/result.ts';
import { ERRNO } from '../../../host/errno.ts';
import type { Stat } from '../../../host/types.ts';
import type { FsResult, FsCred, SecurityModel } from '../file-ops.ts';

export const VIRTFS_META_DIR = '.virtfs_metadata';
export const VIRTFS_META_ROOT_FILE = '.virtfs_metadata_root';
/** SM_LOCAL_MODE_BITS / SM_LOCAL_DIR_MODE_BITS (9p-local.h): default fmode / dmode of mapped models. */
export const SM_LOCAL_MODE_BITS = 0o600;
export const SM_LOCAL_DIR_MODE_BITS = 0o700;

/** local_init: exops.get_st_gen only on these filesystems (EXT2/BTRFS/REISERFS/XFS magic). */
export const GETVERSION_MAGICS = new Set([0xef53, 0x9123683e, 0x52654973, 0x58465342]);

export function toFs<T>(r: SysResult<T>): FsResult<T> {
  return r.ok ? { ok: true, value: r.value } : { ok: false, errno: ERRNO[r.errno] };
}

export const le32 = (v: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
};
export const le64 = (v: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return b;
};

/**
 * The user.virtfs.* values local_set_xattr(at) writes, in its order (uid, gid, mode, rdev), each only
 * when given (-1 = not given): uid_t/gid_t/mode_t as 4 little-endian bytes, dev_t as 8.
 */
export function mappedXattrs(cred: FsCred): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  if (cred.uid !== -1) out.push(['user.virtfs.uid', le32(cred.uid)]);
  if (cred.gid !== -1) out.push(['user.virtfs.gid', le32(cred.gid)]);
  if (cred.mode !== -1) out.push(['user.virtfs.mode', le32(cred.mode)]);
  if (cred.rdev !== -1n) out.push(['user.virtfs.rdev', le64(cred.rdev)]);
  return out;
}

/** Apply user.virtfs.* overrides to a stat (local_lstat/local_fstat under mapped). */
export function applyMappedXattrs(st: Stat, get: (name: string) => Uint8Array | undefined): Stat {
  const u32 = (b: Uint8Array | undefined) => (b && b.length >= 4 ? new DataView(b.buffer, b.byteOffset).getUint32(0, true) : undefined);
  const out = { ...st };
  const uid = u32(get('user.virtfs.uid'));
  const gid = u32(get('user.virtfs.gid'));
  const mode = u32(get('user.virtfs.mode'));
  const rdev = get('user.virtfs.rdev');
  if (uid !== undefined) out.uid = uid;
  if (gid !== undefined) out.gid = gid;
  if (mode !== undefined) out.mode = mode;
  if (rdev && rdev.length >= 8) out.rdev = new DataView(rdev.buffer, rdev.byteOffset).getBigUint64(0, true);
  return out;
}

/** C atoi over a byte string. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1]!, 10) | 0 : 0;
}

/**
 * local_mapped_file_attr: parse "virtfs.uid=…" lines of a .virtfs_metadata file (fgets with a
 * 100-byte buffer, strncmp prefixes, atoi) into a stat.
 */
export function applyMappedFile(st: Stat, text: string): Stat {
  const out = { ...st };
  for (const raw of chunkLines(text, 99)) {
    if (raw.startsWith('virtfs.uid')) out.uid = atoi(raw.slice(11)) >>> 0;
    else if (raw.startsWith('virtfs.gid')) out.gid = atoi(raw.slice(11)) >>> 0;
    else if (raw.startsWith('virtfs.mode')) out.mode = atoi(raw.slice(12)) >>> 0;
    else if (raw.startsWith('virtfs.rdev')) out.rdev = BigInt(atoi(raw.slice(12)) >>> 0);
  }
  return out;
}

/** fgets(buf, 100, fp) pieces: up to 99 bytes or through a newline. */
function chunkLines(text: string, max: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const nl = text.indexOf('\n', i);
    const end = Math.min(nl < 0 ? text.length : nl + 1, i + max);
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/** Parse an existing metadata file (local_set_mapped_file_attr(at) reads it before rewriting). */
export function parseMappedFile(text: string): { uid: number; gid: number; mode: number; rdev: number } {
  const v = { uid: -1, gid: -1, mode: -1, rdev: -1 };
  for (const raw of chunkLines(text, 99)) {
    if (raw.startsWith('virtfs.uid')) v.uid = atoi(raw.slice(11));
    else if (raw.startsWith('virtfs.gid')) v.gid = atoi(raw.slice(11));
    else if (raw.startsWith('virtfs.mode')) v.mode = atoi(raw.slice(12));
    else if (raw.startsWith('virtfs.rdev')) v.rdev = atoi(raw.slice(12));
  }
  return v;
}

/** The new metadata text: given fields override the old ones; fprintf("virtfs.%s=%d\n"). */
export function formatMappedFile(old: { uid: number; gid: number; mode: number; rdev: number }, cred: FsCred): string {
  const uid = cred.uid !== -1 ? cred.uid : old.uid;
  const gid = cred.gid !== -1 ? cred.gid : old.gid;
  const mode = cred.mode !== -1 ? cred.mode : old.mode;
  const rdev = cred.rdev !== -1n ? Number(BigInt.asIntN(32, cred.rdev)) : old.rdev;
  let s = '';
  if (uid !== -1) s += `virtfs.uid=${uid | 0}\n`;
  if (gid !== -1) s += `virtfs.gid=${gid | 0}\n`;
  if (mode !== -1) s += `virtfs.mode=${mode | 0}\n`;
  if (rdev !== -1) s += `virtfs.rdev=${rdev | 0}\n`;
  return s;
}

export function isMapped(m: SecurityModel): boolean {
  return m === 'mapped-xattr' || m === 'mapped-file';
}

/**
 * hw/9pfs/9p-xattr.c get_xattr_operations(): the local driver serves only the namespaces it has
 * XattrOperations for — `user.`, `system.posix_acl_access`, `system.posix_acl_default` — and answers
 * EOPNOTSUPP for any other name (trusted.*, security.*); v9fs_list_xattr drops those names from
 * listings. Observed on the real 7.2.22 (real-qemu.test.ts: Txattrwalk "trusted.x" → EOPNOTSUPP).
 */
export function localXattrNamespace(name: string): boolean {
  return name.startsWith('user.') || name === 'system.posix_acl_access' || name === 'system.posix_acl_default';
}
