// Libc for the QEMU process on the simulated host kernel: each call is one (or, for glibc helpers
// like remove(), a few) host syscalls made by QEMU's task, so the kernel's observer records them
// with QEMU's pid, creds and caps.
import type { Kernel } from '../../host/kernel.ts';
import type { Process } from '../../host/process.ts';
import type { SysResult } from '../../host/result.ts';
import { ok, err } from '../../host/result.ts';
import { bstrToBytes, bytesToBstr } from '../../host/bytes.ts';
import { F_SETFL, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, FS_IOC_GETVERSION } from '../../host/constants.ts';
import type { Libc, TimespecArg } from './libc.ts';

const P = (s: string): Uint8Array => bstrToBytes(s);

function mapv<A, B>(r: SysResult<A>, f: (a: A) => B): SysResult<B> {
  if (r.ok) return ok(f(r.value));
  if (r.blocked) {
    const b = r;
    return { ok: false, errno: 'EAGAIN', blocked: b.blocked, resume: () => mapv(b.resume(), f), cancel: () => b.cancel() };
  }
  return r;
}

export class KernelLibc implements Libc {
  constructor(readonly kernel: Kernel, readonly task: Process) {}

  get pid(): number {
    return this.task.pid;
  }

  close(fd: number) { return this.kernel.close(this.task, fd); }
  pread(fd: number, count: number, offset: number) { return this.kernel.pread(this.task, fd, count, offset); }
  pwrite(fd: number, data: Uint8Array, offset: number) { return this.kernel.pwrite(this.task, fd, data, offset); }
  fstat(fd: number) { return this.kernel.fstat(this.task, fd); }
  fsync(fd: number) { return this.kernel.fsync(this.task, fd); }
  /** qemu_fdatasync: fdatasync(2); the in-memory kernel treats it as fsync. */
  fdatasync(fd: number) { return this.kernel.fsync(this.task, fd); }
  getdents(fd: number) { return this.kernel.getdents(this.task, fd); }
  lseek(fd: number, offset: number, whence: number) { return this.kernel.lseek(this.task, fd, offset, whence); }
  fcntlSetfl(fd: number, flags: number): SysResult<void> { return mapv(this.kernel.fcntl(this.task, fd, F_SETFL, flags), () => undefined); }
  fstatfs(fd: number) { return this.kernel.fstatfs(this.task, fd); }
  ioctlGetversion(fd: number) { return this.kernel.ioctl(this.task, fd, FS_IOC_GETVERSION); }
  ftruncate(fd: number, length: number) { return this.kernel.ftruncate(this.task, fd, length); }

  sendmsg(fd: number, data: Uint8Array, fds?: readonly number[]) {
    return this.kernel.sendmsg(this.task, fd, data, fds && fds.length ? { fds: [...fds] } : {});
  }
  recvmsg(fd: number, len: number, maxFds: number): SysResult<{ data: Uint8Array; fds: number[] }> {
    return mapv(this.kernel.recvmsg(this.task, fd, len, { maxFds }), (r) => ({ data: r.data, fds: r.fds }));
  }

  openat(dirfd: number, path: string, flags: number, mode = 0) { return this.kernel.openat(this.task, dirfd, P(path), flags, mode); }
  fstatat(dirfd: number, path: string, flags: number) { return this.kernel.fstatat(this.task, dirfd, P(path), flags); }
  mkdirat(dirfd: number, path: string, mode: number) { return this.kernel.mkdirat(this.task, dirfd, P(path), mode); }
  mknodat(dirfd: number, path: string, mode: number, rdev: bigint) { return this.kernel.mknodat(this.task, dirfd, P(path), mode, rdev); }
  symlinkat(target: string, dirfd: number, path: string) { return this.kernel.symlinkat(this.task, P(target), dirfd, P(path)); }
  linkat(od: number, op: string, nd: number, np: string, flags: number) { return this.kernel.linkat(this.task, od, P(op), nd, P(np), flags); }
  renameat(od: number, op: string, nd: number, np: string) { return this.kernel.renameat2(this.task, od, P(op), nd, P(np), 0); }
  unlinkat(dirfd: number, path: string, flags: number) { return this.kernel.unlinkat(this.task, dirfd, P(path), flags); }
  readlinkat(dirfd: number, path: string, size: number): SysResult<string> {
    return mapv(this.kernel.readlinkat(this.task, dirfd, P(path), size), bytesToBstr);
  }
  fchmodat(dirfd: number, path: string, mode: number, flags = 0) { return this.kernel.fchmodat(this.task, dirfd, P(path), mode, flags); }
  fchownat(dirfd: number, path: string, uid: number, gid: number, flags: number) { return this.kernel.fchownat(this.task, dirfd, P(path), uid, gid, flags); }
  utimensat(dirfd: number, path: string | null, times: [TimespecArg, TimespecArg], flags: number) {
    return this.kernel.utimensat(this.task, dirfd, path === null ? null : P(path), times, path === null ? flags | AT_EMPTY_PATH : flags);
  }
  truncate(path: string, length: number) { return this.kernel.truncate(this.task, P(path), length); }
  statfs(path: string) { return this.kernel.statfs(this.task, P(path)); }
  /** glibc remove(): unlink(2); on EISDIR, rmdir(2). */
  remove(path: string): SysResult<void> {
    const r = this.kernel.unlink(this.task, P(path));
    if (!r.ok && !r.blocked && r.errno === 'EISDIR') return this.kernel.rmdir(this.task, P(path));
    return r;
  }

  /** The path the real code builds as "/proc/self/fd/N/name" (fgetxattrat_nofollow): the kernel's
   *  name for dirfd plus the name, resolved without following the last component. */
  private xpath(dirfd: number, path: string | null): SysResult<string> | null {
    if (path === null) return null;
    if (dirfd === -100) return ok(path);
    const d = this.kernel.fdPath(this.task, dirfd);
    if (!d.ok) return d;
    return ok(`${d.value === '/' ? '' : d.value}/${path}`);
  }

  getxattr(dirfd: number, path: string | null, name: string, follow: boolean): SysResult<Uint8Array> {
    const p = this.xpath(dirfd, path);
    const call = (size: number) => p === null
      ? this.kernel.fgetxattr(this.task, dirfd, P(name), size)
      : !p.ok ? p : follow ? this.kernel.getxattr(this.task, P(p.value), P(name), size) : this.kernel.lgetxattr(this.task, P(p.value), P(name), size);
    const n = call(0);
    if (!n.ok) return n as SysResult<never>;
    if (typeof n.value !== 'number') return ok(n.value);
    const v = call(n.value);
    if (!v.ok) return v as SysResult<never>;
    return ok(typeof v.value === 'number' ? new Uint8Array(0) : v.value);
  }
  listxattr(dirfd: number, path: string | null, follow: boolean): SysResult<string[]> {
    const p = this.xpath(dirfd, path);
    const call = (size: number) => p === null
      ? this.kernel.flistxattr(this.task, dirfd, size)
      : !p.ok ? p : follow ? this.kernel.listxattr(this.task, P(p.value), size) : this.kernel.llistxattr(this.task, P(p.value), size);
    const n = call(0);
    if (!n.ok) return n as SysResult<never>;
    if (typeof n.value !== 'number' || n.value === 0) return ok([]);
    const v = call(n.value);
    if (!v.ok) return v as SysResult<never>;
    if (typeof v.value === 'number') return ok([]);
    return ok(bytesToBstr(v.value).split('\0').filter((x) => x.length));
  }
  setxattr(dirfd: number, path: string | null, name: string, value: Uint8Array, flags: number, follow: boolean): SysResult<void> {
    const p = this.xpath(dirfd, path);
    if (p === null) return this.kernel.fsetxattr(this.task, dirfd, P(name), value, flags);
    if (!p.ok) return p as SysResult<never>;
    return follow ? this.kernel.setxattr(this.task, P(p.value), P(name), value, flags) : this.kernel.lsetxattr(this.task, P(p.value), P(name), value, flags);
  }
  removexattr(dirfd: number, path: string | null, name: string, follow: boolean): SysResult<void> {
    const p = this.xpath(dirfd, path);
    if (p === null) return err('EOPNOTSUPP');
    if (!p.ok) return p as SysResult<never>;
    return follow ? this.kernel.removexattr(this.task, P(p.value), P(name)) : this.kernel.lremovexattr(this.task, P(p.value), P(name));
  }
}

export { AT_SYMLINK_NOFOLLOW };
