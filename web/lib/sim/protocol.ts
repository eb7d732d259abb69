// Messages between the page and the simulation worker. Every request carries an id; the reply echoes
// it, so the page can drop replies to requests it has since superseded (the Svelte REPL's idiom,
// style.md §4.2). Plain structured-cloneable data only: PlanResult is JSON-shaped by contract.
import type { PlanOptions, PlanResult } from '../../../sim/libvirt/index.ts';
import type { LaunchTraceResult } from './launchTrace.ts';
import type { ScenarioReply, TracePageReply } from './scenarioSession.ts';
import type { CompareReply } from '../compare/compareCells.ts';
import type { PlaygroundInputs } from '../state/inputs.ts';
import type { HostEdit, HostReadResult } from '../hosttree/hostEdit.ts';

export type SimRequest =
  | { id: number; kind: 'plan'; xml: string; opts: PlanOptions }
  | { id: number; kind: 'launch-trace'; xml: string; opts: PlanOptions }
  /** guests: base URL of the shipped WASI programs; uploads: the user's programs for /guests (web/lib/wasi). */
  | { id: number; kind: 'scenario-open'; presetJson: string; inputs: PlaygroundInputs; guests?: string; uploads?: { name: string; bytes: Uint8Array }[] }
  | { id: number; kind: 'guest-upload'; session: number; name: string; bytes: Uint8Array }
  | { id: number; kind: 'scenario-step' | 'scenario-run' | 'scenario-restart'; session: number }
  | { id: number; kind: 'guest-exec'; session: number; line: string }
  /** Tab in the guest terminal: complete the line's last word (sim/shell/complete.ts; a real readdir). */
  | { id: number; kind: 'guest-complete'; session: number; line: string }
  /** An edit of the host's files as root (web/lib/hosttree/hostEdit.ts), kept for restarts. */
  | { id: number; kind: 'host-edit'; session: number; edit: HostEdit }
  /** A host file's bytes, read as root (download / load into the editor); changes nothing. */
  | { id: number; kind: 'host-read'; session: number; path: string }
  /** The rest of a scenario reply's trace, a page at a time (scenarioSession.ts TRACE_PAGE). */
  | { id: number; kind: 'trace-page'; session: number }
  /** Compare mode: every matrix cell of the preset (web/lib/compare). */
  | { id: number; kind: 'compare'; presetJson: string };

export type SimReply =
  | { id: number; kind: 'plan'; result: PlanResult }
  | { id: number; kind: 'launch-trace'; result: LaunchTraceResult }
  | { id: number; kind: 'scenario'; result: ScenarioReply }
  | { id: number; kind: 'host-file'; result: HostReadResult }
  | { id: number; kind: 'trace-page'; result: TracePageReply }
  | { id: number; kind: 'compare'; result: CompareReply }
  /** The simulator threw (a bug, not a user error: user errors are `ok:false` plan results). */
  | { id: number; kind: 'crash'; message: string };
