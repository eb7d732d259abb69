// Pipes and FIFOs (fs/pipe.c): a byte queue with reader/writer counts. A FIFO's pipe belongs to its
// inode while anyone has it open; the open rules (fifo_open) live in kernel.ts.
import { PIPE_BUF_CAPACITY } from './constants.ts';

export class Pipe {
  private chunks: Uint8Array[] = [];
  bytes = 0;
  readers = 0;
  writers = 0;
  /** Opens ever made for reading / writing: a blocked FIFO open waits for the other counter to move
   * (wait_for_partner), not for a partner that is still open. */
  rCounter = 0;
  wCounter = 0;
  readonly capacity = PIPE_BUF_CAPACITY;

  constructor(readonly label: string) {}

  /** Take up to `n` bytes. */
  take(n: number): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.bytes));
    let o = 0;
    while (o < out.length) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, out.length - o);
      out.set(c.subarray(0, k), o);
      o += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.bytes -= out.length;
    return out;
  }

  /** Queue as much of `data` as fits; returns the count queued. */
  put(data: Uint8Array): number {
    const n = Math.min(data.length, this.capacity - this.bytes);
    if (n > 0) {
      this.chunks.push(data.slice(0, n));
      this.bytes += n;
    }
    return n;
  }
}
