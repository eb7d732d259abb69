// The playground's state: the user's inputs (domain XML, era, variant, QEMU version) and what the
// simulator said about them. One class per concern with runes (style.md §4.2, the Svelte REPL's
// Workspace idiom); components only render it. The XML the user typed is never replaced because of
// an error: a failing plan keeps the text and the last good plan (shown as stale).
import type { Era, PlanOptions, PlanResult, Variant } from '../../../sim/libvirt/index.ts';
import type { PlanOutcome } from '../sim/client.ts';
import type { HighlightSource } from '../plan/crossHighlight.ts';
import type { PlaygroundInputs } from './inputs.ts';
import { DEFAULT_VIEW, type PaneLayout, type ShareState } from '../share/shareState.ts';
import type { SessionShare } from '../share/sessionShare.ts';
import type { TraceSelection } from '../trace/traceView.svelte.ts';

export type PlanOk = Extract<PlanResult, { ok: true }>;
export type PlanFailed = Extract<PlanResult, { ok: false }>;

export const ERAS: readonly { id: Era; label: string }[] = [
  { id: '0.10.2', label: '0.10.2 + proxy patch v3 (2012)' },
  { id: '9.0', label: '9.0 (Debian 12)' },
];
export const VARIANTS: readonly { id: Variant; label: string }[] = [
  { id: 'as-posted', label: 'patch as posted' },
  { id: 'corrected', label: 'corrected' },
];


export type { PlaygroundInputs };

export const DEFAULT_INPUTS: Omit<PlaygroundInputs, 'xml'> = { era: '0.10.2', variant: 'as-posted', qemuVersion: '7.2' };

export class Playground {
  xml = $state('');
  era = $state<Era>(DEFAULT_INPUTS.era);
  variant = $state<Variant>(DEFAULT_INPUTS.variant);
  qemuVersion = $state(DEFAULT_INPUTS.qemuVersion);
  /** Pane arrangement (travels in share links). */
  layout = $state<PaneLayout>(DEFAULT_VIEW.layout);
  split = $state(DEFAULT_VIEW.split);
  /** The right pane's tab. */
  tab = $state<'plan' | 'trace' | 'scenario'>(DEFAULT_VIEW.tab);
  /** False until the initial XML (share link or the simulator's default) is in place. */
  loaded = $state(false);

  /** The newest outcome from the simulator, for the newest inputs. */
  outcome = $state.raw<PlanOutcome | null>(null);
  /** The most recent successful plan, kept while the XML is broken. */
  lastGood = $state.raw<PlanOk | null>(null);

  /** Transient pointer highlight (hover) and the pinned one (caret, focus, click). */
  hover = $state<HighlightSource | null>(null);
  pinned = $state<HighlightSource | null>(null);
  /** Whether the latest highlight change should scroll its counterpart into view. */
  reveal = $state(false);

  /** The preset last loaded, with the inputs it set (shown while the inputs are still those). */
  preset = $state.raw<{ id: string; title: string; source: string; inputs: PlaygroundInputs; raw: string } | null>(null);

  /**
   * The scenario session as a link keeps it: the user's actions since the preset was opened (the
   * scenario panel reports them after each one). Set from a link before the panel opens, it is what
   * the panel replays; it also lets the panel come back unchanged after another tab was shown.
   */
  session = $state.raw<SessionShare | null>(null);
  /** Counts the times a whole new state arrived (a link, a preset): the scenario panel starts over. */
  epoch = $state(0);
  /** The selected event and filter of the launch trace and of the scenario's trace. */
  selection = $state.raw<{ trace?: TraceSelection; scenario?: TraceSelection }>({});

  get activePreset(): { id: string; title: string; source: string } | null {
    const p = this.preset;
    if (!p) return null;
    const i = p.inputs;
    return i.xml === this.xml && i.era === this.era && i.variant === this.variant && i.qemuVersion === this.qemuVersion ? p : null;
  }

  get options(): PlanOptions {
    return { era: this.era, variant: this.variant, qemuVersion: this.qemuVersion };
  }

  get inputs(): PlaygroundInputs {
    return { xml: this.xml, era: this.era, variant: this.variant, qemuVersion: this.qemuVersion };
  }

  setInputs(i: PlaygroundInputs): void {
    this.xml = i.xml;
    this.era = i.era;
    this.variant = i.variant;
    this.qemuVersion = i.qemuVersion;
  }

  get shareState(): ShareState {
    const p = this.preset;
    const sel = this.selection;
    const keep = (t: TraceSelection | undefined) => (t && (t.event !== null || t.filter !== '') ? t : undefined);
    const selection = { ...(keep(sel.trace) ? { trace: sel.trace } : {}), ...(keep(sel.scenario) && p ? { scenario: sel.scenario } : {}) };
    return {
      ...this.inputs,
      view: { layout: this.layout, split: this.split, tab: this.tab },
      ...(p ? { preset: p.id } : {}),
      // An imported scenario is not on the server: the link carries the file itself.
      ...(p?.id.startsWith('file:') ? { scenario: { file: p.id.slice('file:'.length), raw: p.raw } } : {}),
      ...(p && this.session && (this.session.actions.length > 0 || this.session.opened) ? { session: this.session } : {}),
      ...(Object.keys(selection).length ? { selection } : {}),
    };
  }

  applyShareState(s: ShareState): void {
    this.setInputs(s);
    this.layout = s.view.layout;
    this.split = s.view.split;
    this.tab = s.view.tab;
    // The preset itself (its scenario file) is fetched by the page when the link names one.
    if (this.preset?.id !== s.preset) this.preset = null;
    this.session = s.session ?? null;
    this.selection = s.selection ?? {};
    this.epoch++;
  }

  /** Is the outcome for exactly the current inputs? (Otherwise a newer request is on its way.) */
  get upToDate(): boolean {
    const o = this.outcome;
    return !!o && o.xml === this.xml && o.opts.era === this.era && o.opts.variant === this.variant && o.opts.qemuVersion === this.qemuVersion;
  }

  get failure(): PlanFailed | null {
    const o = this.outcome;
    return o?.kind === 'plan' && !o.result.ok ? o.result : null;
  }

  get crash(): string | null {
    return this.outcome?.kind === 'crash' ? this.outcome.message : null;
  }

  /** The plan to show and whether it is stale (from earlier inputs, because the current ones fail). */
  get shown(): { plan: PlanOk; stale: boolean } | null {
    const o = this.outcome;
    if (o?.kind === 'plan' && o.result.ok) return { plan: o.result, stale: false };
    return this.lastGood ? { plan: this.lastGood, stale: true } : null;
  }

  accept(o: PlanOutcome): void {
    this.outcome = o;
    if (o.kind === 'plan' && o.result.ok) this.lastGood = o.result;
  }

  get highlightSource(): HighlightSource | null {
    return this.hover ?? this.pinned;
  }
}
