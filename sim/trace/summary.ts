// One-line human summaries of events, shared by the text exporter, the Mermaid exporter, the
// filterable table and the text filter (so "what you see is what you filter").
import { summarizeMessage } from '../p9/codec.ts';
import { errnoName } from '../p9/errno.ts';
import { capList } from './caps.ts';
import type { CapState, Creds, Lane, SyscallEvent, TraceEvent } from './event.ts';

export const LANE_LABEL: Record<Lane, string> = { libvirt: 'libvirt', guest: 'guest', qemu: 'qemu', helper: 'helper', host: 'host' };

/** `guest → qemu` for messages, `helper → host` for syscalls, the lane alone otherwise. */
export function arrowOf(e: TraceEvent): string {
  switch (e.kind) {
    case 'p9': case 'proxy': return `${e.lane} → ${e.to}`;
    case 'syscall': return `${e.lane} → host`;
    default: return e.lane;
  }
}

/** JSON-ish rendering of argument values: strings quoted, bigints plain, bytes as <n bytes>. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')}}`;
  return String(v);
}

function formatArgs(args: Record<string, unknown>): string {
  return Object.entries(args).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ');
}

export function formatErrno(n: number): string {
  return `${errnoName(n)}`;
}

function resultText(result: unknown, errno: number | undefined): string {
  if (errno !== undefined) return ` = -1 ${formatErrno(errno)}`;
  if (result === undefined) return '';
  return ` = ${formatValue(result)}`;
}

/** `uid 0/0/0/0 gid 0/0/0/0 groups -` (real/effective/saved/fs). */
export function formatCreds(c: Creds): string {
  return `uid ${c.uid.join('/')} gid ${c.gid.join('/')} groups ${c.groups.length ? c.groups.join(',') : '-'}`;
}

/** `eff=chown,dac_override prm=…` with prm/bnd/amb shown only when they add information. */
export function formatCaps(c: CapState): string {
  const parts = [`eff=${capList(c.effective)}`];
  if (c.permitted !== c.effective) parts.push(`prm=${capList(c.permitted)}`);
  if (c.inheritable) parts.push(`inh=${capList(c.inheritable)}`);
  if (c.ambient) parts.push(`amb=${capList(c.ambient)}`);
  return parts.join(' ');
}

/** The process context of a syscall, compact: `[pid 7 virtfs-proxy-h uid 0/0/0/0 gid 0/0/0/0 groups - caps eff=… root /srv/export cwd /]`. */
export function formatSyscallContext(e: SyscallEvent): string {
  return `[pid ${e.pid} ${e.comm} ${formatCreds(e.creds)} caps ${formatCaps(e.caps)} root ${e.root} cwd ${e.cwd}]`;
}

/** The event's own text, without time, arrow or indentation. */
export function summarizeEvent(e: TraceEvent): string {
  switch (e.kind) {
    case 'launch':
      return `${e.step}: ${e.text}${e.argv ? ` argv ${formatValue(e.argv)}` : ''}${e.fds?.length ? ` fds ${e.fds.map((f) => `${f.fd}=${f.refersTo}`).join(', ')}` : ''}`;
    case 'guest-call':
      return `${e.api === 'wasi' ? 'wasi ' : ''}${e.name}(${formatArgs(e.args)})${resultText(e.result, e.errno)}`;
    case 'p9': {
      if (!e.message) return `malformed ${e.bytes.length}-byte message: ${e.decodeError?.message ?? 'undecodable'}`;
      return summarizeMessage(e.message);
    }
    case 'proxy': {
      const fds = e.fds?.length ? ` fds ${e.fds.map((f) => `${f.fd}=${f.refersTo}`).join(', ')}` : '';
      const err = e.errno !== undefined ? ` (${formatErrno(e.errno)})` : '';
      const fields = Object.entries(e.fields)
        .filter(([k, v]) => !k.startsWith('header.') && v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : formatValue(v)}`)
        .join(', ');
      return `${e.direction === 'reply' ? 'reply to ' : ''}${e.requestType} ${fields}${err}${fds}`.replace(/ +$/, '');
    }
    case 'syscall':
      return `${e.name}(${formatArgs(e.args)})${e.blocked ? ` blocks on ${e.blocked.on} (${e.blocked.what})` : resultText(e.result, e.errno)}`;
    case 'note':
      return `NOTE ${e.label}: ${e.text} (${e.source})`;
    case 'process':
      switch (e.action) {
        case 'start': return `start pid ${e.pid} ${e.comm}${e.argv ? ` ${formatValue(e.argv)}` : ''}`;
        case 'exit': return `exit pid ${e.pid} ${e.comm}${e.signal ? ` killed by ${e.signal}` : ` status ${e.status ?? 0}`}`;
        case 'signal': return `signal ${e.signal ?? '?'} to pid ${e.pid} ${e.comm}`;
      }
  }
}
