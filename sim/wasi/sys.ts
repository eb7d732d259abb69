// The guest process a WASI program runs as: every WASI call becomes syscalls of this process on the
// guest's kernel (sim/host), so paths under the 9p mount become v9fs → 9P2000.L → QEMU → driver.
// A WASI call is synchronous (the wasm stack cannot be parked), so a syscall that would sleep (a 9P
// request stuck behind a helper frozen in a FIFO open) is handed to `settle`, which may run other
// actors of the scenario until it completes; if it cannot, the call fails with EINTR, as a Linux
// syscall interrupted by a signal would, and the program goes on.
import type { Errno } from '../host/errno.ts';
import type { Kernel } from '../host/kernel.ts';
import type { Process } from '../host/process.ts';
import { isBlocked, type Blocked, type SysResult } from '../host/result.ts';

export interface WasiMachine {
  readonly kernel: Kernel;
  readonly proc: Process;
  /**
   * Runs each syscall (the guest machine records it as a guest-call event and turns a v9fs request
   * parked behind a frozen server into a Blocked result, sim/guest/machine.ts `traced`).
   */
  wrap?: <T>(name: string, args: Record<string, unknown>, call: () => SysResult<T>) => SysResult<T>;
  /** Drive the rest of the simulation until `b` completes; return its final result. */
  settle?: <T>(b: Blocked<T>) => SysResult<T>;
}

export type Done<T> = { ok: true; value: T } | { ok: false; errno: Errno };

export class GuestSys {
  constructor(readonly machine: WasiMachine) {}

  get kernel(): Kernel { return this.machine.kernel; }
  get proc(): Process { return this.machine.proc; }

  /** Run one syscall to completion (settling a sleep) and return a plain result. */
  call<T>(name: string, fn: (k: Kernel, p: Process) => SysResult<T>, args: Record<string, unknown> = {}): Done<T> {
    const m = this.machine;
    let r = m.wrap ? m.wrap(name, args, () => fn(m.kernel, m.proc)) : fn(m.kernel, m.proc);
    if (isBlocked(r) && this.machine.settle) r = this.machine.settle(r);
    if (isBlocked(r)) {
      r.cancel();
      return { ok: false, errno: 'EINTR' };
    }
    return r.ok ? { ok: true, value: r.value } : { ok: false, errno: r.errno };
  }
}
