// Adapter from sim/host's syscall observer (Kernel.observe, SyscallRecord) to `syscall` events.
// The kernel reports errno by name and capability sets as /proc-style hex; events carry Linux errno
// numbers (the same x86_64 table, sim/p9/errno.ts) and bigint masks.
import type { SyscallRecord } from '../host/kernel.ts';
import { errnoNumber } from '../p9/errno.ts';
import type { Lane, SyscallEvent } from './event.ts';
import type { Disposable, TraceRecorder } from './recorder.ts';

/** Which lane a process's syscalls belong to. Default: by comm (the helper's comm is truncated to 15 chars). */
export type LaneOf = (rec: Pick<SyscallRecord, 'pid' | 'comm'>) => Lane;

export const defaultLaneOf: LaneOf = ({ comm }) =>
  comm.startsWith('virtfs-proxy') ? 'helper' : comm.startsWith('qemu') ? 'qemu' : comm === 'libvirtd' || comm === 'virsh' ? 'libvirt' : 'host';

function capMask(hex: string): bigint {
  return /^[0-9a-fA-F]+$/.test(hex) ? BigInt(`0x${hex}`) : 0n;
}

/** The event fields for one kernel record (without id/cause/t). */
export function syscallEventFromRecord(rec: SyscallRecord, laneOf: LaneOf = defaultLaneOf): Omit<SyscallEvent, 'id' | 'cause' | 't'> {
  const c = rec.creds;
  const ev: Omit<SyscallEvent, 'id' | 'cause' | 't'> = {
    kind: 'syscall',
    lane: laneOf(rec),
    pid: rec.pid,
    comm: rec.comm,
    creds: { uid: [c.ruid, c.euid, c.suid, c.fsuid], gid: [c.rgid, c.egid, c.sgid, c.fsgid], groups: [...c.groups] },
    // The kernel record has no inheritable/ambient sets: the helper never uses them (proxy-protocol.md §11.5).
    caps: { effective: capMask(rec.caps.eff), permitted: capMask(rec.caps.perm), inheritable: 0n, bounding: capMask(rec.caps.bnd) },
    root: rec.root,
    cwd: rec.cwd,
    name: rec.syscall,
    args: rec.args,
  };
  if (rec.tid !== rec.pid) ev.tid = rec.tid;
  if (rec.blocked) ev.blocked = { on: rec.blocked.on, what: rec.blocked.what };
  else if (rec.ok) ev.result = rec.result;
  else if (rec.errno !== undefined) ev.errno = errnoNumber(rec.errno) ?? -1;
  return ev;
}

export interface AttachOptions {
  laneOf?: LaneOf;
  /** Ignore some records (e.g. the guest kernel's own bookkeeping). */
  filter?: (rec: SyscallRecord) => boolean;
}

/** Record every syscall `kernel` reports, with the recorder's current cause and clock. */
export function attachKernel(recorder: TraceRecorder, kernel: { observe(fn: (rec: SyscallRecord) => void): () => void }, opts: AttachOptions = {}): Disposable {
  const off = kernel.observe((rec) => {
    if (opts.filter && !opts.filter(rec)) return;
    recorder.syscall(syscallEventFromRecord(rec, opts.laneOf));
  });
  return { dispose: off };
}
