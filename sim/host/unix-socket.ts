// AF_UNIX stream sockets (net/unix/af_unix.c): socketpair, bind/listen/accept/connect on a path,
// byte-stream sends with SCM_RIGHTS. The kernel (kernel.ts) does fd plumbing and permission checks;
// this module keeps socket state and the stream rules:
//  - a receive takes a segment's fds with its first byte and stops once it holds fds
//    (unix_stream_read_generic: `if (scm.fp) break`) — checked against Linux in
//    test/host/differential-sockets.test.ts;
//  - queued data is read first, then a pending ECONNRESET once, then EOF (sock_error before
//    RCV_SHUTDOWN in the same function);
//  - closing a socket with unread data (or an unaccepted embryo) gives the peer ECONNRESET
//    (unix_release_sock: `if (!skb_queue_empty(&sk->sk_receive_queue) || embrion) skpair->sk_err = ECONNRESET`);
//  - sending to a peer that is gone or shut down for reading is EPIPE.
import type { Errno } from './errno.ts';
import type { WaitInfo } from './result.ts';
import type { OpenFile } from './file.ts';
import { UNIX_STREAM_BUFFER } from './constants.ts';

/** Descriptions in flight with the bytes [start, end) of the stream (absolute stream offsets): the
 * segment of one sendmsg that carried SCM_RIGHTS. Each holds a ref until received or discarded. */
interface FdMark {
  start: number;
  end: number;
  fds: OpenFile[];
}

export type SocketState = 'unconnected' | 'listening' | 'connected' | 'closed';

export class UnixSocket {
  readonly id: number;
  state: SocketState = 'unconnected';
  peer: UnixSocket | null = null;
  /** Queued bytes, unread: a byte FIFO (perf: a send copies into it, a receive copies out of it,
   * no segment object and no array per send). Only where fds travel do segment boundaries matter
   * (unix_stream_read_generic); those are kept in `marks`. */
  private store = new Uint8Array(256);
  /** Absolute stream offset of store[0]; bytes [readPos, writePos) are queued. */
  private base = 0;
  private readPos = 0;
  private writePos = 0;
  /** Segments with fds not yet taken, in stream order (taken fds drop their mark). */
  private readonly marks: FdMark[] = [];
  /** Bytes queued to be read (writePos - readPos). */
  recvBytes = 0;
  /** This side will not read any more (shutdown(SHUT_RD) or the peer shut down writing / closed). */
  rcvShutdown = false;
  /** This side will not write any more. */
  sndShutdown = false;
  /** Pending error reported once by the next receive (sk_err). */
  pendingError: Errno | null = null;
  /** Listening: embryo server-side sockets waiting for accept(). */
  readonly backlog: UnixSocket[] = [];
  maxBacklog = 0;
  /** Bound address: the socket inode key and display path. */
  boundKey: string | null = null;
  boundPath: string | null = null;
  /** Set for the server side of a connection until accept() takes it. */
  embryo = false;
  readonly bufferLimit = UNIX_STREAM_BUFFER;

  /** `id`: per-kernel number (Kernel.nextObjectId), so socket:[N] is the same in every run. */
  constructor(id: number) {
    this.id = id;
    this.label = `socket:[${id}]`;
    this.recvWait = Object.freeze({ on: 'recv', what: this.label });
  }
  /** What a receive sleeps on (one frozen WaitInfo per socket: a sleeping read per proxy request). */
  readonly recvWait: WaitInfo;
  /** "socket:[N]", as /proc/PID/fd shows it (built once: every sleeping receive names it). */
  readonly label: string;

  static pair(idA: number, idB: number): [UnixSocket, UnixSocket] {
    const a = new UnixSocket(idA);
    const b = new UnixSocket(idB);
    a.peer = b;
    b.peer = a;
    a.state = 'connected';
    b.state = 'connected';
    return [a, b];
  }

  /** Bytes the peer may still queue to us. */
  room(): number {
    return Math.max(0, this.bufferLimit - this.recvBytes);
  }

  /** Anything queued? (Every queued segment has at least one byte: zero-length sends queue nothing.) */
  get hasData(): boolean {
    return this.recvBytes > 0;
  }

  /** Queue one send: its bytes (copied) and the fds it carries. `data` is not empty. */
  enqueue(data: Uint8Array, fds: OpenFile[] | null): void {
    const n = data.length;
    let at = this.writePos - this.base;
    if (at + n > this.store.length) {
      // Move the unread bytes to the front, growing the store if they and the new ones do not fit.
      const live = this.writePos - this.readPos;
      const from = this.readPos - this.base;
      let size = this.store.length;
      while (live + n > size) size *= 2;
      if (size !== this.store.length) {
        const next = new Uint8Array(size);
        next.set(this.store.subarray(from, from + live));
        this.store = next;
      } else {
        this.store.copyWithin(0, from, from + live);
      }
      this.base = this.readPos;
      at = live;
    }
    if (n <= 32) for (let i = 0; i < n; i++) this.store[at + i] = data[i]!;
    else this.store.set(data, at);
    if (fds) this.marks.push({ start: this.writePos, end: this.writePos + n, fds });
    this.writePos += n;
    this.recvBytes += n;
  }

  /**
   * How many bytes a receive of up to `len` takes, following unix_stream_read_generic(): a segment's
   * fds go with the first read that touches it; the read stops when a segment is left partly unread,
   * or after a fully read segment once this read has taken fds (so bytes of earlier fd-less segments
   * may come first); MSG_PEEK stops at a segment that has fds as well. Sets `dequeuedFds`; a real
   * (non-peek) read also takes them off their mark.
   */
  private take(len: number, peek: boolean): number {
    this.dequeuedFds = null;
    let n = Math.min(len, this.writePos - this.readPos);
    const m = this.marks[0];
    if (m !== undefined && m.start < this.readPos + n) {
      // Marks are at or after readPos: a touched mark's fds were taken and the mark dropped.
      n = Math.min(n, m.end - this.readPos);
      this.dequeuedFds = m.fds;
      if (!peek) this.marks.shift();
    }
    return n;
  }

  private consume(n: number): void {
    this.readPos += n;
    this.recvBytes -= n;
    if (this.readPos === this.writePos) this.base = this.readPos; // empty: restart at store[0]
  }

  /**
   * Dequeue up to `len` bytes (see take() for where a receive stops); returns the bytes. The fds taken
   * are left in `dequeuedFds` (null for none) for the caller (perf: no result object per receive). A
   * zero-length read takes the first segment's fds without bytes.
   */
  dequeue(len: number, peek: boolean): Uint8Array {
    if (len === 0) {
      this.dequeuedFds = null;
      const m = this.marks[0];
      if (m !== undefined && m.start === this.readPos && this.readPos < this.writePos) {
        this.dequeuedFds = m.fds;
        if (!peek) this.marks.shift();
      }
      return new Uint8Array(0);
    }
    const n = this.take(len, peek);
    const at = this.readPos - this.base;
    const data = this.store.slice(at, at + n);
    if (!peek) this.consume(n);
    return data;
  }

  /** dequeue() into `into` at `off` (read(2) into the caller's buffer): returns the byte count. */
  dequeueInto(into: Uint8Array, off: number, len: number): number {
    if (len === 0) return this.dequeue(0, false).length;
    const n = this.take(len, false);
    const at = this.readPos - this.base;
    if (n <= 32) for (let i = 0; i < n; i++) into[off + i] = this.store[at + i]!;
    else into.set(this.store.subarray(at, at + n), off);
    this.consume(n);
    return n;
  }

  /** The fds the last dequeue() took (each still holding its in-flight reference), or null. */
  dequeuedFds: OpenFile[] | null = null;

  /** Discard everything unread; returns the fd lists still in flight (the caller drops them). */
  drain(): OpenFile[][] {
    const lists = this.marks.splice(0).map((m) => m.fds);
    this.readPos = this.writePos;
    this.base = this.writePos;
    this.recvBytes = 0;
    return lists;
  }
}
