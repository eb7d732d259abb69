// The one event model every layer records into (DESIGN.md §2: "every arrow is a place where the trace
// records an event"). Events are plain data: serialisable, comparable, cheap to hold by the 100,000.
// Each event has a numeric `id` (1, 2, … in recording order) and a `cause`: the id of the event that
// made it happen (a Twalk causes T_LSTAT frames, which cause the helper's lstat syscalls), or null
// for a root such as a guest shell command. `t` is the virtual clock in nanoseconds.
// Names of p9 events follow QEMU's hw/9pfs/trace-events (style.md §4.5): `traceName` = `v9fs_walk`,
// `v9fs_walk_return`, `v9fs_rerror`.
import type { P9Message } from '../p9/messages.ts';
import type { P9DecodeError } from '../p9/errors.ts';

/** Lanes, left to right as in the sequence diagram (ui-anchors.md: guest · QEMU · helper · host). */
export const LANES = ['libvirt', 'guest', 'qemu', 'helper', 'host'] as const;
export type Lane = (typeof LANES)[number];

export const EVENT_KINDS = ['launch', 'guest-call', 'p9', 'proxy', 'syscall', 'note', 'process'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

interface Base {
  id: number;
  cause: number | null;
  /** Virtual time, ns (a JS number: exact up to 2^53 ns ≈ 104 days of virtual time). */
  t: number;
  /** The lane that acts (sender of a message, caller of a syscall). */
  lane: Lane;
}

/** libvirt's launch plan being carried out (libvirt.md; seed-libvirt-proxy-patch.txt). */
export interface LaunchEvent extends Base {
  kind: 'launch';
  /** `socketpair`, `fork`, `exec-helper`, `qemu-argv`, `close-fd`, `chown`, … */
  step: string;
  text: string;
  argv?: string[];
  /** fds involved and what each refers to (`"socketpair end 0"`). */
  fds?: FdRef[];
}

/** A call made by a guest program: a Linux syscall (shell over the guest kernel) or a WASI call. */
export interface GuestCallEvent extends Base {
  kind: 'guest-call';
  api: 'syscall' | 'wasi';
  name: string;
  args: Record<string, unknown>;
  result?: unknown;
  /** errno number when the call failed (Linux numbering; WASI errnos are translated by the caller). */
  errno?: number;
}

/** A 9P2000.L message on the virtio transport. */
export interface P9Event extends Base {
  kind: 'p9';
  direction: 'request' | 'reply';
  /** guest → qemu for requests, qemu → guest for replies. */
  to: Lane;
  /** Message name (`Twalk`), or `unknown` if the bytes did not decode. */
  msgType: string;
  tag: number;
  /**
   * Which 9P session the message belongs to when there are several (one per virtio-9p device:
   * the mount tag or device id). Tags are only unique within a session. Absent = the only one.
   */
  channel?: string;
  /** Fids the message names (fid, newfid, dfid, …); replies carry their request's fids. */
  fids: number[];
  /** Decoded message; absent when `bytes` is malformed (see `decodeError`). */
  message?: P9Message;
  decodeError?: { code: string; message: string; field: string; offset: number };
  /** The wire bytes, header included. */
  bytes: Uint8Array;
  /** QEMU trace-event name for this message, where QEMU has one. */
  traceName?: string;
  /** For replies: the id of the request event answered (same tag). */
  replyTo?: number;
  /** Rlerror's ecode, copied here so errno filters need not look inside `message`. */
  errno?: number;
}

export interface FdRef {
  fd: number;
  /** What the fd refers to, for people: `"/srv/export/hello.txt (regular, O_RDONLY)"`. */
  refersTo: string;
}

/** A proxy-protocol frame on QEMU ↔ helper socket (proxy-protocol.md §2–§9). */
export interface ProxyEvent extends Base {
  kind: 'proxy';
  direction: 'request' | 'reply';
  to: Lane;
  /** `T_LSTAT`, …; for replies the request type answered. */
  requestType: string;
  /** Which QEMU ↔ helper socket, when there are several (one per proxy fsdev id). */
  channel?: string;
  /** Numeric request type (proxy-protocol.md §4.1). */
  typeNumber?: number;
  /**
   * Decoded fields. String values are display text as the proxy describer renders them
   * (`"//a\0" (len 4, NUL counted)`) and are shown as given; `header.*` entries repeat what
   * requestType and bytes say and are left out of one-line summaries.
   */
  fields: Record<string, unknown>;
  bytes: Uint8Array;
  /** fds passed with SCM_RIGHTS alongside the bytes, and what each refers to. */
  fds?: FdRef[];
  replyTo?: number;
  /** Negative status in a reply, as a positive errno. */
  errno?: number;
}

/** Credentials of a process at syscall time (credentials(7)). */
export interface Creds {
  /** real, effective, saved, filesystem */
  uid: [number, number, number, number];
  gid: [number, number, number, number];
  groups: number[];
}

/** Capability sets as 64-bit masks (capabilities(7); /proc/PID/status CapInh/CapPrm/CapEff/CapBnd/CapAmb). */
export interface CapState {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  bounding?: bigint;
  ambient?: bigint;
}

/** A host-kernel syscall made by QEMU or the helper (or any process on a simulated kernel). */
export interface SyscallEvent extends Base {
  kind: 'syscall';
  pid: number;
  comm: string;
  creds: Creds;
  caps: CapState;
  /** The process's root directory (after chroot) and cwd, as host paths. */
  root: string;
  cwd: string;
  name: string;
  /** Arguments in order, by their man-page names: `{ dirfd: 'AT_FDCWD', pathname: '/a', flags: 'O_RDONLY' }`. */
  args: Record<string, unknown>;
  /** Return value on success. */
  result?: unknown;
  /** errno number on failure. */
  errno?: number;
  /** Thread id when it differs from the pid (the helper is single-threaded; QEMU is not). */
  tid?: number;
  /** Set when the call sleeps (a FIFO open with no writer, accept, recv): what it waits on. */
  blocked?: { on: string; what: string };
}

/** A labelled quirk or finding, e.g. `quirk:utime-nsec-slot`, with where it comes from. */
export interface NoteEvent extends Base {
  kind: 'note';
  label: string;
  text: string;
  /** Citation: doc section, vector id or QEMU version (`proxy-protocol.md §5.1`). */
  source: string;
  severity?: 'info' | 'quirk' | 'finding' | 'escape';
}

export interface ProcessEvent extends Base {
  kind: 'process';
  action: 'start' | 'exit' | 'signal';
  pid: number;
  comm: string;
  argv?: string[];
  /** exit status, for `exit` */
  status?: number;
  /** signal name, for `signal` (and `exit` by signal) */
  signal?: string;
}

export type TraceEvent = LaunchEvent | GuestCallEvent | P9Event | ProxyEvent | SyscallEvent | NoteEvent | ProcessEvent;

/** The fields a caller supplies; the recorder adds id, cause (unless given) and t (unless given). */
export type EventInput<E extends TraceEvent = TraceEvent> = E extends TraceEvent
  ? Omit<E, 'id' | 'cause' | 't'> & { cause?: number | null; t?: number }
  : never;

/** Convert a P9DecodeError to the serialisable form events carry. */
export function decodeErrorInfo(e: P9DecodeError): NonNullable<P9Event['decodeError']> {
  return { code: e.code, message: e.message, field: e.data.field, offset: e.data.offset };
}
