// The guest's 9P client (Linux net/9p/client.c + trans_virtio.c, as far as a simulation needs):
// tags, the request queue, replies that arrive out of order after a request was parked, and fids.
// Tags: Tversion uses P9_NOTAG; others get the lowest free tag from 0 (p9_tag_alloc → idr_alloc).
// Fids: fid 0 is the first attach (p9_fid_create allocates from 0), which is also what the raw
// console calls fid 0. The kernel's other fids start at FIRST_KERNEL_FID so that numbers a trainer
// types in the console (1, 2, 3…) never collide with fids the kernel holds — a deliberate deviation
// from Linux, where they share one lowest-free space.
import { decodeMessage, encodeMessage, P9_NOTAG, type P9Message } from '../p9/index.ts';
import type { P9Request, P9Rpc, QueueExchange, RpcOutcome, VirtioQueue } from './rpc.ts';

export const FIRST_KERNEL_FID = 1000;
/** EIO: what Linux's p9_client_rpc returns once the transport is gone (c->status = Disconnected). */
const EIO = 5;

export class P9Client implements P9Rpc {
  private readonly busyTags = new Set<number>();
  /** Completions that arrived (via poll) for requests other than the one being resumed. */
  private readonly mailbox = new Map<number, QueueExchange>();
  private readonly busyFids = new Set<number>();
  private nextFid = FIRST_KERNEL_FID;
  disconnected: string | undefined;
  /** Every exchange, for tests and the terminal's "last request" view. */
  readonly log: { request: P9Message; reply?: P9Message; blocked?: string }[] = [];

  constructor(private readonly queue: VirtioQueue) {}

  private allocTag(kind: string): number {
    if (kind === 'Tversion') return P9_NOTAG;
    let t = 0;
    while (this.busyTags.has(t)) t++;
    this.busyTags.add(t);
    return t;
  }

  allocFid(): number {
    while (this.busyFids.has(this.nextFid)) this.nextFid++;
    const f = this.nextFid++;
    this.busyFids.add(f);
    return f;
  }

  /** Mark a console- or mount-chosen fid as used by the kernel (fid 0 of the first attach). */
  reserveFid(fid: number): void {
    this.busyFids.add(fid);
  }

  releaseFid(fid: number): void {
    this.busyFids.delete(fid);
  }

  rpc(req: P9Request): RpcOutcome {
    if (this.disconnected) return { kind: 'dead', errno: EIO, why: this.disconnected };
    const tag = this.allocTag(req.kind);
    const msg = { ...req, tag } as P9Message;
    const entry: { request: P9Message; reply?: P9Message; blocked?: string } = { request: msg };
    this.log.push(entry);
    return this.outcome(tag, this.queue.submit(encodeMessage(msg)), entry);
  }

  private outcome(tag: number, ex: QueueExchange, entry: { reply?: P9Message; blocked?: string }): RpcOutcome {
    switch (ex.state) {
      case 'replied': {
        this.busyTags.delete(tag);
        const reply = decodeMessage(ex.reply);
        entry.reply = reply;
        return { kind: 'reply', reply };
      }
      case 'dropped':
        this.busyTags.delete(tag);
        this.disconnected = ex.reason;
        return { kind: 'dead', errno: EIO, why: ex.reason };
      case 'blocked': {
        const what = `${ex.wait.on}: ${ex.wait.what}`;
        entry.blocked ??= what;
        const resume = (): RpcOutcome => {
          for (const done of this.queue.poll()) this.mailbox.set(done.tag, done);
          const mine = this.mailbox.get(tag);
          if (!mine) return { kind: 'blocked', what, resume };
          this.mailbox.delete(tag);
          return this.outcome(tag, mine, entry);
        };
        return { kind: 'blocked', what, resume };
      }
    }
  }
}
