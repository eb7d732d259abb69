// A small procfs (fs/proc): /proc/self, /proc/PID/{fd/N, root, cwd, status}. The fd, root and cwd
// entries are MAGIC links: following one does not resolve its text but jumps straight to the object
// (proc_fd_link / proc_root_link), which is how QEMU's hardened local driver reaches files through
// "/proc/self/fd/N/name" (9p-util.c) — and how a process outside a chroot reaches inside (and vice
// versa). Opt-in: `kernel.mountProc()`. Access to another process's fd/, root and cwd is governed by
// the entries' modes (owner = the process's euid); Linux's additional ptrace_may_access check is not
// modelled.
import { bstrToText, textToBstr } from './bytes.ts';
import { capHex } from './caps.ts';
import { PROC_SUPER_MAGIC, S_IFDIR, S_IFLNK, S_IFREG, dtypeOf } from './constants.ts';
import type { Mount } from './mount.ts';
import type { Process } from './process.ts';
import { err, ok, type Result } from './result.ts';
import type { StatFs } from './types.ts';
import type { AttrChange, FsDirEntry, FsInode, InodeAttr, NewInode, SuperBlock } from './vfs.ts';

/** What procfs needs from the kernel (kept narrow to avoid a dependency cycle). */
export interface ProcHost {
  /** The task making the current syscall ("self"). */
  current(): Process | undefined;
  process(pid: number): Process | undefined;
  processList(): Process[];
  fdPath(t: Process, fd: number): Result<string>;
  pathOf(loc: { mnt: Mount; inode: FsInode }): string;
  now(): { sec: number; nsec: number };
}

type Kind = 'root' | 'self' | 'pid' | 'fddir' | 'fd' | 'status' | 'rootlink' | 'cwdlink';

export class ProcFs implements SuperBlock {
  id = 0;
  readonly fsType = 'proc';
  readonly magic = PROC_SUPER_MAGIC;
  readonly stableInodes = false;
  readonly root: ProcInode;
  constructor(readonly host: ProcHost, readonly dev: number) {
    this.root = new ProcInode(this, 'root', 0, -1);
  }
  statfs(): StatFs {
    return { type: PROC_SUPER_MAGIC, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, fsid: [0, 0], namelen: 255, frsize: 4096, flags: 0x20 };
  }
}

function statusText(p: Process): string {
  const c = p.cred;
  const k = p.caps;
  return [
    `Name:\t${p.comm}`, `Umask:\t${p.fs.umask.toString(8).padStart(4, '0')}`, `State:\t${p.state === 'running' ? 'S (sleeping)' : 'Z (zombie)'}`,
    `Tgid:\t${p.pid}`, `Pid:\t${p.tid}`, `PPid:\t${p.ppid}`,
    `Uid:\t${c.ruid}\t${c.euid}\t${c.suid}\t${c.fsuid}`, `Gid:\t${c.rgid}\t${c.egid}\t${c.sgid}\t${c.fsgid}`,
    `Groups:\t${c.groups.join(' ')}${c.groups.length ? ' ' : ''}`,
    `CapInh:\t${capHex(k.inheritable)}`, `CapPrm:\t${capHex(k.permitted)}`, `CapEff:\t${capHex(k.effective)}`,
    `CapBnd:\t${capHex(k.bounding)}`, `CapAmb:\t${capHex(k.ambient)}`, '',
  ].join('\n');
}

export class ProcInode implements FsInode {
  readonly ino: number;
  constructor(readonly sb: ProcFs, readonly kind: Kind, readonly pid: number, readonly fd: number) {
    // Stable, distinct numbers per object (proc inode numbers are synthetic too).
    const k = ['root', 'self', 'pid', 'fddir', 'fd', 'status', 'rootlink', 'cwdlink'].indexOf(kind);
    this.ino = kind === 'root' ? 1 : 0x1000 + ((pid * 8 + k) * 65536) + (fd + 1);
  }

  private task(): Process | undefined {
    return this.sb.host.process(this.pid);
  }

  getattr(): InodeAttr {
    const t = this.sb.host.now();
    const p = this.task();
    const uid = p?.cred.euid ?? 0;
    const gid = p?.cred.egid ?? 0;
    let mode: number;
    let nlink = 1;
    switch (this.kind) {
      case 'root': mode = S_IFDIR | 0o555; nlink = 2; break;
      case 'pid': mode = S_IFDIR | 0o555; nlink = 3; break;
      case 'fddir': mode = S_IFDIR | 0o500; nlink = 2; break;
      case 'status': mode = S_IFREG | 0o444; break;
      case 'self': mode = S_IFLNK | 0o777; break;
      case 'rootlink': case 'cwdlink': mode = S_IFLNK | 0o777; break;
      case 'fd': {
        const acc = p?.files.get(this.fd)?.file.accmode ?? 0;
        mode = S_IFLNK | (acc === 0 ? 0o500 : acc === 1 ? 0o300 : 0o700);
        break;
      }
    }
    const owned = this.kind !== 'root' && this.kind !== 'self';
    return { ino: this.ino, mode, uid: owned ? uid : 0, gid: owned ? gid : 0, nlink, size: 0, blocks: 0, blksize: 1024, rdev: 0n, atime: t, mtime: t, ctime: t };
  }

  setattr(_c: AttrChange): Result<void> { return err('EPERM'); }

  lookup(name: string): Result<FsInode> {
    switch (this.kind) {
      case 'root': {
        if (name === 'self') return ok(new ProcInode(this.sb, 'self', 0, -1));
        const pid = /^[1-9][0-9]*$/.test(name) ? Number(name) : NaN;
        const p = this.sb.host.process(pid);
        return p && p.isLeader ? ok(new ProcInode(this.sb, 'pid', pid, -1)) : err('ENOENT');
      }
      case 'pid': {
        if (!this.task()) return err('ENOENT');
        if (name === 'fd') return ok(new ProcInode(this.sb, 'fddir', this.pid, -1));
        if (name === 'status') return ok(new ProcInode(this.sb, 'status', this.pid, -1));
        if (name === 'root') return ok(new ProcInode(this.sb, 'rootlink', this.pid, -1));
        if (name === 'cwd') return ok(new ProcInode(this.sb, 'cwdlink', this.pid, -1));
        return err('ENOENT');
      }
      case 'fddir': {
        const fd = /^(0|[1-9][0-9]*)$/.test(name) ? Number(name) : NaN;
        return this.task()?.files.get(fd) ? ok(new ProcInode(this.sb, 'fd', this.pid, fd)) : err('ENOENT');
      }
      default:
        return err('ENOTDIR');
    }
  }

  parent(): FsInode {
    switch (this.kind) {
      case 'pid': return this.sb.root;
      case 'fddir': case 'status': case 'rootlink': case 'cwdlink': return new ProcInode(this.sb, 'pid', this.pid, -1);
      case 'fd': return new ProcInode(this.sb, 'fddir', this.pid, -1);
      default: return this.sb.root;
    }
  }

  readdir(): Result<FsDirEntry[]> {
    const e = (name: string, n: ProcInode): FsDirEntry => ({ name, ino: n.ino, mode: n.getattr().mode });
    switch (this.kind) {
      case 'root':
        return ok([e('self', new ProcInode(this.sb, 'self', 0, -1)),
          ...this.sb.host.processList().filter((p) => p.isLeader).sort((a, b) => a.pid - b.pid).map((p) => e(String(p.pid), new ProcInode(this.sb, 'pid', p.pid, -1)))]);
      case 'pid': {
        const kinds: [string, Kind][] = [['cwd', 'cwdlink'], ['fd', 'fddir'], ['root', 'rootlink'], ['status', 'status']];
        return ok(kinds.map(([n, k]) => e(n, new ProcInode(this.sb, k, this.pid, -1))));
      }
      case 'fddir':
        return ok((this.task()?.files.entries() ?? []).map(([fd]) => e(String(fd), new ProcInode(this.sb, 'fd', this.pid, fd))));
      default:
        return err('ENOTDIR');
    }
  }

  create(_n: string, _i: NewInode): Result<FsInode> { return err('ENOENT'); }
  link(): Result<void> { return err('EPERM'); }
  unlink(): Result<void> { return err('EPERM'); }
  rmdir(): Result<void> { return err('EPERM'); }
  rename(): Result<void> { return err('EPERM'); }

  /** The text readlink(2) shows; following does NOT use it for magic links (see `target`). */
  readlink(): Result<string> {
    const p = this.task();
    switch (this.kind) {
      case 'self': {
        const cur = this.sb.host.current();
        return cur ? ok(String(cur.pid)) : err('ENOENT');
      }
      case 'fd': {
        if (!p) return err('ENOENT');
        const r = this.sb.host.fdPath(p, this.fd);
        return r.ok ? ok(textToBstr(r.value)) : err('ENOENT');
      }
      case 'rootlink': return p ? ok(textToBstr(this.sb.host.pathOf(p.fs.root))) : err('ENOENT');
      case 'cwdlink': return p ? ok(textToBstr(this.sb.host.pathOf(p.fs.cwd))) : err('ENOENT');
      default: return err('EINVAL');
    }
  }

  /** Magic links: where following leads (undefined for ordinary entries). */
  isMagic(): boolean {
    return this.kind === 'fd' || this.kind === 'rootlink' || this.kind === 'cwdlink';
  }

  read(pos: number, len: number): Result<Uint8Array> {
    if (this.kind !== 'status') return err(this.kind === 'root' || this.kind === 'pid' || this.kind === 'fddir' ? 'EISDIR' : 'EINVAL');
    const p = this.task();
    if (!p) return err('ESRCH');
    const text = textToBstr(statusText(p));
    const slice = text.slice(pos, pos + len);
    const out = new Uint8Array(slice.length);
    for (let i = 0; i < slice.length; i++) out[i] = slice.charCodeAt(i);
    return ok(out);
  }
  write(): Result<number> { return err('EACCES'); }
  getxattr(): Result<Uint8Array> { return err('EOPNOTSUPP'); }
  setxattr(): Result<void> { return err('EOPNOTSUPP'); }
  listxattr(): Result<string[]> { return ok([]); }
  removexattr(): Result<void> { return err('EOPNOTSUPP'); }
  getversion(): Result<number> { return err('ENOTTY'); }

  /** Display name for traces. */
  describe(): string {
    return bstrToText(`${this.kind}:${this.pid}:${this.fd}`) + ` (${dtypeOf(this.getattr().mode)})`;
  }
}
