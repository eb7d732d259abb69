// The page's side of a scenario session, with a wall-time watchdog (issue 6 §4). The fuel and memory
// limits of sim/wasi stop a runaway WASI program deterministically inside the worker; this is the
// second line: a request the worker has not answered within the budget (a long `;`-list of runs, a
// simulator bug looping) gets the worker terminated. A fresh worker then replays the session's
// journal — everything that succeeded before, which is deterministic (sim/scenario: same inputs →
// same results and trace) — so the user keeps the state they had, minus the command that was stopped.
// No DOM here: unit-tested in Node with the in-page transport and a transport that never answers.
import type { SimTransport } from '../sim/client.ts';
import type { SimReply, SimRequest } from '../sim/protocol.ts';
import type { ScenarioSnapshot } from '../sim/scenarioSession.ts';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type ScenarioCmd = Extract<WithoutId<SimRequest>, { kind: 'scenario-open' | 'scenario-step' | 'scenario-run' | 'scenario-restart' | 'guest-exec' | 'guest-complete' | 'guest-upload' | 'host-edit' | 'host-read' }>;

/** The default wall-time budget of one request, ms: the fuel limit stops a loop in ≈ 1 s. */
export const WALL_BUDGET_MS = 5000;
/** The budget of an open (network fetches of /guests, the lazy simulator chunk), ms. */
export const OPEN_BUDGET_MS = 30_000;

export interface DriverOutcome {
  reply: SimReply;
  /** Set when the worker was stopped by the watchdog: what happened, for the page to show. */
  stopped?: string;
}

export interface Timers { set(f: () => void, ms: number): unknown; clear(t: unknown): void }
const realTimers: Timers = { set: (f, ms) => setTimeout(f, ms), clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>) };

type TerminalEntry = ScenarioSnapshot['terminal'][number];

export class ScenarioDriver {
  #transport: SimTransport;
  #nextId = 1;
  readonly #waiting = new Map<number, (r: SimReply) => void>();
  /** Successful commands since the last open (restarts compacted), replayed after a stop. */
  #journal: ScenarioCmd[] = [];
  /** Terminal lines the watchdog stopped, at their place in the terminal (the worker never saw them finish). */
  #stoppedLines: { at: number; entry: TerminalEntry }[] = [];
  #terminalLength = 0;
  /** Programs uploaded (name under /guests, bytes), sent with every open. */
  #uploads: { name: string; bytes: Uint8Array }[] = [];
  /** The session's whole trace, put together from the replies' new events (scenarioSession traceFrom). */
  #trace: { session: number; events: ScenarioSnapshot['trace'] } | null = null;
  /** Workers terminated by the watchdog (for the status bar and the tests). */
  stops = 0;

  constructor(
    private readonly makeTransport: () => SimTransport,
    private readonly opts: { budgetMs?: number; guestsBase?: string; timers?: Timers } = {},
  ) {
    this.#transport = this.#attach(makeTransport());
  }

  get #budgetMs(): number { return this.opts.budgetMs ?? WALL_BUDGET_MS; }
  get #timers(): Timers { return this.opts.timers ?? realTimers; }
  get where(): 'worker' | 'page' { return this.#transport.where; }
  get journalLength(): number { return this.#journal.length; }
  /**
   * What the user did since the open, as the journal keeps it (restarts compacted): the one record of
   * a session, replayed after a watchdog stop and written into share links (web/lib/scenario/replay.ts
   * actionOf).
   */
  get actions(): readonly Exclude<ScenarioCmd, { kind: 'scenario-open' | 'host-read' }>[] {
    return this.#journal.filter((c): c is Exclude<ScenarioCmd, { kind: 'scenario-open' | 'host-read' }> => c.kind !== 'scenario-open' && c.kind !== 'host-read');
  }

  #attach(t: SimTransport): SimTransport {
    t.onReply((reply) => {
      const resolve = this.#waiting.get(reply.id);
      if (!resolve) return;
      this.#waiting.delete(reply.id);
      resolve(reply);
    });
    t.onFailure?.((message) => {
      for (const [id, resolve] of this.#waiting) resolve({ id, kind: 'crash', message });
      this.#waiting.clear();
    });
    return t;
  }

  async #post(cmd: ScenarioCmd): Promise<SimReply | 'timeout'> {
    // An open also loads the simulator chunk and fetches the shipped programs over the network:
    // it gets the longer budget, so a slow connection is not mistaken for a runaway run.
    const budget = cmd.kind === 'scenario-open' ? Math.max(this.#budgetMs, OPEN_BUDGET_MS) : this.#budgetMs;
    const r = await this.#request(cmd, budget);
    return r === 'timeout' ? r : this.#completeTrace(r);
  }

  #request(req: WithoutId<SimRequest>, budget: number): Promise<SimReply | 'timeout'> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = this.#timers.set(() => {
        if (!this.#waiting.delete(id)) return;
        resolve('timeout');
      }, budget);
      this.#waiting.set(id, (r) => { this.#timers.clear(timer); resolve(r); });
      this.#transport.post({ ...req, id } as SimRequest);
    });
  }

  /**
   * A scenario reply with the session's whole trace: its new events joined to what the page holds,
   * then the remaining pages asked for one message at a time (scenarioSession.ts TRACE_PAGE), each
   * handled between frames.
   */
  async #completeTrace(reply: SimReply): Promise<SimReply | 'timeout'> {
    const joined = this.#joinTrace(reply);
    if (joined.kind !== 'scenario' || !joined.result.ok) return joined;
    const snap = joined.result.snapshot;
    let events = snap.trace;
    while (events.length < snap.traceTotal) {
      const p = await this.#request({ kind: 'trace-page', session: snap.session }, this.#budgetMs);
      if (p === 'timeout') return p;
      if (p.kind !== 'trace-page' || !p.result.ok || p.result.from !== events.length || p.result.events.length === 0) {
        const why = p.kind === 'crash' ? p.message : p.kind === 'trace-page' && !p.result.ok ? p.result.message : `the trace page does not continue at event ${events.length}`;
        return { id: reply.id, kind: 'crash', message: `scenario session ${snap.session}: ${why}` };
      }
      events = events.concat(p.result.events);
      this.#trace = { session: snap.session, events };
    }
    return { ...joined, result: { ok: true, snapshot: { ...snap, trace: events, traceTotal: events.length } } };
  }

  async send(command: ScenarioCmd): Promise<DriverOutcome> {
    // Every open carries the page's guest-programs base URL and the programs uploaded so far, so
    // they stay in /guests across restarts, new XML and other presets (and in a replay).
    const cmd: ScenarioCmd = command.kind === 'scenario-open'
      ? { ...command, uploads: [...this.#uploads], ...(this.opts.guestsBase ? { guests: this.opts.guestsBase } : {}) }
      : command;
    const r = await this.#post(cmd);
    if (r !== 'timeout') {
      this.#record(cmd, r);
      return { reply: this.#patch(r) };
    }
    return this.#stopAndRestore(cmd);
  }

  /** A command succeeded: keep it for replays. Restart and open start the journal over. */
  #record(cmd: ScenarioCmd, reply: SimReply): void {
    if (reply.kind !== 'scenario' || !reply.result.ok) return;
    if (cmd.kind === 'scenario-open') { this.#journal = [cmd]; this.#stoppedLines = []; return; }
    if (cmd.kind === 'scenario-restart') {
      // A restart is a fresh run of the opened scenario with its uploads: only those matter before it.
      const open = this.#journal.find((c) => c.kind === 'scenario-open');
      this.#journal = [...(open ? [open] : []), ...this.#journal.filter((c) => c.kind === 'guest-upload' || c.kind === 'host-edit'), cmd];
      this.#stoppedLines = [];
      return;
    }
    if (cmd.kind === 'guest-upload') this.#uploads = [...this.#uploads.filter((u) => u.name !== cmd.name), { name: cmd.name, bytes: cmd.bytes }];
    this.#journal.push(cmd);
  }

  /**
   * The worker's snapshot with the whole trace (the reply carries only the new events) and the
   * stopped terminal lines put back where they were typed.
   */
  #patch(reply: SimReply): SimReply {
    if (reply.kind !== 'scenario' || !reply.result.ok) return reply;
    const snap = reply.result.snapshot;
    const terminal = [...snap.terminal];
    for (const s of this.#stoppedLines) terminal.splice(Math.min(s.at, terminal.length), 0, s.entry);
    this.#terminalLength = terminal.length;
    return { ...reply, result: { ok: true, snapshot: { ...snap, terminal } } };
  }

  /** Every scenario reply, as it arrives (replays included): its new trace events joined to the rest. */
  #joinTrace(reply: SimReply): SimReply {
    if (reply.kind !== 'scenario' || !reply.result.ok) return reply;
    const snap = reply.result.snapshot;
    try {
      return { ...reply, result: { ok: true, snapshot: { ...snap, trace: this.#wholeTrace(snap), traceFrom: 0 } } };
    } catch (e) {
      return { id: reply.id, kind: 'crash', message: e instanceof Error ? e.message : String(e) };
    }
  }

  #wholeTrace(snap: ScenarioSnapshot): ScenarioSnapshot['trace'] {
    const known = this.#trace;
    if (snap.traceFrom === 0 || !known || known.session !== snap.session) {
      // A session's first reply starts at 0; anything else would be a reply whose predecessors
      // this page never saw — a bug, said loudly rather than shown as a silently short trace.
      if (snap.traceFrom !== 0) throw new Error(`scenario session ${snap.session}: its trace resumes at event ${snap.traceFrom}, but this page holds none of it`);
      this.#trace = { session: snap.session, events: snap.trace };
    } else {
      if (snap.traceFrom !== known.events.length) throw new Error(`scenario session ${snap.session}: its trace resumes at event ${snap.traceFrom}, but this page holds ${known.events.length}`);
      // A new array (the views compare by reference), sharing the event objects.
      this.#trace = { session: snap.session, events: snap.trace.length ? known.events.concat(snap.trace) : known.events };
    }
    return this.#trace.events;
  }

  async #stopAndRestore(cmd: ScenarioCmd): Promise<DriverOutcome> {
    this.#transport.dispose();
    for (const [id, resolve] of this.#waiting) resolve({ id, kind: 'crash', message: 'the simulation worker was stopped' });
    this.#waiting.clear();
    this.stops++;
    this.#transport = this.#attach(this.makeTransport());
    const secs = (this.#budgetMs / 1000).toLocaleString('en-US');
    const what = cmd.kind === 'guest-exec' ? `\`${cmd.line}\`` : cmd.kind.replace('scenario-', '');
    const n = this.#journal.length;
    const stopped = `${what} was still running after ${secs} s: the simulation worker was stopped, and the session was restored in a new worker by replaying its ${n} earlier action${n === 1 ? '' : 's'}.`;
    if (cmd.kind === 'guest-exec') {
      this.#stoppedLines.push({ at: this.#terminalLength, entry: { command: cmd.line, stdout: '', stderr: `virtfs-lab: stopped after ${secs} s of wall time (the simulation worker was terminated; the session was replayed without this command)\n`, exit: null } });
    }
    let last: SimReply | null = null;
    let session: number | null = null;
    for (const step of this.#journal) {
      const c = (step.kind === 'scenario-open' ? step : { ...step, session: session ?? 0 }) as ScenarioCmd;
      const r = await this.#post(c);
      if (r === 'timeout' || r.kind !== 'scenario' || !r.result.ok) {
        this.#journal = [];
        const why = r === 'timeout' ? `it did not finish within ${secs} s either` : r.kind === 'crash' ? r.message : r.kind === 'scenario' && !r.result.ok ? r.result.message : 'unexpected reply';
        return { reply: { id: 0, kind: 'crash', message: `${stopped} The replay failed (${why}); open the scenario again.` }, stopped };
      }
      session = r.result.snapshot.session;
      last = r;
    }
    if (!last) return { reply: { id: 0, kind: 'crash', message: stopped }, stopped };
    return { reply: this.#patch(last), stopped };
  }

  dispose(): void { this.#transport.dispose(); this.#waiting.clear(); }
}

let shared: ScenarioDriver | null = null;
/**
 * The page's one scenario driver, kept while the page lives: the scenario panel is unmounted when
 * another tab is shown, and the user's uploads (and the worker, with its fetched /guests) must
 * outlive that.
 */
export function scenarioDriver(makeTransport: () => SimTransport, opts: ConstructorParameters<typeof ScenarioDriver>[1] = {}): ScenarioDriver {
  return (shared ??= new ScenarioDriver(makeTransport, opts));
}
