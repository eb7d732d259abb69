// The deterministic scheduler: runs the script's lines in order on their actors' shells, keeps
// parked jobs (a command waiting on a frozen helper) and resumes them after every step, and lets
// the racer's lines run at a chosen point. Step / run-to / replay are built on `step()`: the same
// inputs always give the same interleaving (no clocks, no randomness — DESIGN.md §2).
import type { CommandResult } from '../shell/shell.ts';
import type { Job } from '../shell/job.ts';
import type { ActorName, ScriptLine } from './script.ts';

export interface Actor {
  exec(line: string): Job<CommandResult>;
}

export interface LineResult extends CommandResult {
  index: number;
  actor: ActorName;
  /** Step number at which the line started and (if it did) finished. */
  startedAt: number;
  finishedAt: number | null;
}

interface Running {
  line: ScriptLine;
  job: Job<CommandResult>;
  result: LineResult;
}

export type StepEvent =
  | { kind: 'start'; line: ScriptLine }
  | { kind: 'park'; line: ScriptLine; what: string }
  | { kind: 'finish'; line: ScriptLine; result: LineResult }
  | { kind: 'defer'; line: ScriptLine; reason: string };

export class Scheduler {
  private next = 0;
  private stepNo = 0;
  private readonly parked: Running[] = [];
  private readonly deferred: ScriptLine[] = [];
  readonly results: (LineResult | undefined)[];
  readonly events: StepEvent[] = [];
  private racerRan = false;

  constructor(
    private readonly lines: ScriptLine[],
    private readonly actors: Record<ActorName, Actor>,
    /** When true, racer lines wait for runRacer() instead of running in script order. */
    private readonly racerScheduled = false,
  ) {
    this.results = lines.map(() => undefined);
  }

  get done(): boolean {
    return this.next >= this.lines.length && this.deferred.length === 0;
  }

  get position(): number {
    return this.next;
  }

  /** Lines still parked (for the terminal: "blocked: helper in open() of //p"). */
  get blocked(): { index: number; what: string }[] {
    return this.parked.map((r) => ({ index: r.line.index, what: r.result.blocked ?? '' }));
  }

  private busy(actor: ActorName): boolean {
    return this.parked.some((r) => r.line.actor === actor && !r.line.background);
  }

  private startLine(line: ScriptLine): void {
    const result: LineResult = { index: line.index, actor: line.actor, command: line.text, exit: null, stdout: '', stderr: '', startedAt: this.stepNo, finishedAt: null };
    this.results[line.index] = result;
    this.events.push({ kind: 'start', line });
    const run: Running = { line, job: this.actors[line.actor].exec(line.text), result };
    this.advance(run, true);
  }

  /** Drive one job until it finishes or parks. */
  private advance(run: Running, fresh: boolean): boolean {
    const n = run.job.next();
    if (n.done) {
      Object.assign(run.result, n.value, { finishedAt: this.stepNo });
      if (run.result.blocked === undefined) delete run.result.blocked;
      const i = this.parked.indexOf(run);
      if (i >= 0) this.parked.splice(i, 1);
      this.events.push({ kind: 'finish', line: run.line, result: run.result });
      return true;
    }
    run.result.blocked ??= `${n.value.on}: ${n.value.what}`;
    if (fresh) {
      this.parked.push(run);
      this.events.push({ kind: 'park', line: run.line, what: run.result.blocked });
    }
    return false;
  }

  /** Resume parked jobs until none makes progress. */
  private settle(): void {
    for (let progress = true; progress;) {
      progress = false;
      for (const run of [...this.parked]) if (this.advance(run, false)) progress = true;
      for (const line of [...this.deferred]) {
        if (!this.busy(line.actor)) {
          this.deferred.splice(this.deferred.indexOf(line), 1);
          this.startLine(line);
          progress = true;
        }
      }
    }
  }

  /** Run the next script line, then let parked and deferred work progress. Returns false when
   * there is nothing left to start (finished, or stuck behind a job that never unblocks). */
  step(): boolean {
    if (this.next >= this.lines.length) {
      const before = this.deferred.length;
      this.settle();
      return this.deferred.length > 0 && this.deferred.length < before;
    }
    this.stepNo++;
    while (this.next < this.lines.length) {
      const line = this.lines[this.next++]!;
      if (line.actor === 'racer' && this.racerScheduled) continue;
      if (this.busy(line.actor)) {
        this.deferred.push(line);
        this.events.push({ kind: 'defer', line, reason: `${line.actor}'s terminal is busy with a blocked command` });
        continue;
      }
      this.startLine(line);
      break;
    }
    this.settle();
    return true;
  }

  /** Run until line `index` has started (or the script ends). */
  runTo(index: number): void {
    while (this.next <= index && this.next < this.lines.length) this.step();
  }

  runAll(): void {
    while (this.step()) { /* next */ }
    // Lines deferred behind a job that never unblocks remain unstarted: report them as such.
    for (const line of this.deferred) {
      this.results[line.index] = { index: line.index, actor: line.actor, command: line.text, exit: null, stdout: '', stderr: '', blocked: `not started: ${line.actor}'s terminal stayed blocked`, startedAt: this.stepNo, finishedAt: null };
    }
  }

  /** Run the racer's lines now, synchronously (called from the host syscall observer at the race point). */
  runRacer(): void {
    if (this.racerRan) return;
    this.racerRan = true;
    for (const line of this.lines) {
      if (line.actor !== 'racer') continue;
      const result: LineResult = { index: line.index, actor: 'racer', command: line.text, exit: null, stdout: '', stderr: '', startedAt: this.stepNo, finishedAt: null };
      this.results[line.index] = result;
      const job = this.actors.racer.exec(line.text);
      const n = job.next();
      if (n.done) Object.assign(result, n.value, { finishedAt: this.stepNo });
      else result.blocked = `${n.value.on}: ${n.value.what} (a racer step cannot wait: it runs between two syscalls of another actor)`;
      this.events.push({ kind: 'finish', line, result });
    }
  }

  get racerDone(): boolean {
    return this.racerRan;
  }
}
