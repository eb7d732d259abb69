// Scenario runs in the worker (sim/scenario ScenarioRun): a preset's host tree, guest and script,
// launched from the domain XML and versions currently in the playground. One live session at a time;
// the page steps it, runs it to the end, restarts it (a deterministic replay), or types commands into
// the guest's shell (the guest terminal), each reply carrying the results and the trace events the
// page has not been sent yet (`traceFrom`; web/lib/wasi/driver.ts puts the whole trace back together).
import { parseScenario, ScenarioRun, ScenarioError, type LineResult, type Scenario } from '../../../sim/scenario/index.ts';
import type { Shell } from '../../../sim/shell/shell.ts';
import type { Completion } from '../../../sim/shell/complete.ts';
import { dumpTree, type TreeNode } from '../../../sim/host/tree.ts';
import type { OpenFdInfo } from '../../../sim/host/kernel.ts';
import type { TraceEvent } from '../../../sim/trace/event.ts';
import type { PlaygroundInputs } from '../state/inputs.ts';
import type { TreeEntry } from '../../../sim/scenario/types.ts';
import { loadTree } from '../../../sim/scenario/tree.ts';
import { addUpload, checkUpload, uploadEntry, withGuestUploads } from '../wasi/upload.ts';
import { applyHostEdit, readHostFile, type HostEdit, type HostReadResult } from '../hosttree/hostEdit.ts';

export interface ScenarioSnapshot {
  session: number;
  title: string;
  script: { text: string; actor: string }[];
  /** Results so far, by script line (null: not started). */
  results: (LineResult | null)[];
  done: boolean;
  /** Lines waiting on something (a frozen helper). */
  blocked: { index: number; what: string }[];
  /** Why the run could not start (libvirt refused, QEMU refused), as virsh would show it. */
  error: string | null;
  /** Commands typed into the guest terminal, in order. */
  terminal: { command: string; stdout: string; stderr: string; exit: number | null; blocked?: string }[];
  /**
   * The session's trace events from index `traceFrom` on: each reply carries only what earlier
   * replies of this session did not (cloning a 100,000-event trace into the page on every reply
   * froze it for ~0.4 s), and at most TRACE_PAGE of them: the rest follow in trace-page replies
   * (tracePage), so no single message takes the page long to receive. 0 for the first reply of a
   * session (an open or a restart).
   */
  trace: TraceEvent[];
  traceFrom: number;
  /** How many events the session's trace has in all (the page asks for pages until it holds them). */
  traceTotal: number;
  /** The host's files now (sim/host dumpTree of /), for the host-tree panel. */
  host: TreeNode[];
  /** Every open fd of every host process (Kernel.listOpenFds): who has what open, for the host tree. */
  openFds: OpenFdInfo[];
  /** The host-tree panel's edits applied in this session, in order (kept by restarts; exported in the host tree). */
  hostEdits: HostEdit[];
  /** Set on the reply to a guest-complete request: the candidates for the line's last word. */
  completion?: Completion & { line: string };
}

export type ScenarioReply = { ok: true; snapshot: ScenarioSnapshot } | { ok: false; message: string };

/**
 * Trace events per message: receiving 10,000 events (a structured clone) takes the page ~40 ms, so a
 * command that records 100,000 arrives in ten messages the page handles between frames, instead of
 * one that blocked it for ~0.4 s (test/e2e/trace-scroll.spec.ts measures it).
 */
export const TRACE_PAGE = 10_000;

export type TracePageReply = { ok: true; session: number; from: number; events: TraceEvent[]; total: number } | { ok: false; message: string };

/** The next page of the session's trace after what earlier replies carried. */
export function tracePage(session: number): TracePageReply {
  if (!current || current.id !== session) return { ok: false, message: `scenario session ${session} is no longer open` };
  const events = current.run.recorder.events;
  const from = current.sent;
  const end = Math.min(events.length, from + TRACE_PAGE);
  current.sent = end;
  return { ok: true, session, from, events: events.slice(from, end), total: events.length };
}

/** base: the scenario as opened; uploads: the user's programs (web/lib/wasi), part of every replay's guest tree. */
/** hostEdits: the host-tree panel's edits that succeeded, in order, re-applied after a restart's launch. */
/** sent: how many trace events of this run earlier replies carried. */
let current: { id: number; run: ScenarioRun; shell: Shell | null; terminal: ScenarioSnapshot['terminal']; base: Scenario; uploads: TreeEntry[]; hostEdits: HostEdit[]; sent: number } | null = null;
let nextSession = 1;

function snapshot(): ScenarioSnapshot {
  const c = current!;
  const run = c.run;
  const sched = run.scheduler;
  const events = run.recorder.events;
  const traceFrom = c.sent;
  const traceEnd = Math.min(events.length, traceFrom + TRACE_PAGE);
  c.sent = traceEnd;
  return {
    session: c.id,
    title: run.scenario.title,
    script: run.scenario.guest.script.map((text) => ({ text, actor: text.startsWith('host: ') ? 'host' : text.startsWith('racer: ') ? 'racer' : 'guest' })),
    results: run.scenario.guest.script.map((_, i) => sched?.results[i] ?? null),
    done: sched ? sched.done : true,
    blocked: sched?.blocked ?? [],
    error: run.error?.message ?? null,
    terminal: [...c.terminal],
    trace: events.slice(traceFrom, traceEnd),
    traceFrom,
    traceTotal: events.length,
    host: dumpTree(run.host, '/', { maxEntries: 5000 }),
    openFds: run.host.listOpenFds(),
    hostEdits: [...c.hostEdits],
  };
}

/** Start a session: the preset with the playground's domain XML, era, variant and QEMU version. */
export function openScenario(presetJson: string, inputs: PlaygroundInputs, guestPrograms: TreeEntry[] = [], uploaded: { name: string; bytes: Uint8Array }[] = []): ScenarioReply {
  let scenario: Scenario;
  try {
    const raw = JSON.parse(presetJson) as Record<string, unknown>;
    scenario = parseScenario({ ...raw, domain: inputs.xml, era: inputs.era, variant: inputs.variant, qemu: inputs.qemuVersion });
  } catch (e) {
    return { ok: false, message: e instanceof ScenarioError || e instanceof Error ? e.message : String(e) };
  }
  const uploads = uploaded.flatMap((u) => { const c = checkUpload(u.name, u.bytes); return c.ok ? [uploadEntry(c.name, u.bytes)] : []; });
  const run = new ScenarioRun(withGuestUploads(scenario, uploads), { guestPrograms });
  current = { id: nextSession++, run, shell: null, terminal: [], base: scenario, uploads, hostEdits: [], sent: 0 };
  return { ok: true, snapshot: snapshot() };
}

function withSession(session: number, f: (c: NonNullable<typeof current>) => void): ScenarioReply {
  if (!current || current.id !== session) return { ok: false, message: `scenario session ${session} is no longer open` };
  f(current);
  return { ok: true, snapshot: snapshot() };
}

export const stepScenario = (session: number): ScenarioReply => withSession(session, (c) => { c.run.step(); });
export const runScenarioToEnd = (session: number): ScenarioReply => withSession(session, (c) => { c.run.runAll(); });
export const restartScenario = (session: number): ScenarioReply => {
  if (!current || current.id !== session) return { ok: false, message: `scenario session ${session} is no longer open` };
  const { base, uploads, run, hostEdits } = current;
  const next = new ScenarioRun(withGuestUploads(base, uploads), run.options);
  // The edits land after the launch, before the first script line, in the order they were made:
  // the same for every restart (an edit that fails now, e.g. its directory is gone, is left out).
  for (const e of hostEdits) applyHostEdit(next.host, e);
  current = { id: nextSession++, run: next, shell: null, terminal: [], base, uploads, hostEdits, sent: 0 };
  return { ok: true, snapshot: snapshot() };
};

/** One command typed into the guest terminal, run by the guest shell (as the scenario's guest user). */
export function guestExec(session: number, line: string): ScenarioReply {
  return withSession(session, (c) => {
    const guest = c.run.guest;
    if (!guest) {
      c.terminal.push({ command: line, stdout: '', stderr: 'no guest: the domain did not start\n', exit: null });
      return;
    }
    c.shell ??= guest.shell(c.run.scenario.guest.uid, c.run.scenario.guest.gid);
    const r = c.shell.run(line);
    c.run.lab?.runOthers();
    c.terminal.push({ command: line, stdout: r.stdout, stderr: r.stderr, exit: r.exit, ...(r.blocked ? { blocked: r.blocked } : {}) });
  });
}

/**
 * Tab in the guest terminal: the candidates for the line's last word, from the guest shell (as the
 * scenario's guest user). Listing a directory is a readdir through the guest's kernel — over v9fs,
 * QEMU and the helper — so it is traced, and a share link's replay repeats it (sessionShare.ts).
 */
export function guestComplete(session: number, line: string): ScenarioReply {
  if (!current || current.id !== session) return { ok: false, message: `scenario session ${session} is no longer open` };
  const c = current;
  const guest = c.run.guest;
  if (!guest) return { ok: false, message: 'no guest: the domain did not start' };
  c.shell ??= guest.shell(c.run.scenario.guest.uid, c.run.scenario.guest.gid);
  const completion = c.shell.complete(line);
  c.run.lab?.runOthers();
  return { ok: true, snapshot: { ...snapshot(), completion: { ...completion, line } } };
}

/**
 * A program the user uploaded (web/lib/wasi/upload.ts): installed in the live guest at /guests/NAME
 * (root-owned, 0755, as the shipped ones) and kept for every restart of this session.
 */
export function guestUpload(session: number, name: string, bytes: Uint8Array): ScenarioReply {
  const check = checkUpload(name, bytes);
  if (!check.ok) return { ok: false, message: check.message };
  if (!current || current.id !== session) return { ok: false, message: `scenario session ${session} is no longer open` };
  const guest = current.run.guest;
  if (!guest) return { ok: false, message: 'no guest: the domain did not start, so there is nowhere to upload to' };
  const entry = uploadEntry(check.name, bytes);
  loadTree(guest.kernel, guest.kernel.init, [entry]);
  current.uploads = addUpload(current.uploads, entry);
  return { ok: true, snapshot: snapshot() };
}

/** An edit of the host's files from the host-tree panel, as the host's root (hostEdit.ts); kept for restarts. */
export function hostEdit(session: number, edit: HostEdit): ScenarioReply {
  if (!current || current.id !== session) return { ok: false, message: `scenario session ${session} is no longer open` };
  const r = applyHostEdit(current.run.host, edit);
  if (!r.ok) return { ok: false, message: r.message };
  current.hostEdits = [...current.hostEdits, edit];
  current.run.lab?.runOthers();
  return { ok: true, snapshot: snapshot() };
}

/** A host file's bytes (the panel's download and "Load"); no syscall record is kept out: it is root's read. */
export function hostRead(session: number, path: string): HostReadResult {
  if (!current || current.id !== session) return { ok: false, message: `scenario session ${session} is no longer open` };
  return readHostFile(current.run.host, path);
}
