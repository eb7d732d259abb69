// Replays a proxy-conformance/1 suite against the simulated helper (vectors/FORMAT.md "Replay"):
// per session a fresh kernel with the session's host objects, the helper launched with the session's
// argv (EXPORT / FD / SOCKET placeholders), each step's bytes written (chunks with their pauses),
// client actions performed, the reply read the way the recorder read it, and compared after masking.
import { Kernel } from '../../host/kernel.ts';
import type { Process } from '../../host/process.ts';
import { fullCaps } from '../../host/caps.ts';
import {
  AF_UNIX, F_GETFL, MSG_DONTWAIT, O_NONBLOCK, O_WRONLY, S_IFMT, SHUT_WR, SOCK_STREAM, makedev,
} from '../../host/constants.ts';
import { utf8Decode, utf8Encode } from '../../proxy/utf8.ts';
import { launchHelper, type LaunchedHelper } from '../launch.ts';
import { parseHelperArgv } from '../argv.ts';
import { MSG } from '../messages.ts';
import { buildSessionHost, bytesOf, mkdirP, type SessionPaths } from './host-tree.ts';
import { compareStep, fromHex, toHex, type ActualStep } from './compare.ts';
import type { FdInfo, Session, Step, Suite } from './suite.ts';

export interface ReplayOptions {
  /** Replay sessions and steps flagged `quirk` and count them (default: skip them). */
  includeQuirks?: boolean;
  /** Mask fs_dependent ranges too (default false: the simulator models ext4 and tmpfs). */
  maskFsDependent?: boolean;
  /** Helper version (default 7.2.22, the recorded binary). */
  version?: string;
  /** Only sessions whose id matches. */
  filter?: (s: Session) => boolean;
  /** Called per step as it is judged (progress output). */
  onStep?: (r: StepOutcome) => void;
}

export interface StepOutcome {
  session: string;
  id: string;
  status: 'passed' | 'failed' | 'skipped';
  /** First differing field when failed. */
  field?: string;
  expected?: string;
  actual?: string;
  reason?: string;
}

export interface SessionEnd {
  session: string;
  /** What `end` recorded vs what the simulation did after the client closed its socket. Not counted in
   * passed/failed (FORMAT.md judges steps), reported for fidelity checks. */
  ok: boolean;
  mismatch?: string;
}

export interface ReplayReport {
  passed: number;
  failed: number;
  skipped: number;
  outcomes: StepOutcome[];
  /** Per replayed wire session: exit status, stderr / syslog after close vs `end`. */
  ends: SessionEnd[];
}

/** PIDs and wall-clock times differ between runs (GLib's `(process:PID)`, `HH:MM:SS.mmm`, syslog tags). */
function normaliseRun(s: string): string {
  return s.replace(/\(process:\d+\)/g, '(process:PID)').replace(/\b\d\d:\d\d:\d\d\.\d{3}\b/g, 'HH:MM:SS.mmm').replace(/\[\d+\]/g, '[PID]');
}

function checkEnd(s: Session, ws: WireSession): SessionEnd {
  const end = s.end as Record<string, unknown> | undefined;
  const h = ws.helper;
  if (!end) return { session: s.id, ok: true };
  const exit = h.exit === undefined ? undefined : h.exit.signal ? -({ SIGABRT: 6, SIGTRAP: 5, SIGPIPE: 13 } as const)[h.exit.signal] : h.exit.status;
  const mism: string[] = [];
  const after = end.helper_exit_after_close as { returncode: number } | undefined;
  if (after && after.returncode !== exit) mism.push(`exit ${exit ?? 'running'} (recorded ${after.returncode})`);
  if (typeof end.stderr_total === 'string' && normaliseRun(end.stderr_total) !== normaliseRun(ws.stderr)) {
    mism.push(`stderr ${JSON.stringify(ws.stderr)} (recorded ${JSON.stringify(end.stderr_total)})`);
  }
  if (Array.isArray(end.syslog_messages)) {
    const pri = Array.isArray(end.syslog_raw_priority) ? end.syslog_raw_priority as string[] : [];
    const want = (end.syslog_messages as string[]).map((m, i) => normaliseRun((pri[i] ?? '') + m));
    const got = h.syslog.map(normaliseRun);
    if (JSON.stringify(want) !== JSON.stringify(got)) mism.push(`syslog ${JSON.stringify(got)} (recorded ${JSON.stringify(want)})`);
  }
  if (typeof end.parent_exit === 'number' && ws.parentExit !== end.parent_exit) mism.push(`parent exit ${ws.parentExit} (recorded ${end.parent_exit})`);
  return mism.length ? { session: s.id, ok: false, mismatch: mism.join('; ') } : { session: s.id, ok: true };
}

const KIND_OF: Record<number, string> = {
  0o100000: 'file', 0o040000: 'dir', 0o120000: 'symlink', 0o010000: 'fifo', 0o020000: 'chardev', 0o060000: 'blockdev', 0o140000: 'socket',
};

function sessionPaths(s: Session): SessionPaths {
  const base = s.export_fs === 'tmpfs' ? '/dev/shm/vlab-conf' : '/tmp/vlab-conf';
  return { base, export: `${base}/export`, socket: `${base}/proxy.sock` };
}

function substitute(argv: readonly string[], paths: SessionPaths, fd: number | undefined): string[] {
  return argv.map((a) => {
    if (a === 'FD' && fd !== undefined) return String(fd);
    if (a === 'SOCKET') return paths.socket;
    // placeholders start an argument or follow '=' (--path=EXPORT)
    return a.replace(/(^|=)EXPORT(?=\/|$)/, `$1${paths.export}`).replace(/(^|=)BASE(?=\/|$)/, `$1${paths.base}`);
  });
}

function unsubstitute(text: string, paths: SessionPaths): string {
  return text.split(paths.export).join('EXPORT').split(paths.base).join('BASE');
}

/** A fresh simulated host for one session: kernel, /dev/null, the session tree, a root launcher. */
export function sessionHost(s: Session): { k: Kernel; launcher: Process; paths: SessionPaths } {
  const k = new Kernel({ name: 'host', rootFs: 'ext4', seed: 0x51ab });
  const launcher = k.spawn({ comm: 'recorder', uid: 0, gid: 0, caps: fullCaps(), umask: 0o022 });
  mkdirP(k, launcher, '/dev');
  const nul = k.mknod(launcher, '/dev/null', 0o20666, makedev(1, 3));
  if (nul.ok) k.chmod(launcher, '/dev/null', 0o666);
  // The recorder ran with stdin/stdout/stderr open, so its socketpair got fds ≥ 3 (and daemon(0, 0)
  // redirecting 0–2 to /dev/null cannot hit the helper's socket).
  for (let fd = 0; fd < 3; fd++) k.open(launcher, '/dev/null', 2, 0);
  const paths = sessionPaths(s);
  buildSessionHost(k, launcher, s, paths);
  return { k, launcher, paths };
}

class WireSession {
  private h!: LaunchedHelper;
  private client = -1;
  stderr = '';

  constructor(readonly s: Session, readonly k: Kernel, readonly launcher: Process, readonly paths: SessionPaths, readonly opts: ReplayOptions) {}

  start(): void {
    const { k, launcher, s } = this;
    const argvTemplate = s.helper_argv ?? ['virtfs-proxy-helper', '-n', '-p', 'EXPORT', '-f', 'FD'];
    if ((s.transport ?? 'fd') === 'fd' && argvTemplate.includes('FD')) {
      const sp = k.socketpair(launcher, AF_UNIX, SOCK_STREAM);
      if (!sp.ok) throw new Error(`socketpair: ${sp.errno}`);
      const [mine, theirs] = sp.value;
      this.h = launchHelper(k, { parent: launcher, argv: substitute(argvTemplate, this.paths, theirs), keepFds: [0, 1, 2, theirs], version: this.opts.version, stderr: (t) => { this.stderr += t; } });
      k.close(launcher, theirs);
      this.client = mine;
    } else {
      this.h = launchHelper(k, { parent: launcher, argv: substitute(argvTemplate, this.paths, undefined), keepFds: [0, 1, 2], version: this.opts.version, stderr: (t) => { this.stderr += t; } });
      const c = k.socket(launcher, AF_UNIX, SOCK_STREAM);
      if (!c.ok) throw new Error(`socket: ${c.errno}`);
      const r = k.connect(launcher, c.value, this.paths.socket);
      if (!r.ok) throw new Error(`connect ${this.paths.socket}: ${r.errno}`);
      this.client = c.value;
      this.h.helper.run();
    }
  }

  get helper() {
    return this.h.helper;
  }

  /** Exit status of the process the launcher started (the daemon parent in daemon mode). */
  get parentExit(): number | undefined {
    return this.h.os.parentExit ?? this.helper.exit?.status;
  }

  /** The client's write(2); a failure (EPIPE once the helper is gone) is what the recorder would see. */
  sendError: string | undefined;
  private send(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const r = this.k.write(this.launcher, this.client, bytes);
    if (!r.ok) this.sendError = r.errno;
  }

  /** Bytes waiting for the client (MSG_PEEK-free check via FIONREAD-like socket state). */
  private pending(): number {
    return this.k.socketOf(this.launcher, this.client)?.recvBytes ?? 0;
  }

  private recv(len: number): { data: Uint8Array; fds: number[] } | 'quiet' | 'eof' | string {
    const r = this.k.recvmsg(this.launcher, this.client, len, { flags: MSG_DONTWAIT, maxFds: 1 });
    if (!r.ok) return r.errno === 'EAGAIN' ? 'quiet' : `recv-error:${r.errno}`;
    if (r.value.data.length === 0) return 'eof';
    return r.value;
  }

  /** Reads the reply the way the recorder's `reader` did (FORMAT.md Step). */
  read(reader: Step['reader']): { bytes: Uint8Array; status: string | null; fds: number[] } {
    const parts: number[] = [];
    const fds: number[] = [];
    const take = (n: number): string | null => {
      let got = 0;
      while (got < n) {
        const r = this.recv(n - got);
        if (typeof r === 'string') return r;
        for (const b of r.data) parts.push(b);
        fds.push(...r.fds);
        got += r.data.length;
      }
      return null;
    };
    let status: string | null = null;
    if (reader === 'fd') {
      status = take(4);
    } else if (reader === 'framed') {
      status = take(8);
      if (status === null) {
        const size = new DataView(Uint8Array.from(parts).buffer).getUint32(4, true);
        status = take(size);
      }
    } else {
      for (;;) {
        const r = this.recv(65536);
        if (typeof r === 'string') { status = r; break; }
        for (const b of r.data) parts.push(b);
        fds.push(...r.fds);
      }
    }
    // fd/framed: null once the whole reply arrived; raw: how the stream ended (quiet, eof, reset).
    return { bytes: Uint8Array.from(parts), status, fds };
  }

  /** Describes a received fd like the recorder's fd_info (host_path relative to the export). */
  fdInfo(fd: number): FdInfo {
    const k = this.k;
    const t = this.launcher;
    const st = k.fstat(t, fd);
    const fl = k.fcntl(t, fd, F_GETFL);
    const p = k.fdPath(t, fd);
    const mode = st.ok ? st.value.mode : 0;
    const flags = fl.ok ? fl.value : 0;
    const kind = KIND_OF[mode & S_IFMT] ?? '?';
    let host = p.ok ? p.value : '?';
    if (host === this.paths.export) host = '/';
    else if (host.startsWith(this.paths.export + '/')) host = host.slice(this.paths.export.length);
    const info: FdInfo = {
      kind, mode: mode & 0o7777, uid: st.ok ? st.value.uid : -1, gid: st.ok ? st.value.gid : -1,
      o_flags: flags, accmode: ['O_RDONLY', 'O_WRONLY', 'O_RDWR', '?'][flags & 3]!, o_path: (flags & 0o10000000) !== 0, host_path: host,
    };
    if (!info.o_path && kind === 'dir') {
      const d = k.getdents(t, fd);
      if (d.ok) info.listing = d.value.map((e) => e.name).filter((n) => n !== '.' && n !== '..').sort();
    } else if (!info.o_path && kind === 'file' && (flags & 3) !== 1) {
      const r = k.pread(t, fd, 64, 0);
      if (r.ok) info.content = utf8Decode(r.value);
    }
    return info;
  }

  applyFdActions(fd: number, step: Step): void {
    for (const a of step.fd_actions ?? []) {
      if (a.op === 'write' && a.data_hex) this.k.write(this.launcher, fd, fromHex(a.data_hex));
    }
  }

  /** Inode identity (dev, ino) of each fd received by the last step, for hard-link host paths. */
  lastFdIds: [number, number][] = [];

  /** Whether `hostPath` (export-relative) names the same inode as the i-th fd of the last step. */
  sameInode(i: number, hostPath: string): boolean {
    const id = this.lastFdIds[i];
    const st = this.k.lstat(this.launcher, this.paths.export + (hostPath === '/' ? '' : hostPath));
    return !!id && st.ok && st.value.dev === id[0] && st.value.ino === id[1];
  }

  runStep(step: Step): { act: ActualStep; early?: string; fdInfos: FdInfo[] } {
    const k = this.k;
    let early: string | undefined;
    const chunks = step.chunks ?? [{ hex: step.request_hex }];
    chunks.forEach((c, i) => {
      if (i > 0) {
        if (this.pending() > 0) early = 'chunks (reply before the request was complete)';
        k.clock.advance(BigInt(Math.round((c.delay_ms ?? 0) * 1e6)));
      }
      this.send(fromHex(c.hex));
      this.helper.run();
    });
    for (const a of step.client_actions ?? []) {
      if (a.op === 'shutdown_wr') {
        k.shutdown(this.launcher, this.client, SHUT_WR);
        this.helper.run();
      } else if (a.op === 'wait') {
        this.helper.run();
        k.clock.advance(BigInt(Math.round((a.ms ?? 0) * 1e6)));
        if (a.expect_no_reply && this.pending() > 0) early = 'client_actions.wait (reply arrived early)';
      } else if (a.op === 'host_open_nonblock_writer' && a.path) {
        const w = k.open(this.launcher, `${this.paths.export}/${a.path}`, O_WRONLY | O_NONBLOCK, 0);
        if (w.ok) k.close(this.launcher, w.value);
        this.helper.run();
      }
    }
    this.helper.run();
    const r = this.read(step.reader);
    const fdInfos: FdInfo[] = [];
    this.lastFdIds = [];
    for (const fd of r.fds) {
      const st = k.fstat(this.launcher, fd);
      this.lastFdIds.push(st.ok ? [st.value.dev, st.value.ino] : [-1, -1]);
      this.applyFdActions(fd, step);
      fdInfos.push(this.fdInfo(fd));
      k.close(this.launcher, fd);
    }
    return {
      act: { reader: step.reader, response: r.bytes, recvStatus: r.status, fdReceived: r.fds.length > 0, helperAlive: this.helper.alive },
      early,
      fdInfos,
    };
  }

  close(): void {
    this.k.close(this.launcher, this.client);
    this.helper.run();
  }
}

/** Normalises recv_status to the classes FORMAT.md compares (quiet and timeout both mean "no reply in time"). */
function normStatus(s: string | null): string | null {
  return s === 'timeout' ? 'quiet' : s;
}

/**
 * fd_info comparison. `host_path` of a hard-linked inode is one of several names (the recorder picked
 * one by its own walk order), so a different name passes when it names the same inode (`sameInode`).
 */
function compareFdInfo(exp: FdInfo | FdInfo[] | undefined, got: FdInfo[], sameInode: (i: number, hostPath: string) => boolean): string | undefined {
  if (!exp) return undefined;
  const list = Array.isArray(exp) ? exp : [exp];
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    const a = got[i];
    if (!a) return 'fd_info';
    for (const key of ['kind', 'mode', 'uid', 'gid', 'o_flags', 'o_path', 'host_path'] as const) {
      if (key === 'host_path' && e.host_path !== a.host_path && sameInode(i, e.host_path)) continue;
      if (e[key] !== a[key]) return `fd_info.${key} (expected ${JSON.stringify(e[key])}, got ${JSON.stringify(a[key])})`;
    }
    if (e.listing && JSON.stringify(e.listing) !== JSON.stringify(a.listing)) return `fd_info.listing (expected ${JSON.stringify(e.listing)}, got ${JSON.stringify(a.listing)})`;
    const content = e.content_b64 !== undefined || e.content !== undefined ? toHex(bytesOf(e.content, e.content_b64)) : undefined;
    if (content !== undefined && content !== toHex(utf8Encode(a.content ?? ''))) return `fd_info.content (expected ${JSON.stringify(e.content)}, got ${JSON.stringify(a.content)})`;
  }
  return undefined;
}

function replayWire(s: Session, opts: ReplayOptions, out: StepOutcome[], ends: SessionEnd[]): void {
  const skipAll = s.quirk !== undefined && !opts.includeQuirks;
  if (skipAll) {
    for (const st of s.steps) out.push({ session: s.id, id: st.id, status: 'skipped', reason: `session quirk: ${s.quirk}` });
    return;
  }
  const { k, launcher, paths } = sessionHost(s);
  const ws = new WireSession(s, k, launcher, paths, opts);
  ws.start();
  let stopped = false;
  for (const step of [...s.steps].sort((a, b) => a.seq - b.seq)) {
    if (stopped) {
      out.push({ session: s.id, id: step.id, status: 'failed', field: 'helper_alive_after', reason: 'helper already exited' });
      continue;
    }
    const { act, early, fdInfos } = ws.runStep(step);
    act.recvStatus = normStatus(act.recvStatus);
    const expStep = { ...step, recv_status: normStatus(step.recv_status) };
    let v = compareStep(expStep, act, { maskFsDependent: opts.maskFsDependent ?? false });
    if (v.pass && early) v = { ...v, pass: false, field: early };
    if (v.pass) {
      const f = compareFdInfo(step.fd_info, fdInfos, (i, p) => ws.sameInode(i, p));
      if (f) v = { ...v, pass: false, field: f };
    }
    const quirkSkip = step.quirk !== undefined && !opts.includeQuirks;
    const outcome: StepOutcome = quirkSkip
      ? { session: s.id, id: step.id, status: 'skipped', reason: `step quirk: ${step.quirk}` }
      : v.pass
        ? { session: s.id, id: step.id, status: 'passed' }
        : { session: s.id, id: step.id, status: 'failed', field: v.field, expected: v.expected, actual: v.actual };
    out.push(outcome);
    opts.onStep?.(outcome);
    if (!ws.helper.alive) stopped = true;
  }
  if (!stopped) ws.close();
  ends.push(checkEnd(s, ws));
}

function replayCli(s: Session, opts: ReplayOptions, out: StepOutcome[]): void {
  (s.cli_runs ?? []).forEach((run, i) => {
    const { k, launcher, paths } = sessionHost(s);
    // The format does not record the recorder's per-run preparations; the one the helper can see is a
    // socket path that already exists (real-helper.md §4 `BASE/exists.sock`). When the recorded stderr
    // says so, leave a stale socket inode at the -s path first.
    if (run.stderr.includes(MSG.socketExists)) {
      const parsed = parseHelperArgv(substitute(run.argv, paths, undefined));
      if (parsed.ok && parsed.options.socket) k.mknod(launcher, parsed.options.socket, 0o140755, 0n);
    }
    let stderr = '';
    const { helper } = launchHelper(k, { parent: launcher, argv: substitute(run.argv, paths, undefined), keepFds: [0, 1, 2], version: opts.version, stderr: (t) => { stderr += t; } });
    for (let n = 0; n < 4 && helper.alive && helper.waitingOn?.on === 'accept'; n++) {
      // a -s helper waits for its one client: connect and hang up, as the recorder's probe did
      const c = k.socket(launcher, AF_UNIX, SOCK_STREAM);
      if (c.ok) { k.connect(launcher, c.value, substitute(['SOCKET'], paths, undefined)[0]!); helper.run(); k.close(launcher, c.value); }
      helper.run();
    }
    const id = `cli#${i} ${run.argv.slice(1).join(' ')}`.trim();
    const status = helper.exit?.status ?? -1;
    const got = unsubstitute(stderr, paths);
    const outcome: StepOutcome = helper.alive
      ? { session: s.id, id, status: 'failed', field: 'exit', expected: `exit ${run.returncode}`, actual: `still running (${helper.waitingOn?.on})` }
      : status !== run.returncode
        ? { session: s.id, id, status: 'failed', field: 'returncode', expected: String(run.returncode), actual: String(status) }
        : got !== run.stderr
          ? { session: s.id, id, status: 'failed', field: 'stderr', expected: JSON.stringify(run.stderr), actual: JSON.stringify(got) }
          : { session: s.id, id, status: 'passed' };
    out.push(outcome);
    opts.onStep?.(outcome);
  });
}

export function replaySuite(suite: Suite, opts: ReplayOptions = {}): ReplayReport {
  const outcomes: StepOutcome[] = [];
  const ends: SessionEnd[] = [];
  for (const s of suite.sessions) {
    if (opts.filter && !opts.filter(s)) continue;
    const kind = s.kind ?? 'wire';
    const before = outcomes.length;
    try {
      if (kind === 'wire') replayWire(s, opts, outcomes, ends);
      else if (kind === 'cli') replayCli(s, opts, outcomes);
    } catch (e) {
      // A session the replay cannot set up (a tree it cannot build, a helper that never listens…):
      // its remaining steps fail with the reason instead of aborting the whole suite.
      const done = new Set(outcomes.slice(before).map((o) => o.id));
      for (const st of s.steps) {
        if (!done.has(st.id)) outcomes.push({ session: s.id, id: st.id, status: 'failed', field: 'replay', reason: `replay error: ${(e as Error).message}` });
      }
    }
  }
  const count = (st: StepOutcome['status']) => outcomes.filter((o) => o.status === st).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), outcomes, ends };
}
