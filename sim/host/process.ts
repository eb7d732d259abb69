// Tasks (Linux task_struct): each thread is a Process object with its own credentials and capability
// sets (capabilities are per thread — proxy-protocol.md §10.3 depends on it); threads of one process
// share the fs context (root, cwd, umask: struct fs_struct) and the fd table (struct files_struct).
import type { CapSets } from './caps.ts';
import type { OpenFile } from './file.ts';
import type { Location } from './mount.ts';
import type { Cred } from './types.ts';

/** Default RLIMIT_NOFILE soft limit. */
export const DEFAULT_NOFILE = 1024;

export interface FdEntry {
  file: OpenFile;
  cloexec: boolean;
}

/** struct files_struct: lowest-free numbering (POSIX: "the lowest-numbered file descriptor not
 * currently open"). */
export class FdTable {
  readonly fds: (FdEntry | undefined)[] = [];
  constructor(public limit = DEFAULT_NOFILE) {}

  lowestFree(from = 0): number {
    for (let i = from; i < this.fds.length; i++) if (!this.fds[i]) return i;
    return Math.max(from, this.fds.length);
  }
  get(fd: number): FdEntry | undefined {
    return Number.isInteger(fd) && fd >= 0 ? this.fds[fd] : undefined;
  }
  /** Install at the lowest free number ≥ from; -1 when the limit is hit (EMFILE). */
  install(file: OpenFile, cloexec: boolean, from = 0): number {
    const fd = this.lowestFree(from);
    if (fd >= this.limit) return -1;
    this.fds[fd] = { file, cloexec };
    file.refs++;
    return fd;
  }
  /** Put `file` at exactly `fd` (dup2). The caller closes any previous occupant first. */
  installAt(fd: number, file: OpenFile, cloexec: boolean): void {
    this.fds[fd] = { file, cloexec };
    file.refs++;
  }
  remove(fd: number): OpenFile | undefined {
    const e = this.get(fd);
    if (!e) return undefined;
    this.fds[fd] = undefined;
    while (this.fds.length && !this.fds[this.fds.length - 1]) this.fds.pop();
    return e.file;
  }
  entries(): [number, FdEntry][] {
    const out: [number, FdEntry][] = [];
    this.fds.forEach((e, i) => { if (e) out.push([i, e]); });
    return out;
  }
}

/** struct fs_struct */
export interface FsContext {
  root: Location;
  cwd: Location;
  umask: number;
}

export type ProcessState = 'running' | 'exited';

export class Process {
  /** Thread id (Linux pid of the task). */
  readonly tid: number;
  /** Thread-group id: what getpid() returns. */
  readonly pid: number;
  comm: string;
  cred: Cred;
  caps: CapSets;
  /** PR_SET_KEEPCAPS */
  keepCaps = false;
  fs: FsContext;
  files: FdTable;
  state: ProcessState = 'running';
  exitStatus: number | undefined;
  /** Threads of this thread group (the leader holds the list; shared by reference). */
  threads: Process[];
  readonly ppid: number;

  constructor(init: {
    tid: number; pid: number; ppid: number; comm: string; cred: Cred; caps: CapSets; fs: FsContext;
    files: FdTable; threads?: Process[];
  }) {
    this.tid = init.tid;
    this.pid = init.pid;
    this.ppid = init.ppid;
    this.comm = init.comm;
    this.cred = init.cred;
    this.caps = init.caps;
    this.fs = init.fs;
    this.files = init.files;
    this.threads = init.threads ?? [];
    this.threads.push(this);
  }

  get isLeader(): boolean {
    return this.tid === this.pid;
  }
}

export function copyCred(c: Cred): Cred {
  return { ...c, groups: [...c.groups] };
}
export function copyCaps(c: CapSets): CapSets {
  return { ...c };
}
