// ShellOs over a process of a simulated kernel (sim/host). The same adapter serves the host and the
// guest machine; the guest passes `wrap` so that a v9fs call stuck on a frozen server becomes a
// parked syscall (see sim/guest/machine.ts).
import { bstrToText, utf8Decode } from '../host/bytes.ts';
import { AT_FDCWD, AT_SYMLINK_NOFOLLOW, O_DIRECTORY, O_RDONLY, UTIME_NOW, UTIME_OMIT } from '../host/constants.ts';
import type { Kernel, UtimeSpec } from '../host/kernel.ts';
import type { Process } from '../host/process.ts';
import { err, isBlocked, ok, type SysResult } from '../host/result.ts';
import type { DirEntry, Ids, MountInfo, ShellOs, TimeArg } from './os.ts';

export interface KernelOsOptions {
  machine: string;
  /** Runs every syscall (named, with its arguments for the trace); may translate a filesystem's
   * "would block" into a parked SysResult. */
  wrap?: <T>(proc: Process, name: string, args: Record<string, unknown>, call: () => SysResult<T>) => SysResult<T>;
}

/** Map a result, keeping a parked call parked (its resume() maps too). */
export function mapSys<A, B>(r: SysResult<A>, f: (a: A) => SysResult<B>): SysResult<B> {
  if (r.ok) return f(r.value);
  if (isBlocked(r)) return { ok: false, errno: 'EAGAIN', blocked: r.blocked, resume: () => mapSys(r.resume(), f), cancel: () => r.cancel() };
  return r;
}

function utime(t: TimeArg): UtimeSpec {
  if (t === 'now') return { sec: 0, nsec: UTIME_NOW };
  if (t === 'omit') return { sec: 0, nsec: UTIME_OMIT };
  return t;
}

export class KernelOs implements ShellOs {
  readonly machine: string;
  private readonly wrap: NonNullable<KernelOsOptions['wrap']>;

  constructor(readonly kernel: Kernel, readonly proc: Process, private readonly opts: KernelOsOptions) {
    this.machine = opts.machine;
    this.wrap = opts.wrap ?? ((_p, _n, _a, call) => call());
  }

  private w<T>(name: string, args: Record<string, unknown>, call: () => SysResult<T>): SysResult<T> {
    return this.wrap(this.proc, name, args, call);
  }

  ids(): Ids {
    const c = this.proc.cred;
    return { uid: c.euid, gid: c.egid, groups: [...c.groups] };
  }
  nowNs(): bigint { return this.kernel.clock.nowNs(); }
  getcwd(): string {
    const r = this.w('getcwd', {}, () => this.kernel.getcwd(this.proc));
    return r.ok ? r.value : '/';
  }
  chdir(path: string) { return this.w('chdir', { path }, () => this.kernel.chdir(this.proc, path)); }
  stat(path: string) { return this.w('stat', { path }, () => this.kernel.stat(this.proc, path)); }
  lstat(path: string) { return this.w('lstat', { path }, () => this.kernel.lstat(this.proc, path)); }
  statfs(path: string) { return this.w('statfs', { path }, () => this.kernel.statfs(this.proc, path)); }
  open(path: string, flags: number, mode: number) { return this.w('open', { path, flags: `0${flags.toString(8)}`, mode: `0${mode.toString(8)}` }, () => this.kernel.open(this.proc, path, flags, mode)); }
  read(fd: number, count: number) { return this.w('read', { fd, count }, () => this.kernel.read(this.proc, fd, count)); }
  write(fd: number, data: Uint8Array) { return this.w('write', { fd, count: data.length }, () => this.kernel.write(this.proc, fd, data)); }
  close(fd: number) { return this.w('close', { fd }, () => this.kernel.close(this.proc, fd)); }

  readdir(path: string): SysResult<DirEntry[]> {
    const out: DirEntry[] = [];
    const more = (fd: number): SysResult<DirEntry[]> => mapSys(this.w('getdents', { fd }, () => this.kernel.getdents(this.proc, fd)), (ents) => {
      if (ents.length === 0) { this.kernel.close(this.proc, fd); return ok(out); }
      for (const d of ents) out.push({ name: d.name, ino: d.ino, type: d.type });
      return more(fd);
    });
    return mapSys(this.w('open', { path, flags: 'O_RDONLY|O_DIRECTORY' }, () => this.kernel.open(this.proc, path, O_RDONLY | O_DIRECTORY, 0)), (fd) => {
      const r = more(fd);
      if (!r.ok && !isBlocked(r)) this.kernel.close(this.proc, fd);
      return r;
    });
  }

  mkdir(path: string, mode: number) { return this.w('mkdir', { path, mode: `0${mode.toString(8)}` }, () => this.kernel.mkdir(this.proc, path, mode)); }
  rmdir(path: string) { return this.w('rmdir', { path }, () => this.kernel.rmdir(this.proc, path)); }
  unlink(path: string) { return this.w('unlink', { path }, () => this.kernel.unlink(this.proc, path)); }
  rename(from: string, to: string) { return this.w('rename', { from, to }, () => this.kernel.rename(this.proc, from, to)); }
  link(target: string, path: string) { return this.w('link', { target, path }, () => this.kernel.link(this.proc, target, path)); }
  symlink(target: string, path: string) { return this.w('symlink', { target, path }, () => this.kernel.symlink(this.proc, target, path)); }
  readlink(path: string): SysResult<string> {
    return mapSys(this.w('readlink', { path }, () => this.kernel.readlink(this.proc, path, 4096)), (v) => ok(utf8Decode(v)));
  }
  mknod(path: string, mode: number, rdev: bigint) { return this.w('mknod', { path, mode: `0${mode.toString(8)}`, rdev: `0x${rdev.toString(16)}` }, () => this.kernel.mknod(this.proc, path, mode, rdev)); }
  chmod(path: string, mode: number) { return this.w('chmod', { path, mode: `0${mode.toString(8)}` }, () => this.kernel.chmod(this.proc, path, mode)); }
  chown(path: string, uid: number, gid: number, follow: boolean) {
    return this.w('chown', { path, uid, gid, follow }, () => (follow ? this.kernel.chown(this.proc, path, uid, gid) : this.kernel.lchown(this.proc, path, uid, gid)));
  }
  utimensat(path: string, atime: TimeArg, mtime: TimeArg, follow: boolean) {
    return this.w('utimensat', { path, atime, mtime, follow }, () => this.kernel.utimensat(this.proc, AT_FDCWD, path, [utime(atime), utime(mtime)], follow ? 0 : AT_SYMLINK_NOFOLLOW));
  }
  futimens(fd: number, atime: TimeArg, mtime: TimeArg) {
    return this.w('utimensat', { fd, atime, mtime }, () => this.kernel.utimensat(this.proc, fd, null, [utime(atime), utime(mtime)], 0));
  }
  truncate(path: string, length: number) { return this.w('truncate', { path, length }, () => this.kernel.truncate(this.proc, path, length)); }
  ftruncate(fd: number, length: number) { return this.w('ftruncate', { fd, length }, () => this.kernel.ftruncate(this.proc, fd, length)); }

  getxattr(path: string, name: string, follow: boolean): SysResult<Uint8Array> {
    const r = this.w('getxattr', { path, name, follow }, () => (follow ? this.kernel.getxattr(this.proc, path, name, 65536) : this.kernel.lgetxattr(this.proc, path, name, 65536)));
    return mapSys(r, (v) => (typeof v === 'number' ? err('ERANGE') : ok(v)));
  }
  setxattr(path: string, name: string, value: Uint8Array, flags: number, follow: boolean) {
    return this.w('setxattr', { path, name, follow }, () => (follow ? this.kernel.setxattr(this.proc, path, name, value, flags) : this.kernel.lsetxattr(this.proc, path, name, value, flags)));
  }
  listxattr(path: string, follow: boolean): SysResult<string[]> {
    const r = this.w('listxattr', { path, follow }, () => (follow ? this.kernel.listxattr(this.proc, path, 65536) : this.kernel.llistxattr(this.proc, path, 65536)));
    return mapSys(r, (v) => {
      if (typeof v === 'number') return err('ERANGE');
      const names: string[] = [];
      let cur: number[] = [];
      for (const b of v) {
        if (b === 0) { names.push(utf8Decode(Uint8Array.from(cur))); cur = []; } else cur.push(b);
      }
      return ok(names);
    });
  }
  removexattr(path: string, name: string, follow: boolean) {
    return this.w('removexattr', { path, name, follow }, () => (follow ? this.kernel.removexattr(this.proc, path, name) : this.kernel.lremovexattr(this.proc, path, name)));
  }
  mounts(): MountInfo[] {
    return this.kernel.mountList().map((m) => ({ source: m.source, target: bstrToText(m.target), fstype: m.sb.fsType }));
  }

  /** setpriv: a forked child that drops to the given ids (setgroups, setresgid, setresuid — in that
   * order, as setpriv does; the kernel clears the effective caps when euid leaves 0). */
  withIds(ids: Ids): ShellOs {
    const child = this.kernel.fork(this.proc, 'setpriv');
    this.kernel.setgroups(child, ids.groups);
    this.kernel.setresgid(child, ids.gid, ids.gid, ids.gid);
    this.kernel.setresuid(child, ids.uid, ids.uid, ids.uid);
    return new KernelOs(this.kernel, child, this.opts);
  }
}
