// ProxyStat (116 B, "qqqdddqqqqqqqqqq") and ProxyStatFS (88 B, "qqqqqqqqqqq"): proxy-protocol.md §6.
// The helper zeroes the struct and copies each field; signed values travel as two's-complement u64.
import { PROXY_STAT_SZ, PROXY_STATFS_SZ } from './constants.ts';
import { WireReader, WireWriter, type MarshalLetter } from './marshal.ts';

export interface ProxyStat {
  st_dev: bigint; st_ino: bigint; st_nlink: bigint;
  st_mode: number; st_uid: number; st_gid: number;
  st_rdev: bigint; st_size: bigint; st_blksize: bigint; st_blocks: bigint;
  st_atim_sec: bigint; st_atim_nsec: bigint;
  st_mtim_sec: bigint; st_mtim_nsec: bigint;
  st_ctim_sec: bigint; st_ctim_nsec: bigint;
}

export interface ProxyStatFS {
  f_type: bigint; f_bsize: bigint; f_blocks: bigint; f_bfree: bigint; f_bavail: bigint;
  f_files: bigint; f_ffree: bigint;
  /** `f_fsid.__val[0]`/`[1]`: C ints, sign-extended to u64 by the helper (§6.2). */
  f_fsid0: bigint; f_fsid1: bigint;
  f_namelen: bigint; f_frsize: bigint;
}

/** Field order and letters of ProxyStat (§6.1); names match the suite's masks. */
export const PROXY_STAT_FIELDS: readonly (readonly [keyof ProxyStat, MarshalLetter])[] = [
  ['st_dev', 'q'], ['st_ino', 'q'], ['st_nlink', 'q'],
  ['st_mode', 'd'], ['st_uid', 'd'], ['st_gid', 'd'],
  ['st_rdev', 'q'], ['st_size', 'q'], ['st_blksize', 'q'], ['st_blocks', 'q'],
  ['st_atim_sec', 'q'], ['st_atim_nsec', 'q'],
  ['st_mtim_sec', 'q'], ['st_mtim_nsec', 'q'],
  ['st_ctim_sec', 'q'], ['st_ctim_nsec', 'q'],
];

export const PROXY_STATFS_FIELDS: readonly (readonly [keyof ProxyStatFS, MarshalLetter])[] = [
  ['f_type', 'q'], ['f_bsize', 'q'], ['f_blocks', 'q'], ['f_bfree', 'q'], ['f_bavail', 'q'],
  ['f_files', 'q'], ['f_ffree', 'q'], ['f_fsid0', 'q'], ['f_fsid1', 'q'], ['f_namelen', 'q'], ['f_frsize', 'q'],
];

export function writeProxyStat(w: WireWriter, st: ProxyStat): void {
  for (const [name, kind] of PROXY_STAT_FIELDS) w.write(kind, name, st[name]);
}

export function writeProxyStatFS(w: WireWriter, st: ProxyStatFS): void {
  for (const [name, kind] of PROXY_STATFS_FIELDS) w.write(kind, name, st[name]);
}

/** ProxyStat in PROXY_STAT_FIELDS order, as one object literal (perf: one shape, no keyed stores —
 * the client decodes a ProxyStat per walk; same fields, order, spans and errors as the table). */
export function readProxyStat(r: WireReader): ProxyStat {
  return {
    st_dev: r.u64('st_dev'), st_ino: r.u64('st_ino'), st_nlink: r.u64('st_nlink'),
    st_mode: r.u32('st_mode'), st_uid: r.u32('st_uid'), st_gid: r.u32('st_gid'),
    st_rdev: r.u64('st_rdev'), st_size: r.u64('st_size'), st_blksize: r.u64('st_blksize'), st_blocks: r.u64('st_blocks'),
    st_atim_sec: r.u64('st_atim_sec'), st_atim_nsec: r.u64('st_atim_nsec'),
    st_mtim_sec: r.u64('st_mtim_sec'), st_mtim_nsec: r.u64('st_mtim_nsec'),
    st_ctim_sec: r.u64('st_ctim_sec'), st_ctim_nsec: r.u64('st_ctim_nsec'),
  };
}

export function readProxyStatFS(r: WireReader): ProxyStatFS {
  const out: Record<string, bigint> = {};
  for (const [name, kind] of PROXY_STATFS_FIELDS) out[name] = r.read(kind, name) as bigint;
  return out as unknown as ProxyStatFS;
}

export const PROXY_STAT_SIZE = PROXY_STAT_SZ;
export const PROXY_STATFS_SIZE = PROXY_STATFS_SZ;
