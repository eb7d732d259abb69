// Running a scenario end to end: libvirt's launch plan for the domain (sim/libvirt), the host kernel
// with the scenario's tree, the launched system (sim/lab: libvirtd's socketpair, the helper, QEMU),
// the guest machine with the first <filesystem> mounted, and the script on the deterministic
// scheduler. Everything is recorded on one trace. Same inputs → same results and trace, byte for byte.
import { Kernel } from '../host/kernel.ts';
import { planLaunch } from '../libvirt/index.ts';
import type { PlanResult } from '../libvirt/types.ts';
import { launchFromPlan } from '../lab/plan.ts';
import { DEBIAN_HELPER } from '../lab/lab.ts';
import type { Lab } from '../lab/lab.ts';
import { GuestMachine } from '../guest/machine.ts';
import { KernelOs } from '../shell/kernel-os.ts';
import { Shell } from '../shell/shell.ts';
import { TraceRecorder } from '../trace/recorder.ts';
import { modelledCostNs } from '../trace/cost.ts';
import type { ProcessEvent, TraceEvent } from '../trace/event.ts';
import { Scheduler, type LineResult } from './scheduler.ts';
import { classifyLine } from './script.ts';
import { loadTree, TreeBuildError } from './tree.ts';
import type { ExpectHost, ExpectResult, MatrixCell, Scenario, TreeEntry } from './types.ts';
import { firstFilesystemTarget } from './validate.ts';

export interface LaunchInfo {
  era: Scenario['era'];
  variant: Scenario['variant'];
  qemuVersion: string;
  socketpairs: { alias: string; helperFd: number; qemuFd: number }[];
  helper: string[] | null;
  qemu: string[];
  verdict: { starts: boolean; exitCode: number | null; stderr: string };
  /** What the processes wrote to stderr (the helper's may be unseen by libvirt when daemonised). */
  stderr: { helper: string; qemu: string };
  notes: { id: string; kind: string; text: string }[];
  mountError: string | null;
}

export interface RunOptions {
  /** Override where the racer runs (RaceSpec.afterHostSyscall). */
  raceAfterHostSyscall?: number;
  /**
   * Files installed in the guest before the scenario's own guest tree: the CLI and the playground
   * pass the shipped WASI programs as /guests/*.wasm (issue 6 §4), so `run /guests/ls.wasm` works
   * in every scenario; a scenario may add its own programs as content_b64 entries.
   */
  guestPrograms?: readonly TreeEntry[];
}

export type RunOutcome =
  | { ok: true; launch: LaunchInfo; results: LineResult[]; trace: readonly TraceEvent[] }
  | { ok: false; error: { message: string }; launch?: LaunchInfo; trace: readonly TraceEvent[] };

/** A prepared run: step through it, run to a line, or to the end; `replay()` starts an identical one. */
export class ScenarioRun {
  /** Modelled virtual time (sim/trace/cost.ts): each event advances the trace clock by its cost. */
  readonly recorder = new TraceRecorder({ cost: modelledCostNs });
  readonly host: Kernel;
  readonly plan: PlanResult;
  readonly lab: Lab | null = null;
  readonly guest: GuestMachine | null = null;
  readonly scheduler: Scheduler | null = null;
  readonly error: { message: string } | null = null;
  readonly launch: LaunchInfo | undefined;
  /** Host syscalls seen since the script started (the racer's own excluded). */
  hostSyscalls = 0;

  constructor(readonly scenario: Scenario, readonly options: RunOptions = {}) {
    const s = scenario;
    this.host = new Kernel({ name: 'host', rootFs: 'ext4', seed: 1 });
    // The scenario's host has Debian's layout: the lab installs the helper at /usr/lib/qemu (a preset
    // may add one next to the emulator), so the corrected variant is configured for that directory
    // and the plan's verdict knows where a helper really exists.
    this.plan = planLaunch(s.domain, { era: s.era, variant: s.variant, qemuVersion: s.qemu, helperDir: DEBIAN_HELPER.slice(0, DEBIAN_HELPER.lastIndexOf('/')), helperInstalledAt: DEBIAN_HELPER });
    try {
      loadTree(this.host, this.host.init, s.host.tree);
    } catch (e) {
      // A tree the kernel refuses (e.g. a file where a directory is needed): the run cannot start.
      if (!(e instanceof TreeBuildError)) throw e;
      this.error = { message: `host tree: ${e.message}` };
      return;
    }
    if (!this.plan.ok) {
      this.error = { message: this.plan.error.message };
      return;
    }
    // The helper's T_GETVERSION high half: uninitialised stack, as observed on QEMU 7.2.22
    // (scenarios.md leak/getversion-high-bits, vector basic_fd/getversion_file).
    const lab = launchFromPlan(this.plan, { kernel: this.host, recorder: this.recorder, qemuVersion: s.qemu, getversionHighHalf: 'stack', seed: 1 });
    this.lab = lab;
    const tag = firstFilesystemTarget(s.domain) ?? '';
    const running = lab.qemu.status === 'running';
    let queue = null;
    if (running) {
      try { queue = lab.transport(tag); } catch { queue = null; }
    }
    this.guest = running ? new GuestMachine({ queue, mountTag: tag, mountPoint: s.guest.mount, tree: [...(options.guestPrograms ?? []), ...s.guest.tree], clock: this.host.clock, recorder: this.recorder }) : null;
    this.launch = {
      era: this.plan.era, variant: this.plan.variant, qemuVersion: s.qemu, socketpairs: this.plan.socketpairs, helper: this.plan.helper, qemu: this.plan.qemu,
      verdict: lab.qemu.verdict, stderr: { helper: lab.stderr.helper, qemu: lab.qemu.stderr },
      notes: this.plan.notes.map((n) => ({ id: n.id, kind: n.kind, text: n.text })), mountError: this.guest?.mountError ?? null,
    };
    if (!running) {
      // QEMU refused the command line (or died at realize): its stderr is the error, as virsh shows it.
      this.error = { message: lab.qemu.stderr.trim() || `QEMU ${lab.qemu.status}` };
      return;
    }
    const guestShell = this.guest!.shell(s.guest.uid, s.guest.gid);
    const { shell: hostShell } = this.hostTerminal();
    const { shell: racerShell, os: racerOs } = this.hostTerminal();
    const lines = s.guest.script.map(classifyLine);
    const raceAt = options.raceAfterHostSyscall ?? s.race?.afterHostSyscall;
    const sched = new Scheduler(lines, { guest: guestShell, host: hostShell, racer: racerShell }, raceAt !== undefined);
    this.scheduler = sched;
    // The second actor: after the N-th host syscall of anyone else, the racer's lines run at once —
    // between that syscall and the next one, which is where a TOCTTOU window lives.
    this.host.observe((r) => {
      if (r.pid === racerOs.proc.pid || raceAt === undefined) return;
      this.hostSyscalls++;
      if (this.hostSyscalls === raceAt && !sched.racerDone) {
        this.recorder.note('host', 'race:racer-runs', `the racer's steps run after host syscall #${raceAt} (${r.comm} ${r.syscall})`, 'scenario race.afterHostSyscall', 'info');
        sched.runRacer();
      }
    });
    if (raceAt === 0) sched.runRacer();
  }

  /** A root shell on the host. Each command is a `process` start/exit event in lane `host` that
   * causes the command's syscalls (a racer's steps then stand out inside QEMU's or the helper's). */
  private hostTerminal(): { shell: Shell; os: KernelOs } {
    const rec = this.recorder;
    const causeByPid = new Map<number, number>();
    const os = new KernelOs(this.host, this.host.spawn({ comm: 'bash' }), {
      machine: 'host',
      wrap: (p, _name, _args, call) => {
        const c = causeByPid.get(p.pid);
        return c === undefined ? call() : rec.withCause(c, call);
      },
    });
    const shell = new Shell(os, {}, function* (cos, argv, job) {
      const pid = cos instanceof KernelOs ? cos.proc.pid : -1;
      const comm = (argv[0] ?? '').split('/').pop() ?? '';
      const start = rec.record<ProcessEvent>({ kind: 'process', lane: 'host', action: 'start', pid, comm, argv: [...argv] });
      const outer = causeByPid.get(pid);
      causeByPid.set(pid, start.id);
      try {
        const status = yield* job();
        rec.record<ProcessEvent>({ kind: 'process', lane: 'host', action: 'exit', pid, comm, status, cause: start.id });
        return status;
      } finally {
        if (outer === undefined) causeByPid.delete(pid); else causeByPid.set(pid, outer);
      }
    });
    return { shell, os };
  }

  get ok(): boolean { return this.error === null; }

  step(): boolean { return this.scheduler?.step() ?? false; }
  runTo(line: number): void { this.scheduler?.runTo(line); }

  runAll(): RunOutcome {
    if (this.scheduler) this.scheduler.runAll();
    return this.outcome();
  }

  outcome(): RunOutcome {
    if (this.error) return { ok: false, error: this.error, ...(this.launch ? { launch: this.launch } : {}), trace: this.recorder.events };
    const results = this.scheduler!.results.map((r, i) => r ?? {
      index: i, actor: classifyLine(this.scenario.guest.script[i]!, i).actor, command: this.scenario.guest.script[i]!, exit: null, stdout: '', stderr: '', blocked: 'not run', startedAt: 0, finishedAt: null,
    });
    return { ok: true, launch: this.launch!, results, trace: this.recorder.events };
  }

  /** A fresh run of the same scenario with the same options (deterministic replay). */
  replay(): ScenarioRun { return new ScenarioRun(this.scenario, this.options); }
}

export function runScenario(s: Scenario, opts: RunOptions = {}): RunOutcome {
  return new ScenarioRun(s, opts).runAll();
}

/** Every placement of the racer: for each N in 0..(host syscalls of an unraced run), the outcome. */
export function exploreRace(s: Scenario): { after: number; results: LineResult[] }[] {
  const probe = new ScenarioRun({ ...s, race: { afterHostSyscall: Number.MAX_SAFE_INTEGER } });
  probe.runAll();
  const out: { after: number; results: LineResult[] }[] = [];
  for (let n = 0; n <= probe.hostSyscalls; n++) {
    const r = runScenario(s, { raceAfterHostSyscall: n });
    if (r.ok) out.push({ after: n, results: r.results });
  }
  return out;
}

/** The scenario with a preset matrix cell applied: the first <filesystem>'s driver, QEMU, era, variant. */
export function applyCell(s: Scenario, cell: MatrixCell): Scenario {
  return {
    ...s,
    domain: withDriver(s.domain, cell.driver),
    qemu: cell.qemu,
    era: cell.era ?? s.era,
    variant: cell.variant ?? s.variant,
    ...(cell.race ? { race: cell.race } : {}),
  };
}

/** Rewrite the first <filesystem>'s <driver type=…/>: proxy, or path for the local driver. */
export function withDriver(xml: string, driver: 'local' | 'proxy'): string {
  const m = /<filesystem[\s>][\s\S]*?<\/filesystem>/.exec(xml);
  if (!m) return xml;
  const type = driver === 'proxy' ? 'proxy' : 'path';
  let fs = m[0];
  if (/<driver\b[^>]*\btype\s*=\s*(['"])[^'"]*\1/.test(fs)) fs = fs.replace(/(<driver\b[^>]*\btype\s*=\s*)(['"])[^'"]*\2/, `$1'${type}'`);
  else if (/<driver\b/.test(fs)) fs = fs.replace(/<driver\b/, `<driver type='${type}'`);
  else fs = fs.replace(/(<filesystem[^>]*>)/, `$1<driver type='${type}'/>`);
  return xml.slice(0, m.index) + fs + xml.slice(m.index + m[0].length);
}

/** Check one line's result against an expectation; the list of mismatches (empty = as expected). */
export function checkResult(r: LineResult | undefined, e: ExpectResult): string[] {
  const bad: string[] = [];
  const where = `line ${e.line}`;
  if (!r) return [`${where}: not run`];
  if (e.exit !== undefined && r.exit !== e.exit) bad.push(`${where} (${r.command}): exit ${r.exit}, expected ${e.exit} — stdout ${JSON.stringify(r.stdout)} stderr ${JSON.stringify(r.stderr)}`);
  if (e.stdout !== undefined && r.stdout !== e.stdout) bad.push(`${where} (${r.command}): stdout ${JSON.stringify(r.stdout)}, expected ${JSON.stringify(e.stdout)}`);
  if (e.stdoutMatches !== undefined && !new RegExp(e.stdoutMatches).test(r.stdout)) bad.push(`${where} (${r.command}): stdout ${JSON.stringify(r.stdout)} does not match /${e.stdoutMatches}/`);
  if (e.stdoutIncludes !== undefined && !r.stdout.includes(e.stdoutIncludes)) bad.push(`${where} (${r.command}): stdout ${JSON.stringify(r.stdout)} lacks ${JSON.stringify(e.stdoutIncludes)}`);
  if (e.stderr !== undefined && r.stderr !== e.stderr) bad.push(`${where} (${r.command}): stderr ${JSON.stringify(r.stderr)}, expected ${JSON.stringify(e.stderr)}`);
  if (e.stderrIncludes !== undefined && !r.stderr.includes(e.stderrIncludes)) bad.push(`${where} (${r.command}): stderr ${JSON.stringify(r.stderr)} lacks ${JSON.stringify(e.stderrIncludes)}`);
  if (e.blocked !== undefined && (r.blocked !== undefined) !== e.blocked) bad.push(`${where} (${r.command}): ${r.blocked ? `blocked (${r.blocked})` : 'did not block'}, expected ${e.blocked ? 'to block' : 'not to block'}`);
  return bad;
}

/** Check a host object after the run (lstat: links are not followed). */
export function checkHost(k: Kernel, e: ExpectHost): string[] {
  const st = k.lstat(k.init, e.path);
  if (e.exists === false) return st.ok ? [`host ${e.path}: exists, expected absent`] : [];
  if (!st.ok) return [`host ${e.path}: ${st.errno}, expected to exist`];
  const bad: string[] = [];
  const v = st.value;
  const types: Record<number, string> = { 0o100000: 'file', 0o040000: 'dir', 0o120000: 'symlink', 0o010000: 'fifo', 0o020000: 'chardev', 0o060000: 'blockdev', 0o140000: 'socket' };
  if (e.type !== undefined && types[v.mode & 0o170000] !== e.type) bad.push(`host ${e.path}: type ${types[v.mode & 0o170000]}, expected ${e.type}`);
  if (e.mode !== undefined && (v.mode & 0o7777) !== e.mode) bad.push(`host ${e.path}: mode 0${(v.mode & 0o7777).toString(8)}, expected 0${e.mode.toString(8)}`);
  if (e.uid !== undefined && v.uid !== e.uid) bad.push(`host ${e.path}: uid ${v.uid}, expected ${e.uid}`);
  if (e.gid !== undefined && v.gid !== e.gid) bad.push(`host ${e.path}: gid ${v.gid}, expected ${e.gid}`);
  if (e.content !== undefined) {
    const fd = k.open(k.init, e.path, 0, 0);
    let text = '';
    if (fd.ok) {
      const r = k.read(k.init, fd.value, 1 << 20);
      if (r.ok) for (const b of r.value) text += String.fromCharCode(b);
      k.close(k.init, fd.value);
    }
    if (text !== e.content) bad.push(`host ${e.path}: content ${JSON.stringify(text)}, expected ${JSON.stringify(e.content)}`);
  }
  return bad;
}

/** Check a whole preset cell: launch verdict, each expected line, each expected host object. */
export function checkCell(s: Scenario, cell: MatrixCell): { run: ScenarioRun; outcome: RunOutcome; problems: string[] } {
  const run = new ScenarioRun(applyCell(s, cell));
  const outcome = run.runAll();
  const problems: string[] = [];
  if (cell.launch === 'refused') {
    if (outcome.ok) problems.push('launched, expected a refusal');
    else if (cell.errorIncludes !== undefined && !outcome.error.message.includes(cell.errorIncludes)) problems.push(`error ${JSON.stringify(outcome.error.message)} lacks ${JSON.stringify(cell.errorIncludes)}`);
    return { run, outcome, problems };
  }
  if (!outcome.ok) return { run, outcome, problems: [`refused: ${outcome.error.message}`] };
  for (const e of cell.results ?? []) problems.push(...checkResult(outcome.results[e.line], e));
  for (const h of cell.host ?? []) problems.push(...checkHost(run.host, h));
  return { run, outcome, problems };
}
