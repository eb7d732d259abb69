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
import type { OpenFile } from './file.ts';
import { UNIX_STREAM_BUFFER } from './constants.ts';

export interface Segment {
  data: Uint8Array;
  off: number;
  /** Descriptions in flight (each holds a ref until received or discarded). */
  fds: OpenFile[] | null;
}

export type SocketState = 'unconnected' | 'listening' | 'connected' | 'closed';

export class UnixSocket {
  readonly id: number;
  state: SocketState = 'unconnected';
  peer: UnixSocket | null = null;
  readonly recvQueue: Segment[] = [];
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
  }
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

  enqueue(data: Uint8Array, fds: OpenFile[] | null): void {
    this.recvQueue.push({ data: data.slice(), off: 0, fds });
    this.recvBytes += data.length;
  }

  /**
   * Dequeue up to `len` bytes; returns the bytes and the fds carried by the segments consumed.
   * As unix_stream_read_generic(): a segment's fds go with the first read that touches it; the read
   * stops when a segment is left partly unread, or after a fully read segment once this read has
   * taken fds (so bytes of earlier fd-less segments may come first). A zero-length read takes the
   * first segment's fds without bytes. Returns the bytes; the fds taken are left in `dequeuedFds`
   * (null for none) until the next dequeue (perf: no result object per receive).
   */
  dequeue(len: number, peek: boolean): Uint8Array {
    this.dequeuedFds = null;
    if (len === 0) {
      const first = this.recvQueue[0];
      if (first?.fds) {
        this.dequeuedFds = first.fds;
        if (!peek) first.fds = null;
      }
      return new Uint8Array(0);
    }
    // The common read touches one segment (a request's header, then its payload): take its bytes
    // without the parts list. Same rules as the general loop below.
    const head = this.recvQueue[0];
    if (head && !peek && (head.data.length - head.off >= len || this.recvQueue.length === 1)) {
      const k = Math.min(head.data.length - head.off, len);
      // A fully consumed segment is ours alone (enqueue copied it): hand out a view, not a copy.
      const data = head.off === 0 && k === head.data.length ? head.data : head.data.slice(head.off, head.off + k);
      head.off += k;
      this.recvBytes -= k;
      if (head.fds) {
        this.dequeuedFds = head.fds;
        head.fds = null;
      }
      if (head.off >= head.data.length) this.recvQueue.shift();
      return data;
    }
    const parts: Uint8Array[] = [];
    let got = 0;
    let fds: OpenFile[] | null = null;
    let i = 0;
    while (got < len && i < this.recvQueue.length) {
      const seg = this.recvQueue[i]!;
      const avail = seg.data.length - seg.off;
      const k = Math.min(avail, len - got);
      parts.push(seg.data.subarray(seg.off, seg.off + k));
      got += k;
      const carried = seg.fds;
      if (peek) {
        // MSG_PEEK: the fds are duplicated, and the peek stops at a segment that has them.
        if (carried) { fds = carried; break; }
        i++;
        continue;
      }
      seg.off += k;
      this.recvBytes -= k;
      if (carried) {
        fds = carried;
        seg.fds = null;
      }
      if (seg.off < seg.data.length) break;
      this.recvQueue.splice(i, 1);
      if (fds?.length) break;
    }
    const data = new Uint8Array(got);
    let o = 0;
    for (const p of parts) { data.set(p, o); o += p.length; }
    this.dequeuedFds = fds;
    return data;
  }

  /** The fds the last dequeue() took (each still holding its in-flight reference), or null. */
  dequeuedFds: OpenFile[] | null = null;

  /** Unread segments (discarded on release; their fds must be dropped by the caller). */
  drain(): Segment[] {
    const segs = this.recvQueue.splice(0);
    this.recvBytes = 0;
    return segs;
  }
}
