// The assembled system (issue 4 §1.3): a host kernel with its tree, libvirtd carrying out a launch
// plan (socketpair at the plan's fd numbers, the helper spawned — or failing to exec — and QEMU
// forked with its end), the simulated virtfs-proxy-helper, and QEMU with its 9p devices realized.
// The guest gets `transport()`. Every launch step is recorded in lane `libvirt`.
import type { Kernel } from '../host/kernel.ts';
import type { Process } from '../host/process.ts';
import { fullCaps } from '../host/caps.ts';
import { AF_UNIX, SOCK_STREAM, O_RDWR, isReg } from '../host/constants.ts';
import { textToBstr, bstrToBytes } from '../host/bytes.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import type { LaunchEvent, FdRef } from '../trace/event.ts';
import { launchHelper, type LaunchedHelper } from '../helper/launch.ts';
import { startQemu, type QemuProcess } from '../qemu/process/qemu.ts';
import type { P9Transport } from '../qemu/server/transport.ts';
import { NULL_TRACE, type QemuTraceSink } from '../qemu/server/trace-sink.ts';
import { RecorderSink } from './recorder-sink.ts';

/** libvirt-qemu on Debian (the user QEMU runs as under libvirt). */
export const LIBVIRT_QEMU_UID = 64055;
export const LIBVIRT_QEMU_GID = 64055;
/** What Debian 12's qemu-system-common / qemu-system-x86 install (real-helper.md §1). */
export const DEBIAN_EMULATOR = '/usr/bin/qemu-system-x86_64';
export const DEBIAN_HELPER = '/usr/lib/qemu/virtfs-proxy-helper';

export interface LaunchSpec {
  /** QEMU's whole argv, program first. */
  qemu: readonly string[];
  /** The helper's argv (program path first), or none. */
  helper?: readonly string[] | null;
  /** The socketpair libvirtd makes: which end goes where, at which fd number. */
  socketpair?: { helperFd: number; qemuFd: number } | null;
  /** Several proxy filesystems: one socketpair and one helper each, in order (libvirt plan). */
  proxies?: readonly { helper: readonly string[]; helperFd: number; qemuFd: number }[];
}

export interface LabOptions {
  /** The host, with the export tree already built. */
  kernel: Kernel;
  qemuVersion: string;
  /** Record launch steps, 9P, proxy frames, notes and every host syscall. */
  recorder?: TraceRecorder;
  /** QEMU's credentials; default libvirt-qemu (64055) when a helper is involved, else root. */
  qemuUser?: { uid: number; gid: number; groups?: number[] };
  /** Binaries the host has (installed if absent; exec of other paths fails). Default Debian 12's
   *  (`/usr/bin/qemu-system-x86_64`, `/usr/lib/qemu/virtfs-proxy-helper`); QEMU 1.1 installed the
   *  helper next to the emulator (libvirt.md §4.4). `false`: install nothing. */
  installed?: { emulator: string; helper: string } | false;
  /** Helper options: T_GETVERSION high half ("stack" garbage as observed, or zero-extended). */
  getversionHighHalf?: 'zero' | 'stack';
  seed?: number;
}

export class Lab {
  readonly stderr: { helper: string; qemu: string } = { helper: '', qemu: '' };
  readonly syslog: string[] = [];
  readonly helpers: LaunchedHelper[] = [];
  qemu!: QemuProcess;

  /** The first helper (the usual single proxy filesystem). */
  get helper(): LaunchedHelper | undefined {
    return this.helpers[0];
  }
  readonly sink: QemuTraceSink;

  constructor(readonly kernel: Kernel, readonly libvirtd: Process, readonly recorder: TraceRecorder | undefined) {
    this.sink = recorder ? new RecorderSink(recorder) : NULL_TRACE;
  }

  /** The virtio-9p transport of a device (default: the first). */
  transport(mountTag?: string): P9Transport {
    return this.qemu.transport(mountTag);
  }

  /** The scheduler's "let the other processes run": the helper serves what is on its socket. */
  runOthers = (): boolean => {
    let progress = false;
    for (const { helper: h } of this.helpers) {
      if (!h.alive) continue;
      const before = h.requests;
      h.run();
      if (h.requests !== before || !h.alive) progress = true;
    }
    return progress;
  };

  launch(step: string, text: string, extra: Partial<Pick<LaunchEvent, 'argv' | 'fds'>> = {}): void {
    this.recorder?.record<LaunchEvent>({ kind: 'launch', lane: 'libvirt', step, text, ...extra });
  }
}

function mkdirP(k: Kernel, t: Process, dir: string): void {
  let p = '';
  for (const part of dir.split('/').filter(Boolean)) {
    p += `/${part}`;
    k.mkdir(t, p, 0o755);
  }
}

function installBinary(k: Kernel, t: Process, path: string): void {
  if (k.stat(t, path).ok) return;
  mkdirP(k, t, path.slice(0, path.lastIndexOf('/')));
  const fd = k.open(t, path, 0o1 | 0o100, 0o755);
  if (fd.ok) k.close(t, fd.value);
}

/** execve's view of a path: a regular file with an execute bit (else ENOENT / EACCES). */
function canExec(k: Kernel, t: Process, path: string): string | null {
  const st = k.stat(t, bstrToBytes(textToBstr(path)));
  if (!st.ok) return st.errno === 'ENOENT' ? 'No such file or directory' : st.errno;
  if (!isReg(st.value.mode) || !(st.value.mode & 0o111)) return 'Permission denied';
  return null;
}

export function launchLab(spec: LaunchSpec, o: LabOptions): Lab {
  const k = o.kernel;
  const libvirtd = k.spawn({ comm: 'libvirtd', uid: 0, gid: 0, caps: fullCaps(), umask: 0o022 });
  const lab = new Lab(k, libvirtd, o.recorder);
  const rec = o.recorder;
  let detach: (() => void) | undefined;
  if (rec) {
    // Every host syscall, with the recorder's current cause (the 9P request or launch step).
    detach = attachSyscalls(rec, k);
  }
  void detach;
  const installed = o.installed === undefined ? { emulator: DEBIAN_EMULATOR, helper: DEBIAN_HELPER } : o.installed;
  if (installed) {
    installBinary(k, libvirtd, installed.emulator);
    installBinary(k, libvirtd, installed.helper);
  }
  // libvirtd's stdio is /dev/null (a daemon).
  for (let i = 0; i < 3; i++) {
    const n = k.open(libvirtd, '/dev/null', O_RDWR, 0);
    if (!n.ok) break;
  }

  const fdsRef = (pairs: [number, string][]): FdRef[] => pairs.map(([fd, refersTo]) => ({ fd, refersTo }));
  const proxies = spec.proxies ?? (spec.socketpair ? [{ helper: spec.helper ?? [], ...spec.socketpair }] : []);
  const qemuFds: number[] = [];
  for (const px of proxies) {
    const sp = k.socketpair(libvirtd, AF_UNIX, SOCK_STREAM, 0);
    if (!sp.ok) throw new Error(`socketpair failed: ${sp.errno}`);
    // Put the ends at the plan's numbers (libvirtd's fd table decides them; the plan records them).
    let [a, b] = sp.value;
    const moveTo = (from: number, to: number): void => {
      if (from === to) return;
      if (k.fileOf(libvirtd, to)) {
        // Whatever sits at `to` (e.g. the other end) moves out of the way first.
        const tmp = k.dup(libvirtd, to);
        if (tmp.ok) { if (b === to) b = tmp.value; if (a === to) a = tmp.value; }
      }
      k.dup2(libvirtd, from, to);
      k.close(libvirtd, from);
    };
    moveTo(a, px.helperFd);
    moveTo(b, px.qemuFd);
    qemuFds.push(px.qemuFd);
    lab.launch('socketpair', `socketpair(AF_UNIX, SOCK_STREAM) → helper end fd ${px.helperFd}, QEMU end fd ${px.qemuFd}`, { fds: fdsRef([[px.helperFd, 'socketpair end 0 (helper)'], [px.qemuFd, 'socketpair end 1 (QEMU)']]) });
    spawnHelper(lab, o, [...px.helper], px.helperFd);
  }
  if (!proxies.length && spec.helper && spec.helper.length) spawnHelper(lab, o, [...spec.helper], -1);

  // QEMU: fork libvirtd with its socketpair end, drop to the QEMU user, exec the emulator.
  const qemuTask = k.fork(libvirtd, 'qemu-system-x86');
  for (const [fd] of qemuTask.files.entries()) if (fd > 2 && !qemuFds.includes(fd)) k.close(qemuTask, fd);
  const user = o.qemuUser ?? (proxies.length || spec.helper ? { uid: LIBVIRT_QEMU_UID, gid: LIBVIRT_QEMU_GID } : { uid: 0, gid: 0 });
  if (user.uid !== 0 || user.gid !== 0) {
    k.setgroups(qemuTask, user.groups ?? []);
    k.setresgid(qemuTask, user.gid, user.gid, user.gid);
    k.setresuid(qemuTask, user.uid, user.uid, user.uid);
  }
  lab.launch('qemu-argv', `exec ${spec.qemu[0]} as uid ${user.uid}`, { argv: [...spec.qemu], fds: qemuFds.length ? fdsRef(qemuFds.map((fd) => [fd, 'socketpair end 1'])) : undefined });
  for (const fd of qemuFds) k.close(libvirtd, fd);
  lab.qemu = startQemu({ kernel: k, task: qemuTask, version: o.qemuVersion, args: spec.qemu.slice(1), trace: lab.sink, runOthers: lab.runOthers });
  lab.stderr.qemu = lab.qemu.stderr;
  if (lab.qemu.status !== 'running') {
    lab.launch('qemu-exit', `QEMU ${lab.qemu.status}${lab.qemu.exitCode !== null ? ` with status ${lab.qemu.exitCode}` : ''}: ${lab.qemu.stderr.trim()}`);
    // The orphaned helper sees EOF and leaves its loop (scenarios.md launch/leftover-path-on-qemu-7.2).
    lab.runOthers();
  }
  return lab;
}

/** virCommandTransferFD + virCommandDaemonize + virCommandRun: fork, exec the helper with its fd. */
function spawnHelper(lab: Lab, o: LabOptions, argv: string[], helperFd: number): void {
  const k = lab.kernel;
  const libvirtd = lab.libvirtd;
  const rec = o.recorder;
  const why = argv.length ? canExec(k, libvirtd, argv[0]!) : 'No such file or directory';
  if (why) {
    // The exec fails in the daemonised grandchild; libvirt sees success (libvirt.md §4.4).
    const child = k.fork(libvirtd, 'libvirtd');
    for (const [fd] of child.files.entries()) if (fd !== helperFd && fd > 2) k.close(child, fd);
    lab.stderr.helper += `cannot execute binary ${argv[0]}: ${why}\n`;
    lab.launch('exec-helper', `exec ${argv[0]} failed in the daemonised child (${why}); libvirt does not notice`, { argv });
    rec?.note('libvirt', 'launch:helper-exec-failed', `cannot execute binary ${argv[0]}: ${why} — written to the grandchild's stderr, unseen by libvirt`, 'libvirt.md §4.4; scenarios.md launch/helper-not-next-to-emulator', 'finding');
    k.exit(child, 127);
  } else {
    lab.launch('exec-helper', `fork + exec ${argv.join(' ')} (as root, all capabilities)`, { argv, fds: helperFd >= 0 ? [{ fd: helperFd, refersTo: 'socketpair end 0' }] : undefined });
    lab.helpers.push(launchHelper(k, {
      parent: libvirtd,
      argv,
      keepFds: [0, 1, 2, ...(helperFd >= 0 ? [helperFd] : [])],
      version: o.qemuVersion,
      getversionHighHalf: o.getversionHighHalf,
      seed: o.seed,
      stderr: (t) => { lab.stderr.helper += t; },
      syslog: (l) => { lab.syslog.push(l); },
    }));
  }
  if (helperFd >= 0) {
    k.close(libvirtd, helperFd);
    lab.launch('close-fd', `libvirtd closes its copy of fd ${helperFd} (virCommandTransferFD)`);
  }
}

/** Record the host kernel's syscalls as `syscall` events (sim/trace host adapter, inlined shape). */
function attachSyscalls(rec: TraceRecorder, k: Kernel): () => void {
  return k.observe((r) => {
    const c = r.creds;
    const hex = (h: string) => (/^[0-9a-fA-F]+$/.test(h) ? BigInt(`0x${h}`) : 0n);
    const lane = r.comm.startsWith('virtfs-proxy') ? 'helper' : r.comm.startsWith('qemu') ? 'qemu' : r.comm === 'libvirtd' ? 'libvirt' : 'host';
    rec.syscall({
      kind: 'syscall', lane, pid: r.pid, comm: r.comm,
      creds: { uid: [c.ruid, c.euid, c.suid, c.fsuid], gid: [c.rgid, c.egid, c.sgid, c.fsgid], groups: [...c.groups] },
      caps: { effective: hex(r.caps.eff), permitted: hex(r.caps.perm), inheritable: 0n, bounding: hex(r.caps.bnd) },
      root: r.root, cwd: r.cwd, name: r.syscall, args: r.args,
      ...(r.tid !== r.pid ? { tid: r.tid } : {}),
      ...(r.blocked ? { blocked: { on: r.blocked.on, what: r.blocked.what } } : r.ok ? { result: r.result } : { errno: errnoNum(r.errno) }),
    });
  });
}

import { ERRNO } from '../host/errno.ts';
function errnoNum(e: string | undefined): number {
  return e && e in ERRNO ? ERRNO[e as keyof typeof ERRNO] : -1;
}
