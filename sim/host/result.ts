// Syscall results: errno is data (style.md §3, the memfs Result idiom), never an exception.
import type { Errno } from './errno.ts';

export interface Ok<T> { readonly ok: true; readonly value: T }
export interface Err { readonly ok: false; readonly errno: Errno; readonly blocked?: undefined }

/**
 * The call would sleep in the real kernel (a FIFO open without a peer, accept with an empty queue,
 * a read on an empty socket or pipe). It is reported as EAGAIN plus `blocked`, so code that does not
 * care treats it as an error, and a scheduler can show the caller frozen and call `resume()` later:
 * `resume()` re-checks the wake-up condition and either completes the call or returns another Blocked.
 * Side effects that Linux performs before sleeping (e.g. a FIFO reader counted before it waits, see
 * fs/pipe.c fifo_open) have already happened; `cancel()` undoes them (a signal interrupting the wait).
 */
export interface Blocked<T> {
  readonly ok: false;
  readonly errno: 'EAGAIN';
  readonly blocked: WaitInfo;
  resume(): SysResult<T>;
  cancel(): void;
}

export interface WaitInfo {
  /** What the task sleeps on, e.g. 'fifo-open-reader', 'accept', 'recv', 'fifo-read'. */
  readonly on: string;
  /** The path or object description for display. */
  readonly what: string;
}

/** What filesystems and path walks return: they never sleep. */
export type Result<T> = Ok<T> | Err;
/** What syscalls return: a result, or Blocked when the call would sleep. */
export type SysResult<T> = Ok<T> | Err | Blocked<T>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}
export const OK_VOID: Ok<void> = Object.freeze({ ok: true, value: undefined }) as Ok<void>;

/** ok(n) for a small non-negative integer (an fd, a byte count): one frozen object per value, made
 * on first use (perf: every read, write and open returns one). Results are never mutated. */
const OK_INTS: (Ok<number> | undefined)[] = new Array(4097).fill(undefined);
export function okInt(n: number): Ok<number> {
  if (n >= 0 && n <= 4096 && (n | 0) === n) return (OK_INTS[n] ??= Object.freeze({ ok: true, value: n }) as Ok<number>);
  return { ok: true, value: n };
}

export function err(errno: Errno): Err {
  return { ok: false, errno };
}

export function isBlocked<T>(r: SysResult<T>): r is Blocked<T> {
  return !r.ok && r.blocked !== undefined;
}

/** Throwing façade for tests and scripts: the value, or a SyscallError with the errno. */
export class SyscallError extends Error {
  static readonly code = 'SyscallError' as const;
  readonly code = SyscallError.code;
  constructor(readonly errno: Errno, readonly syscall: string) {
    super(`${syscall}: ${errno}`);
  }
}

export function unwrap<T>(r: SysResult<T>, syscall = 'syscall'): T {
  if (r.ok) return r.value;
  throw new SyscallError(r.errno, syscall);
}
