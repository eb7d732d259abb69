// One v9fs mount's conversation with the server, with Linux's access=user rule (a Tattach per uid,
// fids per uid: fs/9p/fid.c v9fs_fid_lookup) and the syscall-restart bookkeeping that lets a guest
// syscall wait for a 9P reply that is stuck behind a frozen server.
//
// Restart model (labelled approximation): the guest VFS here is synchronous, so when a 9P request
// parks, the syscall is abandoned (V9fsWouldBlock) and later run again from its start, like a
// syscall restarted after -ERESTARTSYS. The replies of the first attempt are replayed, in order, to
// the restarted one, so no request is sent twice and the trace shows each message once.
import { errnoName as hostErrnoName, ERRNO, type Errno } from '../host/errno.ts';
import { err, ok, type Result } from '../host/result.ts';
import { P9_NOFID, type P9Message } from '../p9/index.ts';
import type { P9Client } from './client.ts';
import type { P9Request, RpcOutcome } from './rpc.ts';

export class V9fsWouldBlock extends Error {
  static readonly code = 'V9fsWouldBlock' as const;
  readonly code = V9fsWouldBlock.code;
  constructor(readonly what: string) {
    super(`9P request parked: ${what}`);
    this.name = 'V9fsWouldBlock';
  }
}

interface Replayed { req: P9Request; outcome: RpcOutcome }

/** Linux default msize since 5.16 ("9p: increase default msize to 128K"). */
export const DEFAULT_MSIZE = 131072;
/** Linux V9FS_DEFUSER / V9FS_DEFANAME. */
export const DEFAULT_UNAME = 'nobody';

export class V9fsSession {
  /** Who is calling (set per syscall by the guest machine): access=user attaches per fsuid. */
  current = { fsuid: 0, fsgid: 0 };
  /** The open(2) flags of the syscall in progress, if it is an open (Tlcreate takes them). */
  openFlags: number | null = null;
  msize = DEFAULT_MSIZE;
  private readonly rootFids = new Map<number, number>();
  private replay: Replayed[] = [];
  private cursor = 0;

  constructor(readonly client: P9Client, readonly aname = '') {}

  /** Start (or restart) a syscall attempt: replies recorded so far are replayed in order. */
  beginAttempt(): void { this.cursor = 0; }
  /** The syscall completed: forget the recorded replies. */
  endAttempt(): void { this.replay = []; this.cursor = 0; }

  /**
   * One request. `build` allocates fids and returns the request; on a replay it is not called and
   * the recorded request comes back instead, so callers read fid numbers from `req`.
   */
  call<R extends P9Request>(build: () => R): { req: R; reply: P9Message } | { req: R; dead: number } {
    let entry = this.replay[this.cursor];
    if (!entry) {
      const req = build();
      entry = { req, outcome: this.client.rpc(req) };
      this.replay.push(entry);
    }
    this.cursor++;
    if (entry.outcome.kind === 'blocked') entry.outcome = entry.outcome.resume();
    const o = entry.outcome;
    if (o.kind === 'blocked') throw new V9fsWouldBlock(o.what);
    if (o.kind === 'dead') return { req: entry.req as R, dead: o.errno };
    return { req: entry.req as R, reply: o.reply };
  }

  /** Like call(), mapping Rlerror and a dead transport to errno results. */
  rpc<R extends P9Request>(build: () => R): Result<{ req: R; reply: P9Message }> {
    const r = this.call(build);
    if ('dead' in r) return err(toErrno(r.dead));
    if (r.reply.kind === 'Rlerror') return err(toErrno(r.reply.ecode));
    return ok(r);
  }

  /** Tversion at mount time. */
  version(): Result<string> {
    const r = this.rpc(() => ({ kind: 'Tversion' as const, msize: this.msize, version: '9P2000.L' }));
    if (!r.ok) return r;
    const rep = r.value.reply;
    if (rep.kind !== 'Rversion') return err('EIO');
    this.msize = Math.min(this.msize, rep.msize);
    // Linux refuses a server that does not speak 9P2000.L when asked for it (p9_client_version).
    // (Linux returns EREMOTEIO, which the simulated kernel's errno table lacks: EIO here.)
    if (rep.version !== '9P2000.L') return err('EIO');
    return ok(rep.version);
  }

  /** The attached root fid for a uid (Tattach on first use; the first attach uses fid 0). */
  rootFid(uid: number): Result<number> {
    const have = this.rootFids.get(uid);
    if (have !== undefined) return ok(have);
    const first = this.rootFids.size === 0;
    const r = this.rpc(() => {
      const fid = first ? 0 : this.client.allocFid();
      if (first) this.client.reserveFid(0);
      return { kind: 'Tattach' as const, fid, afid: P9_NOFID, uname: DEFAULT_UNAME, aname: this.aname, n_uname: uid };
    });
    if (!r.ok) return r;
    this.rootFids.set(uid, r.value.req.fid);
    return ok(r.value.req.fid);
  }
}

/** Linux errno number from Rlerror → the kernel's errno name (EIO for numbers it does not know). */
export function toErrno(n: number): Errno {
  const name = hostErrnoName(n);
  return name && name in ERRNO ? name : 'EIO';
}
