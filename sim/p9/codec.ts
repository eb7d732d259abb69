// Byte-exact 9P2000.L encoder/decoder driven by the table in messages.ts.
// Wire rules (Linux net/9p/protocol.c, QEMU fsdev/9p-iov-marshal.c): little-endian integers,
// header size[4] type[1] tag[2] where size counts the whole message, strings as len[2] + bytes
// (no NUL), qid as type[1] version[4] path[8].
import { maskNames, P9_AT_REMOVEDIR, P9_GETATTR, P9_HEADER_SIZE, P9_NOFID, P9_NONUNAME, P9_QID_SIZE, P9_SETATTR } from './constants.ts';
import { errnoName } from './errno.ts';
import { formatDotlFlags } from './openflags.ts';
import { P9DecodeError, P9EncodeError } from './errors.ts';
import { type Dirent, type FieldKind, type MessageSpec, type P9Message, type Qid, specByName, specByType } from './messages.ts';
import { decodeUtf8, encodeUtf8 } from './utf8.ts';

// ---------------------------------------------------------------------------------------------
// Describe tree (for the hex view: every node knows its byte range [start, end) in the message).

export interface FieldNode {
  /** Field name as in the table (`fid`, `wnames`, `[0]`, `qid.path`…). */
  name: string;
  start: number;
  end: number;
  /** Short human text for the value (`0x80 (dir)`, `"hello"`, `5 bytes`). */
  display: string;
  /** The decoded value, for leaves. */
  value?: number | bigint | string;
  children?: FieldNode[];
}

export interface P9Description {
  /** Root node spanning the bytes examined; children are header fields then message fields. */
  tree: FieldNode;
  /** The decoded message if the bytes are a well-formed message. */
  message?: P9Message;
  /** The first problem found; the tree then holds every field decoded before it. */
  error?: P9DecodeError;
}

// ---------------------------------------------------------------------------------------------
// Reading

class Reader {
  readonly view: DataView;
  constructor(
    readonly buf: Uint8Array,
    public off: number,
    public end: number,
    readonly msgName: string | undefined,
    readonly typeNumber: number | undefined,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  need(n: number, field: string): void {
    if (this.off + n > this.end) {
      throw new P9DecodeError('P9_TRUNCATED', {
        ...(this.msgName !== undefined ? { messageType: this.msgName } : {}),
        ...(this.typeNumber !== undefined ? { typeNumber: this.typeNumber } : {}),
        field, offset: this.off, expected: n, actual: Math.max(0, this.end - this.off),
      }, `needs ${n} byte${n === 1 ? '' : 's'}, ${Math.max(0, this.end - this.off)} left`);
    }
  }
  u8(f: string): number { this.need(1, f); return this.buf[this.off++]!; }
  u16(f: string): number { this.need(2, f); const v = this.view.getUint16(this.off, true); this.off += 2; return v; }
  u32(f: string): number { this.need(4, f); const v = this.view.getUint32(this.off, true); this.off += 4; return v; }
  u64(f: string): bigint { this.need(8, f); const v = this.view.getBigUint64(this.off, true); this.off += 8; return v; }
  str(f: string): string {
    const n = this.u16(`${f}.len`);
    this.need(n, f);
    const s = decodeUtf8(this.buf, this.off, this.off + n);
    this.off += n;
    return s;
  }
  bytes(n: number, f: string): Uint8Array {
    this.need(n, f);
    const b = this.buf.slice(this.off, this.off + n);
    this.off += n;
    return b;
  }
}

type Nodes = FieldNode[] | undefined;

function leaf(nodes: Nodes, name: string, start: number, end: number, value: number | bigint | string, display: string): void {
  nodes?.push({ name, start, end, value, display });
}

function group(nodes: Nodes, name: string, start: number, display: string): FieldNode[] | undefined {
  if (!nodes) return undefined;
  const node: FieldNode = { name, start, end: start, display, children: [] };
  nodes.push(node);
  return node.children;
}

function closeGroup(nodes: Nodes, end: number, display?: string): void {
  if (!nodes) return;
  const node = nodes[nodes.length - 1]!;
  node.end = end;
  if (display !== undefined) node.display = display;
}

const QID_TYPE_NAMES: readonly [number, string][] = [[0x80, 'dir'], [0x40, 'append'], [0x20, 'excl'], [0x10, 'mount'], [0x08, 'auth'], [0x04, 'tmp'], [0x02, 'symlink'], [0x01, 'link']];

export function qidTypeName(t: number): string {
  const names = QID_TYPE_NAMES.filter(([b]) => (t & b) !== 0).map(([, n]) => n);
  return names.length ? names.join('|') : 'file';
}

export function formatQid(q: Qid): string {
  return `{type ${qidTypeName(q.type)} version ${q.version} path ${q.path}}`;
}

function readQid(r: Reader, name: string, nodes: Nodes): Qid {
  const start = r.off;
  r.need(P9_QID_SIZE, name);
  const kids = group(nodes, name, start, '');
  const t0 = r.off; const type = r.u8(`${name}.type`);
  leaf(kids, 'type', t0, r.off, type, `0x${type.toString(16).padStart(2, '0')} (${qidTypeName(type)})`);
  const v0 = r.off; const version = r.u32(`${name}.version`);
  leaf(kids, 'version', v0, r.off, version, String(version));
  const p0 = r.off; const path = r.u64(`${name}.path`);
  leaf(kids, 'path', p0, r.off, path, String(path));
  const q = { type, version, path };
  closeGroup(nodes, r.off, formatQid(q));
  return q;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function readField(kind: FieldKind, r: Reader, name: string, nodes: Nodes): unknown {
  const start = r.off;
  switch (kind) {
    case 'u8': { const v = r.u8(name); leaf(nodes, name, start, r.off, v, String(v)); return v; }
    case 'u16': { const v = r.u16(name); leaf(nodes, name, start, r.off, v, String(v)); return v; }
    case 'u32': { const v = r.u32(name); leaf(nodes, name, start, r.off, v, String(v)); return v; }
    case 'u64': { const v = r.u64(name); leaf(nodes, name, start, r.off, v, String(v)); return v; }
    case 'str': {
      const kids = group(nodes, name, start, '');
      const n = r.u16(`${name}.len`);
      leaf(kids, 'len', start, r.off, n, String(n));
      r.need(n, name);
      const s = decodeUtf8(r.buf, r.off, r.off + n);
      leaf(kids, 'bytes', r.off, r.off + n, s, quote(s));
      r.off += n;
      closeGroup(nodes, r.off, quote(s));
      return s;
    }
    case 'qid': return readQid(r, name, nodes);
    case 'wnames': {
      const kids = group(nodes, name, start, '');
      const n = r.u16(`${name}.count`);
      leaf(kids, 'nwname', start, r.off, n, String(n));
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(readField('str', r, `${name}[${i}]`, kids) as string);
      if (kids) for (const k of kids) if (k.name.startsWith(`${name}[`)) k.name = k.name.slice(name.length);
      closeGroup(nodes, r.off, `[${out.map(quote).join(', ')}]`);
      return out;
    }
    case 'wqids': {
      const kids = group(nodes, name, start, '');
      const n = r.u16(`${name}.count`);
      leaf(kids, 'nwqid', start, r.off, n, String(n));
      const out: Qid[] = [];
      for (let i = 0; i < n; i++) out.push(readQid(r, `${name}[${i}]`, kids));
      if (kids) for (const k of kids) if (k.name.startsWith(`${name}[`)) k.name = k.name.slice(name.length);
      closeGroup(nodes, r.off, `${n} qid${n === 1 ? '' : 's'}`);
      return out;
    }
    case 'data': {
      const kids = group(nodes, name, start, '');
      const n = r.u32(`${name}.count`);
      leaf(kids, 'count', start, r.off, n, String(n));
      const d0 = r.off;
      const b = r.bytes(n, name);
      kids?.push({ name: 'data', start: d0, end: r.off, display: `${n} byte${n === 1 ? '' : 's'}` });
      closeGroup(nodes, r.off, `${n} byte${n === 1 ? '' : 's'}`);
      return b;
    }
    case 'dirents': {
      const kids = group(nodes, name, start, '');
      const count = r.u32(`${name}.count`);
      leaf(kids, 'count', start, r.off, count, String(count));
      r.need(count, name);
      // Entries are parsed inside the counted region only: an entry crossing `count` is truncated.
      const outerEnd = r.end;
      r.end = r.off + count;
      const out: Dirent[] = [];
      try {
        for (let i = 0; r.off < r.end; i++) {
          const e0 = r.off;
          const ek = group(kids, `[${i}]`, e0, '');
          const qid = readQid(r, `${name}[${i}].qid`, ek);
          if (ek) ek[ek.length - 1]!.name = 'qid';
          const o0 = r.off; const offset = r.u64(`${name}[${i}].offset`);
          leaf(ek, 'offset', o0, r.off, offset, String(offset));
          const y0 = r.off; const type = r.u8(`${name}[${i}].type`);
          leaf(ek, 'type', y0, r.off, type, String(type));
          const nm = readField('str', r, `${name}[${i}].name`, ek) as string;
          if (ek) ek[ek.length - 1]!.name = 'name';
          out.push({ qid, offset, type, name: nm });
          closeGroup(kids, r.off, quote(nm));
        }
      } finally {
        r.end = outerEnd;
      }
      closeGroup(nodes, r.off, `${out.length} entr${out.length === 1 ? 'y' : 'ies'}`);
      return out;
    }
  }
}

function decodeInto(bytes: Uint8Array, nodes: Nodes, allowTrailing: boolean, onMessage: (m: P9Message) => void): void {
  if (bytes.length < 4) {
    throw new P9DecodeError('P9_TRUNCATED', { field: 'size', offset: 0, expected: 4, actual: bytes.length }, `needs 4 bytes, ${bytes.length} left`);
  }
  const head = new Reader(bytes, 0, bytes.length, undefined, undefined);
  const size = head.u32('size');
  leaf(nodes, 'size', 0, 4, size, String(size));
  if (size < P9_HEADER_SIZE) {
    throw new P9DecodeError('P9_BAD_SIZE', { field: 'size', offset: 0, expected: P9_HEADER_SIZE, actual: size }, `size ${size} is smaller than the 7-byte header`);
  }
  // Type and tag are read before the size is checked against the bytes given, so that a truncated
  // message still reports which message it was.
  const typeNumber = head.u8('type');
  const spec: MessageSpec | undefined = specByType(typeNumber);
  leaf(nodes, 'type', 4, 5, typeNumber, spec ? `${typeNumber} (${spec.name})` : `${typeNumber} (unknown)`);
  const hr = new Reader(bytes, 5, bytes.length, spec?.name, typeNumber);
  const tag = hr.u16('tag');
  leaf(nodes, 'tag', 5, 7, tag, tag === 0xffff ? '65535 (NOTAG)' : String(tag));
  if (!spec) {
    throw new P9DecodeError('P9_UNKNOWN_TYPE', { typeNumber, field: 'type', offset: 4 }, `${typeNumber} is not a 9P2000.L message type`);
  }
  if (size > bytes.length) {
    throw new P9DecodeError('P9_SIZE_MISMATCH', { messageType: spec.name, typeNumber, field: 'size', offset: 0, expected: size, actual: bytes.length }, `size says ${size} bytes, ${bytes.length} given`);
  }
  const r = new Reader(bytes, 7, size, spec.name, typeNumber);
  const msg: Record<string, unknown> = { kind: spec.name, tag };
  for (const [name, kind] of spec.fields) {
    msg[name] = readField(kind, r, name, nodes);
    const shown = nodes ? fieldDisplay(spec.name, name, msg[name]) : undefined;
    if (shown !== undefined) nodes![nodes!.length - 1]!.display = shown;
  }
  if (r.off < size && allowTrailing) {
    // Accepted but ignored bytes still belong to a node, so the tree tiles the whole message.
    nodes?.push({ name: '(trailing)', start: r.off, end: size, display: `${size - r.off} ignored byte${size - r.off === 1 ? '' : 's'}` });
  }
  if (r.off !== size && !allowTrailing) {
    throw new P9DecodeError('P9_TRAILING_BYTES', { messageType: spec.name, typeNumber, field: '(end)', offset: r.off, expected: r.off, actual: size }, `${size - r.off} byte${size - r.off === 1 ? '' : 's'} after the last field`);
  }
  if (size !== bytes.length) {
    throw new P9DecodeError('P9_SIZE_MISMATCH', { messageType: spec.name, typeNumber, field: 'size', offset: 0, expected: size, actual: bytes.length }, `size says ${size} bytes, ${bytes.length} given`);
  }
  onMessage(msg as P9Message);
}

export interface DecodeOptions {
  /**
   * Accept bytes between the last field and `size` (QEMU's pdu_unmarshal never checks for them;
   * a raw client can send them). Default false: report P9_TRAILING_BYTES.
   */
  allowTrailing?: boolean;
}

/** Decode exactly one message: `bytes.length` must equal its size[4]. Throws P9DecodeError. */
export function decodeMessage(bytes: Uint8Array, opts: DecodeOptions = {}): P9Message {
  const allowTrailing = opts.allowTrailing ?? false;
  const fast = fastDecode(bytes, allowTrailing);
  if (fast) return fast;
  // Malformed (or unusual) input: the located decoder names the field and offset.
  let out: P9Message | undefined;
  decodeInto(bytes, undefined, allowTrailing, (m) => { out = m; });
  return out!;
}

// ---------------------------------------------------------------------------------------------
// Fast path for well-formed messages: no field-name strings, no tree, no exceptions; returns
// undefined at the first problem so that decodeInto() can report it precisely. Long traces decode
// every message they record, so this matters (scripts/bench-trace.ts).

function fastDecode(b: Uint8Array, allowTrailing: boolean): P9Message | undefined {
  const n = b.length;
  if (n < P9_HEADER_SIZE) return undefined;
  const size = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  if (size !== n) return undefined;
  const spec = specByType(b[4]!);
  if (!spec) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, n);
  const msg: Record<string, unknown> = { kind: spec.name, tag: b[5]! | (b[6]! << 8) };
  let o = 7;
  const str = (end: number): string | undefined => {
    if (o + 2 > end) return undefined;
    const len = b[o]! | (b[o + 1]! << 8);
    o += 2;
    if (o + len > end) return undefined;
    const v = decodeUtf8(b, o, o + len);
    o += len;
    return v;
  };
  const qid = (end: number): Qid | undefined => {
    if (o + P9_QID_SIZE > end) return undefined;
    const q = { type: b[o]!, version: dv.getUint32(o + 1, true), path: dv.getBigUint64(o + 5, true) };
    o += P9_QID_SIZE;
    return q;
  };
  for (const [name, kind] of spec.fields) {
    let v: unknown;
    switch (kind) {
      case 'u8': if (o + 1 > n) return undefined; v = b[o]; o += 1; break;
      case 'u16': if (o + 2 > n) return undefined; v = b[o]! | (b[o + 1]! << 8); o += 2; break;
      case 'u32': if (o + 4 > n) return undefined; v = dv.getUint32(o, true); o += 4; break;
      case 'u64': if (o + 8 > n) return undefined; v = dv.getBigUint64(o, true); o += 8; break;
      case 'str': v = str(n); if (v === undefined) return undefined; break;
      case 'qid': v = qid(n); if (v === undefined) return undefined; break;
      case 'wnames': case 'wqids': {
        if (o + 2 > n) return undefined;
        const count = b[o]! | (b[o + 1]! << 8);
        o += 2;
        const arr: unknown[] = new Array(count);
        for (let i = 0; i < count; i++) {
          const item = kind === 'wnames' ? str(n) : qid(n);
          if (item === undefined) return undefined;
          arr[i] = item;
        }
        v = arr;
        break;
      }
      case 'data': {
        if (o + 4 > n) return undefined;
        const count = dv.getUint32(o, true);
        o += 4;
        if (o + count > n) return undefined;
        v = b.slice(o, o + count);
        o += count;
        break;
      }
      case 'dirents': {
        if (o + 4 > n) return undefined;
        const count = dv.getUint32(o, true);
        o += 4;
        const end = o + count;
        if (end > n) return undefined;
        const out: Dirent[] = [];
        while (o < end) {
          const q = qid(end);
          if (!q || o + 9 > end) return undefined;
          const offset = dv.getBigUint64(o, true);
          const type = b[o + 8]!;
          o += 9;
          const nm = str(end);
          if (nm === undefined) return undefined;
          out.push({ qid: q, offset, type, name: nm });
        }
        v = out;
        break;
      }
    }
    msg[name] = v;
  }
  if (o !== n && !allowTrailing) return undefined;
  return msg as P9Message;
}

/** Decoded fields as a tree with byte ranges; never throws on malformed input (see `error`). */
export function describeMessage(bytes: Uint8Array, opts: DecodeOptions = {}): P9Description {
  const children: FieldNode[] = [];
  const tree: FieldNode = { name: 'message', start: 0, end: bytes.length, display: '', children };
  let message: P9Message | undefined;
  try {
    decodeInto(bytes, children, opts.allowTrailing ?? false, (m) => { message = m; });
  } catch (e) {
    if (!(e instanceof P9DecodeError)) throw e;
    tree.display = `malformed: ${e.message}`;
    // Groups open when the error struck (a string whose bytes are missing, a half-read qid) end
    // where their last decoded child ends.
    for (const c of children) closeOpen(c);
    // Bytes after the last decoded field are shown as one node so that every byte belongs somewhere.
    const last = lastEnd(children);
    if (last < bytes.length) children.push({ name: '(undecoded)', start: last, end: bytes.length, display: `${bytes.length - last} byte${bytes.length - last === 1 ? '' : 's'}` });
    return { tree, error: e };
  }
  tree.display = summarizeMessage(message!);
  return { tree, message: message! };
}

function closeOpen(node: FieldNode): void {
  if (!node.children?.length) return;
  for (const c of node.children) closeOpen(c);
  node.end = Math.max(node.end, node.children[node.children.length - 1]!.end);
}

function lastEnd(nodes: FieldNode[]): number {
  let end = 0;
  for (const n of nodes) end = Math.max(end, n.end, n.children ? lastEnd(n.children) : 0);
  return end;
}

// ---------------------------------------------------------------------------------------------
// Writing

// One scratch buffer reused by every encode (encoding is synchronous); each result is a fresh slice.
let scratch = new Uint8Array(4096);
let scratchView = new DataView(scratch.buffer);

class Writer {
  buf = scratch;
  view = scratchView;
  off = 0;
  ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.off + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.off));
    this.buf = scratch = nb;
    this.view = scratchView = new DataView(nb.buffer);
  }
  u8(v: number): void { this.ensure(1); this.buf[this.off++] = v; }
  u16(v: number): void { this.ensure(2); this.view.setUint16(this.off, v, true); this.off += 2; }
  u32(v: number): void { this.ensure(4); this.view.setUint32(this.off, v, true); this.off += 4; }
  u64(v: bigint): void { this.ensure(8); this.view.setBigUint64(this.off, v, true); this.off += 8; }
  bytes(b: Uint8Array): void { this.ensure(b.length); this.buf.set(b, this.off); this.off += b.length; }
  /** len[2] + bytes; ASCII is written directly, anything else goes through encodeUtf8. False if > 65535 bytes. */
  str(s: string): boolean {
    const n = s.length;
    this.ensure(2 + n);
    let ascii = n <= 0xffff;
    for (let i = 0; ascii && i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) ascii = false; else this.buf[this.off + 2 + i] = c;
    }
    if (ascii) { this.u16(n); this.off += n; return true; }
    const b = encodeUtf8(s);
    if (b.length > 0xffff) return false;
    this.u16(b.length);
    this.bytes(b);
    return true;
  }
  result(): Uint8Array { return this.buf.slice(0, this.off); }
}

const MAX: Record<'u8' | 'u16' | 'u32', number> = { u8: 0xff, u16: 0xffff, u32: 0xffffffff };

function fail(ctx: { msg: string; field: string }, code: 'P9_FIELD_MISSING' | 'P9_FIELD_TYPE' | 'P9_FIELD_RANGE' | 'P9_TOO_LONG', detail: string): never {
  throw new P9EncodeError(code, { messageType: ctx.msg, field: ctx.field }, detail);
}

function writeField(kind: FieldKind, w: Writer, value: unknown, ctx: { msg: string; field: string }): void {
  if (value === undefined) fail(ctx, 'P9_FIELD_MISSING', `missing (${kind})`);
  switch (kind) {
    case 'u8': case 'u16': case 'u32': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail(ctx, 'P9_FIELD_TYPE', `${kind} wants an integer number, got ${typeof value}`);
      if (value < 0 || value > MAX[kind]) return fail(ctx, 'P9_FIELD_RANGE', `${value} does not fit ${kind} (0..${MAX[kind]})`);
      w[kind](value);
      return;
    }
    case 'u64': {
      if (typeof value !== 'bigint') return fail(ctx, 'P9_FIELD_TYPE', `u64 wants a bigint, got ${typeof value}`);
      if (value < 0n || value > 0xffffffffffffffffn) return fail(ctx, 'P9_FIELD_RANGE', `${value} does not fit u64`);
      w.u64(value);
      return;
    }
    case 'str': {
      if (typeof value !== 'string') return fail(ctx, 'P9_FIELD_TYPE', `string wanted, got ${typeof value}`);
      if (!w.str(value)) fail(ctx, 'P9_TOO_LONG', `${encodeUtf8(value).length} bytes; a 9P string holds at most 65535`);
      return;
    }
    case 'qid': {
      const q = value as Qid;
      if (typeof q !== 'object' || q === null) return fail(ctx, 'P9_FIELD_TYPE', 'qid object wanted');
      writeField('u8', w, q.type, { msg: ctx.msg, field: `${ctx.field}.type` });
      writeField('u32', w, q.version, { msg: ctx.msg, field: `${ctx.field}.version` });
      writeField('u64', w, q.path, { msg: ctx.msg, field: `${ctx.field}.path` });
      return;
    }
    case 'wnames': case 'wqids': {
      if (!Array.isArray(value)) return fail(ctx, 'P9_FIELD_TYPE', 'array wanted');
      if (value.length > 0xffff) return fail(ctx, 'P9_TOO_LONG', `${value.length} entries; the count is u16`);
      w.u16(value.length);
      const item = kind === 'wnames' ? 'str' : 'qid';
      for (let i = 0; i < value.length; i++) writeField(item, w, value[i], { msg: ctx.msg, field: `${ctx.field}[${i}]` });
      return;
    }
    case 'data': {
      if (!(value instanceof Uint8Array)) return fail(ctx, 'P9_FIELD_TYPE', 'Uint8Array wanted');
      w.u32(value.length);
      w.bytes(value);
      return;
    }
    case 'dirents': {
      if (!Array.isArray(value)) return fail(ctx, 'P9_FIELD_TYPE', 'array of dirents wanted');
      const countAt = w.off;
      w.u32(0);
      for (let i = 0; i < value.length; i++) {
        const d = value[i] as Dirent;
        const f = `${ctx.field}[${i}]`;
        writeField('qid', w, d.qid, { msg: ctx.msg, field: `${f}.qid` });
        writeField('u64', w, d.offset, { msg: ctx.msg, field: `${f}.offset` });
        writeField('u8', w, d.type, { msg: ctx.msg, field: `${f}.type` });
        writeField('str', w, d.name, { msg: ctx.msg, field: `${f}.name` });
      }
      w.view.setUint32(countAt, w.off - countAt - 4, true);
      return;
    }
  }
}

/** Encode one message (header included). Throws P9EncodeError naming the offending field. */
export function encodeMessage(msg: P9Message): Uint8Array {
  const spec = specByName((msg as { kind: string }).kind);
  if (!spec) throw new P9EncodeError('P9_UNKNOWN_MESSAGE', { messageType: String((msg as { kind: unknown }).kind), field: 'kind' }, 'not a 9P2000.L message name');
  const w = new Writer();
  w.u32(0);
  w.u8(spec.type);
  writeField('u16', w, msg.tag, { msg: spec.name, field: 'tag' });
  const rec = msg as unknown as Record<string, unknown>;
  for (const [name, kind] of spec.fields) writeField(kind, w, rec[name], { msg: spec.name, field: name });
  w.view.setUint32(0, w.off, true);
  return w.result();
}

// ---------------------------------------------------------------------------------------------
// One-line summaries, in the spirit of QEMU's trace-events formats (`tag 1 id 110 fid 0 …`).

const hex = (v: number | bigint) => `0x${v.toString(16)}`;

/**
 * Field-specific renderings people can read: modes in octal, open flags and attribute masks by
 * name, errno by name, the NOFID/NONUNAME sentinels. Undefined = no special form.
 */
export function fieldDisplay(msg: string, field: string, v: unknown): string | undefined {
  switch (field) {
    case 'mode': return typeof v === 'number' ? (v === 0 ? '0' : `0${v.toString(8)}`) : undefined; // like printf %#o
    case 'flags':
      if (msg === 'Tlopen' || msg === 'Tlcreate') return `${hex(v as number)} (${formatDotlFlags(v as number)})`;
      if (msg === 'Tunlinkat') return v === P9_AT_REMOVEDIR ? `${hex(v)} (AT_REMOVEDIR)` : hex(v as number);
      return undefined;
    case 'request_mask': return `${hex(v as bigint)} (${maskNames(v as bigint, P9_GETATTR).join('|') || '-'})`;
    case 'valid':
      if (msg === 'Rgetattr') return `${hex(v as bigint)} (${maskNames(v as bigint, P9_GETATTR).join('|') || '-'})`;
      if (msg === 'Tsetattr') return `${hex(v as number)} (${maskNames(v as number, P9_SETATTR).join('|') || '-'})`;
      return undefined;
    case 'ecode': return `${v as number} (${errnoName(v as number)})`;
    case 'afid': case 'fid': case 'newfid': return v === P9_NOFID ? 'NOFID' : undefined;
    case 'n_uname': return v === P9_NONUNAME ? 'NONUNAME' : undefined;
    default: return undefined;
  }
}

function fmtValue(kind: FieldKind, v: unknown): string {
  switch (kind) {
    case 'str': return quote(v as string);
    case 'qid': return formatQid(v as Qid);
    case 'wnames': return `[${(v as string[]).map(quote).join(', ')}]`;
    case 'wqids': return `[${(v as Qid[]).map(formatQid).join(', ')}]`;
    case 'data': return `<${(v as Uint8Array).length} bytes>`;
    case 'dirents': return `[${(v as Dirent[]).map((d) => quote(d.name)).join(', ')}]`;
    default: return String(v);
  }
}

/** `Twalk tag=1 fid=0 newfid=1 wnames=["a", "b"]`. */
export function summarizeMessage(msg: P9Message): string {
  const spec = specByName(msg.kind)!;
  const rec = msg as unknown as Record<string, unknown>;
  const parts = [`${msg.kind} tag=${msg.tag}`];
  for (const [name, kind] of spec.fields) parts.push(`${name}=${fieldDisplay(msg.kind, name, rec[name]) ?? fmtValue(kind, rec[name])}`);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Field ↔ byte mapping for the hex view (ui-anchors.md: Wireshark's linked tree and bytes panes).

/** The nodes covering byte `offset`, outermost first (empty if outside the tree). */
export function nodesAt(tree: FieldNode, offset: number): FieldNode[] {
  const out: FieldNode[] = [];
  let cur: FieldNode | undefined = tree;
  while (cur && offset >= cur.start && offset < cur.end) {
    out.push(cur);
    cur = cur.children?.find((c) => offset >= c.start && offset < c.end);
  }
  return out;
}

/** Every leaf with its dotted path (`wnames.[1].bytes`), in byte order: handy for tables and tests. */
export function flattenTree(tree: FieldNode, prefix = ''): { path: string; node: FieldNode }[] {
  const out: { path: string; node: FieldNode }[] = [];
  for (const c of tree.children ?? []) {
    const path = prefix ? `${prefix}.${c.name}` : c.name;
    if (c.children?.length) out.push(...flattenTree(c, path));
    else out.push({ path, node: c });
  }
  return out;
}
