// The raw 9P console: the malicious-guest view (scenarios.md §2 "Guest": the attacks need crafted
// messages a normal v9fs client never sends). `9p OP ARGS…` builds one 9P2000.L request on the
// mount's channel, sends it, and prints the decoded reply; exit 0 for an R-message, 1 for Rlerror.
// fid 0 is the fid the mount attached (Linux allocates fids from 0, net/9p/client.c p9_fid_create).
import {
  P9_DOTL, P9_GETATTR, P9_NOFID, P9_SETATTR, errnoMessage, errnoName, summarizeMessage,
  type P9Message,
} from '../p9/index.ts';
import type { P9Request, P9Rpc, RpcOutcome } from './rpc.ts';

export class ConsoleUsageError extends Error {
  static readonly code = 'ConsoleUsage' as const;
  readonly code = ConsoleUsageError.code;
  constructor(message: string) { super(message); this.name = 'ConsoleUsageError'; }
}

export const CONSOLE_USAGE = `usage: 9p OP ARGS…  (fid 0 = the mount's attached root)
  attach FID UID [ANAME]           walk FID NEWFID [NAME…]        lopen FID FLAGS
  lcreate DFID NAME FLAGS MODE [GID]                              read FID OFFSET COUNT
  write FID OFFSET TEXT            getattr FID [MASK]             setattr FID KEY=VALUE…
  symlink DFID NAME TARGET [GID]   mknod DFID NAME MODE MAJOR MINOR [GID]
  mkdir DFID NAME MODE [GID]       readlink FID                   clunk FID
  remove FID                       unlinkat DFID NAME [FLAGS]     renameat ODFID ONAME NDFID NNAME
  rename FID DFID NAME             link DFID FID NAME             statfs FID
  readdir FID [OFFSET] [COUNT]     xattrwalk FID NEWFID [NAME]    fsync FID
FLAGS: O_RDONLY|O_WRONLY|O_RDWR|O_CREAT|O_EXCL|O_TRUNC|O_APPEND|O_NONBLOCK|O_DIRECTORY|O_NOFOLLOW|O_NOATIME… or a number
MODE: octal (0644, 060600) or S_IFBLK|0600; setattr keys: mode uid gid size atime mtime (SEC[.FRACTION] or now)
`;

function num(s: string | undefined, what: string): number {
  if (s === undefined) throw new ConsoleUsageError(`missing ${what}`);
  const v = /^0[xX][0-9a-fA-F]+$/.test(s) ? parseInt(s, 16) : /^0[0-7]+$/.test(s) ? parseInt(s, 8) : /^\d+$/.test(s) ? parseInt(s, 10) : NaN;
  if (!Number.isFinite(v) || v > 0xffffffff) throw new ConsoleUsageError(`${what}: '${s}' is not a number`);
  return v;
}

function big(s: string | undefined, what: string): bigint {
  if (s === undefined) throw new ConsoleUsageError(`missing ${what}`);
  if (!/^(0[xX][0-9a-fA-F]+|\d+)$/.test(s)) throw new ConsoleUsageError(`${what}: '${s}' is not a number`);
  return BigInt(s);
}

const MODE_TYPES: Record<string, number> = { S_IFSOCK: 0o140000, S_IFLNK: 0o120000, S_IFREG: 0o100000, S_IFBLK: 0o060000, S_IFDIR: 0o040000, S_IFCHR: 0o020000, S_IFIFO: 0o010000 };

/** `0644`, `060600`, `S_IFBLK|0600`: permission numbers are octal, as in C and chmod. */
export function parseMode(s: string | undefined, what = 'MODE'): number {
  if (s === undefined) throw new ConsoleUsageError(`missing ${what}`);
  let v = 0;
  for (const part of s.split('|')) {
    if (part in MODE_TYPES) v |= MODE_TYPES[part]!;
    else if (/^[0-7]+$/.test(part)) v |= parseInt(part, 8);
    else throw new ConsoleUsageError(`${what}: '${part}' is neither octal nor S_IF*`);
  }
  return v >>> 0;
}

/** P9_DOTL flags from `O_WRONLY|O_TRUNC` (the names are Linux's; the wire values are P9_DOTL_*). */
export function parseDotlFlags(s: string | undefined): number {
  if (s === undefined) throw new ConsoleUsageError('missing FLAGS');
  let v = 0;
  for (const part of s.split('|')) {
    const name = part.replace(/^O_/, '').replace(/^CREAT$/, 'CREATE');
    if (name in P9_DOTL) v |= P9_DOTL[name as keyof typeof P9_DOTL];
    else v |= num(part, 'FLAGS');
  }
  return v >>> 0;
}

function parseTime(s: string): { sec: bigint; nsec: bigint } | 'now' {
  if (s === 'now') return 'now';
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(s);
  if (!m) throw new ConsoleUsageError(`time '${s}': use SEC[.FRACTION] or now`);
  return { sec: BigInt(m[1]!), nsec: BigInt((m[2] ?? '').padEnd(9, '0') || '0') };
}

/** Build the request for `9p ARGS…`; `gid` is the caller's gid (default for create-type requests). */
export function buildConsoleRequest(args: string[], gid: number): P9Request {
  const [op, ...a] = args;
  const g = (i: number) => (a[i] !== undefined ? num(a[i], 'GID') : gid);
  switch (op) {
    case 'attach': return { kind: 'Tattach', fid: num(a[0], 'FID'), afid: P9_NOFID, uname: '', aname: a[2] ?? '', n_uname: num(a[1], 'UID') };
    case 'walk': {
      const wnames = a.slice(2);
      if (wnames.length > 16) throw new ConsoleUsageError('at most 16 names per walk (P9_MAXWELEM)');
      return { kind: 'Twalk', fid: num(a[0], 'FID'), newfid: num(a[1], 'NEWFID'), wnames };
    }
    case 'lopen': return { kind: 'Tlopen', fid: num(a[0], 'FID'), flags: parseDotlFlags(a[1]) };
    case 'lcreate': return { kind: 'Tlcreate', fid: num(a[0], 'DFID'), name: need(a[1], 'NAME'), flags: parseDotlFlags(a[2]), mode: parseMode(a[3]), gid: g(4) };
    case 'read': return { kind: 'Tread', fid: num(a[0], 'FID'), offset: big(a[1], 'OFFSET'), count: num(a[2], 'COUNT') };
    case 'write': {
      const text = need(a[2], 'TEXT').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      return { kind: 'Twrite', fid: num(a[0], 'FID'), offset: big(a[1], 'OFFSET'), data: utf8(text) };
    }
    case 'getattr': return { kind: 'Tgetattr', fid: num(a[0], 'FID'), request_mask: a[1] !== undefined ? big(a[1], 'MASK') : BigInt(P9_GETATTR.ALL) };
    case 'setattr': return buildSetattr(num(a[0], 'FID'), a.slice(1));
    case 'symlink': return { kind: 'Tsymlink', fid: num(a[0], 'DFID'), name: need(a[1], 'NAME'), symtgt: need(a[2], 'TARGET'), gid: g(3) };
    case 'mknod': return { kind: 'Tmknod', dfid: num(a[0], 'DFID'), name: need(a[1], 'NAME'), mode: parseMode(a[2]), major: num(a[3], 'MAJOR'), minor: num(a[4], 'MINOR'), gid: g(5) };
    case 'mkdir': return { kind: 'Tmkdir', dfid: num(a[0], 'DFID'), name: need(a[1], 'NAME'), mode: parseMode(a[2]), gid: g(3) };
    case 'readlink': return { kind: 'Treadlink', fid: num(a[0], 'FID') };
    case 'clunk': return { kind: 'Tclunk', fid: num(a[0], 'FID') };
    case 'remove': return { kind: 'Tremove', fid: num(a[0], 'FID') };
    case 'unlinkat': return { kind: 'Tunlinkat', dirfid: num(a[0], 'DFID'), name: need(a[1], 'NAME'), flags: a[2] === 'AT_REMOVEDIR' ? 0x200 : a[2] !== undefined ? num(a[2], 'FLAGS') : 0 };
    case 'renameat': return { kind: 'Trenameat', olddirfid: num(a[0], 'ODFID'), oldname: need(a[1], 'ONAME'), newdirfid: num(a[2], 'NDFID'), newname: need(a[3], 'NNAME') };
    case 'rename': return { kind: 'Trename', fid: num(a[0], 'FID'), dfid: num(a[1], 'DFID'), name: need(a[2], 'NAME') };
    case 'link': return { kind: 'Tlink', dfid: num(a[0], 'DFID'), fid: num(a[1], 'FID'), name: need(a[2], 'NAME') };
    case 'statfs': return { kind: 'Tstatfs', fid: num(a[0], 'FID') };
    case 'readdir': return { kind: 'Treaddir', fid: num(a[0], 'FID'), offset: a[1] !== undefined ? big(a[1], 'OFFSET') : 0n, count: a[2] !== undefined ? num(a[2], 'COUNT') : 8192 };
    case 'xattrwalk': return { kind: 'Txattrwalk', fid: num(a[0], 'FID'), newfid: num(a[1], 'NEWFID'), name: a[2] ?? '' };
    case 'fsync': return { kind: 'Tfsync', fid: num(a[0], 'FID'), datasync: 0 };
    case undefined: throw new ConsoleUsageError('missing OP');
    default: throw new ConsoleUsageError(`unknown OP '${op}'`);
  }
}

function need(s: string | undefined, what: string): string {
  if (s === undefined) throw new ConsoleUsageError(`missing ${what}`);
  return s;
}

function buildSetattr(fid: number, kv: string[]): P9Request {
  const req = { kind: 'Tsetattr' as const, fid, valid: 0, mode: 0, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n };
  if (kv.length === 0) throw new ConsoleUsageError('setattr needs KEY=VALUE (mode uid gid size atime mtime)');
  for (const item of kv) {
    const m = /^(\w+)=(.*)$/.exec(item);
    if (!m) throw new ConsoleUsageError(`setattr: '${item}' is not KEY=VALUE`);
    const [, k, v] = m as unknown as [string, string, string];
    switch (k) {
      case 'mode': req.valid |= P9_SETATTR.MODE; req.mode = parseMode(v); break;
      case 'uid': req.valid |= P9_SETATTR.UID; req.uid = num(v, 'uid'); break;
      case 'gid': req.valid |= P9_SETATTR.GID; req.gid = num(v, 'gid'); break;
      case 'size': req.valid |= P9_SETATTR.SIZE; req.size = big(v, 'size'); break;
      case 'atime': case 'mtime': {
        const t = parseTime(v);
        const isA = k === 'atime';
        req.valid |= isA ? P9_SETATTR.ATIME : P9_SETATTR.MTIME;
        if (t !== 'now') {
          req.valid |= isA ? P9_SETATTR.ATIME_SET : P9_SETATTR.MTIME_SET;
          if (isA) { req.atime_sec = t.sec; req.atime_nsec = t.nsec; } else { req.mtime_sec = t.sec; req.mtime_nsec = t.nsec; }
        }
        break;
      }
      default: throw new ConsoleUsageError(`setattr: unknown key '${k}'`);
    }
  }
  return req;
}

function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

function latin1OrUtf8(b: Uint8Array): string {
  try {
    return decodeURIComponent(Array.from(b, (x) => '%' + x.toString(16).padStart(2, '0')).join(''));
  } catch {
    return Array.from(b, (x) => (x >= 0x20 && x < 0x7f) || x === 10 || x === 9 ? String.fromCharCode(x) : '.').join('');
  }
}

/** The printed form of a reply: the decoded fields; Rread adds its data, Rlerror the errno name. */
export function formatConsoleReply(reply: P9Message): { text: string; exit: number } {
  if (reply.kind === 'Rlerror') {
    return { text: `Rlerror ${errnoName(reply.ecode)} (${reply.ecode}): ${errnoMessage(reply.ecode)}\n`, exit: 1 };
  }
  if (reply.kind === 'Rwalk') {
    return { text: `Rwalk nwqid=${reply.wqids.length}${summarizeMessage(reply).replace(/^Rwalk tag=\d+/, '')}\n`, exit: 0 };
  }
  let text = summarizeMessage(reply).replace(/ tag=\d+/, '') + '\n';
  if (reply.kind === 'Rread') {
    text = `Rread count=${reply.data.length}\n`;
    const body = latin1OrUtf8(reply.data);
    text += body + (body.length && !body.endsWith('\n') ? '\n' : '');
  }
  if (reply.kind === 'Rgetattr') {
    text = `Rgetattr valid=0x${reply.valid.toString(16)} qid=${summarizeMessage(reply).split(' qid=')[1]!.split(' mode=')[0]} mode=0${reply.mode.toString(8)} uid=${reply.uid} gid=${reply.gid} nlink=${reply.nlink} rdev=0x${reply.rdev.toString(16)} size=${reply.size} blksize=${reply.blksize} blocks=${reply.blocks}\n`
      + `  atime=${reply.atime_sec}.${String(reply.atime_nsec).padStart(9, '0')} mtime=${reply.mtime_sec}.${String(reply.mtime_nsec).padStart(9, '0')} ctime=${reply.ctime_sec}.${String(reply.ctime_nsec).padStart(9, '0')} gen=0x${reply.gen.toString(16).padStart(16, '0')}\n`;
  }
  if (reply.kind === 'Rstatfs') {
    text = `Rstatfs type=0x${reply.type.toString(16)} bsize=${reply.bsize} blocks=${reply.blocks} bfree=${reply.bfree} bavail=${reply.bavail} files=${reply.files} ffree=${reply.ffree} fsid=0x${reply.fsid.toString(16).padStart(16, '0')} namelen=${reply.namelen}\n`;
  }
  if (reply.kind === 'Rreaddir') {
    text = `Rreaddir count=${reply.entries.length}\n` + reply.entries.map((e) => `  ${e.name}\tqid.type=0x${e.qid.type.toString(16)} qid.path=${e.qid.path} offset=${e.offset} type=${e.type}\n`).join('');
  }
  return { text, exit: 0 };
}

export interface ConsoleResult {
  stdout: string;
  stderr: string;
  /** null while the request is blocked (see `pending`). */
  exit: number | null;
  pending?: { what: string; resume(): ConsoleResult };
}

/** Run `9p ARGS…` on a channel. */
export function runConsole(ch: P9Rpc, args: string[], gid: number): ConsoleResult {
  if (args.length === 0 || args[0] === '-h' || args[0] === '--help') return { stdout: CONSOLE_USAGE, stderr: '', exit: args.length ? 0 : 2 };
  let req: P9Request;
  try {
    req = buildConsoleRequest(args, gid);
  } catch (e) {
    if (e instanceof ConsoleUsageError) return { stdout: '', stderr: `9p: ${e.message}\n${CONSOLE_USAGE}`, exit: 2 };
    throw e;
  }
  return finish(ch.rpc(req));
}

function finish(o: RpcOutcome): ConsoleResult {
  switch (o.kind) {
    case 'reply': {
      const { text, exit } = formatConsoleReply(o.reply);
      return { stdout: text, stderr: '', exit };
    }
    case 'blocked':
      return { stdout: '', stderr: '', exit: null, pending: { what: o.what, resume: () => finish(o.resume()) } };
    case 'dead':
      return { stdout: '', stderr: `9p: ${errnoMessage(o.errno)} (${o.why})\n`, exit: 1 };
  }
}

