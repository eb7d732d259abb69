// Causal structure of a trace: depth (for indentation), ancestors, descendants.
import type { TraceEvent } from './event.ts';

/** Depth of each event in its cause chain (roots 0). Causes that are not in `events` count as roots. */
export function causalDepths(events: readonly TraceEvent[]): Map<number, number> {
  const depth = new Map<number, number>();
  for (const e of events) {
    const d = e.cause !== null && depth.has(e.cause) ? depth.get(e.cause)! + 1 : 0;
    depth.set(e.id, d);
  }
  return depth;
}

/** Ids of the events that led to `id`, nearest first. */
export function ancestors(events: readonly TraceEvent[], id: number): number[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const out: number[] = [];
  const seen = new Set<number>();
  let cur = byId.get(id)?.cause ?? null;
  while (cur !== null && !seen.has(cur)) {
    seen.add(cur);
    out.push(cur);
    cur = byId.get(cur)?.cause ?? null;
  }
  return out;
}

/** Ids of every event caused, directly or not, by `id` (in recording order). Causes precede effects. */
export function descendants(events: readonly TraceEvent[], id: number): number[] {
  const inside = new Set<number>([id]);
  const out: number[] = [];
  for (const e of events) {
    if (e.cause !== null && inside.has(e.cause)) {
      inside.add(e.id);
      out.push(e.id);
    }
  }
  return out;
}
