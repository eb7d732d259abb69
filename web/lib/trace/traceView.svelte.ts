// The state of the trace views: the events of one run, the filter (sim/trace's query language, with
// its located errors), and the selected event shared by the table, the sequence diagram and the
// detail/hex pane (Wireshark's linked panes, ui-anchors.md §1).
import { filterEvents, parseFilter, TraceFilterError } from '../../../sim/trace/filter.ts';
import type { TraceEvent } from '../../../sim/trace/event.ts';

/** What a share link keeps of a trace view: the selected event (by id) and the filter text. */
export interface TraceSelection { event: number | null; filter: string }

export class TraceView {
  events = $state.raw<readonly TraceEvent[]>([]);
  query = $state('');
  selectedId = $state<number | null>(null);

  /** The filter's error (column is 1-based), or null; a bad filter keeps the previous result. */
  get filterError(): { column: number; message: string } | null {
    try {
      parseFilter(this.query);
      return null;
    } catch (e) {
      if (e instanceof TraceFilterError) return { column: e.column, message: e.message };
      return { column: 1, message: String(e) };
    }
  }

  #lastGood: readonly TraceEvent[] = [];
  get visible(): readonly TraceEvent[] {
    if (this.query.trim() === '') return (this.#lastGood = this.events);
    try {
      return (this.#lastGood = filterEvents(this.events, parseFilter(this.query)));
    } catch {
      return this.#lastGood;
    }
  }

  get selected(): TraceEvent | null {
    const id = this.selectedId;
    return id === null ? null : (this.events[id - 1]?.id === id ? this.events[id - 1]! : this.events.find((e) => e.id === id) ?? null);
  }

  setEvents(events: readonly TraceEvent[]): void {
    this.events = events;
    if (this.selectedId !== null && !events.some((e) => e.id === this.selectedId)) this.selectedId = null;
  }
}
