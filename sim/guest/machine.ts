// The guest machine: its own kernel instance (sim/host) with a small root filesystem whose /etc holds
// GUEST content — so an escape that reads "/etc/shadow" shows which machine's file was read — and
// the first <filesystem>'s tag mounted with v9fs (default /mnt), as
// `mount -t 9p -o trans=virtio,version=9p2000.L,access=user TAG /mnt` would (access=user is Linux's
// default for 9P2000.L: a Tattach per uid). Terminals are shells over this kernel, with the raw
// `9p` console on the same mount's channel.
import { Kernel, type KernelOptions } from '../host/kernel.ts';
import { O_LARGEFILE } from '../host/constants.ts';
import type { Process } from '../host/process.ts';
import { isBlocked, type SysResult } from '../host/result.ts';
import { errnoNumber, STRERROR } from '../host/errno.ts';
import type { VirtualClock } from '../host/clock.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import type { GuestCallEvent } from '../trace/event.ts';
import { KernelOs } from '../shell/kernel-os.ts';
import { Shell, type CommandFn } from '../shell/shell.ts';
import type { ShellOs } from '../shell/os.ts';
import type { Job } from '../shell/job.ts';
import { loadTree } from '../scenario/tree.ts';
import type { TreeEntry } from '../scenario/types.ts';
import { P9Client } from './client.ts';
import { runConsole, type ConsoleResult } from './console.ts';
import type { VirtioQueue } from './rpc.ts';
import { V9fsSession, V9fsWouldBlock } from './session.ts';
import { V9fsInode, V9fsSuper } from './v9fs.ts';
import { wasiRunCommand } from '../wasi/command.ts';

/** The guest's own files (not the host's): visible proof of whose file an escape read. */
export const GUEST_ROOT_TREE: readonly TreeEntry[] = [
  { path: '/etc', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/etc/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'root:x:0:0:guest root:/root:/bin/bash\nuser:x:1000:1000:guest user:/home/user:/bin/bash\n' },
  { path: '/etc/group', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'root:x:0:\nshadow:x:42:\nuser:x:1000:\n' },
  { path: '/etc/shadow', type: 'file', mode: 0o640, uid: 0, gid: 42, content: 'root:$6$GUESTHASH:19000:0:99999:7:::\nuser:$6$GUESTUSER:19000:0:99999:7:::\n' },
  { path: '/etc/hostname', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'guest\n' },
  { path: '/root', type: 'dir', mode: 0o700, uid: 0, gid: 0 },
  { path: '/home', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/home/user', type: 'dir', mode: 0o755, uid: 1000, gid: 1000 },
  { path: '/guests', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/tmp', type: 'dir', mode: 0o1777, uid: 0, gid: 0 },
  { path: '/mnt', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/dev', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/dev/null', type: 'chardev', mode: 0o666, uid: 0, gid: 0, rdev: 0x103 },
];

export interface GuestOptions {
  /** The virtio-9p queue of QEMU's device for this tag (null: no device — nothing to mount). */
  queue: VirtioQueue | null;
  mountTag: string;
  mountPoint?: string;
  tree?: readonly TreeEntry[];
  clock?: VirtualClock;
  recorder?: TraceRecorder;
  seed?: number;
}

export class GuestMachine {
  readonly kernel: Kernel;
  readonly client: P9Client | null;
  readonly session: V9fsSession | null;
  readonly sb: V9fsSuper | null;
  readonly mountPoint: string;
  /** `mount` output (empty when the mount worked), e.g. the errno of a failed attach. */
  readonly mountError: string | null;
  /** The running command's execve event per pid: the cause of that process's syscalls. */
  private readonly execCause = new Map<number, number>();

  constructor(readonly opts: GuestOptions) {
    const ko: KernelOptions = { name: 'guest', rootFs: 'ext4', seed: opts.seed ?? 7 };
    if (opts.clock) ko.clock = opts.clock;
    this.kernel = new Kernel(ko);
    this.mountPoint = opts.mountPoint ?? '/mnt';
    loadTree(this.kernel, this.kernel.init, [...GUEST_ROOT_TREE, ...(opts.tree ?? [])]);
    // The scenario names the mount point: make it, as an admin would before mounting (mkdir -p).
    let dir = '';
    for (const part of this.mountPoint.split('/').filter(Boolean)) {
      dir += `/${part}`;
      if (!this.kernel.lstat(this.kernel.init, dir).ok) this.kernel.mkdir(this.kernel.init, dir, 0o755);
    }
    if (!opts.queue) {
      this.client = null; this.session = null; this.sb = null;
      this.mountError = `mount: ${this.mountPoint}: special device ${opts.mountTag} does not exist.`;
      return;
    }
    this.client = new P9Client(opts.queue);
    this.session = new V9fsSession(this.client);
    // st_dev of the mount: an anonymous device 0:N, as Linux gives 9p superblocks.
    this.sb = new V9fsSuper(this.session, 53, opts.mountTag, () => this.kernel.clock.now());
    const m = this.traced(this.kernel.init, 'mount', { source: opts.mountTag, target: this.mountPoint, fstype: '9p', options: 'trans=virtio,version=9p2000.L,access=user' }, () => {
      const r = this.sb!.mount(0);
      if (!r.ok) return r;
      return this.kernel.mount(this.kernel.init, this.mountPoint, this.sb!, { source: opts.mountTag });
    });
    this.mountError = m.ok ? null : isBlocked(m) ? `mount: ${this.mountPoint}: blocked (${m.blocked.what})` : `mount: ${this.mountPoint}: ${STRERROR[m.errno] ?? m.errno}`;
  }

  /** One guest syscall: recorded as a guest-call event that causes the 9P traffic it makes; a v9fs
   * request stuck behind a frozen server parks the call (restarted when its reply is in). */
  traced<T>(proc: Process, name: string, args: Record<string, unknown>, call: () => SysResult<T>): SysResult<T> {
    const rec = this.opts.recorder;
    // A caller's own cause (a WASI call in progress) wins; else the command's execve.
    const cause = rec?.currentCause() ?? this.execCause.get(proc.pid);
    const ev = rec?.record<GuestCallEvent>({ kind: 'guest-call', lane: 'guest', api: 'syscall', name, args: { pid: proc.pid, ...args }, ...(cause !== undefined ? { cause } : {}) });
    const attempt = (): SysResult<T> => {
      if (this.session) {
        this.session.current = { fsuid: proc.cred.fsuid, fsgid: proc.cred.fsgid };
        this.session.openFlags = isOpen(name) && typeof args.flags === 'string' && /^0[0-7]*$/.test(args.flags) ? parseInt(args.flags, 8) : null;
        this.session.beginAttempt();
      }
      // close: remember the open file description, to clunk its fid when the last reference goes.
      const closing = name === 'close' && typeof args.fd === 'number' ? this.kernel.fileOf(proc, args.fd) : undefined;
      try {
        const body = (): SysResult<T> => {
          const r = call();
          if (isOpen(name) && r.ok) return this.afterOpen(proc, r as SysResult<unknown> as SysResult<number>) as SysResult<unknown> as SysResult<T>;
          if (closing && r.ok && closing.refs <= 0) this.v9fsInodeOf(closing)?.release(closing.id);
          return r;
        };
        const r = rec && ev ? rec.withCause(ev.id, body) : body();
        this.session?.endAttempt();
        if (ev) {
          if (r.ok) ev.result = summarize(r.value);
          else if (!isBlocked(r)) ev.errno = errnoNumber(r.errno);
        }
        return r;
      } catch (e) {
        if (!(e instanceof V9fsWouldBlock)) throw e;
        return { ok: false, errno: 'EAGAIN', blocked: { on: '9p-request', what: e.what }, resume: attempt, cancel: () => this.session?.endAttempt() };
      }
    };
    return attempt();
  }

  private v9fsInodeOf(f: { loc?: { inode: unknown } | undefined; kind: string }): V9fsInode | undefined {
    const inode = f.loc?.inode;
    return inode instanceof V9fsInode && f.kind === 'regular' ? inode : undefined;
  }

  /** After open(2) of a v9fs regular file: the file_operations.open the VFS lacks (see v9fs.ts). */
  private afterOpen(proc: Process, r: SysResult<number>): SysResult<number> {
    if (!r.ok) return r;
    const f = this.kernel.fileOf(proc, r.value);
    const inode = f && !f.isPath ? this.v9fsInodeOf(f) : undefined;
    if (!f || !inode) return r;
    // fs/open.c build_open_flags: a 64-bit kernel always adds O_LARGEFILE (force_o_largefile()).
    const o = inode.lopen(f.id, (this.session?.openFlags ?? f.flags) | O_LARGEFILE);
    if (o.ok) return r;
    this.kernel.close(proc, r.value);
    return o;
  }

  /** A terminal as uid/gid (a login shell's process), with the raw console as the `9p` command. */
  shell(uid = 0, gid = 0, groups: number[] = []): Shell {
    const proc = this.kernel.spawn({ comm: 'bash', uid, gid, groups, cwd: undefined });
    const os = new KernelOs(this.kernel, proc, { machine: 'guest', wrap: (p, n, a, call) => this.traced(p, n, a, call) });
    const console: CommandFn = (ctx, argv) => this.consoleJob(ctx.os.ids().gid, argv, ctx.out, ctx.err, ctx.os instanceof KernelOs ? ctx.os.proc.pid : proc.pid);
    // `run PATH`: a WASI program as this terminal's process (sim/wasi), its syscalls traced like the shell's.
    const run = wasiRunCommand({
      machine: () => ({ kernel: this.kernel, proc, wrap: (n, a, call) => this.traced(proc, n, a, call) }),
      ...(this.opts.recorder ? { recorder: this.opts.recorder } : {}),
    });
    return new Shell(os, { '9p': console, run }, (cos, argv, job) => this.exec(cos, argv, job));
  }

  /** One command of a guest terminal: an `execve` event that causes the command's syscalls. */
  private *exec(os: ShellOs, argv: string[], job: () => Job<number>): Job<number> {
    const rec = this.opts.recorder;
    const pid = os instanceof KernelOs ? os.proc.pid : -1;
    if (!rec || argv[0] === '9p') return yield* job();
    const ev = rec.record<GuestCallEvent>({ kind: 'guest-call', lane: 'guest', api: 'syscall', name: 'execve', args: { pid, argv: argv.join(' ') } });
    const outer = this.execCause.get(pid);
    this.execCause.set(pid, ev.id);
    try {
      const status = yield* job();
      ev.result = status;
      return status;
    } finally {
      if (outer === undefined) this.execCause.delete(pid); else this.execCause.set(pid, outer);
    }
  }

  private *consoleJob(gid: number, argv: string[], out: (s: string) => void, errOut: (s: string) => void, pid: number): Job<number> {
    if (!this.client) { errOut(`9p: ${this.mountError ?? 'no 9p device'}\n`); return 1; }
    const rec = this.opts.recorder;
    // The raw console is the compromised guest kernel writing 9P messages itself (no syscall).
    const ev = rec?.record<GuestCallEvent>({ kind: 'guest-call', lane: 'guest', api: 'syscall', name: '9p-console', args: { pid, argv: argv.join(' ') } });
    const run = (f: () => ConsoleResult) => (rec && ev ? rec.withCause(ev.id, f) : f());
    let r = run(() => runConsole(this.client!, argv, gid));
    while (r.pending) {
      const p = r.pending;
      yield { on: '9p-request', what: p.what };
      r = run(() => p.resume());
    }
    out(r.stdout);
    errOut(r.stderr);
    if (ev) ev.result = r.exit;
    return r.exit ?? 1;
  }
}

/** open(2) and openat(2) (the WASI layer opens fd-relative) both get v9fs's file open (Tlopen). */
function isOpen(name: string): boolean {
  return name === 'open' || name === 'openat';
}

function summarize(v: unknown): unknown {
  if (v instanceof Uint8Array) return { bytes: v.length };
  if (Array.isArray(v)) return { entries: v.length };
  if (typeof v === 'bigint') return v.toString();
  if (v && typeof v === 'object') return '{…}';
  return v;
}
