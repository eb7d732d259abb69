// Field ↔ byte maps for the hex view, from the wire layers' own describers: sim/p9 describeMessage
// (9P2000.L) and sim/proxy describeRequests/describeReply (the proxy protocol). Both never throw on
// malformed bytes; the fields decoded before the problem are kept and the problem is reported.
import { describeMessage, type FieldNode } from '../../../sim/p9/codec.ts';
import { describeReply, describeRequests, type DescribedFrame } from '../../../sim/proxy/describe.ts';
import { REQUESTS, type RequestName } from '../../../sim/proxy/requests.ts';
import type { TraceEvent } from '../../../sim/trace/event.ts';

export interface HexField {
  name: string;
  /** Byte range [start, end) in the event's bytes. */
  start: number;
  end: number;
  display: string;
  /** Nesting depth in the decoded tree (0 = top level). */
  depth: number;
}

export interface DescribedBytes {
  bytes: Uint8Array;
  fields: HexField[];
  /** What the describer could not decode, with where. */
  error?: string;
}

function flattenP9(node: FieldNode, depth: number, out: HexField[]): void {
  out.push({ name: node.name, start: node.start, end: node.end, display: node.display, depth });
  for (const c of node.children ?? []) flattenP9(c, depth + 1, out);
}

function fromFrames(frames: DescribedFrame[]): { fields: HexField[]; error?: string } {
  const fields: HexField[] = [];
  let error: string | undefined;
  frames.forEach((f, i) => {
    const prefix = frames.length > 1 ? `[${i}] ` : '';
    if (frames.length > 1) fields.push({ name: `${prefix}${f.typeName}`, start: f.offset, end: f.offset + f.length, display: `${f.length} bytes`, depth: 0 });
    for (const fd of f.fields) fields.push({ name: fd.name, start: fd.offset, end: fd.offset + fd.length, display: fd.display, depth: frames.length > 1 ? 1 : 0 });
    if (f.error && !error) error = `${prefix}${f.error.field} at byte ${f.error.offset}: ${f.error.reason ?? 'short'} (need ${f.error.need}, have ${f.error.have})`;
  });
  return { fields, error };
}

export function describeEventBytes(e: TraceEvent): DescribedBytes | null {
  if (e.kind === 'p9') {
    const d = describeMessage(e.bytes);
    const fields: HexField[] = [];
    for (const c of d.tree.children ?? []) flattenP9(c, 0, fields);
    return { bytes: e.bytes, fields, ...(d.error ? { error: d.error.message } : {}) };
  }
  if (e.kind === 'proxy') {
    if (e.direction === 'request') return { bytes: e.bytes, ...fromFrames(describeRequests(e.bytes)) };
    if (e.requestType in REQUESTS) return { bytes: e.bytes, ...fromFrames([describeReply(e.requestType as RequestName, e.bytes)]) };
    return { bytes: e.bytes, fields: [], error: `reply to an unknown request type ${JSON.stringify(e.requestType)}` };
  }
  return null;
}
