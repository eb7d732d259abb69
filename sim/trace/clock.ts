// The recorder's virtual clock (DESIGN.md §2: time is virtual). Nanoseconds as a JS number; the owner
// (scenario scheduler) advances it. Nothing here reads the host's clock.

export class TraceClock {
  private ns: number;
  constructor(startNs = 0) {
    this.ns = startNs;
  }
  now(): number {
    return this.ns;
  }
  /** Move forward by `ns` (rounded to whole nanoseconds: exporters write integer timestamps). */
  advance(ns: number): number {
    if (!(ns >= 0) || !Number.isFinite(ns)) throw new RangeError(`the virtual clock cannot move by ${ns}`);
    this.ns += Math.round(ns);
    return this.ns;
  }
  /** Jump forward to `ns` (no-op if already past it). */
  advanceTo(ns: number): number {
    if (ns > this.ns) this.ns = Math.round(ns);
    return this.ns;
  }
}
