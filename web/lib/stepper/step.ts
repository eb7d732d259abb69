// Step-through by event (issue 5 §4): which event is selected after "next", "previous", "next of
// lane X" or a scrubber position, over the events the trace view shows (the filtered list). Pure
// and DOM-free: the same events and the same selection always give the same answer.
import type { Lane, TraceEvent } from '../../../sim/trace/event.ts';

/** The index of the selected event in `events`, or -1 (nothing selected, or filtered out). */
export function indexOfId(events: readonly TraceEvent[], id: number | null): number {
  return id === null ? -1 : events.findIndex((e) => e.id === id);
}

/**
 * The event `delta` steps from the selection, clamped to the list. With nothing selected, a step
 * forward starts at the first event and a step back at the last (as a debugger's first step does).
 */
export function stepBy(events: readonly TraceEvent[], id: number | null, delta: number): number | null {
  if (events.length === 0) return null;
  const at = indexOfId(events, id);
  const from = at === -1 ? (delta > 0 ? -1 : events.length) : at;
  return events[Math.max(0, Math.min(events.length - 1, from + delta))]!.id;
}

/** The next (dir 1) or previous (dir -1) event of `lane` after the selection; null when there is none. */
export function stepToLane(events: readonly TraceEvent[], id: number | null, lane: Lane, dir: 1 | -1 = 1): number | null {
  const at = indexOfId(events, id);
  const start = at === -1 ? (dir === 1 ? 0 : events.length - 1) : at + dir;
  for (let i = start; i >= 0 && i < events.length; i += dir) if (events[i]!.lane === lane) return events[i]!.id;
  return null;
}

/** The scrubber's value (an index) → the event id it selects. */
export function atIndex(events: readonly TraceEvent[], index: number): number | null {
  if (events.length === 0 || !Number.isFinite(index)) return null;
  return events[Math.max(0, Math.min(events.length - 1, Math.trunc(index)))]!.id;
}
