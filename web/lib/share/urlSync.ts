// Keeping the URL fragment in step with the state. Written with history.replaceState (no history
// entry per keystroke), only after the user has changed something — so opening a broken link does
// not immediately overwrite it — debounced, and flushed on pagehide so the last edit is not lost
// (the Svelte playground's approach, ui-anchors.md §1; our encoder is synchronous, so a flush works).
import { decodeShareFragment, ShareLinkError, type ShareState } from './shareState.ts';

export type InitialState = { kind: 'none' } | { kind: 'state'; state: ShareState } | { kind: 'error'; message: string };

export function readFragment(hash: string): InitialState {
  try {
    const state = decodeShareFragment(hash);
    return state ? { kind: 'state', state } : { kind: 'none' };
  } catch (e) {
    // Anything else would be a bug in the decoder; still never let a link crash the page.
    const message = e instanceof ShareLinkError ? e.message : `This share link cannot be opened: ${e instanceof Error ? e.message : String(e)}`;
    return { kind: 'error', message };
  }
}

export class FragmentWriter {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pending: string | (() => string | null) | null = null;
  /** The fragment last written (or read): not rewritten when unchanged, and ignored by hashchange. */
  last = '';

  constructor(private readonly delayMs = 250) {
    addEventListener('pagehide', () => this.flush());
  }

  /**
   * Write `fragment` (from encodeShareFragment) soon; a function is called at write time and may
   * answer null for "nothing to write" (the page encodes lazily, see App.svelte).
   */
  schedule(fragment: string | (() => string | null)): void {
    this.#pending = fragment;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(), this.delayMs);
  }

  /**
   * Keep the current state as a history entry of its own before the page replaces it wholesale (a
   * preset loaded over a session): the browser's Back button then brings it back — the link is
   * the state, so nothing the user did is lost by picking another preset.
   */
  checkpoint(before: string, after: string): void {
    clearTimeout(this.#timer);
    this.#pending = null;
    if (before !== this.last) history.replaceState(history.state, '', `#${before}`);
    // The new entry carries the new state at once, so Back right away is already a hashchange.
    history.pushState(history.state, '', `#${after}`);
    this.last = after;
  }

  /** Drop a pending write: a link was just loaded, and the state it replaced must not be written over it. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#pending = null;
  }

  flush(): void {
    clearTimeout(this.#timer);
    const pending = this.#pending;
    this.#pending = null;
    const fragment = typeof pending === 'function' ? pending() : pending;
    if (fragment === null || fragment === this.last) return;
    this.last = fragment;
    history.replaceState(history.state, '', `#${fragment}`);
  }
}
