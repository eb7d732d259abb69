// The virtio-9p transport as the guest sees it (hw/9pfs/virtio-9p-device.c handle_9p_output,
// pdu_submit, pdu_complete): the guest puts request bytes on the queue and gets reply bytes back.
//
// Requests run as coroutines (coroutine.ts). A request whose driver call sleeps stays in flight:
// `submit()` then answers `{state: 'blocked'}`, and the caller (the scenario scheduler) may let other
// actors run — e.g. a host process opening the FIFO the helper is stuck on — and call `poll()` to
// resume. While one proxy request is stuck, every other request that needs the proxy waits on the
// proxy mutex, exactly like QEMU (scenarios.md dos/fifo-open-freezes-helper).
import { decodeMessage, encodeMessage } from '../../p9/codec.ts';
import { P9DecodeError } from '../../p9/errors.ts';
import type { P9Message } from '../../p9/messages.ts';
import { specByType } from '../../p9/messages.ts';
import type { Co, Wait } from './coroutine.ts';
import type { V9fsState } from './state.ts';
import { dispatch } from './dispatch.ts';
import { type Reply, lerror, E } from './reply.ts';
import { QemuAbortError } from '../fsdev/proxy/client.ts';

export type Exchange =
  | { readonly state: 'replied'; readonly tag: number; readonly reply: Uint8Array; readonly message: P9Message }
  | { readonly state: 'blocked'; readonly tag: number; readonly wait: Wait }
  /** No reply will ever come (virtio_error marked the device broken). */
  | { readonly state: 'dropped'; readonly tag: number; readonly reason: string };

/** The lab's scheduler hook: let the other processes (the helper) run; true if any made progress. */
export type RunOthers = () => boolean;

export class TransportBlockedError extends Error {
  static readonly code = 'TransportBlocked' as const;
  readonly code = TransportBlockedError.code;
  constructor(readonly tag: number, readonly wait: Wait) {
    super(`9P request tag ${tag} is blocked: ${wait.on} (${wait.what})`);
    this.name = 'TransportBlockedError';
  }
}

export class TransportDroppedError extends Error {
  static readonly code = 'TransportDropped' as const;
  readonly code = TransportDroppedError.code;
  constructor(readonly tag: number, readonly reason: string) {
    super(`9P request tag ${tag} got no reply: ${reason}`);
    this.name = 'TransportDroppedError';
  }
}

interface InFlight {
  readonly tag: number;
  readonly request: P9Message;
  readonly co: Co<Reply>;
  readonly causeId: number | undefined;
  wait: Wait;
}

/** What the guest talks to: a virtio-9p-pci device's request queue. */
export interface P9Transport {
  readonly mountTag: string;
  /** Submit one request (bytes of one 9P message). Runs it until it replies or parks. */
  submit(bytes: Uint8Array): Exchange;
  /** Resume parked requests after other actors ran; returns the exchanges completed now, in order. */
  poll(): Exchange[];
  /** Requests still in flight (tag and what each waits for). */
  inflight(): { tag: number; wait: Wait }[];
  /** submit() that must complete now: throws TransportBlockedError / TransportDroppedError. */
  request(bytes: Uint8Array): Uint8Array;
  /** Convenience for tests and the raw console: encode, request, decode. */
  call(msg: P9Message): P9Message;
}

export class Virtio9pTransport implements P9Transport {
  private readonly queue: InFlight[] = [];
  /** virtio_error: "the device needs reset" — no more requests are processed. */
  broken: string | undefined;
  /** Called when QEMU aborts inside a request (the QEMU process then dies). */
  onAbort: ((e: QemuAbortError) => void) | undefined;

  constructor(readonly s: V9fsState, private readonly runOthers: RunOthers = () => false) {}

  get mountTag(): string {
    return this.s.tag;
  }

  submit(bytes: Uint8Array): Exchange {
    const tag = bytes.length >= 7 ? bytes[5]! | (bytes[6]! << 8) : 0;
    if (this.broken) return { state: 'dropped', tag, reason: this.broken };
    if (bytes.length < 7) {
      this.break('The guest sent a VirtFS request without headers');
      return { state: 'dropped', tag, reason: this.broken! };
    }
    const id = bytes[4]!;
    // QEMU never checks size[4] against the buffer; pdu_unmarshal reads fields from the buffer.
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(0, copy.length, true);
    let msg: P9Message;
    try {
      msg = decodeMessage(copy, { allowTrailing: true });
    } catch (e) {
      if (e instanceof P9DecodeError && (e.code === 'P9_UNKNOWN_TYPE' || (specByType(id) && (id & 1) === 1))) {
        // v9fs_op_not_supp: unknown ids (and replies sent as requests) get EOPNOTSUPP.
        const reply = this.finishEncode({ ...lerror(E.EOPNOTSUPP), tag } as P9Message);
        return reply;
      }
      // virtio_pdu_vunmarshal → virtio_error("Failed to decode VirtFS request type %d"): the request's
      // id (observed on the real 7.2.22: a short Twalk prints "type 110").
      this.break(`Failed to decode VirtFS request type ${id}`);
      return { state: 'dropped', tag, reason: this.broken! };
    }
    if ((id & 1) === 1) {
      return this.finishEncode({ ...lerror(E.EOPNOTSUPP), tag } as P9Message);
    }
    const causeId = this.s.trace.p9('request', msg, bytes);
    const co = msg.kind === 'Tflush' ? this.flush(msg.oldtag) : dispatch(this.s, msg);
    const f: InFlight = { tag, request: msg, co, causeId, wait: { kind: 'wait', on: 'start', what: '' } };
    this.queue.push(f);
    const r = this.advance(f);
    return r ?? { state: 'blocked', tag, wait: f.wait };
  }

  poll(): Exchange[] {
    const done: Exchange[] = [];
    for (let progress = true; progress && this.queue.length;) {
      progress = false;
      for (const f of [...this.queue]) {
        const r = this.advance(f);
        if (r) { done.push(r); progress = true; }
      }
    }
    return done;
  }

  inflight(): { tag: number; wait: Wait }[] {
    return this.queue.map((f) => ({ tag: f.tag, wait: f.wait }));
  }

  request(bytes: Uint8Array): Uint8Array {
    const r = this.submit(bytes);
    if (r.state === 'replied') return r.reply;
    if (r.state === 'blocked') throw new TransportBlockedError(r.tag, r.wait);
    throw new TransportDroppedError(r.tag, r.reason);
  }

  call(msg: P9Message): P9Message {
    return decodeMessage(this.request(encodeMessage(msg)));
  }

  /** Step one coroutine as far as it goes, letting the other processes run while it waits. */
  private advance(f: InFlight): Exchange | undefined {
    for (;;) {
      let r: IteratorResult<Wait, Reply>;
      try {
        r = this.s.trace.withCause(f.causeId, () => f.co.next());
      } catch (e) {
        if (!(e instanceof QemuAbortError)) throw e;
        // QEMU died (assert → abort): nothing in flight will ever be answered.
        this.queue.length = 0;
        this.broken = 'QEMU aborted';
        this.onAbort?.(e);
        return { state: 'dropped', tag: f.tag, reason: this.broken };
      }
      if (r.done) {
        this.queue.splice(this.queue.indexOf(f), 1);
        const msg = { ...r.value, tag: f.tag } as P9Message;
        return this.s.trace.withCause(f.causeId, () => this.finishEncode(msg));
      }
      f.wait = r.value;
      // The coroutine is parked: the OS runs the other processes; retry only if one of them moved.
      if (!this.s.trace.withCause(f.wait.cause ?? f.causeId, () => this.runOthers())) return undefined;
    }
  }

  private finishEncode(msg: P9Message): Exchange {
    const bytes = encodeMessage(msg);
    this.s.trace.p9('reply', msg, bytes);
    return { state: 'replied', tag: msg.tag, reply: bytes, message: msg };
  }

  /** Tflush: wait until the old request has completed (it cannot be cancelled inside a driver call), then Rflush. */
  private *flush(oldtag: number): Co<Reply> {
    for (;;) {
      const old = this.queue.find((q) => q.tag === oldtag && q.request.kind !== 'Tflush');
      if (!old) return { kind: 'Rflush' };
      yield { kind: 'wait', on: 'flush', what: `tag ${oldtag}` };
    }
  }

  private break(reason: string): void {
    this.broken = reason;
    this.s.stderr(`qemu-system-x86_64: ${reason}`);
    this.s.trace.note('virtio:error', `virtio_error: ${reason} — the device needs a reset; no further replies`, 'hw/9pfs/virtio-9p-device.c');
  }
}
