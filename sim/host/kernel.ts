// The simulated Linux kernel: one instance per machine (the host runs one; the guest machine runs
// another with v9fs mounted into it). Syscalls take the calling task first and return errno as data
// (SysResult). Every syscall is observable through `observe()`; every namespace change through
// `onChange()`. Behaviour follows Linux 6.x (fs/namei.c, fs/open.c, fs/attr.c, fs/xattr.c,
// fs/utimes.c, fs/pipe.c, net/unix/af_unix.c) and the recorded helper vectors where they show it.
import { bstrToBytes, bstrToText, toBstr, type PathArg } from './bytes.ts';
import { CAP, capHex, fullCaps, type CapSets } from './caps.ts';
import { VirtualClock, cmpTimespec, timespecToNs, type Timespec } from './clock.ts';
import {
  AF_UNIX, AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, FD_CLOEXEC,
  F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_GETFL, F_SETFD, F_SETFL, FIONREAD, FS_IOC_GETVERSION, MAY_EXEC,
  MAY_READ, MAY_WRITE, MSG_CTRUNC, MSG_DONTWAIT, MSG_PEEK, O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT,
  O_DIRECTORY, O_EXCL, O_LARGEFILE, O_NOATIME, O_NOFOLLOW, O_NONBLOCK, O_PATH, O_RDONLY, O_RDWR, O_TRUNC,
  O_WRONLY, OPEN_FLAGS_KEPT, PATH_MAX, RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT, R_OK, SCM_MAX_FD,
  SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET, SHUT_RD, SHUT_RDWR, SHUT_WR, SOCK_CLOEXEC,
  SOCK_NONBLOCK, SOCK_STREAM, S_IALLUGO, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG,
  S_IFSOCK, S_IRWXUGO, S_ISGID, S_ISUID, S_ISVTX, S_IXGRP, UNIX_PATH_MAX, UTIME_NOW, UTIME_OMIT, W_OK,
  XATTR_CREATE, XATTR_NAME_MAX, XATTR_REPLACE, XATTR_SIZE_MAX, X_OK, dtypeOf, isBlk, isChr, isDir,
  isFifo, isLnk, isReg, isSock,
} from './constants.ts';
import * as credops from './cred.ts';
import { defaultDevices, devKey, deviceRead, type DeviceSpec } from './devices.ts';
import type { Errno } from './errno.ts';
import { OpenFile, type FileKind } from './file.ts';
import { MemFs, MemInode, ownerAttr } from './memory-fs.ts';
import { sameLocation, type Location, type Mount } from './mount.ts';
import { Namei, type ParentResult } from './namei.ts';
import {
  capable, chgrpOk, chmodMode, chownOk, genericPermission, initOwner, ownerOrCapable,
  stickyDenies, suidBitsToKill, userXattrAllowed,
} from './perm.ts';
import { Pipe } from './pipe.ts';
import { Prng } from './prng.ts';
import { ProcFs, ProcInode } from './procfs.ts';
import { FdTable, Process, copyCaps, copyCred } from './process.ts';
import { EXT4_PROFILE, TMPFS_PROFILE, type FsProfile } from './profiles.ts';
import { OK_VOID, err, ok, okInt, type Blocked, type Result, type SysResult, type WaitInfo } from './result.ts';
import type { Cred, Dirent, Stat, StatFs } from './types.ts';
import { UnixSocket } from './unix-socket.ts';
import { sameInode, type FsFile, type FsInode, type InodeAttr, type SuperBlock } from './vfs.ts';

/** One observed syscall (the trace layer adapts it). Plain data: safe to postMessage / JSON (bigints
 * appear only inside `result` for stat's rdev). */
export interface SyscallRecord {
  seq: number;
  /** Thread-group id (getpid) and thread id. */
  pid: number;
  tid: number;
  comm: string;
  syscall: string;
  args: Record<string, unknown>;
  ok: boolean;
  /** The return value (byte arrays summarised as {bytes, hex}) or the errno name. */
  result: unknown;
  errno?: Errno;
  /** Set when the call would sleep (see result.ts Blocked). */
  blocked?: WaitInfo;
  creds: Cred;
  caps: { eff: string; perm: string; bnd: string };
  /** Display paths of the process root and cwd (global namespace of this kernel). */
  root: string;
  cwd: string;
  /** Virtual time of the call, ns since the epoch. */
  timeNs: bigint;
}

export type SyscallObserver = (rec: SyscallRecord) => void;

export interface ChangeEvent {
  seq: number;
  syscall: string;
  pid: number;
}

export interface KernelOptions {
  clock?: VirtualClock;
  /** Root filesystem: a profile name or a superblock built by the caller. Default ext4. */
  rootFs?: 'ext4' | 'tmpfs' | SuperBlock;
  seed?: number;
  /** Machine name for display ('host', 'guest'). */
  name?: string;
  /** fs.protected_hardlinks (the recorded host had 1: FORMAT.md `host.sysctl`). */
  protectedHardlinks?: boolean;
  /** fs.protected_symlinks (recorded host: 0). */
  protectedSymlinks?: boolean;
  /** fs.protected_regular and fs.protected_fifos, 0–2 (recorded host: 0 and 0). */
  protectedRegular?: number;
  protectedFifos?: number;
}

export interface SpawnOptions {
  comm: string;
  uid?: number;
  gid?: number;
  groups?: number[];
  caps?: CapSets;
  umask?: number;
  /** Parent for ppid and inherited root/cwd (default: init). */
  parent?: Process;
  root?: Location;
  cwd?: Location;
}

export interface OpenFdInfo {
  pid: number;
  comm: string;
  fd: number;
  cloexec: boolean;
  /** Open file description id (shared by dup/fork/SCM_RIGHTS copies). */
  description: number;
  kind: FileKind;
  /** Display path of what is open ('socket:[id]', 'pipe:[id]' for anonymous objects). */
  path: string;
  flags: number;
  pos: number;
}

export interface RecvResult {
  data: Uint8Array;
  /** fd numbers installed in the receiver, lowest free first (SCM_RIGHTS). */
  fds: number[];
  /** MSG_CTRUNC when fds did not fit into `maxFds`. */
  msgFlags: number;
}

export interface UtimeSpec {
  sec: number;
  /** nanoseconds, or UTIME_NOW / UTIME_OMIT */
  nsec: number;
}

const KEEP_ID = 0xffffffff;
/** A syscall's argument record, or undefined when a hot syscall ran unobserved (see Kernel.observed). */
type ArgsRecord = Record<string, unknown> | undefined;
/** A non-blocking try that would sleep (the caller builds the Blocked result). */
const SLEEP = Symbol('sleep');
/** The cancel of a sleep that holds nothing (one shared function, not one per sleep). */
const NOOP = (): void => {};
/** Shared empty lists and options (perf: not one per call). Never mutated. */
const NO_FILES: readonly OpenFile[] = Object.freeze([]) as readonly OpenFile[];
const NO_FDS: readonly number[] = Object.freeze([]) as readonly number[];
const NO_OPTS = Object.freeze({});
const FOLLOW = Object.freeze({ follow: true });
const NOFOLLOW = Object.freeze({ follow: false });

/** openat's argument record. */
function openArgs(dirfd: number, p: string, flags: number, mode: number): Record<string, unknown> {
  return { dirfd, path: bstrToText(p), flags, mode: '0' + (mode & 0o7777).toString(8) };
}
/** sendmsg's argument record (the bytes summarized). */
function sendmsgArgs(fd: number, data: Uint8Array, fds: readonly number[], flags: number): Record<string, unknown> {
  return { fd, data: summarize(data), fds, flags };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bytes in a syscall record: length and the first 64 bytes in hex. */
function summarize(v: unknown): unknown {
  if (v instanceof Uint8Array) {
    let hex = '';
    const n = Math.min(v.length, 64);
    for (let i = 0; i < n; i++) hex += HEX[v[i]!];
    return { bytes: v.length, hex };
  }
  return v;
}

function kindOf(mode: number): FileKind {
  switch (mode & S_IFMT) {
    case S_IFDIR: return 'directory';
    case S_IFLNK: return 'symlink';
    case S_IFIFO: return 'fifo';
    case S_IFCHR: return 'chardev';
    case S_IFBLK: return 'blockdev';
    case S_IFSOCK: return 'socket';
    default: return 'regular';
  }
}

const inodeKey = (i: FsInode): string => `${i.sb.id}:${i.ino}`;

/**
 * A socket read(2) asleep (Kernel.sleepingSocketRead): a Blocked as one object, not a literal with a
 * resume closure (perf: the helper's read sleeps once per proxy request). Not exported.
 */
class SleepingSocketRead implements Blocked<Uint8Array | number> {
  readonly ok = false;
  readonly errno = 'EAGAIN';
  readonly blocked: WaitInfo;
  constructor(
    private readonly k: Kernel,
    readonly t: Process,
    readonly f: OpenFile,
    readonly len: number,
    readonly args: Record<string, unknown>,
    readonly buf: Uint8Array | undefined,
    readonly off: number,
  ) {
    this.blocked = f.socket!.recvWait;
  }
  resume(): SysResult<Uint8Array | number> {
    return this.k.resumeSocketRead(this);
  }
  cancel(): void {}
}

export class Kernel {
  readonly clock: VirtualClock;
  readonly name: string;
  readonly rootMount: Mount;
  readonly init: Process;
  protectedHardlinks: boolean;
  protectedSymlinks: boolean;
  protectedRegular: number;
  protectedFifos: number;
  /** rdev → device (see devices.ts). */
  readonly devices: Map<string, DeviceSpec>;
  private readonly prng: Prng;
  private readonly mounts: Mount[] = [];
  private readonly mountIndex = new Map<string, Mount>();
  /** How many mounts sit on a mountpoint inside each mount (by mount id): a lookup in a mount with
   * none needs no mountIndex key (perf: every path component asks). */
  private readonly mountsInside = new Map<number, number>();
  private readonly processes = new Map<number, Process>();
  private readonly fifos = new Map<string, Pipe>();
  private readonly listeners = new Map<string, UnixSocket>();
  private readonly observers: SyscallObserver[] = [];
  private readonly changeObservers: ((e: ChangeEvent) => void)[] = [];
  private readonly namei: Namei;
  private nextPid = 1;
  private nextSbId = 1;
  private nextMountId = 1;
  private seq = 0;
  /** The task in the current syscall (procfs "self"). */
  private currentTask: Process | undefined;
  /** Bumped by every successful namespace-changing syscall (invalidates pathOf's cache). */
  private nsGen = 0;
  private readonly pathCache = new WeakMap<Location, { gen: number; path: string }>();

  /** Numbers of open file descriptions and sockets: per kernel, so two runs of one scenario in the
   * same JS process (the playground's restart, a test's replay) show the same socket:[N] and ids. */
  private readonly objectIds = { file: 1, socket: 1 };

  nextObjectId(kind: 'file' | 'socket'): number {
    return this.objectIds[kind]++;
  }

  constructor(opts: KernelOptions = {}) {
    this.clock = opts.clock ?? new VirtualClock();
    this.name = opts.name ?? 'host';
    this.prng = new Prng(opts.seed ?? 1);
    this.protectedHardlinks = opts.protectedHardlinks ?? true;
    this.protectedSymlinks = opts.protectedSymlinks ?? false;
    this.protectedRegular = opts.protectedRegular ?? 0;
    this.protectedFifos = opts.protectedFifos ?? 0;
    this.devices = defaultDevices();
    this.namei = new Namei({
      mountedOn: (mnt, inode) => this.mountedOn(mnt, inode),
      permission: (t, loc, mask) => this.permission(t, loc, mask),
      linkFollowed: (link) => this.touchAtimeOf(link, false),
      mayFollowLink: (t, dir, link) => this.mayFollowLink(t, dir, link),
      magicLink: (t, link) => this.magicLink(t, link),
    });
    const sb = typeof opts.rootFs === 'object' ? opts.rootFs : this.newFs(opts.rootFs ?? 'ext4');
    this.assignSb(sb);
    this.rootMount = { id: this.nextMountId++, sb, root: sb.root, parent: null, mountpoint: null, readonly: false, source: `/dev/root`, target: '/' };
    this.mounts.push(this.rootMount);
    const rootLoc: Location = { mnt: this.rootMount, inode: sb.root };
    this.init = this.makeProcess({ comm: 'init', uid: 0, gid: 0, caps: fullCaps(), umask: 0o022, root: rootLoc, cwd: rootLoc }, 0);
  }

  // ------------------------------------------------------------------ filesystems and mounts

  /** A new in-memory filesystem with a profile, not yet mounted. */
  newFs(profile: 'ext4' | 'tmpfs' | FsProfile, opts: { dev?: number; seed?: number; rootMode?: number; rootUid?: number; rootGid?: number } = {}): MemFs {
    const p = typeof profile === 'string' ? (profile === 'ext4' ? EXT4_PROFILE : TMPFS_PROFILE) : profile;
    const fs = new MemFs({
      profile: p,
      clock: this.clock,
      seed: opts.seed ?? this.prng.nextU32(),
      // Each superblock needs its own st_dev: anonymous (0:N) devices for tmpfs-like ones.
      dev: opts.dev ?? (this.nextSbId === 1 ? p.dev : p.name === 'tmpfs' ? 0x20 + this.nextSbId : p.dev + this.nextSbId - 1),
      rootMode: opts.rootMode, rootUid: opts.rootUid, rootGid: opts.rootGid,
    });
    this.assignSb(fs);
    return fs;
  }

  private assignSb(sb: SuperBlock): void {
    if (sb.id === 0) sb.id = this.nextSbId++;
  }

  /** mount(2) of an already-built superblock at `target` (needs CAP_SYS_ADMIN). */
  mount(t: Process, target: PathArg, sb: SuperBlock, opts: { readonly?: boolean; source?: string } = {}): SysResult<void> {
    const path = toBstr(target);
    return this.sys(t, 'mount', { target: bstrToText(path), fstype: sb.fsType, readonly: !!opts.readonly }, () => {
      if (!capable(t, CAP.SYS_ADMIN)) return err('EPERM');
      const r = this.namei.resolve(t, t.fs.cwd, path, { follow: true });
      if (!r.ok) return r;
      if (!isDir(ownerAttr(r.value.inode).mode)) return err('ENOTDIR');
      this.assignSb(sb);
      const m: Mount = {
        id: this.nextMountId++, sb, root: sb.root, parent: r.value.mnt, mountpoint: r.value.inode,
        readonly: !!opts.readonly, source: opts.source ?? sb.fsType, target: this.pathOf(r.value),
      };
      this.mounts.push(m);
      this.mountIndex.set(`${r.value.mnt.id}:${inodeKey(r.value.inode)}`, m);
      this.mountsInside.set(r.value.mnt.id, (this.mountsInside.get(r.value.mnt.id) ?? 0) + 1);
      return OK_VOID;
    }, true);
  }

  /** umount(2): EBUSY while a process has its root or cwd in it or files open there. */
  umount(t: Process, target: PathArg): SysResult<void> {
    const path = toBstr(target);
    return this.sys(t, 'umount', { target: bstrToText(path) }, () => {
      if (!capable(t, CAP.SYS_ADMIN)) return err('EPERM');
      const r = this.namei.resolve(t, t.fs.cwd, path, { follow: true });
      if (!r.ok) return r;
      const m = r.value.mnt;
      if (!sameInode(r.value.inode, m.root) || !m.parent || !m.mountpoint) return err('EINVAL');
      if (this.mounts.some((x) => x.parent === m)) return err('EBUSY');
      for (const p of this.processes.values()) {
        if (p.fs.root.mnt === m || p.fs.cwd.mnt === m) return err('EBUSY');
        for (const [, e] of p.files.entries()) if (e.file.loc?.mnt === m) return err('EBUSY');
      }
      this.mountIndex.delete(`${m.parent.id}:${inodeKey(m.mountpoint)}`);
      const inside = (this.mountsInside.get(m.parent.id) ?? 1) - 1;
      if (inside > 0) this.mountsInside.set(m.parent.id, inside);
      else this.mountsInside.delete(m.parent.id);
      this.mounts.splice(this.mounts.indexOf(m), 1);
      return OK_VOID;
    }, true);
  }

  /** The mount whose mountpoint is `inode` inside `mnt`, if any (lookup_mnt). */
  private mountedOn(mnt: Mount, inode: FsInode): Mount | undefined {
    if (!this.mountsInside.has(mnt.id)) return undefined;
    return this.mountIndex.get(`${mnt.id}:${inodeKey(inode)}`);
  }

  /** Mount a procfs (procfs.ts) at `path` (created if missing): /proc/self, /proc/PID/{fd/N, root,
   * cwd, status}, with magic links. Opt-in so that trees and snapshots stay free of it. */
  mountProc(t: Process = this.init, path = '/proc'): SysResult<void> {
    const have = this.namei.resolve(t, t.fs.cwd, toBstr(path), { follow: true });
    if (!have.ok) {
      const m = this.mkdir(t, path, 0o555);
      if (!m.ok) return m;
    }
    const kernel = this;
    const proc = new ProcFs({
      current: () => kernel.currentTask,
      process: (pid) => kernel.processes.get(pid),
      processList: () => [...kernel.processes.values()],
      fdPath: (p, fd) => kernel.fdPath(p, fd),
      pathOf: (loc) => kernel.pathOf(loc),
      now: () => kernel.clock.now(),
    }, 0x4 + this.nextSbId);
    return this.mount(t, path, proc, { source: 'proc' });
  }

  /** nd_jump_link() for procfs magic links. */
  private magicLink(_t: Process, link: Location): Result<Location> | undefined {
    const i = link.inode;
    if (!(i instanceof ProcInode) || !i.isMagic()) return undefined;
    const p = this.processes.get(i.pid);
    if (!p) return err('ENOENT');
    if (i.kind === 'rootlink') return ok(p.fs.root);
    if (i.kind === 'cwdlink') return ok(p.fs.cwd);
    const f = p.files.get(i.fd)?.file;
    if (!f) return err('ENOENT');
    return f.loc ? ok(f.loc) : err('ENOENT');
  }

  mountList(): readonly Mount[] {
    return this.mounts;
  }

  /** Configure what a device number reads (every node with this rdev shares it). */
  setDevice(rdev: bigint, spec: DeviceSpec): void {
    this.devices.set(devKey(rdev, !!spec.block), spec);
  }

  // ------------------------------------------------------------------ processes

  private makeProcess(o: SpawnOptions, ppid: number): Process {
    const pid = this.nextPid++;
    const uid = o.uid ?? 0;
    const gid = o.gid ?? 0;
    const root = o.root ?? o.parent?.fs.root ?? this.init.fs.root;
    const cwd = o.cwd ?? o.parent?.fs.cwd ?? root;
    const p = new Process({
      tid: pid, pid, ppid, comm: o.comm,
      cred: { ruid: uid, euid: uid, suid: uid, fsuid: uid, rgid: gid, egid: gid, sgid: gid, fsgid: gid, groups: [...(o.groups ?? [])] },
      caps: o.caps ?? (uid === 0 ? fullCaps() : { effective: 0n, permitted: 0n, inheritable: 0n, bounding: fullCaps().bounding, ambient: 0n }),
      fs: { root, cwd, umask: o.umask ?? 0o022 },
      files: new FdTable(),
    });
    this.processes.set(pid, p);
    return p;
  }

  /** Start a process (like fork+exec by init, without file descriptors). Root gets all caps. */
  spawn(o: SpawnOptions): Process {
    return this.makeProcess(o, o.parent?.pid ?? 1);
  }

  /** fork(2): a copy with its own fd table (sharing the descriptions), credentials and fs context. */
  fork(t: Process, comm = t.comm): Process {
    const pid = this.nextPid++;
    const files = new FdTable(t.files.limit);
    for (const [fd, e] of t.files.entries()) files.installAt(fd, e.file, e.cloexec);
    const p = new Process({
      tid: pid, pid, ppid: t.pid, comm, cred: copyCred(t.cred), caps: copyCaps(t.caps),
      fs: { root: t.fs.root, cwd: t.fs.cwd, umask: t.fs.umask }, files,
    });
    p.keepCaps = t.keepCaps;
    this.processes.set(pid, p);
    this.emit(t, 'fork', {}, ok(pid));
    return p;
  }

  /** clone(CLONE_THREAD|CLONE_FS|CLONE_FILES…): a thread sharing the fd table and fs context, with
   * its own copy of the credentials and capability sets (which then evolve per thread). */
  cloneThread(t: Process, comm = t.comm): Process {
    const tid = this.nextPid++;
    const p = new Process({
      tid, pid: t.pid, ppid: t.ppid, comm, cred: copyCred(t.cred), caps: copyCaps(t.caps),
      fs: t.fs, files: t.files, threads: t.threads,
    });
    p.keepCaps = t.keepCaps;
    this.processes.set(tid, p);
    this.emit(t, 'clone', { thread: true }, ok(tid));
    return p;
  }

  /**
   * execve(2) of a program without file capabilities or set-id bits (binary loading is not
   * modelled): close-on-exec fds are closed, other threads end, and the capability sets follow
   * capabilities(7) "Transformation of capabilities during execve()" with root's file sets treated
   * as all ones: for ruid or euid 0, P'(permitted) = P(inheritable) | P(bounding) and P'(effective)
   * = P'(permitted) if euid is 0; otherwise both become P(ambient). The saved ids take the effective
   * ids; keep-caps is cleared.
   */
  execve(t: Process, comm: string): SysResult<void> {
    return this.sys(t, 'execve', { comm }, () => {
      for (const th of [...t.threads]) {
        if (th === t) continue;
        th.state = 'exited';
        this.processes.delete(th.tid);
      }
      t.threads.splice(0, t.threads.length, t);
      for (const [fd, e] of t.files.entries()) {
        if (!e.cloexec) continue;
        const f = t.files.remove(fd);
        if (f) this.putFile(f);
      }
      const c = t.cred;
      const caps = t.caps;
      if (c.euid === 0 || c.ruid === 0) {
        caps.permitted = (caps.inheritable | caps.bounding) | caps.ambient;
        caps.ambient = 0n;
        caps.effective = c.euid === 0 ? caps.permitted : 0n;
      } else {
        caps.permitted = caps.ambient;
        caps.effective = caps.ambient;
      }
      c.suid = c.euid;
      c.sgid = c.egid;
      c.fsuid = c.euid;
      c.fsgid = c.egid;
      t.keepCaps = false;
      t.comm = comm.slice(0, 15); // TASK_COMM_LEN 16
      return OK_VOID;
    });
  }

  /** exit_group(2): closes every fd of the process (all threads). */
  exit(t: Process, status = 0): void {
    this.emit(t, 'exit_group', { status }, OK_VOID);
    for (const th of t.threads) {
      th.state = 'exited';
      th.exitStatus = status;
      this.processes.delete(th.tid);
    }
    for (const [fd] of t.files.entries()) {
      const f = t.files.remove(fd);
      if (f) this.putFile(f);
    }
  }

  process(pid: number): Process | undefined {
    return this.processes.get(pid);
  }

  processList(): Process[] {
    return [...this.processes.values()];
  }

  // ------------------------------------------------------------------ observation

  /** Subscribe to every syscall; returns the unsubscribe function. */
  observe(fn: SyscallObserver): () => void {
    this.observers.push(fn);
    return () => {
      const i = this.observers.indexOf(fn);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  /** Subscribe to namespace/metadata changes (for tree panels). */
  onChange(fn: (e: ChangeEvent) => void): () => void {
    this.changeObservers.push(fn);
    return () => {
      const i = this.changeObservers.indexOf(fn);
      if (i >= 0) this.changeObservers.splice(i, 1);
    };
  }

  /** Bytes as a syscall argument: summarized now when someone observes (so a blocked call reports
   * the bytes it was given), else kept raw and summarized by emit() only if it is ever observed. */
  private dataArg(data: Uint8Array): unknown {
    return this.observers.length ? summarize(data) : data;
  }

  /** Is anyone observing syscalls? The hot syscalls build their argument records only then (perf:
   * the arguments of an unobserved call are never looked at; see ArgsRecord). */
  private get observed(): boolean {
    return this.observers.length !== 0;
  }

  /**
   * Record one syscall. `args` is undefined only for a hot syscall made while nobody observed (it did
   * not build its record); an observer subscribed in the middle of such a call sees the calls after it.
   */
  private emit<T>(t: Process, syscall: string, args: ArgsRecord, r: SysResult<T>, into?: Uint8Array, intoOff = 0, recvShape = false): void {
    const seq = this.seq++;
    if (this.observers.length === 0 || args === undefined) return;
    // write/pwrite/sendmsg/fsetxattr hand their bytes over raw and only an observed call pays for the
    // hex summary (perf: no string per write when nobody watches; see dataArg).
    if (args.data instanceof Uint8Array) args = { ...args, data: summarize(args.data) };
    if (args.value instanceof Uint8Array) args = { ...args, value: summarize(args.value) };
    const rec: SyscallRecord = {
      seq, pid: t.pid, tid: t.tid, comm: t.comm, syscall, args,
      ok: r.ok,
      result: r.ok ? this.resultRecord(r.value, into, intoOff, recvShape) : r.errno,
      creds: copyCred(t.cred),
      caps: { eff: capHex(t.caps.effective), perm: capHex(t.caps.permitted), bnd: capHex(t.caps.bounding) },
      root: this.pathOf(t.fs.root),
      cwd: this.pathOf(t.fs.cwd),
      timeNs: this.clock.nowNs(),
    };
    if (!r.ok) {
      rec.errno = r.errno;
      if (r.blocked) rec.blocked = r.blocked;
    }
    for (const o of this.observers) o(rec);
  }

  /**
   * The `result` of a record: bytes summarized. readInto() reports the bytes it put into the caller's
   * buffer (`into` at `intoOff`), as read() reports the bytes it returns. `recvShape`: the completion of
   * a sleeping socket read, which has always been recorded with recvmsg's result {data, fds, msgFlags}
   * (the socket read runs the recvmsg path) — kept so traces stay byte-identical.
   */
  private resultRecord(v: unknown, into: Uint8Array | undefined, intoOff: number, recvShape: boolean): unknown {
    const bytes = into ? into.slice(intoOff, intoOff + (v as number)) : v;
    if (recvShape) return { data: bytes, fds: [], msgFlags: this.readCtrunc ? MSG_CTRUNC : 0 };
    return summarize(bytes);
  }

  /** Map the value of a result, keeping errors and turning a Blocked into one that maps on resume. */
  private mapResult<A, B>(r: SysResult<A>, fn: (a: A) => B): SysResult<B> {
    if (r.ok) return ok(fn(r.value));
    if (r.blocked === undefined) return r;
    const b = r;
    return { ok: false, errno: 'EAGAIN', blocked: b.blocked, resume: () => this.mapResult(b.resume(), fn), cancel: () => b.cancel() };
  }

  /** Run a syscall body, record it, and announce changes. The hot syscalls do the same without the
   * body closure: they check ESRCH, set currentTask around their body and end with finish(). */
  private sys<T>(t: Process, syscall: string, args: ArgsRecord, body: () => SysResult<T>, mutates = false): SysResult<T> {
    if (t.state !== 'running') return err('ESRCH');
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<T>;
    try {
      r = body();
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, syscall, args, r, mutates);
  }

  /** The end of every syscall: namespace generation, the record, the change announcement. */
  private finish<T>(t: Process, syscall: string, args: ArgsRecord, r: SysResult<T>, mutates: boolean, into?: Uint8Array, intoOff = 0, recvShape = false): SysResult<T> {
    if (mutates && r.ok) this.nsGen++;
    // emit()'s unobserved case inline: the call only takes its sequence number.
    if (this.observers.length === 0 || args === undefined) this.seq++;
    else this.emit(t, syscall, args, r, into, intoOff, recvShape);
    if (mutates && r.ok && this.changeObservers.length) {
      const ev = { seq: this.seq - 1, syscall, pid: t.pid };
      for (const o of this.changeObservers) o(ev);
    }
    return r;
  }

  /** A Blocked result whose resume() re-runs `retry` (and records the completion). `args` must be the
   * call's record (a sleeping call always builds it: it may be observed when it completes). */
  private blocked<T>(t: Process, syscall: string, args: Record<string, unknown>, info: WaitInfo, retry: () => SysResult<T>, cancel: () => void = NOOP): Blocked<T> {
    const b: Blocked<T> = {
      ok: false, errno: 'EAGAIN', blocked: info,
      // The "resumed" copy of the record only when someone observes (perf: one resume per request).
      resume: () => this.sys(t, syscall, this.observed ? { ...args, resumed: true } : args, retry, true),
      cancel,
    };
    return b;
  }

  // ------------------------------------------------------------------ helpers

  /** d_path(): the display path of a location in this kernel's global namespace. Cached per
   * Location until the namespace changes (every observed syscall reports root and cwd). */
  pathOf(loc: Location): string {
    const c = this.pathCache.get(loc);
    if (c && c.gen === this.nsGen) return c.path;
    const path = '/' + this.climb(loc).parts.join('/');
    this.pathCache.set(loc, { gen: this.nsGen, path });
    return path;
  }

  /** inode_permission(): EROFS for writes on a read-only mount, then generic_permission. */
  permission(t: Process, loc: Location, mask: number): Errno | null {
    const a = ownerAttr(loc.inode);
    if (mask & MAY_WRITE && loc.mnt.readonly && (isReg(a.mode) || isDir(a.mode) || isLnk(a.mode))) return 'EROFS';
    return genericPermission(t, a, mask);
  }

  private fdFile(t: Process, fd: number): OpenFile | undefined {
    return t.files.get(fd)?.file;
  }

  /** The starting point for a relative path: the cwd or a directory fd; or the errno (a string).
   * (Not a Result: it runs on every path syscall and is consumed at once.) */
  private startOf(t: Process, dirfd: number, path: string): Location | Errno {
    if (dirfd === AT_FDCWD || path.charCodeAt(0) === 47) return t.fs.cwd;
    const f = this.fdFile(t, dirfd);
    if (!f) return 'EBADF';
    if (!f.loc || !isDir(ownerAttr(f.loc.inode).mode)) return 'ENOTDIR';
    return f.loc;
  }

  /** Resolve (dirfd, path) with AT_EMPTY_PATH support. */
  private lookupAt(t: Process, dirfd: number, path: string, follow: boolean, flags = 0): Result<Location> {
    if (path.length === 0 && flags & AT_EMPTY_PATH) {
      if (dirfd === AT_FDCWD) return ok(t.fs.cwd);
      const f = this.fdFile(t, dirfd);
      if (!f) return err('EBADF');
      if (!f.loc) return err('EBADF');
      return ok(f.loc);
    }
    const s = this.startOf(t, dirfd, path);
    if (typeof s === 'string') return err(s);
    return this.namei.resolve(t, s, path, follow ? FOLLOW : NOFOLLOW);
  }

  private parentAt(t: Process, dirfd: number, path: string): Result<ParentResult> {
    const s = this.startOf(t, dirfd, path);
    if (typeof s === 'string') return err(s);
    return this.namei.walkParent(t, s, path);
  }

  /** Is `inode` (in `mnt`) a mountpoint? (Not a Location: callers ask about a name they hold.) */
  private isMountpoint(mnt: Mount, inode: FsInode): boolean {
    for (const m of this.mounts) if (m.mountpoint && m.parent === mnt && sameInode(m.mountpoint, inode)) return true;
    return false;
  }

  private isMountRoot(loc: Location): boolean {
    return sameInode(loc.inode, loc.mnt.root);
  }

  private now(): Timespec {
    return this.clock.now();
  }

  private statOf(loc: Location): Stat {
    return this.statInode(loc.inode);
  }

  private statInode(i: FsInode): Stat {
    if (i instanceof MemInode) return i.stat(i.sb.dev);
    const a = i.getattr();
    return {
      dev: i.sb.dev, ino: a.ino, nlink: a.nlink, mode: a.mode, uid: a.uid, gid: a.gid, rdev: a.rdev,
      size: a.size, blksize: a.blksize, blocks: a.blocks, atime: a.atime, mtime: a.mtime, ctime: a.ctime,
    };
  }

  /** relatime (fs/inode.c relatime_need_update + touch_atime). */
  private touchAtime(f: OpenFile): void {
    if (f.loc) this.touchAtimeOf(f.loc, (f.flags & O_NOATIME) !== 0);
  }

  private touchAtimeOf(loc: Location, noatime: boolean): void {
    if (noatime || loc.mnt.readonly) return;
    const f = { loc };
    const a = f.loc.inode.getattr();
    const now = this.now();
    const dayNs = 24n * 3600n * 1_000_000_000n;
    const need = cmpTimespec(a.mtime, a.atime) >= 0 || cmpTimespec(a.ctime, a.atime) >= 0 || timespecToNs(now) - timespecToNs(a.atime) >= dayNs;
    if (need && cmpTimespec(a.atime, now) !== 0) f.loc.inode.setattr({ atime: now });
  }

  /** Remove suid/sgid before a write or truncate (file_remove_privs). */
  private killSuid(t: Process, loc: Location): void {
    const a = loc.inode.getattr();
    const kill = suidBitsToKill(t, a);
    if (kill) loc.inode.setattr({ mode: a.mode & ~kill & S_IALLUGO, ctime: this.now() });
  }

  /** may_delete() (fs/namei.c) for the entry `name` → `victim` in `dir`. */
  private mayDelete(t: Process, dir: Location, victim: Location, isdir: boolean): Errno | null {
    const perm = this.permission(t, dir, MAY_WRITE | MAY_EXEC);
    if (perm) return perm;
    const va = ownerAttr(victim.inode);
    if (stickyDenies(t, ownerAttr(dir.inode), va)) return 'EPERM';
    if (isdir) {
      if (!isDir(va.mode)) return 'ENOTDIR';
      if (this.isMountRoot(victim)) return 'EBUSY';
    } else if (isDir(va.mode)) return 'EISDIR';
    return null;
  }

  /** may_create(): write and search permission on the directory. */
  private mayCreate(t: Process, dir: Location): Errno | null {
    if (ownerAttr(dir.inode).nlink === 0) return 'ENOENT';
    return this.permission(t, dir, MAY_WRITE | MAY_EXEC);
  }

  private lookupChild(t: Process, dir: Location, name: string): Location | undefined {
    const r = dir.inode.lookup(name);
    if (!r.ok) return undefined;
    const child: Location = { mnt: dir.mnt, inode: r.value, via: { dir: dir.inode, name } };
    const m = this.mountedOn(dir.mnt, r.value);
    return m ? { mnt: m, inode: m.root } : child;
  }

  /** filename_create() (fs/namei.c): the parent of a new name. '.'/'..'/'/' and existing names are
   * EEXIST; a trailing slash is ENOENT except for mkdir ("you've been asking for a directory");
   * a read-only mount is EROFS after those checks. */
  private createTarget(t: Process, dirfd: number, p: string, dirOk: boolean): Result<{ parent: Location; name: string }> {
    const pr = this.parentAt(t, dirfd, p);
    if (!pr.ok) return pr;
    const { parent, name, lastType, trailingSlash } = pr.value;
    if (lastType !== 'normal') return err('EEXIST');
    if (parent.inode.lookup(name).ok) return err('EEXIST'); // lookupChild's test, without the Location
    if (trailingSlash && !dirOk) return err('ENOENT');
    if (parent.mnt.readonly) return err('EROFS');
    return ok({ parent, name });
  }

  // ------------------------------------------------------------------ fs context syscalls

  umask(t: Process, mask: number): number {
    const old = t.fs.umask;
    t.fs.umask = mask & 0o777;
    this.emit(t, 'umask', { mask: '0' + (mask & 0o777).toString(8) }, ok(old));
    return old;
  }

  chdir(t: Process, path: PathArg): SysResult<void> {
    const p = toBstr(path);
    return this.sys(t, 'chdir', { path: bstrToText(p) }, () => {
      const r = this.namei.resolve(t, t.fs.cwd, p, { follow: true });
      if (!r.ok) return r;
      if (!isDir(ownerAttr(r.value.inode).mode)) return err('ENOTDIR');
      const e = this.permission(t, r.value, MAY_EXEC);
      if (e) return err(e);
      t.fs.cwd = r.value;
      return OK_VOID;
    });
  }

  fchdir(t: Process, fd: number): SysResult<void> {
    return this.sys(t, 'fchdir', { fd }, () => {
      const f = this.fdFile(t, fd);
      if (!f) return err('EBADF');
      if (!f.loc || !isDir(ownerAttr(f.loc.inode).mode)) return err('ENOTDIR');
      const e = this.permission(t, f.loc, MAY_EXEC);
      if (e) return err(e);
      t.fs.cwd = f.loc;
      return OK_VOID;
    });
  }

  /** chroot(2): CAP_SYS_CHROOT; the cwd is left where it is (it may end up outside the root). */
  chroot(t: Process, path: PathArg): SysResult<void> {
    const p = toBstr(path);
    return this.sys(t, 'chroot', { path: bstrToText(p) }, () => {
      const r = this.namei.resolve(t, t.fs.cwd, p, { follow: true });
      if (!r.ok) return r;
      if (!isDir(ownerAttr(r.value.inode).mode)) return err('ENOTDIR');
      const e = this.permission(t, r.value, MAY_EXEC);
      if (e) return err(e);
      if (!capable(t, CAP.SYS_CHROOT)) return err('EPERM');
      t.fs.root = r.value;
      return OK_VOID;
    });
  }

  /** getcwd(2): the cwd relative to the process root; "(unreachable)" prefix when outside it. */
  getcwd(t: Process): SysResult<string> {
    return this.sys(t, 'getcwd', {}, () => {
      if (ownerAttr(t.fs.cwd.inode).nlink === 0) return err('ENOENT');
      const r = this.climb(t.fs.cwd, t.fs.root);
      return ok((r.reached ? '/' : '(unreachable)/') + r.parts.join('/'));
    });
  }

  /** Walk from `loc` up to `stop` (or the kernel's root), collecting names (prepend_path). */
  private climb(loc: Location, stop?: Location): { parts: string[]; reached: boolean } {
    const parts: string[] = [];
    let cur = loc;
    for (let guard = 0; guard < 65536; guard++) {
      if (stop && sameLocation(cur, stop)) return { parts: parts.reverse(), reached: true };
      if (sameInode(cur.inode, cur.mnt.root)) {
        if (!cur.mnt.parent || !cur.mnt.mountpoint) break;
        cur = { mnt: cur.mnt.parent, inode: cur.mnt.mountpoint };
        continue;
      }
      let parent: FsInode;
      let name = '?';
      if (!isDir(ownerAttr(cur.inode).mode)) {
        if (!cur.via) break;
        parent = cur.via.dir;
        name = cur.via.name;
      } else {
        parent = cur.inode.parent();
        if (sameInode(parent, cur.inode)) break; // a detached directory
        const ents = parent.readdir();
        if (ents.ok) for (const e of ents.value) if (e.ino === cur.inode.ino) { name = e.name; break; }
      }
      parts.push(bstrToText(name));
      cur = { mnt: cur.mnt, inode: parent };
    }
    return { parts: parts.reverse(), reached: !stop };
  }

  // ------------------------------------------------------------------ credentials

  getresuid(t: Process): [number, number, number] {
    return [t.cred.ruid, t.cred.euid, t.cred.suid];
  }
  getresgid(t: Process): [number, number, number] {
    return [t.cred.rgid, t.cred.egid, t.cred.sgid];
  }

  // setresuid/setresgid run 4× per creating proxy request (the setxid broadcast over two threads,
  // §10.3): no body closure, the record only when observed. The body cannot throw.
  setresuid(t: Process, r: number, e: number, s: number): SysResult<void> {
    if (t.state !== 'running') return err('ESRCH');
    const outer = this.currentTask;
    this.currentTask = t;
    const x = credops.setresuid(t, r, e, s);
    this.currentTask = outer;
    return this.finish(t, 'setresuid', this.observed ? { ruid: r | 0, euid: e | 0, suid: s | 0 } : undefined, x ? err(x) : OK_VOID, false);
  }
  setresgid(t: Process, r: number, e: number, s: number): SysResult<void> {
    if (t.state !== 'running') return err('ESRCH');
    const outer = this.currentTask;
    this.currentTask = t;
    const x = credops.setresgid(t, r, e, s);
    this.currentTask = outer;
    return this.finish(t, 'setresgid', this.observed ? { rgid: r | 0, egid: e | 0, sgid: s | 0 } : undefined, x ? err(x) : OK_VOID, false);
  }
  setuid(t: Process, uid: number): SysResult<void> {
    // setuid(2): with CAP_SETUID all three ids; otherwise only the effective id (to ruid or suid).
    return this.sys(t, 'setuid', { uid }, () => {
      const x = capable(t, CAP.SETUID) ? credops.setresuid(t, uid, uid, uid) : (uid === t.cred.ruid || uid === t.cred.suid ? credops.setresuid(t, KEEP_ID, uid, KEEP_ID) : 'EPERM');
      return x ? err(x) : OK_VOID;
    });
  }
  setgid(t: Process, gid: number): SysResult<void> {
    return this.sys(t, 'setgid', { gid }, () => {
      const x = capable(t, CAP.SETGID) ? credops.setresgid(t, gid, gid, gid) : (gid === t.cred.rgid || gid === t.cred.sgid ? credops.setresgid(t, KEEP_ID, gid, KEEP_ID) : 'EPERM');
      return x ? err(x) : OK_VOID;
    });
  }
  /** setfsuid(2) returns the previous fsuid and never fails visibly. */
  setfsuid(t: Process, uid: number): number {
    const old = credops.setfsuid(t, uid);
    this.emit(t, 'setfsuid', this.observed ? { fsuid: uid | 0 } : undefined, ok(old));
    return old;
  }
  setfsgid(t: Process, gid: number): number {
    const old = credops.setfsgid(t, gid);
    this.emit(t, 'setfsgid', this.observed ? { fsgid: gid | 0 } : undefined, ok(old));
    return old;
  }
  setgroups(t: Process, groups: number[]): SysResult<void> {
    return this.sys(t, 'setgroups', { groups }, () => {
      const x = credops.setgroups(t, groups);
      return x ? err(x) : OK_VOID;
    });
  }
  /** capset(2) for this thread only (libcap-ng's capng_apply uses it; proxy-protocol.md §10.3). */
  capset(t: Process, sets: { effective: bigint; permitted: bigint; inheritable: bigint }): SysResult<void> {
    return this.sys(t, 'capset', { eff: capHex(sets.effective), perm: capHex(sets.permitted), inh: capHex(sets.inheritable) }, () => {
      const x = credops.capset(t, sets.effective, sets.permitted, sets.inheritable);
      return x ? err(x) : OK_VOID;
    });
  }
  capget(t: Process): CapSets {
    return copyCaps(t.caps);
  }
  /** prctl(PR_CAPBSET_DROP, cap) */
  capbsetDrop(t: Process, cap: number): SysResult<void> {
    return this.sys(t, 'prctl', { option: 'PR_CAPBSET_DROP', cap }, () => {
      const x = credops.capbsetDrop(t, cap);
      return x ? err(x) : OK_VOID;
    });
  }
  /** prctl(PR_SET_KEEPCAPS, v) */
  setKeepCaps(t: Process, keep: boolean): SysResult<void> {
    return this.sys(t, 'prctl', { option: 'PR_SET_KEEPCAPS', value: keep ? 1 : 0 }, () => {
      t.keepCaps = keep;
      return OK_VOID;
    });
  }

  // ------------------------------------------------------------------ open / close / fds

  open(t: Process, path: PathArg, flags: number, mode = 0): SysResult<number> {
    return this.openat(t, AT_FDCWD, path, flags, mode);
  }

  openat(t: Process, dirfd: number, path: PathArg, flags: number, mode = 0): SysResult<number> {
    if (t.state !== 'running') return err('ESRCH');
    const p = toBstr(path);
    const args = this.observed ? openArgs(dirfd, p, flags, mode) : undefined;
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<number>;
    try {
      r = this.doOpen(t, dirfd, p, flags, mode, args);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'openat', args, r, (flags & (O_CREAT | O_TRUNC)) !== 0);
  }

  private doOpen(t: Process, dirfd: number, p: string, flags: number, mode: number, args: ArgsRecord): SysResult<number> {
    const flags0 = flags;
    // build_open_flags(): O_PATH keeps only O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC; 64-bit opens always
    // carry O_LARGEFILE (force_o_largefile) except O_PATH ones.
    if (flags & O_PATH) flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    else flags |= O_LARGEFILE;
    // Linux 6.4+: O_CREAT|O_DIRECTORY is EINVAL (build_open_flags, after the O_PATH mask of
    // build_open_how); O_TMPFILE is not modelled.
    if ((flags & (O_CREAT | O_DIRECTORY)) === (O_CREAT | O_DIRECTORY)) return err('EINVAL');
    if (flags & 0o20000000) return err('EOPNOTSUPP');
    if (p.length === 0) return err('ENOENT');
    if (p.length >= PATH_MAX) return err('ENAMETOOLONG');
    const acc = flags & O_ACCMODE;
    let accMask = acc === O_RDONLY ? MAY_READ : acc === O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE;
    if (flags & O_TRUNC) accMask |= MAY_WRITE;
    if (flags & O_APPEND && accMask & MAY_WRITE) accMask |= 8; // MAY_APPEND
    let loc: Location;
    let created = false;
    if (flags & O_CREAT && !(flags & O_PATH)) {
      const c = this.openCreate(t, dirfd, p, flags, mode, { n: 0 });
      if (!c.ok) return c;
      loc = c.value.loc;
      created = c.value.created;
    } else {
      const r = this.lookupAt(t, dirfd, p, !(flags & O_NOFOLLOW));
      if (!r.ok) return r;
      loc = r.value;
    }
    const a = loc.inode.getattr();
    if (flags & O_DIRECTORY && !isDir(a.mode)) return err('ENOTDIR');
    if (flags & O_PATH) return this.installNew(t, new OpenFile(this.nextObjectId('file'), kindOf(a.mode), flags & ~O_CLOEXEC, loc, p), !!(flags & O_CLOEXEC));
    // may_open()
    if (isLnk(a.mode)) return err('ELOOP');
    if (isDir(a.mode) && accMask & MAY_WRITE) return err('EISDIR');
    if (!created) {
      const e = this.permission(t, loc, accMask & ~8);
      if (e) return err(e);
    }
    if (flags & O_NOATIME && !ownerOrCapable(t, a)) return err('EPERM');
    if (isSock(a.mode)) return err('ENXIO'); // sockets have no open (no_open)
    let rdev: bigint | undefined;
    if (isChr(a.mode) || isBlk(a.mode)) {
      if (!this.devices.has(devKey(a.rdev, isBlk(a.mode)))) return err('ENXIO');
      rdev = a.rdev;
    }
    const kept = flags & OPEN_FLAGS_KEPT;
    const cloexec = !!(flags & O_CLOEXEC);
    // vfs_open(): the filesystem's own open for regular files and directories, then O_TRUNC
    // (handle_truncate runs after vfs_open in do_open).
    let handle: FsFile | undefined;
    if ((isReg(a.mode) || isDir(a.mode)) && loc.inode.open) {
      const h = loc.inode.open(kept);
      if (!h.ok) return h;
      handle = h.value;
    }
    if (flags & O_TRUNC && isReg(a.mode) && !created) {
      const now = this.now();
      this.killSuid(t, loc);
      const s = loc.inode.setattr({ size: 0, mtime: now, ctime: now });
      if (!s.ok) {
        handle?.release();
        return s;
      }
    }
    // A FIFO open may sleep: its record is needed then, observed or not.
    if (isFifo(a.mode)) return this.openFifo(t, loc, p, kept, cloexec, args ?? openArgs(dirfd, p, flags0, mode));
    const file = new OpenFile(this.nextObjectId('file'), kindOf(a.mode), kept, loc, p, undefined, undefined, rdev);
    file.handle = handle;
    return this.installNew(t, file, cloexec);
  }

  /** O_CREAT handling of open_last_lookups(): create, or open an existing entry; a dangling symlink
   * makes the kernel create its target (unless O_EXCL, which fails with EEXIST on any entry). */
  private openCreate(t: Process, dirfd: number, p: string, flags: number, mode: number, links: { n: number }, from?: Location): Result<{ loc: Location; created: boolean }> {
    const pr = from ? this.namei.walkParent(t, from, p, links) : this.parentAt(t, dirfd, p);
    if (!pr.ok) return pr;
    const { parent, name, lastType, trailingSlash } = pr.value;
    if (lastType !== 'normal') return err(flags & O_EXCL ? 'EEXIST' : 'EISDIR'); // do_open: O_EXCL && !FMODE_CREATED first
    if (trailingSlash) return err('EISDIR');
    const child = this.lookupChild(t, parent, name);
    if (child) {
      if (flags & O_EXCL) return err('EEXIST');
      const ca = child.inode.getattr();
      if (isLnk(ca.mode)) {
        if (flags & O_NOFOLLOW) return err('ELOOP');
        if (++links.n > 40) return err('ELOOP');
        const tr = child.inode.readlink();
        if (!tr.ok) return tr;
        this.touchAtimeOf(child, false);
        if (tr.value.length === 0) return err('ENOENT');
        return this.openCreate(t, dirfd, tr.value, flags, mode, links, tr.value.startsWith('/') ? t.fs.root : parent);
      }
      if (isDir(ca.mode)) return err('EISDIR');
      const sticky = this.mayCreateInSticky(t, parent.inode.getattr(), ca);
      if (sticky) return err(sticky);
      return ok({ loc: child, created: false });
    }
    if (parent.mnt.readonly) return err('EROFS');
    const e = this.mayCreate(t, parent);
    if (e) return err(e);
    const own = initOwner(t, ownerAttr(parent.inode), S_IFREG | (mode & S_IALLUGO & ~t.fs.umask));
    const c = parent.inode.create(name, own);
    if (!c.ok) return c;
    return ok({ loc: { mnt: parent.mnt, inode: c.value, via: { dir: parent.inode, name } }, created: true });
  }

  private installNew(t: Process, file: OpenFile, cloexec: boolean): Result<number> {
    const fd = t.files.install(file, cloexec);
    if (fd < 0) {
      this.releaseFile(file);
      return err('EMFILE');
    }
    return okInt(fd);
  }

  /** fifo_open() (fs/pipe.c). A reader without writers sleeps until a writer has opened (the
   * w_counter moves); O_WRONLY|O_NONBLOCK without readers is ENXIO; O_RDWR never sleeps. */
  private openFifo(t: Process, loc: Location, p: string, flags: number, cloexec: boolean, args: Record<string, unknown>): SysResult<number> {
    const key = inodeKey(loc.inode);
    let pipe = this.fifos.get(key);
    if (!pipe) {
      pipe = new Pipe(this.pathOf(loc));
      this.fifos.set(key, pipe);
    }
    const pp = pipe;
    const make = (): SysResult<number> => this.installNew(t, new OpenFile(this.nextObjectId('file'), 'fifo', flags, loc, p, pp), cloexec);
    const acc = flags & O_ACCMODE;
    if (acc === O_RDONLY) {
      pp.readers++;
      pp.rCounter++;
      if (pp.writers === 0 && !(flags & O_NONBLOCK)) {
        const since = pp.wCounter;
        const wait = (): SysResult<number> => {
          if (pp.wCounter !== since) return make();
          return this.blocked(t, 'openat', args, { on: 'fifo-open-reader', what: pp.label }, wait, cancel);
        };
        const cancel = (): void => { pp.readers--; this.dropFifoIfUnused(key, pp); };
        return this.blocked(t, 'openat', args, { on: 'fifo-open-reader', what: pp.label }, wait, cancel);
      }
      return make();
    }
    if (acc === O_WRONLY) {
      if (flags & O_NONBLOCK && pp.readers === 0) {
        this.dropFifoIfUnused(key, pp);
        return err('ENXIO');
      }
      pp.writers++;
      pp.wCounter++;
      if (pp.readers === 0) {
        const since = pp.rCounter;
        const wait = (): SysResult<number> => {
          if (pp.rCounter !== since) return make();
          return this.blocked(t, 'openat', args, { on: 'fifo-open-writer', what: pp.label }, wait, cancel);
        };
        const cancel = (): void => { pp.writers--; this.dropFifoIfUnused(key, pp); };
        return this.blocked(t, 'openat', args, { on: 'fifo-open-writer', what: pp.label }, wait, cancel);
      }
      return make();
    }
    pp.readers++;
    pp.writers++;
    pp.rCounter++;
    pp.wCounter++;
    return make();
  }

  private dropFifoIfUnused(key: string, pipe: Pipe): void {
    if (pipe.readers === 0 && pipe.writers === 0 && this.fifos.get(key) === pipe) this.fifos.delete(key);
  }

  close(t: Process, fd: number): SysResult<void> {
    if (t.state !== 'running') return err('ESRCH');
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<void>;
    try {
      const f = t.files.remove(fd);
      if (f) this.putFile(f);
      r = f ? OK_VOID : err('EBADF');
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'close', this.observed ? { fd } : undefined, r, false);
  }

  /** Drop one reference to a description; release it when none is left. */
  private putFile(f: OpenFile): void {
    f.refs--;
    if (f.refs <= 0) this.releaseFile(f);
  }

  private releaseFile(f: OpenFile): void {
    if (f.closed) return;
    f.closed = true;
    f.handle?.release();
    if (f.pipe) {
      const acc = f.accmode;
      if (acc === O_RDONLY || acc === O_RDWR) f.pipe.readers--;
      if (acc === O_WRONLY || acc === O_RDWR) f.pipe.writers--;
      if (f.kind === 'fifo' && f.loc) {
        const key = inodeKey(f.loc.inode);
        if (f.pipe.readers === 0 && f.pipe.writers === 0) {
          // The pipe and its data go away with the last opener (free_pipe_info).
          if (this.fifos.get(key) === f.pipe) this.fifos.delete(key);
        }
      }
    }
    if (f.socket) this.releaseSocket(f.socket);
  }

  private releaseSocket(s: UnixSocket): void {
    if (s.state === 'closed') return;
    const wasListening = s.state === 'listening';
    if (s.boundKey && this.listeners.get(s.boundKey) === s) this.listeners.delete(s.boundKey);
    const hadUnread = s.hasData;
    for (const fds of s.drain()) for (const f of fds) this.putFile(f);
    s.state = 'closed';
    if (wasListening) {
      // Unaccepted connections die with the listener; their clients see ECONNRESET.
      for (const e of s.backlog.splice(0)) this.releaseSocket(e);
    }
    const peer = s.peer;
    if (peer && peer.state !== 'closed') {
      // unix_release_sock(): the peer gets SHUTDOWN_MASK (both directions).
      peer.rcvShutdown = true;
      peer.sndShutdown = true;
      if (hadUnread || s.embryo) peer.pendingError = 'ECONNRESET';
    }
  }

  dup(t: Process, fd: number): SysResult<number> {
    return this.sys(t, 'dup', { fd }, () => {
      const f = this.fdFile(t, fd);
      if (!f) return err('EBADF');
      const n = t.files.install(f, false);
      return n < 0 ? err('EMFILE') : ok(n);
    });
  }

  dup2(t: Process, fd: number, newfd: number): SysResult<number> {
    return this.sys(t, 'dup2', { fd, newfd }, () => {
      const f = this.fdFile(t, fd);
      if (!f) return err('EBADF');
      if (newfd < 0 || newfd >= t.files.limit) return err('EBADF');
      if (fd === newfd) return ok(newfd);
      const old = t.files.remove(newfd);
      t.files.installAt(newfd, f, false);
      if (old) this.putFile(old);
      return ok(newfd);
    });
  }

  fcntl(t: Process, fd: number, cmd: number, arg = 0): SysResult<number> {
    return this.sys(t, 'fcntl', { fd, cmd, arg }, () => {
      const e = t.files.get(fd);
      if (!e) return err('EBADF');
      switch (cmd) {
        case F_DUPFD:
        case F_DUPFD_CLOEXEC: {
          if (arg < 0 || arg >= t.files.limit) return err('EINVAL');
          const n = t.files.install(e.file, cmd === F_DUPFD_CLOEXEC, arg);
          return n < 0 ? err('EMFILE') : ok(n);
        }
        case F_GETFD: return ok(e.cloexec ? FD_CLOEXEC : 0);
        case F_SETFD: e.cloexec = (arg & FD_CLOEXEC) !== 0; return ok(0);
        case F_GETFL: return ok(e.file.flags);
        case F_SETFL: {
          if (e.file.isPath) return err('EBADF');
          // Only O_APPEND, O_NONBLOCK, O_NOATIME, O_DIRECT, FASYNC may change (fs/fcntl.c SETFL_MASK).
          const mask = O_APPEND | O_NONBLOCK | O_NOATIME | 0o40000 | 0o20000;
          if (arg & O_NOATIME && !(e.file.flags & O_NOATIME) && e.file.loc && !ownerOrCapable(t, e.file.loc.inode.getattr())) return err('EPERM');
          e.file.flags = (e.file.flags & ~mask) | (arg & mask);
          return ok(0);
        }
        default: return err('EINVAL');
      }
    });
  }

  // ------------------------------------------------------------------ read / write

  read(t: Process, fd: number, len: number): SysResult<Uint8Array> {
    if (t.state !== 'running') return err('ESRCH');
    // Unobserved, the record is built only if the read sleeps (its completion may be observed).
    const args = this.observed ? { fd, len } : undefined;
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<Uint8Array>;
    try {
      r = this.doRead(t, fd, len, undefined, args);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'read', args, r, false);
  }

  /**
   * read(2) as C calls it — read(fd, buf + off, len): the bytes land in `buf` at `off` and the count
   * is returned. Recorded exactly as read() (args {fd, len}, the result the bytes read). On a socket
   * the bytes go from the queue straight into `buf` (perf: the helper's socket_read runs twice per
   * request); anything else is read() and a copy.
   */
  readInto(t: Process, fd: number, buf: Uint8Array, off: number, len: number): SysResult<number> {
    // A buffer too small for `len` is the caller's bug (C: EFAULT or memory corruption), not errno.
    if (off < 0 || off + Math.max(0, len) > buf.length) throw new RangeError(`readInto: ${len} bytes at ${off} do not fit a ${buf.length}-byte buffer`);
    if (t.state !== 'running') return err('ESRCH');
    const f = this.fdFile(t, fd);
    if (!f || !f.socket || !f.canRead() || len < 0) return this.copyRead(this.read(t, fd, len), buf, off);
    const args = this.observed ? { fd, len } : undefined;
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<number>;
    try {
      r = this.socketReadInto(t, f, buf, off, len, args, fd);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'read', args, r, false, buf, off);
  }

  /** A read() result copied into `buf` at `off` (a sleeping read copies when it completes). */
  private copyRead(r: SysResult<Uint8Array>, buf: Uint8Array, off: number): SysResult<number> {
    if (r.ok) {
      buf.set(r.value, off);
      return ok(r.value.length);
    }
    if (r.blocked === undefined) return r;
    const b = r;
    return { ok: false, errno: 'EAGAIN', blocked: b.blocked, resume: () => this.copyRead(b.resume(), buf, off), cancel: () => b.cancel() };
  }

  private socketReadInto(t: Process, f: OpenFile, buf: Uint8Array, off: number, len: number, args: ArgsRecord, fd: number): SysResult<number> {
    const r = this.readIntoAttempt(f, buf, off, len);
    return r !== SLEEP ? r : (this.sleepingSocketRead(t, f, len, args ?? { fd, len }, buf, off) as Blocked<number>);
  }

  /** readAttempt into the caller's buffer. */
  private readIntoAttempt(f: OpenFile, buf: Uint8Array, off: number, len: number): SysResult<number> | typeof SLEEP {
    const s = f.socket!;
    this.readCtrunc = false;
    if (s.state === 'listening' || s.state === 'unconnected') return err('EINVAL');
    if (s.hasData) {
      const n = s.dequeueInto(buf, off, len);
      const fds = s.dequeuedFds;
      s.dequeuedFds = null;
      if (fds !== null) {
        this.readCtrunc = true;
        for (let i = 0; i < fds.length; i++) this.putFile(fds[i]!); // no control buffer: dropped
      }
      return okInt(n);
    }
    if (s.pendingError) {
      const e = s.pendingError;
      s.pendingError = null;
      return err(e);
    }
    if (s.rcvShutdown || !s.peer || s.peer.state === 'closed') return okInt(0);
    if (f.flags & O_NONBLOCK) return err('EAGAIN');
    return SLEEP;
  }

  pread(t: Process, fd: number, len: number, pos: number): SysResult<Uint8Array> {
    return this.sys(t, 'pread64', { fd, len, pos }, () => {
      if (pos < 0) return err('EINVAL');
      const f = this.fdFile(t, fd);
      if (f && (f.pipe || f.socket)) return err('ESPIPE');
      return this.doRead(t, fd, len, pos);
    });
  }

  private doRead(t: Process, fd: number, len: number, at: number | undefined, args?: ArgsRecord): SysResult<Uint8Array> {
    const f = this.fdFile(t, fd);
    if (!f || !f.canRead()) return err('EBADF');
    if (len < 0) return err('EINVAL');
    if (f.socket) return this.socketRead(t, f, len, args, fd);
    if (f.pipe) return this.pipeRead(t, f, len, args ?? { fd, len });
    const loc = f.loc!;
    const a = loc.inode.getattr();
    if (isDir(a.mode)) return err('EISDIR');
    const pos = at ?? f.pos;
    let data: Uint8Array;
    if (f.rdev !== undefined) {
      const spec = this.devices.get(devKey(f.rdev, f.kind === 'blockdev'));
      if (!spec) return err('ENXIO');
      data = deviceRead(spec, pos, len, this.prng);
    } else {
      const r = f.handle?.read ? f.handle.read(pos, len) : loc.inode.read(pos, len);
      if (!r.ok) return r;
      data = r.value;
      this.touchAtime(f);
    }
    if (at === undefined) f.pos += data.length;
    return ok(data);
  }

  private pipeRead(t: Process, f: OpenFile, len: number, args: Record<string, unknown>): SysResult<Uint8Array> {
    const pp = f.pipe!;
    const attempt = (): SysResult<Uint8Array> => {
      if (pp.bytes > 0) return ok(pp.take(len));
      if (pp.writers === 0) return ok(new Uint8Array(0));
      if (f.flags & O_NONBLOCK) return err('EAGAIN');
      return this.blocked(t, 'read', args, { on: 'pipe-read', what: pp.label }, attempt);
    };
    return attempt();
  }

  write(t: Process, fd: number, data: Uint8Array): SysResult<number> {
    if (t.state !== 'running') return err('ESRCH');
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<number>;
    try {
      r = this.doWrite(t, fd, data, undefined);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'write', this.observed ? { fd, data: summarize(data) } : undefined, r, true);
  }

  pwrite(t: Process, fd: number, data: Uint8Array, pos: number): SysResult<number> {
    return this.sys(t, 'pwrite64', { fd, data: this.dataArg(data), pos }, () => {
      if (pos < 0) return err('EINVAL');
      const f = this.fdFile(t, fd);
      if (f && (f.pipe || f.socket)) return err('ESPIPE');
      return this.doWrite(t, fd, data, pos);
    }, true);
  }

  private doWrite(t: Process, fd: number, data: Uint8Array, at: number | undefined): SysResult<number> {
    const f = this.fdFile(t, fd);
    if (!f || !f.canWrite()) return err('EBADF');
    // A sleeping write records just {fd} (and {fd, resumed} when it completes).
    if (f.socket) return this.doSend(t, f, data, NO_FILES, 0, fd, undefined, 'write');
    if (f.pipe) {
      const pp = f.pipe;
      const attempt = (): SysResult<number> => {
        if (pp.readers === 0) return err('EPIPE');
        const n = pp.put(data);
        if (n > 0 || data.length === 0) return ok(n);
        if (f.flags & O_NONBLOCK) return err('EAGAIN');
        return this.blocked(t, 'write', { fd }, { on: 'pipe-write', what: pp.label }, attempt);
      };
      return attempt();
    }
    const loc = f.loc!;
    if (f.rdev !== undefined) {
      const spec = this.devices.get(devKey(f.rdev, f.kind === 'blockdev'));
      if (!spec) return err('ENXIO');
      if (spec.kind === 'full') return err('ENOSPC');
      if (spec.kind === 'data') {
        if (!spec.writable) return err('EPERM');
        const c = spec.content ?? new Uint8Array(0);
        const pos = at ?? f.pos;
        if (pos >= c.length) return err('ENOSPC');
        const n = Math.min(data.length, c.length - pos);
        c.set(data.subarray(0, n), pos);
        if (at === undefined) f.pos += n;
        return ok(n);
      }
      return ok(data.length);
    }
    if (data.length === 0) return ok(0);
    let pos = at ?? f.pos;
    if (f.flags & O_APPEND) pos = loc.inode.getattr().size;
    this.killSuid(t, loc);
    const r = f.handle?.write ? f.handle.write(pos, data) : loc.inode.write(pos, data);
    if (!r.ok) return r;
    if (at === undefined) f.pos = pos + r.value;
    return r;
  }

  lseek(t: Process, fd: number, offset: number, whence: number): SysResult<number> {
    return this.sys(t, 'lseek', { fd, offset, whence }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath) return err('EBADF');
      if (f.pipe || f.socket) return err('ESPIPE');
      const size = f.loc ? f.loc.inode.getattr().size : 0;
      let pos: number;
      if (whence === SEEK_SET) pos = offset;
      else if (whence === SEEK_CUR) pos = f.pos + offset;
      else if (whence === SEEK_END) pos = size + offset;
      else if (whence === SEEK_DATA || whence === SEEK_HOLE) {
        if (offset >= size) return err('ENXIO');
        pos = whence === SEEK_DATA ? offset : size;
      } else return err('EINVAL');
      if (pos < 0) return err('EINVAL');
      f.pos = pos;
      if (f.kind === 'directory') { f.dirCookie = pos; if (pos === 0) f.dirSnapshot = undefined; }
      return ok(pos);
    });
  }

  fsync(t: Process, fd: number): SysResult<void> {
    return this.sys(t, 'fsync', { fd }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath) return err('EBADF');
      if (f.pipe || f.socket) return err('EINVAL');
      // vfs_fsync_range: no ->fsync in the file operations → EINVAL (e.g. /dev/null's mem driver).
      if (f.loc && isChr(ownerAttr(f.loc.inode).mode)) return err('EINVAL');
      return f.handle?.fsync?.() ?? f.loc?.inode.fsync?.() ?? OK_VOID;
    });
  }

  /**
   * getdents64(2): up to `bufSize` bytes of records (reclen = 19 + name + NUL, 8-aligned), starting
   * with '.' and '..'; d_off is the cookie after each entry. A removed directory reads ENOENT.
   */
  getdents(t: Process, fd: number, bufSize = 32768): SysResult<Dirent[]> {
    return this.sys(t, 'getdents64', { fd, count: bufSize }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath) return err('EBADF');
      if (!f.loc || !isDir(ownerAttr(f.loc.inode).mode)) return err('ENOTDIR');
      const dir = f.loc.inode;
      if (ownerAttr(dir).nlink === 0) return err('ENOENT');
      if (!f.dirSnapshot || f.dirCookie === 0) {
        const ents = f.handle?.readdir ? f.handle.readdir() : dir.readdir();
        if (!ents.ok) return ents;
        f.dirSnapshot = [
          { ino: dir.ino, type: dtypeOf(S_IFDIR), bname: '.' },
          { ino: dir.parent().ino, type: dtypeOf(S_IFDIR), bname: '..' },
          ...ents.value.map((e) => ({ ino: e.ino, type: dtypeOf(e.mode), bname: e.name })),
        ];
      }
      const out: Dirent[] = [];
      let used = 0;
      while (f.dirCookie < f.dirSnapshot.length) {
        const e = f.dirSnapshot[f.dirCookie]!;
        const reclen = (19 + e.bname.length + 1 + 7) & ~7;
        if (used + reclen > bufSize) {
          if (out.length === 0) return err('EINVAL');
          break;
        }
        used += reclen;
        f.dirCookie++;
        out.push({ ino: e.ino, off: f.dirCookie, type: e.type, bname: e.bname, name: bstrToText(e.bname) });
      }
      f.pos = f.dirCookie;
      this.touchAtime(f);
      return ok(out);
    });
  }

  // ------------------------------------------------------------------ stat family

  stat(t: Process, path: PathArg): SysResult<Stat> {
    return this.fstatat(t, AT_FDCWD, path, 0, 'stat');
  }
  lstat(t: Process, path: PathArg): SysResult<Stat> {
    return this.fstatat(t, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 'lstat');
  }
  fstatat(t: Process, dirfd: number, path: PathArg, flags: number, name = 'newfstatat'): SysResult<Stat> {
    if (t.state !== 'running') return err('ESRCH');
    const p = toBstr(path);
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<Stat>;
    try {
      r = this.doFstatat(t, dirfd, p, flags);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, name, this.observed ? { dirfd, path: bstrToText(p), flags } : undefined, r, false);
  }
  private doFstatat(t: Process, dirfd: number, p: string, flags: number): SysResult<Stat> {
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800)) return err('EINVAL');
    const r = this.lookupAt(t, dirfd, p, !(flags & AT_SYMLINK_NOFOLLOW), flags);
    return r.ok ? ok(this.statOf(r.value)) : r;
  }
  fstat(t: Process, fd: number): SysResult<Stat> {
    if (t.state !== 'running') return err('ESRCH');
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<Stat>;
    try {
      r = this.doFstat(t, fd);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'fstat', this.observed ? { fd } : undefined, r, false);
  }
  private doFstat(t: Process, fd: number): SysResult<Stat> {
    const f = this.fdFile(t, fd);
    if (!f) return err('EBADF');
    if (f.loc) return ok(this.statOf(f.loc));
    // Anonymous pipes and sockets: a pipefs/sockfs inode.
    const mode = f.socket ? S_IFSOCK | 0o777 : S_IFIFO | 0o600;
    const now = this.now();
    return ok({ dev: 0x9, ino: f.id, nlink: 1, mode, uid: t.cred.euid, gid: t.cred.egid, rdev: 0n, size: 0, blksize: 4096, blocks: 0, atime: now, mtime: now, ctime: now });
  }

  statfs(t: Process, path: PathArg): SysResult<StatFs> {
    const p = toBstr(path);
    return this.sys(t, 'statfs', { path: bstrToText(p) }, () => {
      const r = this.namei.resolve(t, t.fs.cwd, p, { follow: true });
      return r.ok ? ok(r.value.mnt.sb.statfs()) : r;
    });
  }
  fstatfs(t: Process, fd: number): SysResult<StatFs> {
    return this.sys(t, 'fstatfs', { fd }, () => {
      const f = this.fdFile(t, fd);
      if (!f) return err('EBADF');
      if (!f.loc) return err('EINVAL');
      return ok(f.loc.mnt.sb.statfs());
    });
  }

  access(t: Process, path: PathArg, mode: number): SysResult<void> {
    return this.faccessat(t, AT_FDCWD, path, mode, 0);
  }
  /** faccessat(2): checks with the REAL ids (and a capability set computed for them), unless
   * AT_EACCESS. Simplification: the real-id override keeps caps only when ruid is 0. */
  faccessat(t: Process, dirfd: number, path: PathArg, mode: number, flags: number): SysResult<void> {
    const p = toBstr(path);
    return this.sys(t, 'faccessat', { dirfd, path: bstrToText(p), mode, flags }, () => {
      if (mode & ~(R_OK | W_OK | X_OK)) return err('EINVAL');
      let tt = t;
      if (!(flags & 0x200)) {
        // access_override_creds(): fsuid/fsgid := real ids; caps cleared unless the real uid is 0.
        tt = Object.create(t) as Process;
        tt.cred = { ...t.cred, fsuid: t.cred.ruid, fsgid: t.cred.rgid };
        tt.caps = { ...t.caps, effective: t.cred.ruid === 0 ? t.caps.permitted : 0n };
      }
      const r = this.lookupAt(tt, dirfd, p, !(flags & AT_SYMLINK_NOFOLLOW), flags);
      if (!r.ok) return r;
      if (mode === 0) return OK_VOID;
      const m = (mode & R_OK ? MAY_READ : 0) | (mode & W_OK ? MAY_WRITE : 0) | (mode & X_OK ? MAY_EXEC : 0);
      const e = this.permission(tt, r.value, m);
      return e ? err(e) : OK_VOID;
    });
  }

  // ------------------------------------------------------------------ readlink

  /** readlink(2): at most `bufsiz` bytes, no NUL; EINVAL for bufsiz <= 0 or a non-symlink. */
  readlink(t: Process, path: PathArg, bufsiz: number): SysResult<Uint8Array> {
    return this.readlinkat(t, AT_FDCWD, path, bufsiz);
  }
  readlinkat(t: Process, dirfd: number, path: PathArg, bufsiz: number): SysResult<Uint8Array> {
    const p = toBstr(path);
    return this.sys(t, 'readlinkat', { dirfd, path: bstrToText(p), bufsiz }, () => {
      if (bufsiz <= 0) return err('EINVAL');
      const r = this.lookupAt(t, dirfd, p, false, p.length === 0 ? AT_EMPTY_PATH : 0);
      if (!r.ok) return r;
      const a = r.value.inode.getattr();
      if (!isLnk(a.mode)) return err(p.length === 0 ? 'ENOENT' : 'EINVAL'); // do_readlinkat: empty name → ENOENT
      const tr = r.value.inode.readlink();
      if (!tr.ok) return tr;
      this.touchAtime(new OpenFile(this.nextObjectId('file'), 'symlink', 0, r.value, p));
      return ok(bstrToBytes(tr.value.slice(0, bufsiz)));
    });
  }

  // ------------------------------------------------------------------ namespace changes

  mkdir(t: Process, path: PathArg, mode: number): SysResult<void> {
    return this.mkdirat(t, AT_FDCWD, path, mode);
  }
  mkdirat(t: Process, dirfd: number, path: PathArg, mode: number): SysResult<void> {
    if (t.state !== 'running') return err('ESRCH');
    const p = toBstr(path);
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<void>;
    try {
      r = this.doMkdir(t, dirfd, p, mode);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'mkdirat', this.observed ? { dirfd, path: bstrToText(p), mode: '0' + (mode & 0o7777).toString(8) } : undefined, r, true);
  }
  private doMkdir(t: Process, dirfd: number, p: string, mode: number): SysResult<void> {
    const ct = this.createTarget(t, dirfd, p, true);
    if (!ct.ok) return ct;
    const { parent, name } = ct.value;
    const e = this.mayCreate(t, parent);
    if (e) return err(e);
    const own = initOwner(t, ownerAttr(parent.inode), S_IFDIR | (mode & (S_IRWXUGO | S_ISVTX) & ~t.fs.umask));
    const c = parent.inode.create(name, own);
    return c.ok ? OK_VOID : c;
  }

  mknod(t: Process, path: PathArg, mode: number, rdev: bigint = 0n): SysResult<void> {
    return this.mknodat(t, AT_FDCWD, path, mode, rdev);
  }
  /** mknodat(2): may_mknod (S_IFDIR EPERM, unknown type EINVAL), EEXIST, may_create, then
   * CAP_MKNOD for character/block devices (capable(), not fs-uid based). */
  mknodat(t: Process, dirfd: number, path: PathArg, mode: number, rdev: bigint = 0n): SysResult<void> {
    const p = toBstr(path);
    return this.sys(t, 'mknodat', { dirfd, path: bstrToText(p), mode: '0' + mode.toString(8), rdev: rdev.toString() }, () => {
      const type = mode & S_IFMT;
      if (type === S_IFDIR) return err('EPERM');
      if (![0, S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK].includes(type)) return err('EINVAL');
      const ct = this.createTarget(t, dirfd, p, false);
      if (!ct.ok) return ct;
      const { parent, name } = ct.value;
      const e = this.mayCreate(t, parent);
      if (e) return err(e);
      if ((type === S_IFCHR || type === S_IFBLK) && !capable(t, CAP.MKNOD)) return err('EPERM');
      const own = initOwner(t, ownerAttr(parent.inode), (type || S_IFREG) | (mode & S_IALLUGO & ~t.fs.umask));
      const c = parent.inode.create(name, { ...own, rdev: type === S_IFCHR || type === S_IFBLK ? rdev : 0n });
      return c.ok ? OK_VOID : c;
    }, true);
  }

  symlink(t: Process, target: PathArg, path: PathArg): SysResult<void> {
    return this.symlinkat(t, target, AT_FDCWD, path);
  }
  /** symlinkat(2): an empty target is ENOENT before anything else (getname of ""). */
  symlinkat(t: Process, target: PathArg, dirfd: number, path: PathArg): SysResult<void> {
    if (t.state !== 'running') return err('ESRCH');
    const tg = toBstr(target);
    const p = toBstr(path);
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<void>;
    try {
      r = this.doSymlink(t, tg, dirfd, p);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'symlinkat', this.observed ? { target: bstrToText(tg), dirfd, path: bstrToText(p) } : undefined, r, true);
  }
  private doSymlink(t: Process, tg: string, dirfd: number, p: string): SysResult<void> {
    if (tg.length === 0) return err('ENOENT');
    if (tg.length >= PATH_MAX) return err('ENAMETOOLONG');
    const ct = this.createTarget(t, dirfd, p, false);
    if (!ct.ok) return ct;
    const { parent, name } = ct.value;
    const e = this.mayCreate(t, parent);
    if (e) return err(e);
    const own = initOwner(t, ownerAttr(parent.inode), S_IFLNK | 0o777);
    const c = parent.inode.create(name, { uid: own.uid, gid: own.gid, mode: S_IFLNK | 0o777, target: tg });
    return c.ok ? OK_VOID : c;
  }

  link(t: Process, oldpath: PathArg, newpath: PathArg): SysResult<void> {
    return this.linkat(t, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
  }
  /** linkat(2): a directory is EPERM; across mounts EXDEV; protected_hardlinks (may_linkat). */
  linkat(t: Process, olddirfd: number, oldpath: PathArg, newdirfd: number, newpath: PathArg, flags: number): SysResult<void> {
    const op = toBstr(oldpath);
    const np = toBstr(newpath);
    return this.sys(t, 'linkat', { olddirfd, oldpath: bstrToText(op), newdirfd, newpath: bstrToText(np), flags }, () => {
      if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return err('EINVAL');
      const o = this.lookupAt(t, olddirfd, op, (flags & AT_SYMLINK_FOLLOW) !== 0, flags);
      if (!o.ok) return o;
      const ct = this.createTarget(t, newdirfd, np, false);
      if (!ct.ok) return ct;
      const { parent, name } = ct.value;
      if (o.value.mnt !== parent.mnt) return err('EXDEV');
      const a = o.value.inode.getattr();
      if (this.protectedHardlinks && !this.safeHardlinkSource(t, o.value, a)) return err('EPERM');
      const e = this.mayCreate(t, parent);
      if (e) return err(e);
      if (isDir(a.mode)) return err('EPERM');
      if (a.nlink === 0) return err('ENOENT');
      return parent.inode.link(name, o.value.inode);
    }, true);
  }

  /** may_follow_link() with fs.protected_symlinks=1: in a sticky world-writable directory a
   * symlink is followed only by its owner or when the directory's owner owns it. No capability
   * overrides this (Documentation/admin-guide/sysctl/fs.rst). */
  private mayFollowLink(t: Process, dir: Location, link: Location): Errno | null {
    if (!this.protectedSymlinks) return null;
    const d = dir.inode.getattr();
    if ((d.mode & (S_ISVTX | 0o002)) !== (S_ISVTX | 0o002)) return null;
    const l = link.inode.getattr();
    if (t.cred.fsuid === l.uid || d.uid === l.uid) return null;
    return 'EACCES';
  }

  /** may_create_in_sticky() (fs.protected_regular / fs.protected_fifos): O_CREAT on an existing
   * file or FIFO in a sticky directory, owned neither by the opener nor by the directory's owner. */
  private mayCreateInSticky(t: Process, dir: InodeAttr, a: InodeAttr): Errno | null {
    if (!(dir.mode & S_ISVTX)) return null;
    const level = isReg(a.mode) ? this.protectedRegular : isFifo(a.mode) ? this.protectedFifos : 0;
    if (level === 0) return null;
    if (a.uid === dir.uid || a.uid === t.cred.fsuid) return null;
    if (dir.mode & 0o002) return 'EACCES';
    if (dir.mode & 0o020 && level >= 2) return 'EACCES';
    return null;
  }

  /** fs/namei.c may_linkat() with fs.protected_hardlinks=1. */
  private safeHardlinkSource(t: Process, loc: Location, a: InodeAttr): boolean {
    if (t.cred.fsuid === a.uid) return true;
    if (capable(t, CAP.FOWNER)) return true;
    if (!isReg(a.mode)) return false;
    if (a.mode & S_ISUID) return false;
    if ((a.mode & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP)) return false;
    return this.permission(t, loc, MAY_READ | MAY_WRITE) === null;
  }

  unlink(t: Process, path: PathArg): SysResult<void> {
    return this.unlinkat(t, AT_FDCWD, path, 0);
  }
  rmdir(t: Process, path: PathArg): SysResult<void> {
    return this.unlinkat(t, AT_FDCWD, path, AT_REMOVEDIR);
  }

  unlinkat(t: Process, dirfd: number, path: PathArg, flags: number): SysResult<void> {
    if (t.state !== 'running') return err('ESRCH');
    const p = toBstr(path);
    const name = flags & AT_REMOVEDIR ? 'rmdir' : 'unlink';
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<void>;
    try {
      r = flags & ~AT_REMOVEDIR ? err('EINVAL') : flags & AT_REMOVEDIR ? this.doRmdir(t, dirfd, p) : this.doUnlink(t, dirfd, p);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, name, this.observed ? { dirfd, path: bstrToText(p), flags } : undefined, r, true);
  }

  private doUnlink(t: Process, dirfd: number, p: string): SysResult<void> {
    const pr = this.parentAt(t, dirfd, p);
    if (!pr.ok) return pr;
    const { parent, name, lastType, trailingSlash } = pr.value;
    if (lastType !== 'normal') return err('EISDIR');
    const victim = this.lookupChild(t, parent, name);
    if (!victim) return err('ENOENT');
    if (trailingSlash) return err(isDir(ownerAttr(victim.inode).mode) ? 'EISDIR' : 'ENOTDIR');
    if (parent.mnt.readonly) return err('EROFS');
    const e = this.mayDelete(t, parent, victim, false);
    if (e) return err(e);
    if (this.isMountpoint(parent.mnt, victim.inode) || victim.mnt !== parent.mnt) return err('EBUSY');
    return parent.inode.unlink(name);
  }

  private doRmdir(t: Process, dirfd: number, p: string): SysResult<void> {
    const pr = this.parentAt(t, dirfd, p);
    if (!pr.ok) return pr;
    const { parent, name, lastType } = pr.value;
    if (lastType === 'dot') return err('EINVAL');
    if (lastType === 'dotdot') return err('ENOTEMPTY');
    if (lastType === 'root') return err('EBUSY');
    const victim = this.lookupChild(t, parent, name);
    if (!victim) return err('ENOENT');
    if (parent.mnt.readonly) return err('EROFS');
    if (victim.mnt !== parent.mnt) return err('EBUSY'); // a mount point
    const e = this.mayDelete(t, parent, victim, true);
    if (e) return err(e);
    return parent.inode.rmdir(name);
  }

  /** glibc remove(3): unlink, and on EISDIR rmdir (proxy-protocol.md §5.6: T_REMOVE). */
  remove(t: Process, path: PathArg): SysResult<void> {
    const u = this.unlink(t, path);
    if (u.ok || u.errno !== 'EISDIR') return u;
    return this.rmdir(t, path);
  }

  rename(t: Process, oldpath: PathArg, newpath: PathArg): SysResult<void> {
    return this.renameat2(t, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
  }

  /** renameat2(2) following do_renameat2()/vfs_rename() check order. */
  renameat2(t: Process, olddirfd: number, oldpath: PathArg, newdirfd: number, newpath: PathArg, flags: number): SysResult<void> {
    if (t.state !== 'running') return err('ESRCH');
    const op = toBstr(oldpath);
    const np = toBstr(newpath);
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<void>;
    try {
      r = this.doRename(t, olddirfd, op, newdirfd, np, flags);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'renameat2', this.observed ? { olddirfd, oldpath: bstrToText(op), newdirfd, newpath: bstrToText(np), flags } : undefined, r, true);
  }
  private doRename(t: Process, olddirfd: number, op: string, newdirfd: number, np: string, flags: number): SysResult<void> {
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return err('EINVAL');
    if (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE) return err('EINVAL');
    if (flags & RENAME_WHITEOUT) return err('EINVAL');
    const exchange = (flags & RENAME_EXCHANGE) !== 0;
    const o = this.parentAt(t, olddirfd, op);
    if (!o.ok) return o;
    const n = this.parentAt(t, newdirfd, np);
    if (!n.ok) return n;
    const od = o.value.parent;
    const nd = n.value.parent;
    if (od.mnt !== nd.mnt) return err('EXDEV');
    if (o.value.lastType !== 'normal') return err('EBUSY');
    if (n.value.lastType !== 'normal') return err(flags & RENAME_NOREPLACE ? 'EEXIST' : 'EBUSY');
    if (od.mnt.readonly) return err('EROFS');
    const src = this.lookupChild(t, od, o.value.name);
    if (!src) return err('ENOENT');
    const dst = this.lookupChild(t, nd, n.value.name);
    if (exchange && !dst) return err('ENOENT');
    if (flags & RENAME_NOREPLACE && dst) return err('EEXIST');
    const sa = src.inode.getattr();
    const srcIsDir = isDir(sa.mode);
    if (!srcIsDir) {
      if (o.value.trailingSlash) return err('ENOTDIR');
      if (!exchange && n.value.trailingSlash) return err('ENOTDIR');
    }
    // Source must not be an ancestor of the target (EINVAL); the target not one of the source (ENOTEMPTY).
    if (this.isAncestorOrSelf(src.inode, nd.inode)) return err('EINVAL');
    if (dst && this.isAncestorOrSelf(dst.inode, od.inode)) return err(exchange ? 'EINVAL' : 'ENOTEMPTY');
    if (dst && sameInode(src.inode, dst.inode)) return OK_VOID;
    let e = this.mayDelete(t, od, src, srcIsDir);
    if (e) return err(e);
    if (!dst) e = this.mayCreate(t, nd);
    else e = this.mayDelete(t, nd, dst, exchange ? isDir(ownerAttr(dst.inode).mode) : srcIsDir);
    if (e) return err(e);
    if (srcIsDir && !sameInode(od.inode, nd.inode)) {
      // Moving a directory rewrites its '..': write permission on the directory itself.
      const pe = this.permission(t, src, MAY_WRITE);
      if (pe) return err(pe);
    }
    if (exchange && dst && isDir(ownerAttr(dst.inode).mode) && !sameInode(od.inode, nd.inode)) {
      const pe = this.permission(t, dst, MAY_WRITE);
      if (pe) return err(pe);
    }
    if (src.mnt !== od.mnt || (dst && dst.mnt !== nd.mnt)) return err('EBUSY');
    if (this.isMountpoint(od.mnt, src.inode)) return err('EBUSY');
    return od.inode.rename(o.value.name, nd.inode, n.value.name, exchange);
  }

  /** Is `a` the inode `b` or one of its ancestors (within one superblock)? */
  private isAncestorOrSelf(a: FsInode, b: FsInode): boolean {
    if (a.sb !== b.sb || !isDir(ownerAttr(a).mode)) return false;
    let cur = b;
    for (let guard = 0; guard < 100000; guard++) {
      if (sameInode(cur, a)) return true;
      const up = cur.parent();
      if (sameInode(up, cur)) return false;
      cur = up;
    }
    return false;
  }

  // ------------------------------------------------------------------ attributes

  chmod(t: Process, path: PathArg, mode: number): SysResult<void> {
    return this.fchmodat(t, AT_FDCWD, path, mode, 0);
  }
  fchmodat(t: Process, dirfd: number, path: PathArg, mode: number, flags: number): SysResult<void> {
    const p = toBstr(path);
    return this.sys(t, 'fchmodat', { dirfd, path: bstrToText(p), mode: '0' + mode.toString(8), flags }, () => {
      if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return err('EINVAL');
      const r = this.lookupAt(t, dirfd, p, !(flags & AT_SYMLINK_NOFOLLOW), flags);
      if (!r.ok) return r;
      if (isLnk(ownerAttr(r.value.inode).mode)) return err('EOPNOTSUPP'); // fchmodat2 on a symlink
      return this.doChmod(t, r.value, mode);
    }, true);
  }
  fchmod(t: Process, fd: number, mode: number): SysResult<void> {
    return this.sys(t, 'fchmod', { fd, mode: '0' + mode.toString(8) }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath || !f.loc) return err('EBADF');
      return this.doChmod(t, f.loc, mode);
    }, true);
  }
  /** chmod_common(): owner or CAP_FOWNER; type bits in `mode` are ignored (observed
   * basic_fd/chmod_with_type_bits); S_ISGID dropped for non-members without CAP_FSETID. */
  private doChmod(t: Process, loc: Location, mode: number): SysResult<void> {
    if (loc.mnt.readonly) return err('EROFS');
    const a = loc.inode.getattr();
    if (!ownerOrCapable(t, a)) return err('EPERM');
    return loc.inode.setattr({ mode: chmodMode(t, a, mode & S_IALLUGO), ctime: this.now() });
  }

  chown(t: Process, path: PathArg, uid: number, gid: number): SysResult<void> {
    return this.fchownat(t, AT_FDCWD, path, uid, gid, 0);
  }
  lchown(t: Process, path: PathArg, uid: number, gid: number): SysResult<void> {
    return this.fchownat(t, AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
  }
  fchownat(t: Process, dirfd: number, path: PathArg, uid: number, gid: number, flags: number): SysResult<void> {
    const p = toBstr(path);
    return this.sys(t, 'fchownat', { dirfd, path: bstrToText(p), uid: uid | 0, gid: gid | 0, flags }, () => {
      if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return err('EINVAL');
      const r = this.lookupAt(t, dirfd, p, !(flags & AT_SYMLINK_NOFOLLOW), flags);
      if (!r.ok) return r;
      return this.doChown(t, r.value, uid >>> 0, gid >>> 0);
    }, true);
  }
  fchown(t: Process, fd: number, uid: number, gid: number): SysResult<void> {
    return this.sys(t, 'fchown', { fd, uid: uid | 0, gid: gid | 0 }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath || !f.loc) return err('EBADF');
      return this.doChown(t, f.loc, uid >>> 0, gid >>> 0);
    }, true);
  }
  /** chown_common() + notify_change(): -1 keeps an id; for non-directories S_ISUID is always cleared
   * and S_ISGID when group-executable — even by root and even for chown(-1, -1) (checked on this
   * machine's Linux: 04755 → 0755 after os.chown(f, -1, -1) as root). */
  private doChown(t: Process, loc: Location, uid: number, gid: number): SysResult<void> {
    if (loc.mnt.readonly) return err('EROFS');
    const a = loc.inode.getattr();
    if (uid !== KEEP_ID && !chownOk(t, a, uid)) return err('EPERM');
    if (gid !== KEEP_ID && !chgrpOk(t, a, gid)) return err('EPERM');
    const change: { uid?: number; gid?: number; mode?: number; ctime: Timespec } = { ctime: this.now() };
    if (uid !== KEEP_ID) change.uid = uid;
    if (gid !== KEEP_ID) change.gid = gid;
    if (!isDir(a.mode)) {
      let m = a.mode;
      m &= ~S_ISUID;
      if ((m & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP)) m &= ~S_ISGID;
      if (m !== a.mode) change.mode = m & S_IALLUGO;
    }
    return loc.inode.setattr(change);
  }

  truncate(t: Process, path: PathArg, length: number): SysResult<void> {
    const p = toBstr(path);
    return this.sys(t, 'truncate', { path: bstrToText(p), length }, () => {
      if (length < 0) return err('EINVAL');
      const r = this.namei.resolve(t, t.fs.cwd, p, { follow: true });
      if (!r.ok) return r;
      const a = r.value.inode.getattr();
      if (isDir(a.mode)) return err('EISDIR');
      if (!isReg(a.mode)) return err('EINVAL');
      const e = this.permission(t, r.value, MAY_WRITE);
      if (e) return err(e);
      return this.doTruncate(t, r.value, length);
    }, true);
  }
  ftruncate(t: Process, fd: number, length: number): SysResult<void> {
    return this.sys(t, 'ftruncate', { fd, length }, () => {
      if (length < 0) return err('EINVAL');
      const f = this.fdFile(t, fd);
      if (!f || f.isPath) return err('EBADF');
      if (!f.loc || !isReg(ownerAttr(f.loc.inode).mode) || !f.canWrite()) return err('EINVAL');
      return this.doTruncate(t, f.loc, length);
    }, true);
  }
  private doTruncate(t: Process, loc: Location, length: number): SysResult<void> {
    if (loc.mnt.readonly) return err('EROFS');
    if (length > 0xfffffff000) return err('EFBIG');
    this.killSuid(t, loc);
    const now = this.now();
    return loc.inode.setattr({ size: length, mtime: now, ctime: now });
  }

  /**
   * utimensat(2) (fs/utimes.c): both UTIME_OMIT → 0 before any lookup; bad nsec → EINVAL after the
   * lookup; NULL or both UTIME_NOW → owner, CAP_FOWNER or write permission (EACCES); explicit
   * times → owner or CAP_FOWNER (EPERM). ctime becomes now. `path` null = futimens on dirfd.
   */
  utimensat(t: Process, dirfd: number, path: PathArg | null, times: [UtimeSpec, UtimeSpec] | null, flags: number): SysResult<void> {
    const p = path === null ? null : toBstr(path);
    const args = { dirfd, path: p === null ? null : bstrToText(p), times: times ? times.map((x) => ({ ...x })) : null, flags };
    return this.sys(t, 'utimensat', args, () => {
      if (times && times[0].nsec === UTIME_OMIT && times[1].nsec === UTIME_OMIT) return OK_VOID;
      if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return err('EINVAL');
      let loc: Location;
      if (p === null) {
        if (dirfd === AT_FDCWD) return err('EFAULT');
        const f = this.fdFile(t, dirfd);
        if (!f || !f.loc) return err('EBADF');
        loc = f.loc;
      } else {
        const r = this.lookupAt(t, dirfd, p, !(flags & AT_SYMLINK_NOFOLLOW), flags);
        if (!r.ok) return r;
        loc = r.value;
      }
      const valid = (n: number): boolean => n === UTIME_NOW || n === UTIME_OMIT || (n >= 0 && n <= 999_999_999);
      if (times && (!valid(times[0].nsec) || !valid(times[1].nsec))) return err('EINVAL');
      if (loc.mnt.readonly) return err('EROFS');
      const a = loc.inode.getattr();
      const touch = !times || (times[0].nsec === UTIME_NOW && times[1].nsec === UTIME_NOW);
      if (touch) {
        if (!ownerOrCapable(t, a)) {
          const e = this.permission(t, loc, MAY_WRITE);
          if (e) return err(e);
        }
      } else if (!ownerOrCapable(t, a)) return err('EPERM');
      const now = this.now();
      const pick = (x: UtimeSpec | undefined): Timespec | undefined =>
        !x || x.nsec === UTIME_NOW ? now : x.nsec === UTIME_OMIT ? undefined : { sec: x.sec, nsec: x.nsec };
      return loc.inode.setattr({ atime: pick(times?.[0]), mtime: pick(times?.[1]), ctime: now });
    }, true);
  }

  // ------------------------------------------------------------------ xattrs (fs/xattr.c)

  private xattrTarget(t: Process, path: PathArg, follow: boolean): Result<Location> {
    const p = toBstr(path);
    return this.namei.resolve(t, t.fs.cwd, p, { follow });
  }

  /** xattr_permission() + handler lookup. */
  private xattrCheck(t: Process, loc: Location, name: string, mask: number): Errno | null {
    const a = loc.inode.getattr();
    if (name.startsWith('trusted.')) {
      if (!capable(t, CAP.SYS_ADMIN)) return mask & MAY_WRITE ? 'EPERM' : 'ENODATA';
      return null;
    }
    if (name.startsWith('security.') || name.startsWith('system.')) {
      if (name.startsWith('system.')) return 'EOPNOTSUPP'; // POSIX ACLs are not modelled
      // cap_inode_setxattr(): writing security.* needs CAP_SYS_ADMIN (security.capability CAP_SETFCAP).
      if (mask & MAY_WRITE && !capable(t, name === 'security.capability' ? CAP.SETFCAP : CAP.SYS_ADMIN)) return 'EPERM';
      return null;
    }
    if (name.startsWith('user.')) {
      if (!userXattrAllowed(a.mode)) return mask & MAY_WRITE ? 'EPERM' : 'ENODATA';
      if (isDir(a.mode) && a.mode & S_ISVTX && mask & MAY_WRITE && !ownerOrCapable(t, a)) return 'EPERM';
      return this.permission(t, loc, mask);
    }
    // No handler for the prefix (xattr_resolve_name). inode_permission runs first in Linux.
    return this.permission(t, loc, mask) ?? 'EOPNOTSUPP';
  }

  private xattrName(name: PathArg): Result<string> {
    const n = toBstr(name);
    if (n.length === 0 || n.length > XATTR_NAME_MAX) return err('ERANGE');
    return ok(n);
  }

  /** getxattr: size 0 returns the length (as `{length}`), a small buffer ERANGE. */
  getxattr(t: Process, path: PathArg, name: PathArg, size: number): SysResult<Uint8Array | number> {
    return this.xattrGet(t, 'getxattr', path, name, size, true);
  }
  lgetxattr(t: Process, path: PathArg, name: PathArg, size: number): SysResult<Uint8Array | number> {
    return this.xattrGet(t, 'lgetxattr', path, name, size, false);
  }
  fgetxattr(t: Process, fd: number, name: PathArg, size: number): SysResult<Uint8Array | number> {
    return this.sys(t, 'fgetxattr', { fd, name: bstrToText(toBstr(name)), size }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath || !f.loc) return err('EBADF');
      return this.doGetxattr(t, f.loc, name, size);
    });
  }
  private xattrGet(t: Process, sc: string, path: PathArg, name: PathArg, size: number, follow: boolean): SysResult<Uint8Array | number> {
    return this.sys(t, sc, { path: bstrToText(toBstr(path)), name: bstrToText(toBstr(name)), size }, () => {
      const r = this.xattrTarget(t, path, follow);
      if (!r.ok) return r;
      return this.doGetxattr(t, r.value, name, size);
    });
  }
  private doGetxattr(t: Process, loc: Location, name: PathArg, size: number): SysResult<Uint8Array | number> {
    if (size < 0) return err('EINVAL');
    const n = this.xattrName(name);
    if (!n.ok) return n;
    const e = this.xattrCheck(t, loc, n.value, MAY_READ);
    if (e) return err(e);
    const v = loc.inode.getxattr(n.value);
    if (!v.ok) return v;
    if (size === 0) return ok(v.value.length);
    if (v.value.length > size) return err('ERANGE');
    return ok(v.value);
  }

  setxattr(t: Process, path: PathArg, name: PathArg, value: Uint8Array, flags: number): SysResult<void> {
    return this.xattrSet(t, 'setxattr', path, name, value, flags, true);
  }
  lsetxattr(t: Process, path: PathArg, name: PathArg, value: Uint8Array, flags: number): SysResult<void> {
    return this.xattrSet(t, 'lsetxattr', path, name, value, flags, false);
  }
  fsetxattr(t: Process, fd: number, name: PathArg, value: Uint8Array, flags: number): SysResult<void> {
    return this.sys(t, 'fsetxattr', { fd, name: bstrToText(toBstr(name)), value: this.dataArg(value), flags }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath || !f.loc) return err('EBADF');
      return this.doSetxattr(t, f.loc, name, value, flags);
    }, true);
  }
  private xattrSet(t: Process, sc: string, path: PathArg, name: PathArg, value: Uint8Array, flags: number, follow: boolean): SysResult<void> {
    return this.sys(t, sc, { path: bstrToText(toBstr(path)), name: bstrToText(toBstr(name)), value: this.dataArg(value), flags }, () => {
      if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return err('EINVAL');
      const n = this.xattrName(name);
      if (!n.ok) return n;
      if (value.length > XATTR_SIZE_MAX) return err('E2BIG');
      const r = this.xattrTarget(t, path, follow);
      if (!r.ok) return r;
      return this.doSetxattr(t, r.value, name, value, flags);
    }, true);
  }
  private doSetxattr(t: Process, loc: Location, name: PathArg, value: Uint8Array, flags: number): SysResult<void> {
    if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return err('EINVAL');
    const n = this.xattrName(name);
    if (!n.ok) return n;
    if (value.length > XATTR_SIZE_MAX) return err('E2BIG');
    if (loc.mnt.readonly) return err('EROFS');
    const e = this.xattrCheck(t, loc, n.value, MAY_WRITE);
    if (e) return err(e);
    return loc.inode.setxattr(n.value, value, flags);
  }

  /** listxattr: NUL-terminated names; trusted.* listed only with CAP_SYS_ADMIN (ext4/shmem list
   * handlers); size 0 returns the length. */
  listxattr(t: Process, path: PathArg, size: number): SysResult<Uint8Array | number> {
    return this.xattrList(t, 'listxattr', path, size, true);
  }
  llistxattr(t: Process, path: PathArg, size: number): SysResult<Uint8Array | number> {
    return this.xattrList(t, 'llistxattr', path, size, false);
  }
  flistxattr(t: Process, fd: number, size: number): SysResult<Uint8Array | number> {
    return this.sys(t, 'flistxattr', { fd, size }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath || !f.loc) return err('EBADF');
      return this.doListxattr(t, f.loc, size);
    });
  }
  private xattrList(t: Process, sc: string, path: PathArg, size: number, follow: boolean): SysResult<Uint8Array | number> {
    return this.sys(t, sc, { path: bstrToText(toBstr(path)), size }, () => {
      const r = this.xattrTarget(t, path, follow);
      if (!r.ok) return r;
      return this.doListxattr(t, r.value, size);
    });
  }
  private doListxattr(t: Process, loc: Location, size: number): SysResult<Uint8Array | number> {
    if (size < 0) return err('EINVAL');
    const names = loc.inode.listxattr();
    if (!names.ok) return names;
    const admin = capable(t, CAP.SYS_ADMIN);
    const visible = names.value.filter((n) => admin || !n.startsWith('trusted.'));
    const bytes = bstrToBytes(visible.map((n) => n + '\0').join(''));
    if (size === 0) return ok(bytes.length);
    if (bytes.length > size) return err('ERANGE');
    return ok(bytes);
  }

  removexattr(t: Process, path: PathArg, name: PathArg): SysResult<void> {
    return this.xattrRemove(t, 'removexattr', path, name, true);
  }
  lremovexattr(t: Process, path: PathArg, name: PathArg): SysResult<void> {
    return this.xattrRemove(t, 'lremovexattr', path, name, false);
  }
  fremovexattr(t: Process, fd: number, name: PathArg): SysResult<void> {
    return this.sys(t, 'fremovexattr', { fd, name: bstrToText(toBstr(name)) }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath || !f.loc) return err('EBADF');
      const n = this.xattrName(name);
      if (!n.ok) return n;
      if (f.loc.mnt.readonly) return err('EROFS');
      const e = this.xattrCheck(t, f.loc, n.value, MAY_WRITE);
      if (e) return err(e);
      return f.loc.inode.removexattr(n.value);
    }, true);
  }

  private xattrRemove(t: Process, sc: string, path: PathArg, name: PathArg, follow: boolean): SysResult<void> {
    return this.sys(t, sc, { path: bstrToText(toBstr(path)), name: bstrToText(toBstr(name)) }, () => {
      const n = this.xattrName(name);
      if (!n.ok) return n;
      const r = this.xattrTarget(t, path, follow);
      if (!r.ok) return r;
      if (r.value.mnt.readonly) return err('EROFS');
      const e = this.xattrCheck(t, r.value, n.value, MAY_WRITE);
      if (e) return err(e);
      return r.value.inode.removexattr(n.value);
    }, true);
  }

  // ------------------------------------------------------------------ ioctl

  /** ioctl(2): FS_IOC_GETVERSION (i_generation; ENOTTY on filesystems without it, devices, FIFOs,
   * sockets) and FIONREAD on pipes/sockets. */
  ioctl(t: Process, fd: number, cmd: number): SysResult<number> {
    return this.sys(t, 'ioctl', { fd, cmd: '0x' + (cmd >>> 0).toString(16) }, () => {
      const f = this.fdFile(t, fd);
      if (!f || f.isPath) return err('EBADF');
      if (cmd >>> 0 === FIONREAD) {
        if (f.pipe) return ok(f.pipe.bytes);
        if (f.socket) return ok(f.socket.recvBytes);
        if (f.loc && isReg(ownerAttr(f.loc.inode).mode)) return ok(Math.max(0, f.loc.inode.getattr().size - f.pos));
        return err('ENOTTY');
      }
      if (cmd >>> 0 === FS_IOC_GETVERSION) {
        if (!f.loc || f.pipe || f.rdev !== undefined || f.socket) return err('ENOTTY');
        const m = ownerAttr(f.loc.inode).mode;
        if (!isReg(m) && !isDir(m)) return err('ENOTTY');
        return f.loc.inode.getversion();
      }
      return err('ENOTTY');
    });
  }

  // ------------------------------------------------------------------ pipes

  pipe(t: Process, flags = 0): SysResult<[number, number]> {
    return this.sys(t, 'pipe2', { flags }, () => {
      const p = new Pipe(`pipe:[${this.seq}]`);
      p.readers = 1;
      p.writers = 1;
      const nb = flags & O_NONBLOCK;
      const r = new OpenFile(this.nextObjectId('file'), 'pipe', O_RDONLY | nb, undefined, p.label, p);
      const w = new OpenFile(this.nextObjectId('file'), 'pipe', O_WRONLY | nb, undefined, p.label, p);
      const rfd = t.files.install(r, !!(flags & O_CLOEXEC));
      if (rfd < 0) { this.releaseFile(r); this.releaseFile(w); return err('EMFILE'); }
      const wfd = t.files.install(w, !!(flags & O_CLOEXEC));
      if (wfd < 0) { t.files.remove(rfd); this.putFile(r); this.releaseFile(w); return err('EMFILE'); }
      return ok([rfd, wfd] as [number, number]);
    });
  }

  // ------------------------------------------------------------------ AF_UNIX sockets

  private sockFile(t: Process, fd: number): Result<{ f: OpenFile; s: UnixSocket }> {
    const f = this.fdFile(t, fd);
    if (!f) return err('EBADF');
    if (!f.socket) return err('ENOTSOCK');
    return ok({ f, s: f.socket });
  }

  socket(t: Process, domain: number, type: number, protocol = 0): SysResult<number> {
    return this.sys(t, 'socket', { domain, type, protocol }, () => {
      if (domain !== AF_UNIX) return err('EAFNOSUPPORT');
      const base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (base !== SOCK_STREAM) return err('ESOCKTNOSUPPORT'); // only stream sockets are modelled
      if (protocol !== 0) return err('EPROTONOSUPPORT');
      const s = new UnixSocket(this.nextObjectId('socket'));
      const f = new OpenFile(this.nextObjectId('file'), 'socket', O_RDWR | (type & SOCK_NONBLOCK), undefined, `socket:[${s.id}]`, undefined, s);
      return this.installNew(t, f, !!(type & SOCK_CLOEXEC));
    });
  }

  socketpair(t: Process, domain: number, type: number, protocol = 0): SysResult<[number, number]> {
    return this.sys(t, 'socketpair', { domain, type, protocol }, () => {
      if (domain !== AF_UNIX) return err('EAFNOSUPPORT');
      const base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (base !== SOCK_STREAM) return err('ESOCKTNOSUPPORT');
      const [a, b] = UnixSocket.pair(this.nextObjectId('socket'), this.nextObjectId('socket'));
      const fa = new OpenFile(this.nextObjectId('file'), 'socket', O_RDWR | (type & SOCK_NONBLOCK), undefined, `socket:[${a.id}]`, undefined, a);
      const fb = new OpenFile(this.nextObjectId('file'), 'socket', O_RDWR | (type & SOCK_NONBLOCK), undefined, `socket:[${b.id}]`, undefined, b);
      const cloexec = !!(type & SOCK_CLOEXEC);
      const x = t.files.install(fa, cloexec);
      if (x < 0) { this.releaseFile(fa); this.releaseFile(fb); return err('EMFILE'); }
      const y = t.files.install(fb, cloexec);
      if (y < 0) { t.files.remove(x); this.putFile(fa); this.releaseFile(fb); return err('EMFILE'); }
      return ok([x, y] as [number, number]);
    });
  }

  /** bind(2) on a path: the socket inode is created with mode 0777 & ~umask (unix_bind); an existing
   * name is EADDRINUSE; a path of 108 bytes or more does not fit sun_path (EINVAL). */
  bind(t: Process, fd: number, path: PathArg): SysResult<void> {
    const p = toBstr(path);
    return this.sys(t, 'bind', { fd, path: bstrToText(p) }, () => {
      const sf = this.sockFile(t, fd);
      if (!sf.ok) return sf;
      const s = sf.value.s;
      if (p.length >= UNIX_PATH_MAX) return err('EINVAL');
      if (p.length === 0) return err('EINVAL'); // autobind/abstract names not modelled
      if (s.boundKey) return err('EINVAL');
      const ct = this.createTarget(t, AT_FDCWD, p, false);
      if (!ct.ok) return err(ct.errno === 'EEXIST' ? 'EADDRINUSE' : ct.errno);
      const { parent, name } = ct.value;
      const e = this.mayCreate(t, parent);
      if (e) return err(e);
      const own = initOwner(t, ownerAttr(parent.inode), S_IFSOCK | (0o777 & ~t.fs.umask));
      const c = parent.inode.create(name, own);
      if (!c.ok) return c;
      s.boundKey = inodeKey(c.value);
      s.boundPath = this.pathOf({ mnt: parent.mnt, inode: c.value, via: { dir: parent.inode, name } });
      return OK_VOID;
    }, true);
  }

  listen(t: Process, fd: number, backlog: number): SysResult<void> {
    return this.sys(t, 'listen', { fd, backlog }, () => {
      const sf = this.sockFile(t, fd);
      if (!sf.ok) return sf;
      const s = sf.value.s;
      if (!s.boundKey || s.state === 'connected') return err('EINVAL');
      s.state = 'listening';
      s.maxBacklog = Math.max(0, Math.min(backlog, 4096));
      this.listeners.set(s.boundKey, s);
      return OK_VOID;
    });
  }

  /** connect(2) to a path: write permission on the socket inode (EACCES), a socket that listens
   * (ECONNREFUSED otherwise, also for non-socket files); a full backlog sleeps (EAGAIN if O_NONBLOCK).
   * The backlog is full when more than `backlog` connections wait (unix_recvq_full: `>`). */
  connect(t: Process, fd: number, path: PathArg): SysResult<void> {
    const p = toBstr(path);
    const args = { fd, path: bstrToText(p) };
    return this.sys(t, 'connect', args, () => {
      const sf = this.sockFile(t, fd);
      if (!sf.ok) return sf;
      const { f, s } = sf.value;
      if (s.state === 'connected') return err('EISCONN');
      if (s.state === 'listening') return err('EINVAL');
      if (p.length >= UNIX_PATH_MAX) return err('EINVAL');
      const r = this.namei.resolve(t, t.fs.cwd, p, { follow: true });
      if (!r.ok) return r;
      const e = this.permission(t, r.value, MAY_WRITE);
      if (e) return err(e);
      if (!isSock(ownerAttr(r.value.inode).mode)) return err('ECONNREFUSED');
      const key = inodeKey(r.value.inode);
      const attempt = (): SysResult<void> => {
        const l = this.listeners.get(key);
        if (!l || l.state !== 'listening') return err('ECONNREFUSED');
        if (l.backlog.length > l.maxBacklog) {
          if (f.flags & O_NONBLOCK) return err('EAGAIN');
          return this.blocked(t, 'connect', args, { on: 'connect-backlog', what: l.boundPath ?? '' }, attempt);
        }
        const server = new UnixSocket(this.nextObjectId('socket'));
        server.embryo = true;
        server.state = 'connected';
        server.peer = s;
        server.boundPath = l.boundPath;
        s.peer = server;
        s.state = 'connected';
        l.backlog.push(server);
        return OK_VOID;
      };
      return attempt();
    });
  }

  accept(t: Process, fd: number, flags = 0): SysResult<number> {
    const args = { fd, flags };
    return this.sys(t, 'accept4', args, () => {
      const sf = this.sockFile(t, fd);
      if (!sf.ok) return sf;
      const { f, s } = sf.value;
      if (s.state !== 'listening') return err('EINVAL');
      const attempt = (): SysResult<number> => {
        if (s.state !== 'listening') return err('EINVAL');
        const c = s.backlog.shift();
        if (!c) {
          if (f.flags & O_NONBLOCK) return err('EAGAIN');
          return this.blocked(t, 'accept4', args, { on: 'accept', what: s.boundPath ?? `socket:[${s.id}]` }, attempt);
        }
        c.embryo = false;
        const nf = new OpenFile(this.nextObjectId('file'), 'socket', O_RDWR | (flags & SOCK_NONBLOCK), undefined, `socket:[${c.id}]`, undefined, c);
        return this.installNew(t, nf, !!(flags & SOCK_CLOEXEC));
      };
      return attempt();
    });
  }

  shutdown(t: Process, fd: number, how: number): SysResult<void> {
    return this.sys(t, 'shutdown', { fd, how }, () => {
      const sf = this.sockFile(t, fd);
      if (!sf.ok) return sf;
      const s = sf.value.s;
      if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) return err('EINVAL');
      if (s.state !== 'connected') return err('ENOTCONN');
      // unix_shutdown(): the peer gets the mirror image (our RCV → its SEND, our SEND → its RCV).
      if (how === SHUT_RD || how === SHUT_RDWR) {
        s.rcvShutdown = true;
        if (s.peer) s.peer.sndShutdown = true;
      }
      if (how === SHUT_WR || how === SHUT_RDWR) {
        s.sndShutdown = true;
        if (s.peer) s.peer.rcvShutdown = true;
      }
      return OK_VOID;
    });
  }

  /** sendmsg(2) on a stream socket with optional SCM_RIGHTS fds (each must be open: EBADF; at most
   * 253: EINVAL). Returns the bytes queued. A peer that is gone: EPIPE. */
  sendmsg(t: Process, fd: number, data: Uint8Array, opts: { fds?: number[]; flags?: number } = {}): SysResult<number> {
    if (t.state !== 'running') return err('ESRCH');
    const fds = opts.fds ?? NO_FDS;
    const flags = opts.flags ?? 0;
    const args = this.observed ? sendmsgArgs(fd, data, fds, flags) : undefined;
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<number>;
    try {
      r = this.doSendmsg(t, fd, data, fds, flags, args);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'sendmsg', args, r, false);
  }

  private doSendmsg(t: Process, fd: number, data: Uint8Array, fds: readonly number[], flags: number, args: ArgsRecord): SysResult<number> {
    const sf = this.sockFile(t, fd);
    if (!sf.ok) return sf;
    if (fds.length > SCM_MAX_FD) return err('EINVAL');
    let files = NO_FILES;
    if (fds.length) {
      const list: OpenFile[] = [];
      for (const x of fds) {
        const ff = this.fdFile(t, x);
        if (!ff) return err('EBADF');
        list.push(ff);
      }
      files = list;
    }
    // A sleeping sendmsg records its full arguments (raw bytes, summarized if observed at completion).
    return this.doSend(t, sf.value.f, data, files, flags, fd, args ?? { fd, data, fds, flags }, 'sendmsg');
  }

  /** A stream send; `args` is the record a sleep reports ({fd} when not given: write(2)). */
  private doSend(t: Process, f: OpenFile, data: Uint8Array, files: readonly OpenFile[], flags: number, fd: number, args: ArgsRecord, sc: string): SysResult<number> {
    // The retry closure is built only when the send sleeps (perf: the peer's buffer is rarely full).
    const r = this.sendAttempt(f, data, files, flags);
    if (r !== SLEEP) return r;
    const sleepArgs = args ?? { fd };
    const attempt = (): SysResult<number> => {
      const x = this.sendAttempt(f, data, files, flags);
      return x === SLEEP ? this.blocked(t, sc, sleepArgs, { on: 'send', what: f.socket!.label }, attempt) : x;
    };
    return this.blocked(t, sc, sleepArgs, { on: 'send', what: f.socket!.label }, attempt);
  }

  /** One try of a stream send: bytes queued, or SLEEP when the peer's buffer is full. */
  private sendAttempt(f: OpenFile, data: Uint8Array, files: readonly OpenFile[], flags: number): SysResult<number> | typeof SLEEP {
    const s = f.socket!;
    // unix_stream_sendmsg(): no peer ENOTCONN; own SEND_SHUTDOWN EPIPE (a closed peer sets it);
    // a zero-length send queues nothing (not even fds); a dead or read-shut peer EPIPE.
    if (s.state !== 'connected' || !s.peer) return err(s.state === 'closed' ? 'EPIPE' : 'ENOTCONN');
    if (s.sndShutdown) return err('EPIPE');
    if (data.length === 0) return ok(0);
    const peer = s.peer;
    if (peer.state === 'closed' || peer.rcvShutdown) return err('EPIPE');
    if (data.length > 0 && peer.room() === 0) {
      if (f.flags & O_NONBLOCK || flags & MSG_DONTWAIT) return err('EAGAIN');
      return SLEEP;
    }
    const n = Math.min(data.length, Math.max(peer.room(), files.length ? data.length : 0));
    for (let i = 0; i < files.length; i++) files[i]!.refs++; // in flight
    peer.enqueue(n === data.length ? data : data.subarray(0, n), files.length ? files as OpenFile[] : null);
    return okInt(n);
  }

  /** recvmsg(2): up to `len` bytes; fds carried by the consumed segment are installed lowest-free
   * (up to `maxFds`, the rest closed with MSG_CTRUNC). Empty queue: pending ECONNRESET once, EOF (0
   * bytes) after the peer closed or shut down, else sleep (EAGAIN with O_NONBLOCK/MSG_DONTWAIT). */
  recvmsg(t: Process, fd: number, len: number, opts: { maxFds?: number; flags?: number; cloexec?: boolean } = NO_OPTS): SysResult<RecvResult> {
    if (t.state !== 'running') return err('ESRCH');
    const maxFds = opts.maxFds ?? SCM_MAX_FD;
    const flags = opts.flags ?? 0;
    // Unobserved, the record is built only if the receive sleeps (its completion may be observed).
    const args = this.observed ? { fd, len, maxFds, flags } : undefined;
    const outer = this.currentTask;
    this.currentTask = t;
    let r: SysResult<RecvResult>;
    try {
      const f = this.fdFile(t, fd);
      r = !f ? err('EBADF') : !f.socket ? err('ENOTSOCK') : this.doRecv(t, f, len, flags, maxFds, args, opts.cloexec ?? false, fd);
    } finally {
      this.currentTask = outer;
    }
    return this.finish(t, 'recvmsg', args, r, false);
  }

  private doRecv(t: Process, f: OpenFile, len: number, flags: number, maxFds: number, args: ArgsRecord, cloexec: boolean, fd: number): SysResult<RecvResult> {
    // The retry closure and the record are built only when the receive sleeps (perf: most find data).
    const r = this.recvAttempt(t, f, len, flags, maxFds, cloexec);
    if (r !== SLEEP) return r;
    const sleepArgs = args ?? { fd, len, maxFds, flags };
    const attempt = (): SysResult<RecvResult> => {
      const x = this.recvAttempt(t, f, len, flags, maxFds, cloexec);
      return x === SLEEP ? this.blocked(t, 'recvmsg', sleepArgs, f.socket!.recvWait, attempt) : x;
    };
    return this.blocked(t, 'recvmsg', sleepArgs, f.socket!.recvWait, attempt);
  }

  /** read(2) on a socket: recvmsg without control data — the fds a segment carries are dropped
   * (MSG_CTRUNC unseen). Its own attempt, so a read allocates no RecvResult. */
  private socketRead(t: Process, f: OpenFile, len: number, args: ArgsRecord, fd: number): SysResult<Uint8Array> {
    const r = this.readAttempt(f, len);
    return r !== SLEEP ? r : (this.sleepingSocketRead(t, f, len, args ?? { fd, len }, undefined, 0) as Blocked<Uint8Array>);
  }

  /**
   * A socket read(2) asleep (readInto's when `buf` is given). resume() re-runs the receive and records
   * it as blocked() does — `resumed`, counted as a change — with recvmsg's result shape (resultRecord).
   */
  private sleepingSocketRead(t: Process, f: OpenFile, len: number, args: Record<string, unknown>, buf: Uint8Array | undefined, off: number): Blocked<Uint8Array | number> {
    return new SleepingSocketRead(this, t, f, len, args, buf, off);
  }

  /** SleepingSocketRead.resume(). */
  resumeSocketRead(w: SleepingSocketRead): SysResult<Uint8Array | number> {
    const t = w.t;
    if (t.state !== 'running') return err('ESRCH');
    const outer = this.currentTask;
    this.currentTask = t;
    let x: SysResult<Uint8Array | number> | typeof SLEEP;
    try {
      x = w.buf ? this.readIntoAttempt(w.f, w.buf, w.off, w.len) : this.readAttempt(w.f, w.len);
    } finally {
      this.currentTask = outer;
    }
    const r = x === SLEEP ? this.sleepingSocketRead(t, w.f, w.len, w.args, w.buf, w.off) : x;
    return this.finish(t, 'read', this.observed ? { ...w.args, resumed: true } : w.args, r, true, w.buf, w.off, true);
  }

  /** Whether the last socket read(2) dropped fds its segment carried (MSG_CTRUNC, see resultRecord). */
  private readCtrunc = false;

  /** recvAttempt for read(2): the same rules, no flags, no fds installed. */
  private readAttempt(f: OpenFile, len: number): SysResult<Uint8Array> | typeof SLEEP {
    const s = f.socket!;
    this.readCtrunc = false;
    if (s.state === 'listening' || s.state === 'unconnected') return err('EINVAL');
    if (s.hasData) {
      const data = s.dequeue(len, false);
      const fds = s.dequeuedFds;
      s.dequeuedFds = null;
      if (fds !== null) {
        this.readCtrunc = true;
        for (let i = 0; i < fds.length; i++) this.putFile(fds[i]!); // the in-flight references
      }
      return ok(data);
    }
    if (s.pendingError) {
      const e = s.pendingError;
      s.pendingError = null;
      return err(e);
    }
    if (s.rcvShutdown || !s.peer || s.peer.state === 'closed') return ok(new Uint8Array(0));
    if (f.flags & O_NONBLOCK) return err('EAGAIN');
    return SLEEP;
  }

  /** One try of a stream receive: the result, or SLEEP when it would block. */
  private recvAttempt(t: Process, f: OpenFile, len: number, flags: number, maxFds: number, cloexec: boolean): SysResult<RecvResult> | typeof SLEEP {
    const s = f.socket!;
    if (s.state === 'listening' || s.state === 'unconnected') return err('EINVAL');
    // A zero-length receive still waits for data (sock_rcvlowat() is at least 1) and, when a
    // segment is queued, takes that segment's fds with no bytes (unix_stream_read_generic).
    if (s.hasData) {
      const data = s.dequeue(len, (flags & MSG_PEEK) !== 0);
      const fds = s.dequeuedFds ?? NO_FILES;
      s.dequeuedFds = null;
      const out: number[] = [];
      let msgFlags = 0;
      if (!(flags & MSG_PEEK)) {
        for (let i = 0; i < fds.length; i++) {
          const ff = fds[i]!;
          if (i < maxFds) {
            const n = t.files.install(ff, cloexec);
            if (n >= 0) out.push(n);
            else msgFlags |= MSG_CTRUNC;
          } else msgFlags |= MSG_CTRUNC;
          this.putFile(ff); // the in-flight reference
        }
      }
      return ok({ data, fds: out.length ? out : (NO_FDS as number[]), msgFlags });
    }
    if (s.pendingError) {
      const e = s.pendingError;
      s.pendingError = null;
      return err(e);
    }
    if (s.rcvShutdown || !s.peer || s.peer.state === 'closed') return ok({ data: new Uint8Array(0), fds: [], msgFlags: 0 });
    if (f.flags & O_NONBLOCK || flags & MSG_DONTWAIT) return err('EAGAIN');
    return SLEEP;
  }

  /** The state of the socket behind an fd (for tests, the UI and the conformance harness). */
  socketOf(t: Process, fd: number): UnixSocket | undefined {
    return this.fdFile(t, fd)?.socket;
  }

  /** The open file description behind an fd. */
  fileOf(t: Process, fd: number): OpenFile | undefined {
    return this.fdFile(t, fd);
  }

  /** Display path of what an fd refers to (like readlink /proc/PID/fd/N). */
  fdPath(t: Process, fd: number): Result<string> {
    const f = this.fdFile(t, fd);
    if (!f) return err('EBADF');
    if (f.socket) return ok(`socket:[${f.socket.id}]`);
    if (f.pipe && f.kind === 'pipe') return ok(f.pipe.label);
    return ok(f.loc ? this.pathOf(f.loc) + (ownerAttr(f.loc.inode).nlink === 0 ? ' (deleted)' : '') : '?');
  }

  /** Every open fd of every process: "which process has what open". */
  listOpenFds(): OpenFdInfo[] {
    const out: OpenFdInfo[] = [];
    const seen = new Set<object>();
    for (const p of this.processes.values()) {
      if (seen.has(p.files)) continue;
      seen.add(p.files);
      for (const [fd, e] of p.files.entries()) {
        const path = this.fdPath(p, fd);
        out.push({ pid: p.pid, comm: p.comm, fd, cloexec: e.cloexec, description: e.file.id, kind: e.file.kind, path: path.ok ? path.value : '?', flags: e.file.flags, pos: e.file.pos });
      }
    }
    return out;
  }

  /** Resolve a path for tools (no trace record); the caller's view, following symlinks or not. */
  resolve(t: Process, path: PathArg, follow = true): Result<Location> {
    return this.namei.resolve(t, t.fs.cwd, toBstr(path), { follow });
  }
}
