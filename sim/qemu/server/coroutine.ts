// QEMU runs every 9P request in a coroutine (hw/9pfs/9p.c `pdu_submit` → `qemu_coroutine_create`)
// and each fsdev call in a worker thread (`v9fs_co_run_in_worker`, hw/9pfs/coth.h). A request whose
// driver call sleeps (the helper blocked in open() on a FIFO, QEMU's own open() of a FIFO in the
// naive local driver, a coroutine waiting for the proxy mutex) stays in flight while other requests
// proceed. We model that with generators: a request handler is a `Co<T>`; it yields a `Wait` when it
// cannot progress and is resumed by the transport's scheduler. Nothing here reads a clock: whether a
// wait is over is decided only by re-checking its condition (deterministic, DESIGN.md §2).
import { isBlocked, type SysResult, type Ok, type Err } from '../../host/result.ts';

/** Why a coroutine is parked, for the trace and the UI ("blocked: helper in open() of //p"). */
export interface Wait {
  readonly kind: 'wait';
  /** e.g. 'proxy-reply', 'proxy-mutex', 'host-syscall'. */
  readonly on: string;
  readonly what: string;
  /** The trace event the awaited work answers (e.g. the proxy request frame): what the other
   *  processes run for while this coroutine waits, so their syscalls hang under it. */
  readonly cause?: number;
}

export type Co<T> = Generator<Wait, T, void>;

export function wait(on: string, what: string, cause?: number): Wait {
  return cause === undefined ? { kind: 'wait', on, what } : { kind: 'wait', on, what, cause };
}

/**
 * Run a host syscall from a worker thread: while the kernel reports it would sleep, park the
 * coroutine; on resumption re-check with the kernel's own `resume()` (sim/host result.ts Blocked).
 */
export function* sys<T>(r: SysResult<T>, cause?: number): Co<Ok<T> | Err> {
  let cur = r;
  while (isBlocked(cur)) {
    yield wait('host-syscall', `${cur.blocked.on}: ${cur.blocked.what}`, cause);
    cur = cur.resume();
  }
  return cur as Ok<T> | Err;
}

/** Drive a coroutine to completion synchronously; throws if it would block (tests, realize). */
export function runToEnd<T>(co: Co<T>): { done: true; value: T } | { done: false; wait: Wait } {
  const r = co.next();
  if (r.done) return { done: true, value: r.value };
  return { done: false, wait: r.value };
}
