// Opening a trace file in the playground (issue 5 §2): a trace exported earlier — the JSON
// "virtfs-lab-trace/1" document that the panel's JSON button and `virtfs-lab run --trace json` write
// (sim/trace/json.ts), or a pcapng/pcap capture with 9P2000.L on TCP/564 (sim/trace/import-pcap.ts:
// our own pcapng export, or a real diod/TCP 9P capture). DOM-free: it runs in the trace-file worker,
// in the page when no worker starts, and under vitest.
//
// Every refusal is located: JSON syntax errors by line:column (the importer only has V8's message,
// which often carries no position, so a small scanner finds the offending character), structure errors
// by the importer's JSON path (`events[3].bytes`), capture errors by byte offset.
import { importJson, TraceImportError } from '../../../sim/trace/json.ts';
import { CaptureImportError, importCapture } from '../../../sim/trace/import-pcap.ts';
import type { TraceEvent } from '../../../sim/trace/event.ts';

/**
 * The largest file opened. A 100,000-event JSON trace is about 33 MB (scripts/bench-trace.ts), so
 * 64 MiB is room for about twice that; parsing holds the text, the parsed JSON and the events at once.
 */
export const MAX_TRACE_FILE_BYTES = 64 * 2 ** 20;

export type TraceFileFormat = 'json' | 'pcapng' | 'pcap';

export interface OpenedTrace {
  name: string;
  format: TraceFileFormat;
  /** Size of the file in bytes. */
  size: number;
  events: TraceEvent[];
  /** The JSON document's `meta` (the panel's export writes `{ source: caption }`); {} for captures. */
  meta: Record<string, unknown>;
}

export type TraceFileErrorCode =
  | 'TOO_BIG' | 'EMPTY' | 'NOT_A_TRACE' | 'NOT_UTF8' | 'NO_9P'
  | TraceImportError['code'] | CaptureImportError['code'];

export interface TraceFileError {
  ok: false;
  code: TraceFileErrorCode;
  /** Where in the file: `line 3, column 17`, a JSON path (`events[3].bytes`), `byte 120`, or `file`. */
  where: string;
  /** The whole message for people: `NAME: WHERE: what is wrong`. */
  message: string;
}

export type TraceFileResult = ({ ok: true } & OpenedTrace) | TraceFileError;

function fail(name: string, code: TraceFileErrorCode, where: string, detail: string): TraceFileError {
  return { ok: false, code, where, message: `${name}: ${where}: ${detail}` };
}

const MiB = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** Refuse an empty or too big file from its size alone, before reading it. */
export function checkTraceFileSize(name: string, size: number): TraceFileError | null {
  if (size === 0) return fail(name, 'EMPTY', 'file', 'the file is empty');
  if (size > MAX_TRACE_FILE_BYTES) {
    return fail(name, 'TOO_BIG', 'file', `${MiB(size)} is more than the ${MiB(MAX_TRACE_FILE_BYTES)} a trace file may have here (a 100,000-event JSON trace is about 33 MB)`);
  }
  return null;
}

const PCAPNG_MAGIC = 0x0a0d0d0a;
const PCAP_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1];

/** What the first bytes say the file is: a capture by its magic number, JSON by its first `{`. */
export function detectTraceFormat(head: Uint8Array): TraceFileFormat | null {
  if (head.length >= 4) {
    const m = (head[0]! | (head[1]! << 8) | (head[2]! << 16) | (head[3]! << 24)) >>> 0;
    if (m === PCAPNG_MAGIC) return 'pcapng';
    if (PCAP_MAGICS.includes(m)) return 'pcap';
  }
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0; // a UTF-8 BOM
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return head[i] === 0x7b /* { */ ? 'json' : null;
}

/** 1-based line and column (UTF-16 code units, as editors count them) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { line++; start = i + 1; }
  return { line, column: offset - start + 1 };
}

const show = (c: string) => (c === '\n' ? 'a line break' : c === '\r' ? 'a carriage return' : c === '\t' ? 'a tab' : `'${c}'`);
const isWs = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t';
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Where `text` stops being JSON (RFC 8259), and why; null when it is valid. Only run after
 * JSON.parse has failed, to locate the failure; iterative, so deep nesting cannot overflow it.
 */
export function findJsonSyntaxError(text: string): { offset: number; detail: string } | null {
  const n = text.length;
  const stack: ('{' | '[')[] = [];
  let want: 'value' | 'after' | 'key' | 'colon' = 'value';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const string = (): { offset: number; detail: string } | null => {
    for (let j = i + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) { i = j + 1; return null; }
      if (c < 0x20) return { offset: j, detail: `${show(text[j]!)} inside a string (control characters must be escaped)` };
      if (c === 0x5c) {
        const e = text[j + 1];
        if (e === undefined) break;
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return { offset: j, detail: 'a \\u escape wants four hex digits' };
          j += 5;
        } else if ('"\\/bfnrt'.includes(e)) j++;
        else return { offset: j, detail: `unknown escape \\${e}` };
      }
    }
    return { offset: n, detail: 'the file ends inside a string: it is truncated' };
  };
  for (;;) {
    while (i < n && isWs(text[i]!)) i++;
    if (i >= n) {
      if (want === 'after' && stack.length === 0) return null;
      return { offset: n, detail: `the file ends before the JSON does (${stack.length} unclosed ${stack.length === 1 ? 'bracket' : 'brackets'}): it is truncated` };
    }
    const c = text[i]!;
    switch (want) {
      case 'value':
        if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          want = c === '{' ? 'key' : 'value';
          // An empty object/array closes at once.
          let k = i;
          while (k < n && isWs(text[k]!)) k++;
          if (text[k] === (c === '{' ? '}' : ']')) { stack.pop(); i = k + 1; want = 'after'; }
        } else if (c === '"') {
          const e = string();
          if (e) return e;
          want = 'after';
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (!m) return { offset: i, detail: 'a malformed number' };
          i += m[0].length;
          want = 'after';
        } else {
          const lit = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
          if (!lit) return { offset: i, detail: `unexpected ${show(c)} where a value (object, array, string, number, true, false, null) belongs` };
          i += lit.length;
          want = 'after';
        }
        break;
      case 'key': {
        if (c !== '"') return { offset: i, detail: `unexpected ${show(c)} where a property name in double quotes belongs` };
        const e = string();
        if (e) return e;
        want = 'colon';
        break;
      }
      case 'colon':
        if (c !== ':') return { offset: i, detail: `expected ':' after the property name, found ${show(c)}` };
        i++;
        want = 'value';
        break;
      case 'after': {
        const top = stack[stack.length - 1];
        if (!top) return { offset: i, detail: `unexpected ${show(c)} after the end of the JSON document` };
        const close = top === '{' ? '}' : ']';
        if (c === ',') { i++; want = top === '{' ? 'key' : 'value'; } else if (c === close) { stack.pop(); i++; } else return { offset: i, detail: `expected ',' or '${close}', found ${show(c)}` };
        break;
      }
    }
  }
}

function parseJsonTrace(name: string, bytes: Uint8Array): TraceFileResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(name, 'NOT_UTF8', 'file', 'not UTF-8 text, so not a JSON trace');
  }
  try {
    const doc = importJson(text);
    return { ok: true, name, format: 'json', size: bytes.length, events: doc.events, meta: doc.meta };
  } catch (e) {
    if (!(e instanceof TraceImportError)) throw e;
    if (e.code === 'TRACE_JSON') {
      const at = findJsonSyntaxError(text);
      if (at) {
        const { line, column } = lineColumn(text, at.offset);
        return fail(name, 'TRACE_JSON', `line ${line}, column ${column}`, `not JSON: ${at.detail}`);
      }
    }
    // The importer's message is `PATH: detail`; PATH is the JSON path of the bad value.
    return fail(name, e.code, e.path, e.message.slice(e.path.length + 2));
  }
}

function parseCapture(name: string, format: 'pcapng' | 'pcap', bytes: Uint8Array): TraceFileResult {
  try {
    const { events } = importCapture(bytes);
    if (!events.length) return fail(name, 'NO_9P', 'file', `a ${format} capture with no 9P2000.L messages on TCP port 564`);
    return { ok: true, name, format, size: bytes.length, events, meta: {} };
  } catch (e) {
    if (!(e instanceof CaptureImportError)) throw e;
    return fail(name, e.code, `byte ${e.offset}`, e.message.replace(/^capture, byte \d+: /, ''));
  }
}

/** Parse a whole trace file: detect its format, import it, or say what is wrong and where. */
export function parseTraceFile(name: string, bytes: Uint8Array): TraceFileResult {
  const size = checkTraceFileSize(name, bytes.length);
  if (size) return size;
  const format = detectTraceFormat(bytes.subarray(0, 64));
  if (format === 'json') return parseJsonTrace(name, bytes);
  if (format) return parseCapture(name, format, bytes);
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return fail(name, 'NOT_A_TRACE', 'byte 0', `not a trace file: a virtfs-lab JSON trace starts with '{', a capture with the pcapng or pcap magic; this file starts with ${head}`);
}

/** The one-line description of an opened file shown above the views. */
export function describeOpened(t: Pick<OpenedTrace, 'name' | 'format' | 'events'>): string {
  const kind = t.format === 'json' ? 'JSON trace' : `${t.format} capture, 9P messages only`;
  return `${t.name} (${t.events.length} ${t.events.length === 1 ? 'event' : 'events'}, ${kind})`;
}

// ---------------------------------------------------------------------------------------------
// Between the trace-file worker and the page. A 100,000-event trace as one message costs the page
// about as much to deserialise (structured clone) as parsing the JSON itself (~0.8 s vs ~1 s in
// Node's V8), so the worker sends the events in slices: each slice is one short task in the page,
// which stays responsive while a big file arrives.

/** Events per message from the worker (a few tens of ms of deserialising each). */
export const EVENTS_PER_SLICE = 4000;

export type TraceFileReply =
  | { kind: 'slice'; events: TraceEvent[] }
  /** The last message: the file's verdict (events empty: they came in the slices) and the worker's parse time. */
  | { kind: 'done'; result: TraceFileResult; parseMs: number };

/** The worker's side: parse, then the messages to post, in order. */
export function* traceFileReplies(name: string, bytes: Uint8Array, now: () => number): Generator<TraceFileReply> {
  const t0 = now();
  const result = parseTraceFile(name, bytes);
  const parseMs = now() - t0;
  if (!result.ok) { yield { kind: 'done', result, parseMs }; return; }
  for (let i = 0; i < result.events.length; i += EVENTS_PER_SLICE) yield { kind: 'slice', events: result.events.slice(i, i + EVENTS_PER_SLICE) };
  yield { kind: 'done', result: { ...result, events: [] }, parseMs };
}
