// Readable text: one line per event, indented by causal depth, `guest → qemu` arrows, creds and caps
// on syscalls — meant to be read aloud by a trainer:
//   [0.000001000] #3 guest → qemu   Twalk tag=1 fid=0 newfid=1 wnames=["pub"]
//   [0.000002000]   #4 qemu → helper   T_LSTAT path="//pub"
//   [0.000003000]     #5 helper → host   lstat(pathname="/pub") = 0  [pid 7 virtfs-proxy-h uid 0/0/0/0 …]
import { causalDepths } from './causality.ts';
import type { TraceEvent } from './event.ts';
import { arrowOf, formatSyscallContext, summarizeEvent } from './summary.ts';

export interface TextExportOptions {
  /**
   * The syscall process context (pid, comm, creds, caps, root, cwd): `'changes'` (default) shows it
   * on a process's first syscall and whenever it differs from that process's previous one — so a
   * setresuid, a capset or a chroot stands out; `true` on every syscall; `false` never.
   */
  context?: boolean | 'changes';
  /** Show timestamps: `'auto'` (default) only when they differ (a run that never advanced the clock has nothing to show). */
  time?: boolean | 'auto';
  /** Spaces per causal level. Default 2. */
  indent?: number;
}

/** `12.000000345`: seconds and nanoseconds of virtual time. */
export function formatTime(ns: number): string {
  ns = Math.round(ns); // an explicit fractional `t` from a caller still prints as whole ns
  const s = Math.floor(ns / 1e9);
  const rest = ns - s * 1e9;
  return `${s}.${String(rest).padStart(9, '0')}`;
}

/**
 * One line. `context`: whether a syscall's process context is appended, or the context text itself
 * when the caller has already formatted it.
 */
export function formatEventLine(e: TraceEvent, depth = 0, opts: TextExportOptions = {}, context: boolean | string = opts.context !== false): string {
  const pad = ' '.repeat(depth * (opts.indent ?? 2));
  const time = opts.time === false ? '' : `[${formatTime(e.t)}] `;
  const ctx = e.kind === 'syscall' && context !== false ? `  ${typeof context === 'string' ? context : formatSyscallContext(e)}` : '';
  return `${time}${pad}#${e.id} ${arrowOf(e)}   ${summarizeEvent(e)}${ctx}`;
}

export function exportText(events: readonly TraceEvent[], opts: TextExportOptions = {}): string {
  if ((opts.time ?? 'auto') === 'auto') opts = { ...opts, time: events.some((e) => e.t !== events[0]!.t) };
  const depth = causalDepths(events);
  const mode = opts.context ?? 'changes';
  const lastContext = new Map<number, string>();
  const lines = events.map((e) => {
    let show: boolean | string = mode !== false;
    if (e.kind === 'syscall' && mode === 'changes') {
      const key = e.tid ?? e.pid; // credentials are per thread (the helper's cap quirk lives there)
      const ctx = formatSyscallContext(e);
      show = lastContext.get(key) !== ctx && ctx;
      lastContext.set(key, ctx);
    }
    return formatEventLine(e, depth.get(e.id) ?? 0, opts, show);
  });
  return lines.join('\n') + (events.length ? '\n' : '');
}
