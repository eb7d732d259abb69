// Mermaid `sequenceDiagram` export for documentation authors (ui-anchors.md "Sequence / ladder tools").
// Participants: Guest, QEMU, Helper, Host kernel (and libvirt when the trace has launch events).
// Labels are escaped with Mermaid's entity codes (`#35;` for #, `#59;` for ;, `#lt;`/`#gt;`), because
// `;` ends a statement, `#` starts an entity and `<`/`>` are read as HTML by the renderer.
import type { Lane, TraceEvent } from './event.ts';
import { summarizeEvent } from './summary.ts';

const ALIAS: Record<Lane, string> = { libvirt: 'L', guest: 'G', qemu: 'Q', helper: 'H', host: 'K' };
const TITLE: Record<Lane, string> = { libvirt: 'libvirt', guest: 'Guest', qemu: 'QEMU', helper: 'Helper', host: 'Host kernel' };

export interface MermaidOptions {
  /** Prefix labels with event ids (`#12 Twalk …`). Default true: ties the picture to the table. */
  ids?: boolean;
  /** Truncate labels to this many characters (default 120). */
  maxLabel?: number;
  /** Add Mermaid's `autonumber`. Default false. */
  autonumber?: boolean;
  /**
   * Draw at most this many events, then a closing note saying how many were left out (Mermaid
   * becomes unusable with thousands of messages; filter first for a focused picture).
   */
  maxEvents?: number;
}

const MERMAID_ENTITY: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;' };

/** Escape text for use after the `:` of a Mermaid message or note. */
export function escapeMermaid(s: string): string {
  // One pass, so that the `;` of an entity just written is not escaped again.
  return s.replace(/[#;<>]|[\r\n]+/g, (c) => MERMAID_ENTITY[c] ?? ' ');
}

function label(e: TraceEvent, opts: MermaidOptions): string {
  const max = opts.maxLabel ?? 120;
  let s = summarizeEvent(e);
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return escapeMermaid(opts.ids === false ? s : `#${e.id} ${s}`);
}

export function exportMermaid(events: readonly TraceEvent[], opts: MermaidOptions = {}): string {
  const lines = ['sequenceDiagram'];
  if (opts.autonumber) lines.push('  autonumber');
  const lanes: Lane[] = ['guest', 'qemu', 'helper', 'host'];
  if (events.some((e) => e.lane === 'libvirt')) lanes.unshift('libvirt');
  for (const l of lanes) lines.push(`  participant ${ALIAS[l]} as ${TITLE[l]}`);
  const shown = opts.maxEvents !== undefined ? events.slice(0, Math.max(0, opts.maxEvents)) : events;
  for (const e of shown) {
    const from = ALIAS[e.lane];
    switch (e.kind) {
      case 'p9': case 'proxy':
        lines.push(`  ${from}${e.direction === 'reply' ? '-->>' : '->>'}${ALIAS[e.to]}: ${label(e, opts)}`);
        break;
      case 'syscall':
        lines.push(`  ${from}->>K: ${label(e, opts)}`);
        break;
      default:
        lines.push(`  Note over ${from}: ${label(e, opts)}`);
    }
  }
  if (shown.length < events.length) {
    const left = events.length - shown.length;
    lines.push(`  Note over ${ALIAS[lanes[0]!]},K: … ${left} more event${left === 1 ? '' : 's'} not drawn`);
  }
  return lines.join('\n') + '\n';
}
