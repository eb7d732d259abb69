// SVG export of the sequence diagram (issue 5 §4): every event of the trace (the on-screen diagram
// draws only the rows in view), as one standalone SVG document — inline styles, no CSS variables, no
// external references — so the file opens the same in a browser, Inkscape or a slide. Same events →
// the same bytes. Layout follows web/lib/trace/SequenceDiagram.svelte: one lifeline per lane, 9P and
// proxy messages as arrows between lanes, host syscalls as arrows into the host, others as dots.
import { LANES, type Lane, type TraceEvent } from '../../../sim/trace/event.ts';
import { arrowLabel, arrowTarget } from '../trace/arrow.ts';

export const SVG_ROW = 22;
const HEAD = 30;

const COLOR = { fg: '#1f2328', muted: '#59636e', line: '#c8ccd1', p9: '#0969da', proxy: '#8250df', bad: '#cf222e', note: '#9a6700' };

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
    // XML 1.0 forbids most C0 controls even as references: show them as U+FFFD.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\ufffd');
}

const target = arrowTarget;
const label = arrowLabel;

/** The whole trace as a standalone SVG document (UTF-8 text). */
export function sequenceSvg(events: readonly TraceEvent[], opts: { width?: number; title?: string } = {}): string {
  const width = opts.width ?? 900;
  const height = HEAD + Math.max(1, events.length) * SVG_ROW + 6;
  const step = width / LANES.length;
  const x = (l: Lane) => Math.round(step * (LANES.indexOf(l) + 0.5));
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11">`);
  out.push(`<title>${esc(opts.title ?? `Sequence diagram of ${events.length} events`)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" style="fill:#ffffff"/>`);
  for (const l of LANES) {
    out.push(`<text x="${x(l)}" y="18" text-anchor="middle" style="fill:${COLOR.fg};font-weight:600">${l}</text>`);
    out.push(`<line x1="${x(l)}" y1="${HEAD - 4}" x2="${x(l)}" y2="${height}" style="stroke:${COLOR.line};stroke-dasharray:3 3"/>`);
  }
  events.forEach((e, row) => {
    const y = HEAD + row * SVG_ROW + SVG_ROW / 2;
    const bad = 'errno' in e && e.errno !== undefined;
    const color = bad ? COLOR.bad : e.kind === 'p9' ? COLOR.p9 : e.kind === 'proxy' ? COLOR.proxy : e.kind === 'note' ? COLOR.note : COLOR.muted;
    const from = x(e.lane);
    const to = target(e);
    const x2 = to ? x(to) : from;
    out.push(`<g data-id="${e.id}">`);
    if (to && x2 !== from) {
      out.push(`<line x1="${from}" y1="${y}" x2="${x2 + (x2 > from ? -4 : 4)}" y2="${y}" style="stroke:${color};stroke-width:1.2"/>`);
      out.push(`<path d="${x2 > from ? `M${x2} ${y} l-7 -4 v8 z` : `M${x2} ${y} l7 -4 v8 z`}" style="fill:${color}"/>`);
      out.push(`<text x="${(from + x2) / 2}" y="${y - 3}" text-anchor="middle" style="fill:${COLOR.fg}">${esc(label(e))}</text>`);
    } else {
      out.push(`<circle cx="${from}" cy="${y}" r="3.5" style="fill:${color}"/>`);
      out.push(`<text x="${from + 8}" y="${y + 4}" style="fill:${COLOR.fg}">${esc(label(e))}</text>`);
    }
    out.push(`</g>`);
  });
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}
