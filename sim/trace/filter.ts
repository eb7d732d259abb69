// Filters for the trace table and the CLI: by lane, kind, message/request/syscall type, errno, path,
// fid, causal subtree and free text, plus a small query language for a filter box
// (`lane:helper kind:syscall errno:ENOENT,EACCES path:/etc "hello world"`), with located errors.
import { errnoNumber } from '../p9/errno.ts';
import { EVENT_KINDS, type EventKind, LANES, type Lane, type TraceEvent } from './event.ts';
import { arrowOf, summarizeEvent } from './summary.ts';
import { descendants } from './causality.ts';

export interface TraceFilter {
  lanes?: readonly Lane[];
  kinds?: readonly EventKind[];
  /** p9 message names (`Twalk`, `Rlerror`), proxy request types (`T_LSTAT`), syscall or guest-call names. */
  types?: readonly string[];
  /** Events carrying one of these errnos, or `'any'` for every failure. */
  errno?: readonly number[] | 'any';
  /** Substring of any path-like string the event carries (names, wnames joined by `/`, syscall paths). */
  path?: string;
  /** p9 events naming one of these fids. */
  fids?: readonly number[];
  /** Case-insensitive substrings (all must match) of the event's one-line text. */
  text?: readonly string[];
  /** Only events caused (directly or not) by this event id, plus the event itself. */
  causedBy?: number;
  /** p9/proxy events of these sessions (`channel`; `-` = the unnamed one). */
  channels?: readonly string[];
}

export function eventType(e: TraceEvent): string {
  switch (e.kind) {
    case 'p9': return e.msgType;
    case 'proxy': return e.requestType;
    case 'syscall': case 'guest-call': return e.name;
    case 'launch': return e.step;
    case 'note': return e.label;
    case 'process': return e.action;
  }
}

export function eventErrno(e: TraceEvent): number | undefined {
  return 'errno' in e ? e.errno : undefined;
}

const P9_PATH_FIELDS = ['name', 'oldname', 'newname', 'symtgt', 'target', 'aname'] as const;

/** Path-like strings an event carries. */
export function eventPaths(e: TraceEvent): string[] {
  const out: string[] = [];
  const strings = (o: Record<string, unknown>) => {
    for (const v of Object.values(o)) {
      if (typeof v === 'string') out.push(v);
      else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
    }
  };
  switch (e.kind) {
    case 'p9': {
      const m = e.message as Record<string, unknown> | undefined;
      if (!m) break;
      for (const f of P9_PATH_FIELDS) if (typeof m[f] === 'string') out.push(m[f] as string);
      if (Array.isArray(m.wnames)) out.push((m.wnames as string[]).join('/'));
      if (Array.isArray(m.entries)) for (const d of m.entries as { name: string }[]) out.push(d.name);
      break;
    }
    case 'proxy': strings(e.fields); break;
    case 'syscall': case 'guest-call': strings(e.args); if (typeof e.result === 'string') out.push(e.result); break;
    case 'launch': out.push(e.text, ...(e.argv ?? [])); break;
    case 'process': out.push(...(e.argv ?? [])); break;
    case 'note': break;
  }
  return out;
}

const lineCache = new WeakMap<TraceEvent, string>();

/** The lower-cased one-line text the `text` filter searches. */
export function eventSearchText(e: TraceEvent): string {
  let s = lineCache.get(e);
  if (s === undefined) {
    s = `#${e.id} ${arrowOf(e)} ${summarizeEvent(e)}`.toLowerCase();
    lineCache.set(e, s);
  }
  return s;
}

/** Whether one event passes the filter (all given criteria must hold). `causedBy` needs filterEvents. */
export function matchEvent(e: TraceEvent, f: TraceFilter): boolean {
  // An event belongs to its sender's lane and to the lane it reaches (a syscall reaches the host).
  if (f.lanes && !f.lanes.includes(e.lane) && !(('to' in e) && f.lanes.includes(e.to)) && !(e.kind === 'syscall' && f.lanes.includes('host'))) return false;
  if (f.kinds && !f.kinds.includes(e.kind)) return false;
  if (f.types && !f.types.includes(eventType(e))) return false;
  if (f.errno) {
    const n = eventErrno(e);
    if (n === undefined || (f.errno !== 'any' && !f.errno.includes(n))) return false;
  }
  if (f.fids) {
    if (e.kind !== 'p9' || !e.fids.some((x) => f.fids!.includes(x))) return false;
  }
  if (f.path !== undefined && !eventPaths(e).some((p) => p.includes(f.path!))) return false;
  if (f.channels) {
    if (e.kind !== 'p9' && e.kind !== 'proxy') return false;
    if (!f.channels.includes(e.channel ?? '-')) return false;
  }
  if (f.text?.length) {
    const s = eventSearchText(e);
    for (const t of f.text) if (!s.includes(t.toLowerCase())) return false;
  }
  return true;
}

export function filterEvents(events: readonly TraceEvent[], f: TraceFilter): TraceEvent[] {
  let pool = events;
  if (f.causedBy !== undefined) {
    const keep = new Set([f.causedBy, ...descendants(events, f.causedBy)]);
    pool = events.filter((e) => keep.has(e.id));
  }
  return pool.filter((e) => matchEvent(e, f));
}

// ---------------------------------------------------------------------------------------------
// Query language

export class TraceFilterError extends Error {
  override readonly name = 'TraceFilterError';
  constructor(readonly code: 'FILTER_UNKNOWN_KEY' | 'FILTER_BAD_VALUE' | 'FILTER_UNTERMINATED_QUOTE', readonly column: number, detail: string) {
    super(`filter, column ${column}: ${detail}`);
  }
}

const KEYS = ['lane', 'kind', 'type', 'errno', 'fid', 'path', 'cause', 'channel', 'text'] as const;

/**
 * Parse `key:value[,value…]` terms and bare words (free text). Keys: lane, kind, type, errno
 * (number, name, or `any`), fid, path, cause (event id), channel (`-` = unnamed), text. Values may be "double-quoted".
 * Columns in errors are 1-based.
 */
export function parseFilter(query: string): TraceFilter {
  const f: { -readonly [K in keyof TraceFilter]: TraceFilter[K] } = {};
  const text: string[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    while (i < n && query[i] === ' ') i++;
    if (i >= n) break;
    const start = i;
    let key: string | undefined;
    const m = /^([a-z]+):/.exec(query.slice(i));
    if (m) { key = m[1]!; i += m[0].length; }
    const valueCol = i + 1;
    let value = '';
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      if (close < 0) throw new TraceFilterError('FILTER_UNTERMINATED_QUOTE', i + 1, 'unterminated "');
      value = query.slice(i + 1, close);
      i = close + 1;
    } else {
      while (i < n && query[i] !== ' ') value += query[i++];
    }
    if (key === undefined) { text.push(value); continue; }
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new TraceFilterError('FILTER_UNKNOWN_KEY', start + 1, `unknown key "${key}" (known: ${KEYS.join(', ')})`);
    }
    const values = value.split(',').filter((v) => v !== '');
    if (!values.length) throw new TraceFilterError('FILTER_BAD_VALUE', valueCol, `${key}: needs a value`);
    const bad = (v: string, why: string): never => {
      throw new TraceFilterError('FILTER_BAD_VALUE', valueCol + value.indexOf(v), `${key}: ${JSON.stringify(v)} ${why}`);
    };
    switch (key) {
      case 'lane':
        for (const v of values) if (!(LANES as readonly string[]).includes(v)) bad(v, `is not a lane (${LANES.join(', ')})`);
        f.lanes = values as Lane[];
        break;
      case 'kind':
        for (const v of values) if (!(EVENT_KINDS as readonly string[]).includes(v)) bad(v, `is not a kind (${EVENT_KINDS.join(', ')})`);
        f.kinds = values as EventKind[];
        break;
      case 'type': f.types = values; break;
      case 'errno':
        if (values.length === 1 && values[0] === 'any') { f.errno = 'any'; break; }
        f.errno = values.map((v) => (/^\d+$/.test(v) ? Number(v) : errnoNumber(v.toUpperCase()) ?? bad(v, 'is not an errno number or name')));
        break;
      case 'fid':
        f.fids = values.map((v) => (/^\d+$/.test(v) ? Number(v) : bad(v, 'is not a fid number')));
        break;
      case 'cause':
        if (values.length !== 1 || !/^\d+$/.test(values[0]!)) bad(value, 'wants one event id');
        f.causedBy = Number(values[0]);
        break;
      case 'path': f.path = value; break;
      case 'channel': f.channels = values; break;
      case 'text': text.push(value); break;
    }
  }
  if (text.length) f.text = text;
  return f;
}
