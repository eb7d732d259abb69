// The shell: parses a line (parse.ts), applies redirections the way bash does (the target is opened
// before the command runs; a failure there is bash's message and status 1), runs builtins and
// commands as generator jobs, and joins lists with ; && ||. One instance per terminal session; the
// same code serves the guest terminal and `host:` lines (DESIGN.md §2 `shell/`).
import { O_APPEND, O_CREAT, O_TRUNC, O_WRONLY } from '../host/constants.ts';
import { attachCommands } from './commands/index.ts';
import { strerror, type Ctx } from './context.ts';
import { sys, type Job, type Pause } from './job.ts';
import type { ShellOs } from './os.ts';
import { parseLine, ShellSyntaxError, type SimpleCommand } from './parse.ts';
import { completeLine, type Completion } from './complete.ts';

export type CommandFn = (ctx: Ctx, argv: string[]) => Job<number>;

/** Wraps each command that runs (builtins included): the guest records an `execve` trace event
 * there, so a command's syscalls hang under it in the trace. */
export type AroundCommand = (os: ShellOs, argv: string[], run: () => Job<number>) => Job<number>;

export interface CommandResult {
  command: string;
  /** null only if the job never finished (still parked when the run ended). */
  exit: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command was parked at least once: what it waited on first. */
  blocked?: string;
}

function utf8(s: string): Uint8Array {
  const enc = unescape(encodeURIComponent(s));
  return Uint8Array.from(enc, (c) => c.charCodeAt(0));
}

/** Names dispatch() handles itself (not in the command table). */
const SHELL_BUILTINS = ['echo', 'true', 'false', 'setpriv'] as const;

export class Shell {
  private cwd = '/';
  readonly commands: Map<string, CommandFn>;

  constructor(readonly os: ShellOs, extra: Record<string, CommandFn> = {}, private readonly around: AroundCommand = (_os, _argv, run) => run()) {
    this.commands = new Map(Object.entries({ ...attachCommands(), ...extra }));
  }

  get prompt(): string {
    return `${this.os.ids().uid === 0 ? 'root' : `uid${this.os.ids().uid}`}@${this.os.machine}:${this.os.getcwd()}${this.os.ids().uid === 0 ? '#' : '$'} `;
  }

  /** Run one line to completion, yielding whenever a syscall parks. */
  *exec(line: string): Job<CommandResult> {
    const res: CommandResult = { command: line, exit: 0, stdout: '', stderr: '' };
    let list;
    try {
      list = parseLine(line);
    } catch (e) {
      if (e instanceof ShellSyntaxError) { res.stderr = `bash: ${e.message}\n`; res.exit = 2; return res; }
      throw e;
    }
    let status = 0;
    for (const item of list.items) {
      if (item.connector === '&&' && status !== 0) continue;
      if (item.connector === '||' && status === 0) continue;
      const it = this.runSimple(this.os, item.command, res);
      for (;;) {
        const n = it.next();
        if (n.done) { status = n.value; break; }
        res.blocked ??= `${n.value.on}: ${n.value.what}`;
        yield n.value;
      }
    }
    res.exit = status;
    return res;
  }

  private *runSimple(os: ShellOs, cmd: SimpleCommand, res: CommandResult): Job<number> {
    const [name, ...args] = cmd.argv;
    if (name === undefined) return 0;
    let stdoutFd = -1;
    let stderrFd = -1;
    let errToOut = false;
    for (const r of cmd.redirects) {
      if (r.op === '2>&1') { errToOut = true; continue; }
      if (r.op === '<') { res.stderr += 'bash: input redirection is not supported by this shell\n'; return 1; }
      const flags = O_WRONLY | O_CREAT | (r.op.endsWith('>>') ? O_APPEND : O_TRUNC);
      const fd = yield* sys(os.open(r.target, flags, 0o666));
      if (!fd.ok) { res.stderr += `bash: ${r.target}: ${strerror(fd.errno)}\n`; return 1; }
      if (r.op.startsWith('2')) stderrFd = fd.value; else stdoutFd = fd.value;
    }
    let out = '';
    let err = '';
    const ctx: Ctx = {
      os,
      out: (s) => { out += s; },
      err: (s) => { if (errToOut) out += s; else err += s; },
      setCwd: (p) => { this.cwd = p; },
      spawn: (child, argv) => this.runSimple(child, { argv, redirects: [], column: cmd.column }, res),
    };
    const status = yield* this.around(os, cmd.argv, () => this.dispatch(ctx, name, args, ctx.out, ctx.err));
    // Output goes to the redirection target after the command (a real shell streams it; the file
    // ends up with the same bytes, the trace shows one write instead of several).
    return yield* this.finish(os, name, status, stdoutFd, stderrFd, res, () => out, () => err);
  }

  private *dispatch(ctx: Ctx, name: string, args: string[], out: (s: string) => void, err: (s: string) => void): Job<number> {
    let status: number;
    const fn = this.commands.get(name);
    if (name === 'echo') {
      let a = args;
      let nl = true;
      if (a[0] === '-n') { nl = false; a = a.slice(1); }
      out(a.join(' ') + (nl ? '\n' : ''));
      status = 0;
    } else if (name === 'true' || name === ':') status = 0;
    else if (name === 'false') status = 1;
    else if (name === 'setpriv') status = yield* this.setpriv(ctx, args);
    else if (fn) status = yield* fn(ctx, args);
    else { err(`bash: ${name}: command not found\n`); status = 127; }
    return status;
  }

  private *finish(os: ShellOs, name: string, st: number, stdoutFd: number, stderrFd: number, res: CommandResult, getOut: () => string, getErr: () => string): Job<number> {
    let status = st;
    let out = getOut();
    let err = getErr();
    if (stdoutFd >= 0) {
      if (out.length) {
        const w = yield* sys(os.write(stdoutFd, utf8(out)));
        if (!w.ok) { err += `${name}: write error: ${strerror(w.errno)}\n`; status = 1; }
      }
      yield* sys(os.close(stdoutFd));
      out = '';
    }
    if (stderrFd >= 0) {
      if (err.length) yield* sys(os.write(stderrFd, utf8(err)));
      yield* sys(os.close(stderrFd));
      err = '';
    }
    res.stdout += out;
    res.stderr += err;
    return status;
  }

  /** util-linux setpriv --reuid=U --regid=G [--clear-groups|--groups=a,b] CMD… */
  private *setpriv(ctx: Ctx, args: string[]): Job<number> {
    let uid: number | undefined;
    let gid: number | undefined;
    let groups: number[] | undefined;
    let i = 0;
    for (; i < args.length && args[i]!.startsWith('--'); i++) {
      const a = args[i]!;
      const m = /^--(reuid|regid|groups)=(.*)$/.exec(a);
      if (a === '--clear-groups') groups = [];
      else if (m && m[1] === 'reuid') uid = Number(m[2]);
      else if (m && m[1] === 'regid') gid = Number(m[2]);
      else if (m && m[1] === 'groups') groups = m[2]!.split(',').map(Number);
      else { ctx.err(`setpriv: unrecognized option '${a}'\nTry 'setpriv --help' for more information.\n`); return 1; }
    }
    const argv = args.slice(i);
    if (argv.length === 0) { ctx.err('setpriv: No program specified\nTry \'setpriv --help\' for more information.\n'); return 1; }
    const cur = ctx.os.ids();
    if (groups === undefined && (uid !== undefined || gid !== undefined)) {
      ctx.err('setpriv: --[re]gid requires --keep-groups, --clear-groups, --init-groups, or --groups\n');
      return 1;
    }
    const child = ctx.os.withIds({ uid: uid ?? cur.uid, gid: gid ?? cur.gid, groups: groups ?? cur.groups });
    return yield* ctx.spawn(child, argv);
  }

  /** Tab completion of the line's last word (complete.ts): command names first, then paths. */
  complete(line: string): Completion {
    const names = [...this.commands.keys(), ...SHELL_BUILTINS];
    const job = completeLine(this.os, names, line);
    const n = job.next();
    // completeLine never waits: a listing that would park is reported in `blocked`.
    if (!n.done) throw new Error('completeLine paused');
    return n.value;
  }

  /** Convenience for callers that know nothing blocks: run to completion or report the first pause. */
  run(line: string): CommandResult & { pending?: Job<CommandResult>; pause?: Pause } {
    const job = this.exec(line);
    const n = job.next();
    if (n.done) return n.value;
    return { command: line, exit: null, stdout: '', stderr: '', blocked: `${n.value.on}: ${n.value.what}`, pending: job, pause: n.value };
  }
}
