// virtfs-proxy-helper as a process on the simulated kernel: main() (argv, validation, daemon, socket,
// chroot, statfs, umask, capabilities) and process_requests() (proxy-protocol.md §11.3, §8).
//
// The process is a generator: it runs until the kernel would put it to sleep (accept on the named
// socket, a read on an empty socket, a blocking FIFO open) and yields; `run()` resumes it. So the
// request loop is driven by bytes arriving on its socket — split and pipelined frames behave as on a
// real stream (malformed/truncated_header_then_rest, malformed/pipelined_two_requests).
import { ERRNO, strerror, type Errno } from '../host/errno.ts';
import type { SysResult } from '../host/result.ts';
import { F_OK, isDir } from '../host/constants.ts';
import {
  PROXY_BUF_SZ, PROXY_HDR_SZ, PROXY_MAX_IO_SZ, T_ERROR, T_SUCCESS, V9FS_FD_VALID, requestName, REQUESTS,
} from '../proxy/index.ts';
import { parseHelperArgv, type HelperOptions } from './argv.ts';
import { helperBehaviour, type HelperBehaviour } from './behaviour.ts';
import { CredSwitch, HelperAbort } from './creds.ts';
import { MSG, perrorLine, syslogLine } from './messages.ts';
import { utf8Length } from '../text/utf8.ts';
import type { HelperOs } from './os.ts';
import { QUIRK_SOURCES, type HelperQuirk, type HelperQuirkKind } from './quirks.ts';
import {
  doCreate, doCreateOthers, doGetversion, doGetxattr, doOpen, doReadlink, doSimple, doStat, HelperSignal,
  wait, type HandlerResult, type HelperContext, type Wait,
} from './requests.ts';

/** What main() yields to hand process_requests over to run() (never a real sleep). */
const SERVING: Wait = Object.freeze({ on: 'serving', what: 'process_requests' });

/** statfs f_type values for which the helper uses FS_IOC_GETVERSION (§11.7). */
export const GETVERSION_MAGICS = [0xef53, 0x9123683e, 0x52654973, 0x58465342];

export interface HelperConfig {
  /** QEMU version whose helper runs (default "7.2.22", the recorded binary). */
  version?: string;
  /** T_GETVERSION high 32 bits: zero-extended (default) or the observed "stack garbage" (§11.7). */
  getversionHighHalf?: 'zero' | 'stack';
  /** Seed of the deterministic stand-in for uninitialised memory. */
  seed?: number;
  /** Observer for the trace: one event per request handled. */
  onRequest?: (ev: HelperRequestEvent) => void;
  /** Observer for labelled quirks (quirks.ts), as they happen. */
  onQuirk?: (q: HelperQuirk) => void;
}

export interface HelperRequestEvent {
  type: number;
  name: string;
  size: number;
  /** The C retval: ≥ 0 or -errno. */
  ret: number;
  reply: 'fd' | 'status' | 'response';
}

export type HelperExit = { status: number; signal?: undefined } | { signal: 'SIGABRT' | 'SIGTRAP' | 'SIGPIPE'; status?: undefined };

export class VirtfsProxyHelper {
  readonly behaviour: HelperBehaviour;
  /** Everything the process wrote to fd 2 (whatever fd 2 is: the caller's stderr, or /dev/null). */
  stderr = '';
  readonly syslog: string[] = [];
  exit: HelperExit | undefined;
  /** What the process sleeps on, while it does. */
  waitingOn: Wait | undefined;
  /** Requests answered so far. */
  requests = 0;
  /** Set once main() reached process_requests (the helper is serving). */
  serving = false;
  /** Every labelled quirk that occurred, in order. */
  readonly quirks: HelperQuirk[] = [];
  private readonly gen: Generator<Wait, number, void>;
  /** process_requests once main() reached it (run() drives it; see main()). */
  private requestLoop: Generator<Wait, void, void> | undefined;
  private isDaemon = true;
  private daemonised = false;
  private prng: number;

  constructor(
    readonly os: HelperOs,
    readonly argv: readonly string[],
    private readonly config: HelperConfig = {},
  ) {
    this.behaviour = helperBehaviour(config.version ?? '7.2.22');
    this.prng = (config.seed ?? 0x9e3779b9) >>> 0;
    this.gen = this.main();
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Runs the process until it sleeps or ends. Returns 'blocked' or 'exited'. */
  run(): 'blocked' | 'exited' {
    if (this.exit) return 'exited';
    try {
      for (;;) {
        const loop = this.requestLoop;
        if (loop) {
          const q = loop.next();
          if (!q.done) {
            this.waitingOn = q.value;
            return 'blocked';
          }
          this.requestLoop = undefined; // process_requests returned: main() goes on
        }
        const n = this.gen.next();
        if (n.done) {
          this.waitingOn = undefined;
          this.exit = { status: n.value & 0xff };
          this.os.exit(n.value & 0xff);
          return 'exited';
        }
        if (n.value === SERVING) continue;
        this.waitingOn = n.value;
        return 'blocked';
      }
    } catch (e) {
      if (this.requestLoop) {
        // As if thrown through main()'s yield*: main() ends with the request loop.
        this.requestLoop = undefined;
        this.gen.return(undefined as never);
      }
      if (e instanceof HelperAbort) {
        this.quirk('setxid-abort', e.why);
        return this.die('SIGABRT');
      }
      if (e instanceof HelperSignal) {
        this.stderrWrite(e.stderr);
        return this.die(e.signal);
      }
      throw e;
    }
  }

  private die(signal: 'SIGABRT' | 'SIGTRAP' | 'SIGPIPE'): 'exited' {
    this.waitingOn = undefined;
    this.exit = { signal };
    this.os.killSelf(signal);
    return 'exited';
  }

  private quirk(kind: HelperQuirkKind, detail: string): void {
    const q: HelperQuirk = { kind, source: QUIRK_SOURCES[kind], detail };
    this.quirks.push(q);
    this.config.onQuirk?.(q);
  }

  /** fd 2: the launcher's stderr in the foreground, /dev/null once daemonised (§11.4). */
  private stderrWrite(s: string): void {
    if (!this.daemonised) this.stderr += s;
    this.os.writeStderr(s);
  }

  /** do_log: level ignored; syslog(LOG_CRIT) when daemonised, else stderr (§11.4). */
  private log(msg: string): void {
    if (this.isDaemon) {
      const line = syslogLine(this.os.pid, msg);
      this.syslog.push(line);
      this.os.syslog(line);
    } else {
      this.stderrWrite(msg);
    }
  }

  private perror(call: string, errno: Errno): void {
    this.log(perrorLine(call, strerror(errno)));
  }

  /** xorshift32: deterministic "uninitialised memory". */
  private garbage(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let x = this.prng;
    for (let i = 0; i < n; i++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      out[i] = x & 0xff;
    }
    this.prng = x;
    return out;
  }

  private *main(): Generator<Wait, number, void> {
    const b = this.behaviour;
    const os = this.os;
    if (b.deprecationNote) this.stderrWrite(MSG.deprecated);
    const parsed = parseHelperArgv(this.argv, { basenameInUsage: b.usageBasename });
    if (!parsed.ok) {
      this.stderrWrite(parsed.stderr);
      return parsed.status;
    }
    const opt: HelperOptions = parsed.options;
    this.isDaemon = !opt.nodaemon;
    const st = os.lstat(opt.path);
    if (!st.ok) {
      this.stderrWrite(MSG.invalidPath(opt.path, strerror(st.errno)));
      return 1;
    }
    if (!isDir(st.value.mode)) {
      this.stderrWrite(MSG.notDirectory(opt.path));
      return 1;
    }
    if (this.isDaemon) {
      const d = os.daemon();
      if (!d.ok) {
        this.stderrWrite(MSG.daemonFailed);
        return 1;
      }
      this.daemonised = true;
    }
    // 1.x: statfs(path) before the chroot, then chdir("/") followed by chroot(path) (§11.3)
    let getVersion = false;
    if (!b.modernStartup) {
      const sf = os.statfs(opt.path);
      getVersion = sf.ok && GETVERSION_MAGICS.includes(sf.value.type >>> 0);
    }
    this.log(MSG.started);
    let sock = opt.fd;
    if (opt.socket !== undefined) {
      sock = yield* this.proxySocket(opt.socket, opt.uid, opt.gid);
      if (sock < 0) return this.done();
    }
    if (b.modernStartup) {
      const cr = os.chroot(opt.path);
      if (!cr.ok) { this.perror('chroot', cr.errno); return this.done(); }
      const cd = os.chdir('/');
      if (!cd.ok) { this.perror('chdir', cd.errno); return this.done(); }
      const sf = os.statfs('/');
      getVersion = sf.ok && GETVERSION_MAGICS.includes(sf.value.type >>> 0);
    } else {
      const cd = os.chdir('/');
      if (!cd.ok) { this.perror('chdir', cd.errno); return this.done(); }
      const cr = os.chroot(opt.path);
      if (!cr.ok) { this.perror('chroot', cr.errno); return this.done(); }
    }
    os.umask(0);
    const creds = new CredSwitch(os, b, (k, d) => this.quirk(k, d));
    const capErr = creds.initCapabilities();
    if (capErr) { this.perror(capErr.call, capErr.errno); return this.done(); }
    const ctx: HelperContext = {
      os, b, creds, getVersion,
      getversionHighHalf: this.config.getversionHighHalf ?? 'zero',
      garbage: (n) => this.garbage(n),
      stderr: (s) => this.stderrWrite(s),
      quirk: (k, d) => this.quirk(k, d),
      specialFileReported: false,
    };
    this.serving = true;
    // process_requests, driven by run() directly (perf: a `yield*` here would pass every request's
    // sleep through this generator too); main() resumes when it returns.
    this.requestLoop = this.processRequests(ctx, sock);
    yield SERVING;
    return this.done();
  }

  private done(): number {
    this.log(MSG.done);
    return 0;
  }

  /** proxy_socket (§11.6): access, sun_path check (2.x+), socket, umask(7), bind, chown, listen, accept. */
  private *proxySocket(path: string, uid: number, gid: number): Generator<Wait, number, void> {
    const os = this.os;
    if (os.access(path, F_OK).ok) {
      this.log(MSG.socketExists);
      return -1;
    }
    if (this.behaviour.modernStartup && utf8Length(path) >= 108) {
      this.log(MSG.sunPathTooLong);
      return -1;
    }
    const s = os.socketUnixStream();
    if (!s.ok) { this.perror('socket', s.errno); return -1; }
    const sock = s.value;
    os.umask(7); // srwxrwx--- (observed socket_mode_extras: 0o140770)
    const fail = (call: string, e: Errno): number => { this.perror(call, e); os.close(sock); return -1; };
    const bd = os.bind(sock, path);
    if (!bd.ok) return fail('bind', bd.errno);
    const ch = os.chown(path, uid, gid);
    if (!ch.ok) return fail('chown', ch.errno);
    const ls = os.listen(sock, 1);
    if (!ls.ok) return fail('listen', ls.errno);
    const ac = yield* wait(os.accept(sock));
    if (!ac.ok) return fail('accept', ac.errno);
    if (this.behaviour.modernStartup) os.close(sock); // 1.x kept the listener open
    return ac.value;
  }

  /** A read(2) that would have slept, kept by readQueued for finishRead to wait on. */
  private pendingRead: SysResult<number> | undefined;

  /**
   * socket_read (§8): read(2) into the in-buffer until `n` bytes, EINTR retried, EOF is -EIO. Runs
   * without suspending: it starts at `got` bytes and returns the count (n when complete) or -errno;
   * when the next read(2) would sleep, its Blocked result is kept in pendingRead and the count so far
   * is returned — process_requests then sleeps on exactly that call and continues with resumeRead.
   * So the syscall sequence is the C loop's, and a busy helper allocates no generator for its reads.
   */
  private readQueued(sock: number, into: Uint8Array, at: number, n: number, got = 0): number {
    while (got < n) {
      // read(sockfd, buff + got, size - got), into the in-buffer as the C loop does
      const r = this.os.readInto(sock, into, at + got, n - got);
      if (!r.ok) {
        if (r.blocked !== undefined) {
          this.pendingRead = r;
          return got;
        }
        if (r.errno === 'EINTR') continue;
        return -ERRNO[r.errno];
      }
      if (r.value === 0) return -ERRNO.EIO; // EOF mid-message or between messages (§8)
      got += r.value;
    }
    return got;
  }

  /** The pending read woke up: its completion, then socket_read goes on (readQueued). */
  private resumeRead(sock: number, into: Uint8Array, at: number, n: number, got: number): number {
    const p = this.pendingRead!;
    this.pendingRead = undefined;
    const r = p.ok || p.blocked === undefined ? p : p.resume(); // always asleep here (see readWait)
    if (!r.ok) {
      if (r.blocked !== undefined) {
        this.pendingRead = r; // still asleep (woken without data)
        return got;
      }
      if (r.errno !== 'EINTR') return -ERRNO[r.errno];
    } else {
      if (r.value === 0) return -ERRNO.EIO;
      got += r.value;
    }
    return this.readQueued(sock, into, at, n, got);
  }

  /** The Wait of the read socket_read sleeps in. */
  private get readWait(): Wait {
    const p = this.pendingRead;
    if (!p || p.ok || p.blocked === undefined) throw new Error('socket_read: no read asleep');
    return p.blocked;
  }

  /** socket_write: loop until written; a closed peer is EPIPE and, SIGPIPE not being ignored, death (§8, inferred). */
  private writeAll(sock: number, data: Uint8Array): number {
    let off = 0;
    while (off < data.length) {
      const r = this.os.write(sock, off ? data.subarray(off) : data);
      if (!r.ok) {
        if (r.errno === 'EINTR') continue;
        if (r.errno === 'EPIPE') throw new HelperSignal('SIGPIPE', '');
        return -ERRNO[r.errno];
      }
      off += r.value;
    }
    return 0;
  }

  /** process_requests (§8): read header + payload, dispatch, reply; any failure leaves the loop. */
  private *processRequests(ctx: HelperContext, sock: number): Generator<Wait, void, void> {
    // One in-buffer and one out-buffer of PROXY_MAX_IO_SZ + PROXY_HDR_SZ, reused for every message,
    // as process_requests allocates them once (§2.3). The kernel copies what is written.
    const inbuf = new Uint8Array(PROXY_BUF_SZ);
    const view = new DataView(inbuf.buffer);
    const outbuf = new Uint8Array(PROXY_BUF_SZ);
    const out = new DataView(outbuf.buffer);
    // The first n bytes of the out-buffer, what each reply write(2)s: one view per length, made once
    // (perf: replies repeat a few lengths — 4, 12, 8 + 116 …). Pure: a view of the same buffer.
    const frames = new Map<number, Uint8Array>();
    const frame = (n: number): Uint8Array => {
      let f = frames.get(n);
      if (!f) {
        f = outbuf.subarray(0, n);
        if (n <= 512) frames.set(n, f);
      }
      return f;
    };
    for (;;) {
      // read_request (the sleeps of socket_read yielded here: no nested generator per request)
      let q = this.readQueued(sock, inbuf, 0, PROXY_HDR_SZ);
      while (q >= 0 && q < PROXY_HDR_SZ) {
        yield this.readWait;
        q = this.resumeRead(sock, inbuf, 0, PROXY_HDR_SZ, q);
      }
      if (q < 0) return;
      const type = view.getUint32(0, true);
      const size = view.getUint32(4, true);
      if (size > PROXY_MAX_IO_SZ) {
        this.quirk('protocol-error-exit', `header.size ${size} > ${PROXY_MAX_IO_SZ}: leaving the loop, payload unread`);
        return; // read_request's -ENOBUFS is fatal (§2.3)
      }
      if (size > 0) {
        q = this.readQueued(sock, inbuf, PROXY_HDR_SZ, size);
        while (q >= 0 && q < size) {
          yield this.readWait;
          q = this.resumeRead(sock, inbuf, PROXY_HDR_SZ, size, q);
        }
        if (q < 0) return;
      }
      const end = PROXY_HDR_SZ + size;
      const name = requestName(type);
      if (!name) {
        this.quirk('protocol-error-exit', `unknown request type ${type}: leaving the loop without a reply`);
        return; // `default: goto err_out` (§8)
      }
      let res: HandlerResult;
      switch (name) {
        case 'T_OPEN': res = yield* doOpen(ctx, inbuf, end); break;
        case 'T_CREATE': res = yield* doCreate(ctx, inbuf, end); break;
        case 'T_MKNOD': case 'T_MKDIR': case 'T_SYMLINK': res = doCreateOthers(ctx, name, inbuf, end); break;
        case 'T_LSTAT': case 'T_STATFS': res = doStat(ctx, name, inbuf, end); break;
        case 'T_READLINK': res = doReadlink(ctx, inbuf, end); break;
        case 'T_LGETXATTR': case 'T_LLISTXATTR': res = doGetxattr(ctx, name, inbuf, end); break;
        case 'T_GETVERSION': res = yield* doGetversion(ctx, inbuf, end); break;
        default: res = doSimple(ctx, name, inbuf, end);
      }
      const shape = REQUESTS[name].reply;
      this.requests++;
      this.config.onRequest?.({ type, name, size, ret: res.ret, reply: shape });
      if (shape === 'fd') {
        // send_fd: one sendmsg of the 4-byte word, SCM_RIGHTS only on success; then close our copy (§9)
        const ok = res.ret >= 0;
        out.setInt32(0, ok ? V9FS_FD_VALID : res.ret, true);
        const r = this.os.sendmsg(sock, frame(4), ok ? res.ret : undefined);
        if (ok) this.os.close(res.ret);
        if (!r.ok) {
          if (r.errno === 'EPIPE') throw new HelperSignal('SIGPIPE', '');
          return;
        }
      } else if (shape === 'status') {
        // send_status: "ddd" {T_SUCCESS|T_ERROR, 4, status}
        out.setUint32(0, res.ret < 0 ? T_ERROR : T_SUCCESS, true);
        out.setUint32(4, 4, true);
        out.setInt32(8, res.ret, true);
        if (this.writeAll(sock, frame(12)) < 0) return;
      } else {
        // send_response: an error as {T_ERROR, 4, -errno}; a payload over 65536 as -ENOBUFS (§4.2)
        let st = res.ret;
        if (st >= 0 && res.payload!.length > PROXY_MAX_IO_SZ) st = -ERRNO.ENOBUFS;
        if (st < 0) {
          out.setUint32(0, T_ERROR, true);
          out.setUint32(4, 4, true);
          out.setInt32(8, st, true);
          if (this.writeAll(sock, frame(12)) < 0) return;
        } else {
          const p = res.payload!;
          out.setUint32(0, T_SUCCESS, true);
          out.setUint32(4, p.length, true);
          outbuf.set(p, PROXY_HDR_SZ);
          if (this.writeAll(sock, frame(PROXY_HDR_SZ + p.length)) < 0) return;
        }
      }
    }
  }
}
