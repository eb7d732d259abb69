// Virtual time for traces: a fixed, modelled cost per event (DESIGN.md §2: time is virtual; nothing
// reads the host's clock). Without it every event of a run would carry the same timestamp, and the
// timeline, the pcapng capture and the durations in the detail pane would say nothing. These are
// round figures of the right order of magnitude on a current x86-64 host, NOT measurements of any
// real run — labelled as such wherever they are shown:
//   - a syscall: ~0.1–1 µs of entry/exit and work (a path lookup dominates) → 500 ns;
//   - a proxy frame: sendmsg/recvmsg on an AF_UNIX stream plus waking the peer process → 3 µs,
//     plus 1 ns per byte copied;
//   - a 9P message over virtio: a queue notification (VM exit) or an interrupt injection, and QEMU's
//     coroutine hop to its worker thread → 10 µs, plus 1 ns per byte;
//   - a guest call (the guest's own syscall or a WASI call entering the bridge) → 300 ns;
//   - a launch step (fork/exec of libvirt's children, socketpair set-up) → 1 ms;
//   - process life-cycle events → 50 µs; notes (explanations, not actions) cost nothing.
// The clock advances AFTER an event: its `t` is when it starts, the next event's `t` when it ended.
import type { TraceEvent } from './event.ts';

export const MODELLED_COST_NS = {
  syscall: 500,
  proxyFrame: 3_000,
  p9Message: 10_000,
  perByte: 1,
  guestCall: 300,
  launch: 1_000_000,
  process: 50_000,
  note: 0,
} as const;

export function modelledCostNs(e: TraceEvent): number {
  const c = MODELLED_COST_NS;
  switch (e.kind) {
    case 'syscall': return c.syscall;
    case 'proxy': return c.proxyFrame + e.bytes.length * c.perByte;
    case 'p9': return c.p9Message + e.bytes.length * c.perByte;
    case 'guest-call': return c.guestCall;
    case 'launch': return c.launch;
    case 'process': return c.process;
    case 'note': return c.note;
  }
}
