// JSON export/import of traces: `{"format":"virtfs-lab-trace/1","meta":{…},"events":[…]}`, one event
// per line so that traces diff well. Stable: the same events give the same text byte for byte
// (event keys in a fixed order: id, cause, t, lane, kind, then the rest as recorded).
// Encodings: an event's wire `bytes` as a lower-case hex string; anywhere else a Uint8Array is
// `{"$hex":"…"}` and a bigint is `{"$bigint":"…"}` (JSON numbers cannot hold u64 exactly).
// On import, a p9 event's decoded message is re-derived from its bytes (the bytes are authoritative)
// and must agree with the stored one.
import { decodeMessage } from '../p9/codec.ts';
import { P9DecodeError } from '../p9/errors.ts';
import { messageFids, type P9Message, specByName } from '../p9/messages.ts';
import { decodeErrorInfo, EVENT_KINDS, LANES, type TraceEvent } from './event.ts';

export const TRACE_FORMAT = 'virtfs-lab-trace/1';

export interface TraceDocument {
  meta: Record<string, unknown>;
  events: TraceEvent[];
}

export class TraceImportError extends Error {
  override readonly name = 'TraceImportError';
  constructor(readonly code: 'TRACE_JSON' | 'TRACE_FORMAT' | 'TRACE_FIELD' | 'TRACE_ORDER' | 'TRACE_BYTES', readonly path: string, detail: string) {
    super(`${path}: ${detail}`);
  }
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

export function fromHex(s: string, path: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
    const bad = s.search(/[^0-9a-fA-F]/);
    throw new TraceImportError('TRACE_BYTES', path, bad >= 0 ? `not hex at character ${bad}` : 'odd number of hex digits');
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function encodeValue(v: unknown): unknown {
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (v instanceof Uint8Array) return { $hex: toHex(v) };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = encodeValue(x);
    return o;
  }
  return v;
}

function decodeValue(v: unknown, path: string): unknown {
  if (Array.isArray(v)) return v.map((x, i) => decodeValue(x, `${path}[${i}]`));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$bigint') {
      if (typeof o.$bigint !== 'string' || !/^-?\d+$/.test(o.$bigint)) throw new TraceImportError('TRACE_FIELD', path, '$bigint wants a decimal string');
      return BigInt(o.$bigint);
    }
    if (keys.length === 1 && keys[0] === '$hex') {
      if (typeof o.$hex !== 'string') throw new TraceImportError('TRACE_FIELD', path, '$hex wants a string');
      return fromHex(o.$hex, path);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = decodeValue(o[k], `${path}.${k}`);
    return out;
  }
  return v;
}

const HEAD = ['id', 'cause', 't', 'lane', 'kind'] as const;

/** A 9P message with its keys in wire order (kind, tag, then the table's fields), whatever order
 * the producer built it in: keeps the export stable and comparable with the decoded bytes. */
function canonicalMessage(m: P9Message): Record<string, unknown> {
  const spec = specByName(m.kind);
  const rec = m as unknown as Record<string, unknown>;
  if (!spec) return rec;
  const o: Record<string, unknown> = { kind: m.kind, tag: m.tag };
  for (const [f] of spec.fields) o[f] = rec[f];
  return o;
}

function eventToJson(e: TraceEvent): string {
  const o: Record<string, unknown> = {};
  for (const k of HEAD) o[k] = (e as unknown as Record<string, unknown>)[k];
  for (const [k, v] of Object.entries(e)) {
    if ((HEAD as readonly string[]).includes(k) || v === undefined) continue;
    if (k === 'bytes' && v instanceof Uint8Array) o[k] = toHex(v);
    else if (k === 'message' && e.kind === 'p9') o[k] = encodeValue(canonicalMessage(v as P9Message));
    else o[k] = encodeValue(v);
  }
  return JSON.stringify(o);
}

/** Serialise events (and free-form metadata) as a stable, versioned JSON document. */
export function exportJson(events: readonly TraceEvent[], meta: Record<string, unknown> = {}): string {
  const head = `{"format":${JSON.stringify(TRACE_FORMAT)},"meta":${JSON.stringify(encodeValue(meta))},"events":[`;
  if (!events.length) return `${head}]}\n`;
  return `${head}\n${events.map(eventToJson).join(',\n')}\n]}\n`;
}

// Required fields per kind with a type check each ('s' string, 'n' number, 'o' object, 'a' array, 'b' bytes hex).
const REQUIRED: Record<string, Record<string, 's' | 'n' | 'o' | 'a'>> = {
  launch: { step: 's', text: 's' },
  'guest-call': { api: 's', name: 's', args: 'o' },
  p9: { direction: 's', to: 's', msgType: 's', tag: 'n', fids: 'a', bytes: 's' },
  proxy: { direction: 's', to: 's', requestType: 's', fields: 'o', bytes: 's' },
  syscall: { pid: 'n', comm: 's', creds: 'o', caps: 'o', root: 's', cwd: 's', name: 's', args: 'o' },
  note: { label: 's', text: 's', source: 's' },
  process: { action: 's', pid: 'n', comm: 's' },
};

function typeOk(v: unknown, t: 's' | 'n' | 'o' | 'a'): boolean {
  switch (t) {
    case 's': return typeof v === 'string';
    case 'n': return typeof v === 'number' && Number.isFinite(v);
    case 'o': return !!v && typeof v === 'object' && !Array.isArray(v);
    case 'a': return Array.isArray(v);
  }
}

const TYPE_NAME = { s: 'a string', n: 'a number', o: 'an object', a: 'an array' } as const;

/** Parse a trace document, validating it; errors name the JSON path (`events[3].bytes`). */
export function importJson(text: string): TraceDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TraceImportError('TRACE_JSON', '$', (e as Error).message);
  }
  if (!doc || typeof doc !== 'object') throw new TraceImportError('TRACE_FORMAT', '$', 'not a JSON object');
  const d = doc as Record<string, unknown>;
  if (typeof d.format !== 'string' || !d.format.startsWith('virtfs-lab-trace/')) {
    throw new TraceImportError('TRACE_FORMAT', '$.format', `expected "${TRACE_FORMAT}", got ${JSON.stringify(d.format)}`);
  }
  if (d.format !== TRACE_FORMAT) throw new TraceImportError('TRACE_FORMAT', '$.format', `unsupported version ${JSON.stringify(d.format)} (this reader knows ${TRACE_FORMAT})`);
  if (!Array.isArray(d.events)) throw new TraceImportError('TRACE_FORMAT', '$.events', 'expected an array');
  const meta = d.meta === undefined ? {} : decodeValue(d.meta, '$.meta');
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw new TraceImportError('TRACE_FORMAT', '$.meta', 'expected an object');
  let lastId = 0;
  const events = d.events.map((raw, i): TraceEvent => {
    const path = `events[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new TraceImportError('TRACE_FIELD', path, 'expected an object');
    const r = raw as Record<string, unknown>;
    if (!Number.isInteger(r.id) || (r.id as number) <= lastId) throw new TraceImportError('TRACE_ORDER', `${path}.id`, `ids must be increasing integers (after ${lastId}), got ${JSON.stringify(r.id)}`);
    lastId = r.id as number;
    if (r.cause !== null && !Number.isInteger(r.cause)) throw new TraceImportError('TRACE_FIELD', `${path}.cause`, 'expected an event id or null');
    // A cause precedes its effects; it may be absent from a filtered export.
    if (r.cause !== null && (r.cause as number) >= (r.id as number)) {
      throw new TraceImportError('TRACE_ORDER', `${path}.cause`, `cause ${r.cause as number} does not precede event ${r.id as number}`);
    }
    if (typeof r.t !== 'number' || !(r.t >= 0)) throw new TraceImportError('TRACE_FIELD', `${path}.t`, 'expected a time in ns (number ≥ 0)');
    if (!(LANES as readonly unknown[]).includes(r.lane)) throw new TraceImportError('TRACE_FIELD', `${path}.lane`, `expected one of ${LANES.join(', ')}, got ${JSON.stringify(r.lane)}`);
    if (!(EVENT_KINDS as readonly unknown[]).includes(r.kind)) throw new TraceImportError('TRACE_FIELD', `${path}.kind`, `expected one of ${EVENT_KINDS.join(', ')}, got ${JSON.stringify(r.kind)}`);
    for (const [k, t] of Object.entries(REQUIRED[r.kind as string]!)) {
      if (!typeOk(r[k], t)) throw new TraceImportError('TRACE_FIELD', `${path}.${k}`, `expected ${TYPE_NAME[t]}`);
    }
    const e: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) e[k] = k === 'bytes' ? fromHex(v as string, `${path}.bytes`) : decodeValue(v, `${path}.${k}`);
    if (e.kind === 'p9') checkP9(e, path);
    return e as unknown as TraceEvent;
  });
  return { meta: meta as Record<string, unknown>, events };
}

function checkP9(e: Record<string, unknown>, path: string): void {
  const bytes = e.bytes as Uint8Array;
  let decoded;
  try {
    decoded = decodeMessage(bytes);
  } catch (err) {
    if (!(err instanceof P9DecodeError)) throw err;
    if (e.message !== undefined) throw new TraceImportError('TRACE_BYTES', `${path}.bytes`, `does not decode (${err.message}) but a message is given`);
    e.decodeError = decodeErrorInfo(err);
    return;
  }
  const stored = e.message;
  if (stored !== undefined && JSON.stringify(encodeValue(canonicalMessage(stored as P9Message))) !== JSON.stringify(encodeValue(decoded))) {
    throw new TraceImportError('TRACE_BYTES', `${path}.message`, 'disagrees with the decoded bytes');
  }
  e.message = decoded;
  if (e.msgType !== decoded.kind) throw new TraceImportError('TRACE_BYTES', `${path}.msgType`, `says ${JSON.stringify(e.msgType)}, bytes are ${decoded.kind}`);
  if (e.tag !== decoded.tag) throw new TraceImportError('TRACE_BYTES', `${path}.tag`, `says ${String(e.tag)}, bytes say ${decoded.tag}`);
  if (!(e.fids as number[]).length) e.fids = messageFids(decoded);
}
