// The trace recorder: appends events with ids, causes from a cause stack, and virtual timestamps,
// and tells subscribers (the UI's panels) about each one. Recording is an array push plus a few
// field writes, so 100,000 events take a few tens of milliseconds (scripts/bench-trace.ts).
import { P9DecodeError } from '../p9/errors.ts';
import { decodeMessage, encodeMessage } from '../p9/codec.ts';
import { messageFids, type P9Message, specByName } from '../p9/messages.ts';
import { TraceClock } from './clock.ts';
import {
  decodeErrorInfo, type EventInput, type Lane, type NoteEvent, type P9Event, type ProxyEvent, type SyscallEvent, type TraceEvent,
} from './event.ts';

export interface Disposable {
  dispose(): void;
}

export interface RecorderOptions {
  clock?: TraceClock;
  /** Advance the clock by this many ns after each event (default 0: the scheduler owns time). */
  tickNs?: number;
  /** Advance the clock after each event by its cost (cost.ts modelledCostNs): modelled virtual time. */
  cost?: (e: TraceEvent) => number;
}

export type TraceListener = (e: TraceEvent) => void;

export class TraceRecorder {
  readonly clock: TraceClock;
  private readonly tickNs: number;
  private readonly cost: ((e: TraceEvent) => number) | undefined;
  private readonly list: TraceEvent[] = [];
  private readonly causes: (number | null)[] = [];
  private readonly listeners = new Set<TraceListener>();
  /** Outstanding 9P requests by session and tag (a reply answers the request with its tag; intro(9P)). */
  private readonly p9ByTag = new Map<string, P9Event>();
  /** The open proxy request per socket: the protocol is one request at a time (proxy-protocol.md §1). */
  private readonly lastProxyRequest = new Map<string, ProxyEvent>();
  private nextId = 1;

  constructor(opts: RecorderOptions = {}) {
    this.clock = opts.clock ?? new TraceClock();
    this.tickNs = opts.tickNs ?? 0;
    this.cost = opts.cost;
  }

  /** Recorded events in order (do not mutate). */
  get events(): readonly TraceEvent[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  /** The cause new events get when they do not name one. */
  currentCause(): number | null {
    return this.causes.length ? this.causes[this.causes.length - 1]! : null;
  }

  /**
   * Record one event. `cause` defaults to the innermost withCause(); `t` to the clock. The input
   * object itself becomes the event (no copy: recording stays cheap), so pass a fresh object.
   */
  record<E extends TraceEvent>(input: EventInput<E>): E {
    const e = input as unknown as E & { cause?: number | null; t?: number };
    e.id = this.nextId++;
    if (e.cause === undefined) e.cause = this.currentCause();
    if (e.t === undefined) e.t = this.clock.now();
    else this.clock.advanceTo(e.t);
    this.list.push(e);
    if (this.tickNs) this.clock.advance(this.tickNs);
    if (this.cost) this.clock.advance(this.cost(e));
    for (const fn of this.listeners) fn(e);
    return e;
  }

  /** Run `fn` with `id` as the cause of every event recorded inside it (nests; null = roots). */
  withCause<T>(id: number | null | undefined, fn: () => T): T {
    this.causes.push(id ?? null);
    try {
      return fn();
    } finally {
      this.causes.pop();
    }
  }

  /** Be told about each new event; dispose() to stop. */
  subscribe(fn: TraceListener): Disposable {
    this.listeners.add(fn);
    return { dispose: () => { this.listeners.delete(fn); } };
  }

  /** Event by id (ids are 1.. in order; imported traces may have gaps, hence the search fallback). */
  get(id: number): TraceEvent | undefined {
    const direct = this.list[id - 1];
    if (direct?.id === id) return direct;
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.list[mid]!;
      if (m.id === id) return m;
      if (m.id < id) lo = mid + 1; else hi = mid - 1;
    }
    return undefined;
  }

  /** Append already-numbered events (from importJson); ids must increase. */
  load(events: readonly TraceEvent[]): void {
    for (const e of events) {
      if (e.id < this.nextId) throw new RangeError(`event id ${e.id} is not after ${this.nextId - 1}`);
      this.list.push(e);
      this.nextId = e.id + 1;
      this.clock.advanceTo(e.t);
      for (const fn of this.listeners) fn(e);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Convenience recorders for the structured kinds.

  /**
   * A 9P message. Give the wire `bytes` (decoded here; malformed bytes are kept with their decode
   * error, as a raw guest may send them), a `message` (encoded here), or both when the caller has
   * both anyway (QEMU's server: nothing is re-encoded; they are trusted to agree, and importJson
   * checks it). `lane` is the sender.
   */
  p9(input: { lane: 'guest' | 'qemu'; bytes?: Uint8Array; message?: P9Message; channel?: string; cause?: number | null; t?: number }): P9Event {
    let bytes = input.bytes;
    let message = input.message;
    let decodeError: P9Event['decodeError'];
    if (!bytes) {
      if (!message) throw new TypeError('p9(): give bytes or message');
      bytes = encodeMessage(message);
    } else if (!message) {
      try {
        message = decodeMessage(bytes);
      } catch (err) {
        if (!(err instanceof P9DecodeError)) throw err;
        decodeError = decodeErrorInfo(err);
      }
    }
    const to: Lane = input.lane === 'guest' ? 'qemu' : 'guest';
    const tag = message?.tag ?? (bytes.length >= 7 ? bytes[5]! | (bytes[6]! << 8) : -1);
    const direction: P9Event['direction'] = message ? (message.kind.startsWith('T') ? 'request' : 'reply') : input.lane === 'guest' ? 'request' : 'reply';
    const spec = message ? specByName(message.kind) : undefined;
    let fids = message ? messageFids(message) : [];
    let replyTo: number | undefined;
    if (direction === 'reply') {
      const req = this.p9ByTag.get(`${input.channel ?? ''}\0${tag}`);
      if (req) {
        replyTo = req.id;
        if (!fids.length) fids = req.fids;
        this.p9ByTag.delete(`${input.channel ?? ''}\0${tag}`);
      }
    }
    // A reply recorded outside any withCause() is caused by its request.
    const cause = input.cause !== undefined ? input.cause : this.currentCause() ?? replyTo ?? null;
    // Plain property writes (no spreads): this is the hot path of a long trace.
    const ev = { kind: 'p9', lane: input.lane, to, direction, msgType: message?.kind ?? 'unknown', tag, fids, bytes, cause } as EventInput<P9Event> & Partial<P9Event>;
    if (message) ev.message = message;
    if (decodeError) ev.decodeError = decodeError;
    if (spec?.trace) ev.traceName = spec.trace;
    if (replyTo !== undefined) ev.replyTo = replyTo;
    if (message?.kind === 'Rlerror') ev.errno = message.ecode;
    if (input.t !== undefined) ev.t = input.t;
    if (input.channel !== undefined) ev.channel = input.channel;
    const rec = this.record<P9Event>(ev);
    if (direction === 'request') this.p9ByTag.set(`${input.channel ?? ''}\0${tag}`, rec);
    return rec;
  }

  /** A proxy frame; replies are linked to the last request (the protocol is one-at-a-time). */
  proxy(input: EventInput<ProxyEvent>): ProxyEvent {
    const key = input.channel ?? '';
    const open = this.lastProxyRequest.get(key);
    if (input.direction === 'reply' && input.replyTo === undefined && open) {
      (input as Partial<ProxyEvent>).replyTo = open.id;
      // As for 9P: a reply recorded outside any withCause() is caused by its request.
      if (input.cause === undefined && this.currentCause() === null) input.cause = open.id;
    }
    const rec = this.record<ProxyEvent>(input);
    if (rec.direction === 'request') this.lastProxyRequest.set(key, rec);
    else this.lastProxyRequest.delete(key);
    return rec;
  }

  syscall(input: EventInput<SyscallEvent>): SyscallEvent {
    return this.record<SyscallEvent>(input);
  }

  note(lane: Lane, label: string, text: string, source: string, severity?: NoteEvent['severity']): NoteEvent {
    return this.record<NoteEvent>({ kind: 'note', lane, label, text, source, ...(severity ? { severity } : {}) });
  }
}
