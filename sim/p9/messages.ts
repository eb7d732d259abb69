// The 9P2000.L message table: one row per message, fields in wire order. Everything else (encoder,
// decoder, describe tree, summaries, TS types) is derived from it.
// Layouts: Linux net/9p/client.c format strings (e.g. Twalk "ddT", Rgetattr "qQdugqqqqqqqqqqqqqqq",
// Tsetattr "ddddqqqqq"), cross-checked with QEMU hw/9pfs/9p.c pdu_unmarshal formats and diod's
// protocol.md; names follow diod/Linux. Message numbers: Linux include/net/9p/9p.h.
// Not included: the legacy 9P2000/9P2000.u messages (Topen, Tcreate, Tstat, Twstat, Rerror) and
// Tlerror (6, never sent) — a 9P2000.L session does not use them; they decode as P9_UNKNOWN_TYPE.

/** Wire kinds. `wnames`/`wqids`: u16 count then items; `data`: u32 count then bytes;
 *  `dirents`: u32 byte count then packed qid[13] offset[8] type[1] name[s] entries. */
export type FieldKind = 'u8' | 'u16' | 'u32' | 'u64' | 'str' | 'qid' | 'wnames' | 'wqids' | 'data' | 'dirents';

export interface Qid {
  /** P9_QT* bits: 0x80 dir, 0x02 symlink, 0x00 file. */
  type: number;
  version: number;
  path: bigint;
}

export interface Dirent {
  qid: Qid;
  /** Opaque offset to continue reading after this entry (QEMU: telldir() of the host DIR*). */
  offset: bigint;
  /** d_type (DT_DIR 4, DT_REG 8, DT_LNK 10, …). */
  type: number;
  name: string;
}

export interface KindValue {
  u8: number;
  u16: number;
  u32: number;
  u64: bigint;
  str: string;
  qid: Qid;
  wnames: string[];
  wqids: Qid[];
  data: Uint8Array;
  dirents: Dirent[];
}

type Row = { readonly type: number; readonly fields: readonly (readonly [string, FieldKind])[]; readonly trace?: string };

const r = <const F extends readonly (readonly [string, FieldKind])[]>(type: number, fields: F, trace?: string) => ({ type, fields, trace }) as const;

/**
 * `trace`: the QEMU hw/9pfs/trace-events event that 9p.c emits when it handles the request (T) or
 * completes it (R, the `_return` events); absent where QEMU has none (style.md §4.5).
 */
export const P9_MESSAGES = {
  Rlerror: r(7, [['ecode', 'u32']], 'v9fs_rerror'),
  Tstatfs: r(8, [['fid', 'u32']]),
  Rstatfs: r(9, [['type', 'u32'], ['bsize', 'u32'], ['blocks', 'u64'], ['bfree', 'u64'], ['bavail', 'u64'], ['files', 'u64'], ['ffree', 'u64'], ['fsid', 'u64'], ['namelen', 'u32']]),
  Tlopen: r(12, [['fid', 'u32'], ['flags', 'u32']], 'v9fs_open'),
  Rlopen: r(13, [['qid', 'qid'], ['iounit', 'u32']], 'v9fs_open_return'),
  Tlcreate: r(14, [['fid', 'u32'], ['name', 'str'], ['flags', 'u32'], ['mode', 'u32'], ['gid', 'u32']], 'v9fs_lcreate'),
  Rlcreate: r(15, [['qid', 'qid'], ['iounit', 'u32']], 'v9fs_lcreate_return'),
  Tsymlink: r(16, [['fid', 'u32'], ['name', 'str'], ['symtgt', 'str'], ['gid', 'u32']], 'v9fs_symlink'),
  Rsymlink: r(17, [['qid', 'qid']], 'v9fs_symlink_return'),
  Tmknod: r(18, [['dfid', 'u32'], ['name', 'str'], ['mode', 'u32'], ['major', 'u32'], ['minor', 'u32'], ['gid', 'u32']], 'v9fs_mknod'),
  Rmknod: r(19, [['qid', 'qid']], 'v9fs_mknod_return'),
  Trename: r(20, [['fid', 'u32'], ['dfid', 'u32'], ['name', 'str']]),
  Rrename: r(21, []),
  Treadlink: r(22, [['fid', 'u32']], 'v9fs_readlink'),
  Rreadlink: r(23, [['target', 'str']], 'v9fs_readlink_return'),
  Tgetattr: r(24, [['fid', 'u32'], ['request_mask', 'u64']], 'v9fs_getattr'),
  Rgetattr: r(25, [
    ['valid', 'u64'], ['qid', 'qid'], ['mode', 'u32'], ['uid', 'u32'], ['gid', 'u32'], ['nlink', 'u64'], ['rdev', 'u64'],
    ['size', 'u64'], ['blksize', 'u64'], ['blocks', 'u64'], ['atime_sec', 'u64'], ['atime_nsec', 'u64'],
    ['mtime_sec', 'u64'], ['mtime_nsec', 'u64'], ['ctime_sec', 'u64'], ['ctime_nsec', 'u64'],
    ['btime_sec', 'u64'], ['btime_nsec', 'u64'], ['gen', 'u64'], ['data_version', 'u64'],
  ], 'v9fs_getattr_return'),
  Tsetattr: r(26, [
    ['fid', 'u32'], ['valid', 'u32'], ['mode', 'u32'], ['uid', 'u32'], ['gid', 'u32'], ['size', 'u64'],
    ['atime_sec', 'u64'], ['atime_nsec', 'u64'], ['mtime_sec', 'u64'], ['mtime_nsec', 'u64'],
  ], 'v9fs_setattr'),
  Rsetattr: r(27, [], 'v9fs_setattr_return'),
  Txattrwalk: r(30, [['fid', 'u32'], ['newfid', 'u32'], ['name', 'str']], 'v9fs_xattrwalk'),
  Rxattrwalk: r(31, [['size', 'u64']], 'v9fs_xattrwalk_return'),
  Txattrcreate: r(32, [['fid', 'u32'], ['name', 'str'], ['attr_size', 'u64'], ['flags', 'u32']], 'v9fs_xattrcreate'),
  Rxattrcreate: r(33, []),
  Treaddir: r(40, [['fid', 'u32'], ['offset', 'u64'], ['count', 'u32']], 'v9fs_readdir'),
  Rreaddir: r(41, [['entries', 'dirents']], 'v9fs_readdir_return'),
  Tfsync: r(50, [['fid', 'u32'], ['datasync', 'u32']], 'v9fs_fsync'),
  Rfsync: r(51, []),
  Tlock: r(52, [['fid', 'u32'], ['type', 'u8'], ['flags', 'u32'], ['start', 'u64'], ['length', 'u64'], ['proc_id', 'u32'], ['client_id', 'str']], 'v9fs_lock'),
  Rlock: r(53, [['status', 'u8']], 'v9fs_lock_return'),
  Tgetlock: r(54, [['fid', 'u32'], ['type', 'u8'], ['start', 'u64'], ['length', 'u64'], ['proc_id', 'u32'], ['client_id', 'str']], 'v9fs_getlock'),
  Rgetlock: r(55, [['type', 'u8'], ['start', 'u64'], ['length', 'u64'], ['proc_id', 'u32'], ['client_id', 'str']], 'v9fs_getlock_return'),
  Tlink: r(70, [['dfid', 'u32'], ['fid', 'u32'], ['name', 'str']], 'v9fs_link'),
  Rlink: r(71, []),
  Tmkdir: r(72, [['dfid', 'u32'], ['name', 'str'], ['mode', 'u32'], ['gid', 'u32']], 'v9fs_mkdir'),
  Rmkdir: r(73, [['qid', 'qid']], 'v9fs_mkdir_return'),
  Trenameat: r(74, [['olddirfid', 'u32'], ['oldname', 'str'], ['newdirfid', 'u32'], ['newname', 'str']]),
  Rrenameat: r(75, []),
  Tunlinkat: r(76, [['dirfid', 'u32'], ['name', 'str'], ['flags', 'u32']]),
  Runlinkat: r(77, []),
  Tversion: r(100, [['msize', 'u32'], ['version', 'str']], 'v9fs_version'),
  Rversion: r(101, [['msize', 'u32'], ['version', 'str']], 'v9fs_version_return'),
  Tauth: r(102, [['afid', 'u32'], ['uname', 'str'], ['aname', 'str'], ['n_uname', 'u32']]),
  Rauth: r(103, [['aqid', 'qid']]),
  Tattach: r(104, [['fid', 'u32'], ['afid', 'u32'], ['uname', 'str'], ['aname', 'str'], ['n_uname', 'u32']], 'v9fs_attach'),
  Rattach: r(105, [['qid', 'qid']], 'v9fs_attach_return'),
  Tflush: r(108, [['oldtag', 'u16']], 'v9fs_flush'),
  Rflush: r(109, []),
  Twalk: r(110, [['fid', 'u32'], ['newfid', 'u32'], ['wnames', 'wnames']], 'v9fs_walk'),
  Rwalk: r(111, [['wqids', 'wqids']], 'v9fs_walk_return'),
  Tread: r(116, [['fid', 'u32'], ['offset', 'u64'], ['count', 'u32']], 'v9fs_read'),
  Rread: r(117, [['data', 'data']], 'v9fs_read_return'),
  Twrite: r(118, [['fid', 'u32'], ['offset', 'u64'], ['data', 'data']], 'v9fs_write'),
  Rwrite: r(119, [['count', 'u32']], 'v9fs_write_return'),
  Tclunk: r(120, [['fid', 'u32']], 'v9fs_clunk'),
  Rclunk: r(121, []),
  Tremove: r(122, [['fid', 'u32']], 'v9fs_remove'),
  Rremove: r(123, []),
} as const satisfies Record<string, Row>;

export type P9MessageName = keyof typeof P9_MESSAGES;

type FieldsOf<F extends readonly (readonly [string, FieldKind])[]> = { [E in F[number] as E[0]]: KindValue[E[1]] };

/** A decoded 9P2000.L message: `kind` names it, `tag` is the header tag, the rest are its fields. */
export type P9Message = {
  [K in P9MessageName]: { kind: K; tag: number } & FieldsOf<(typeof P9_MESSAGES)[K]['fields']>;
}[P9MessageName];

/** The message type for one name, e.g. `P9MessageOf<'Twalk'>`. */
export type P9MessageOf<K extends P9MessageName> = Extract<P9Message, { kind: K }>;

export interface MessageSpec {
  readonly name: P9MessageName;
  readonly type: number;
  readonly fields: readonly (readonly [string, FieldKind])[];
  readonly trace?: string;
}

const BY_TYPE = new Map<number, MessageSpec>();
const BY_NAME = new Map<string, MessageSpec>();
for (const [name, row] of Object.entries(P9_MESSAGES) as [P9MessageName, Row][]) {
  const spec: MessageSpec = { name, type: row.type, fields: row.fields, ...(row.trace ? { trace: row.trace } : {}) };
  BY_TYPE.set(row.type, spec);
  BY_NAME.set(name, spec);
}

export function specByType(type: number): MessageSpec | undefined {
  return BY_TYPE.get(type);
}

export function specByName(name: string): MessageSpec | undefined {
  return BY_NAME.get(name);
}

export function allSpecs(): readonly MessageSpec[] {
  return [...BY_TYPE.values()];
}

/** Whether a message is a request (T, even type numbers) or a reply (R, odd). */
export function isRequest(kind: P9MessageName): boolean {
  return kind.startsWith('T');
}

/** The reply name for a request (`Twalk` → `Rwalk`); Rlerror can answer any request. */
export function replyOf(kind: P9MessageName): P9MessageName | undefined {
  const name = `R${kind.slice(1)}`;
  return BY_NAME.has(name) ? (name as P9MessageName) : undefined;
}

/** Field names that hold fids, in any message (used for fid filters and trace summaries). */
export const FID_FIELDS: ReadonlySet<string> = new Set(['fid', 'newfid', 'afid', 'dfid', 'olddirfid', 'newdirfid', 'dirfid']);

/** The fids a message mentions, in field order. */
export function messageFids(msg: P9Message): number[] {
  const spec = BY_NAME.get(msg.kind)!;
  const out: number[] = [];
  const rec = msg as unknown as Record<string, unknown>;
  for (const [f] of spec.fields) if (FID_FIELDS.has(f)) out.push(rec[f] as number);
  return out;
}
