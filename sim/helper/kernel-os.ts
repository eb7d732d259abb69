// HelperOs on the simulated kernel (sim/host/kernel.ts): each libc call is the kernel syscall made by
// the helper's main thread; the per-thread credential calls target the given thread. This is the only
// file of the helper that names kernel methods.
import type { Kernel } from '../host/kernel.ts';
import type { Process } from '../host/process.ts';
import { AT_FDCWD, FS_IOC_GETVERSION, O_RDWR } from '../host/constants.ts';
import { err, ok, OK_VOID, type SysResult } from '../host/result.ts';
import type { Errno } from '../host/errno.ts';
import type { HelperOs, ThreadRef } from './os.ts';

const AF_UNIX = 1;
const SOCK_STREAM = 1;

export interface KernelHelperOsOptions {
  /** Create QEMU's RCU thread next to the main thread (libcap-ng helpers, §10.3). */
  rcuThread: boolean;
  /** Where syslog(3) lines go (a syslogd on /dev/log); absent = lost, as without /dev/log. */
  syslog?: (line: string) => void;
  /** Where fd 2 goes while the helper runs in the foreground (the launcher's stderr). */
  stderr?: (text: string) => void;
}

export class KernelHelperOs implements HelperOs {
  /** Threads of the helper process; [0] is the main thread. */
  private threadList: Process[];
  private daemonised = false;
  /** Exit status of the process that ran main() first (the daemon parent exits 0 at fork). */
  parentExit: number | undefined;

  constructor(
    readonly kernel: Kernel,
    /** The helper's main thread, already holding its inherited fds (fork of the launcher). */
    public main: Process,
    private readonly opts: KernelHelperOsOptions,
  ) {
    this.threadList = [main];
    // QEMU's call_rcu thread is started by a constructor before main() (util/rcu.c rcu_init), so it
    // keeps the full capability set the helper was started with.
    if (opts.rcuThread) this.threadList.push(kernel.cloneThread(main, 'call_rcu'));
  }

  get pid(): number {
    return this.main.pid;
  }
  private tids: ThreadRef[] = [];
  threads(): ThreadRef[] {
    if (this.tids.length !== this.threadList.length || this.tids[0] !== this.main.tid) this.tids = this.threadList.map((t) => t.tid);
    return this.tids;
  }
  private th(t: ThreadRef): Process {
    for (const x of this.threadList) if (x.tid === t) return x;
    return this.main;
  }

  lstat(path: Uint8Array | string) { return this.kernel.lstat(this.main, path); }
  fstat(fd: number) { return this.kernel.fstat(this.main, fd); }
  statfs(path: Uint8Array | string) { return this.kernel.statfs(this.main, path); }
  access(path: Uint8Array | string, mode: number) { return this.kernel.access(this.main, path, mode); }
  open(path: Uint8Array | string, flags: number, mode: number) { return this.kernel.open(this.main, path, flags, mode); }
  close(fd: number) { return this.kernel.close(this.main, fd); }
  read(fd: number, len: number) { return this.kernel.read(this.main, fd, len); }
  readInto(fd: number, buf: Uint8Array, off: number, len: number) { return this.kernel.readInto(this.main, fd, buf, off, len); }
  write(fd: number, data: Uint8Array) { return this.kernel.write(this.main, fd, data); }
  sendmsg(fd: number, data: Uint8Array, passFd?: number) {
    return this.kernel.sendmsg(this.main, fd, data, passFd === undefined ? {} : { fds: [passFd] });
  }
  readlink(path: Uint8Array, bufsiz: number) { return this.kernel.readlink(this.main, path, bufsiz); }
  mknod(path: Uint8Array, mode: number, rdev: bigint) { return this.kernel.mknod(this.main, path, mode, rdev); }
  mkdir(path: Uint8Array, mode: number) { return this.kernel.mkdir(this.main, path, mode); }
  symlink(target: Uint8Array, linkpath: Uint8Array) { return this.kernel.symlink(this.main, target, linkpath); }
  link(oldpath: Uint8Array, newpath: Uint8Array) { return this.kernel.link(this.main, oldpath, newpath); }
  chmod(path: Uint8Array, mode: number) { return this.kernel.chmod(this.main, path, mode); }
  lchown(path: Uint8Array, uid: number, gid: number) { return this.kernel.lchown(this.main, path, uid, gid); }
  chown(path: Uint8Array | string, uid: number, gid: number) { return this.kernel.chown(this.main, path, uid, gid); }
  truncate(path: Uint8Array, length: bigint) { return this.kernel.truncate(this.main, path, Number(length)); }
  utimensat(path: Uint8Array, times: [{ sec: number; nsec: number }, { sec: number; nsec: number }], flags: number) {
    return this.kernel.utimensat(this.main, AT_FDCWD, path, times, flags);
  }
  unlink(path: Uint8Array) { return this.kernel.unlink(this.main, path); }
  rmdir(path: Uint8Array) { return this.kernel.rmdir(this.main, path); }
  rename(oldpath: Uint8Array, newpath: Uint8Array) { return this.kernel.rename(this.main, oldpath, newpath); }
  lgetxattr(path: Uint8Array, name: Uint8Array, size: number) { return this.kernel.lgetxattr(this.main, path, name, size); }
  llistxattr(path: Uint8Array, size: number) { return this.kernel.llistxattr(this.main, path, size); }
  lsetxattr(path: Uint8Array, name: Uint8Array, value: Uint8Array, _size: number, flags: number) {
    // `value` already holds exactly the bytes lsetxattr(…, size) reads (or 65537 for an oversize size_t).
    return this.kernel.lsetxattr(this.main, path, name, value, flags);
  }
  lremovexattr(path: Uint8Array, name: Uint8Array) { return this.kernel.lremovexattr(this.main, path, name); }
  ioctlGetversion(fd: number) { return this.kernel.ioctl(this.main, fd, FS_IOC_GETVERSION); }
  chroot(path: string) { return this.kernel.chroot(this.main, path); }
  chdir(path: string) { return this.kernel.chdir(this.main, path); }
  umask(mask: number) { return this.kernel.umask(this.main, mask); }
  socketUnixStream() { return this.kernel.socket(this.main, AF_UNIX, SOCK_STREAM, 0); }
  bind(fd: number, path: string) { return this.kernel.bind(this.main, fd, path); }
  listen(fd: number, backlog: number) { return this.kernel.listen(this.main, fd, backlog); }
  accept(fd: number) { return this.kernel.accept(this.main, fd); }

  geteuid() { return this.main.cred.euid; }
  getegid() { return this.main.cred.egid; }
  private errnoOf(r: SysResult<void>): Errno | null { return r.ok ? null : r.errno; }
  setresuid(t: ThreadRef, r: number, e: number, s: number) { return this.errnoOf(this.kernel.setresuid(this.th(t), r, e, s)); }
  setresgid(t: ThreadRef, r: number, e: number, s: number) { return this.errnoOf(this.kernel.setresgid(this.th(t), r, e, s)); }
  setfsuid(t: ThreadRef, uid: number) { return this.kernel.setfsuid(this.th(t), uid); }
  setfsgid(t: ThreadRef, gid: number) { return this.kernel.setfsgid(this.th(t), gid); }
  capget(t: ThreadRef) { return this.kernel.capget(this.th(t)); }
  capset(t: ThreadRef, effective: bigint, permitted: bigint, inheritable: bigint) {
    return this.errnoOf(this.kernel.capset(this.th(t), { effective, permitted, inheritable }));
  }
  capbsetDrop(t: ThreadRef, cap: number) { return this.errnoOf(this.kernel.capbsetDrop(this.th(t), cap)); }

  /**
   * daemon(0, 0): fork; the parent _exit(0)s; the child chdir("/") and points fds 0–2 at /dev/null.
   * QEMU's pthread_atfork handler (rcu_init_child) starts a new RCU thread in the child.
   */
  daemon(): SysResult<void> {
    const child = this.kernel.fork(this.main, this.main.comm);
    this.kernel.exit(this.main, 0);
    this.parentExit = 0;
    this.main = child;
    this.threadList = [child];
    if (this.opts.rcuThread) this.threadList.push(this.kernel.cloneThread(child, 'call_rcu'));
    this.kernel.chdir(child, '/');
    const nul = this.kernel.open(child, '/dev/null', O_RDWR, 0);
    if (nul.ok) {
      for (const fd of [0, 1, 2]) if (fd !== nul.value) this.kernel.dup2(child, nul.value, fd);
      if (nul.value > 2) this.kernel.close(child, nul.value);
    }
    this.daemonised = true;
    return OK_VOID;
  }

  exit(status: number): void {
    if (this.main.state !== 'exited') this.kernel.exit(this.main, status);
  }
  killSelf(signal: 'SIGABRT' | 'SIGTRAP' | 'SIGPIPE'): void {
    // Death by signal: the kernel tears the process down like exit_group (fds closed → peer sees EOF).
    const signo = signal === 'SIGABRT' ? 6 : signal === 'SIGTRAP' ? 5 : 13;
    if (this.main.state !== 'exited') this.kernel.exit(this.main, 128 + signo);
  }

  writeStderr(text: string): void {
    if (!this.daemonised) this.opts.stderr?.(text);
  }
  syslog(line: string): void {
    this.opts.syslog?.(line);
  }
  clockHms(): string {
    const t = this.kernel.clock.now();
    const s = ((t.sec % 86400) + 86400) % 86400;
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}.${p(Math.floor(t.nsec / 1e6), 3)}`;
  }
}

export { err, ok };
