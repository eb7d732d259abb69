// What one trace event looks like as an arrow of the sequence diagram: the lane it points to (null:
// a mark on its own lane) and its label. Shared by the live diagram (SequenceDiagram.svelte) and the
// standalone SVG export (stepper/sequenceSvg.ts), so both draw the same thing.
import type { Lane, TraceEvent } from '../../../sim/trace/event.ts';

export function arrowTarget(e: TraceEvent): Lane | null {
  if (e.kind === 'p9' || e.kind === 'proxy') return e.to;
  if (e.kind === 'syscall') return 'host';
  return null;
}

export function arrowLabel(e: TraceEvent): string {
  switch (e.kind) {
    case 'p9': return `${e.msgType} tag ${e.tag}${e.errno !== undefined ? ` errno ${e.errno}` : ''}`;
    case 'proxy': return `${e.direction === 'reply' ? '↩ ' : ''}${e.requestType}${e.fds?.length ? ` +fd ${e.fds.map((f) => f.fd).join(',')}` : ''}`;
    case 'syscall': return `${e.comm}: ${e.name}${e.errno !== undefined ? ' ✗' : ''}`;
    case 'launch': return e.step;
    case 'note': return `⚑ ${e.label}`;
    case 'process': return `${e.action} ${e.comm}`;
    case 'guest-call': return e.name;
  }
}
