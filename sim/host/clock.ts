// The virtual clock. Nothing in sim/ reads the host's clock (DESIGN.md §2: time is virtual):
// the caller owns the clock and advances it.

export interface Timespec {
  /** Seconds since the epoch; may be negative (FORMAT.md tree times). */
  sec: number;
  /** 0..999,999,999 */
  nsec: number;
}

export const NSEC_PER_SEC = 1_000_000_000n;

export function timespecFromNs(ns: bigint): Timespec {
  let sec = ns / NSEC_PER_SEC;
  let nsec = ns % NSEC_PER_SEC;
  if (nsec < 0n) { nsec += NSEC_PER_SEC; sec -= 1n; }
  return { sec: Number(sec), nsec: Number(nsec) };
}
export function timespecToNs(t: Timespec): bigint {
  return BigInt(t.sec) * NSEC_PER_SEC + BigInt(t.nsec);
}
export function cmpTimespec(a: Timespec, b: Timespec): number {
  return a.sec !== b.sec ? (a.sec < b.sec ? -1 : 1) : a.nsec - b.nsec;
}

/** A clock in nanoseconds; `now()` never moves by itself. */
export class VirtualClock {
  private ns: bigint;
  constructor(startNs: bigint = 1_700_000_000n * NSEC_PER_SEC) {
    this.ns = startNs;
  }
  nowNs(): bigint {
    return this.ns;
  }
  /** The current time as a Timespec. The same frozen object while the clock stands still (perf: every
   * syscall that stamps a time asks; a BigInt division and an object per ask otherwise). */
  now(): Timespec {
    if (this.cachedNs !== this.ns) {
      this.cachedNs = this.ns;
      this.cached = Object.freeze(timespecFromNs(this.ns));
    }
    return this.cached!;
  }
  private cachedNs: bigint | undefined;
  private cached: Timespec | undefined;
  advance(ns: bigint | number): void {
    const d = typeof ns === 'bigint' ? ns : BigInt(Math.round(ns));
    if (d < 0n) throw new RangeError('the virtual clock cannot go backwards');
    this.ns += d;
  }
  set(ns: bigint): void {
    this.ns = ns;
  }
}
