// Field ↔ byte mapping for the hex view and the trace (DESIGN.md §4: "decoded-fields + hex with
// field↔byte highlighting"). Never throws: malformed input yields the fields decoded so far plus the
// located error, so a UI can highlight exactly where a frame goes wrong.
import { PROXY_HDR_SZ, PROXY_MAX_IO_SZ } from './constants.ts';
import { ProxyDecodeError, type ProxyDecodeErrorData } from './errors.ts';
import { decodeReply } from './replies.ts';
import { WireReader, type FieldSpan } from './marshal.ts';
import { REQUESTS, requestName, typeName, type FieldSpec, type RequestName } from './requests.ts';
import { modeOctal, openFlagsSymbolic, xattrFlagsSymbolic } from './symbolic.ts';
import { errnoName } from '../host/errno.ts';

export interface DescribedField {
  name: string;
  kind: FieldSpan['kind'] | 'bytes';
  /** Byte range [offset, offset + length) in the described buffer. */
  offset: number;
  length: number;
  /** Human-readable value: numbers in decimal (signed where the C type is), strings quoted C-style. */
  display: string;
  /** open(2) / setxattr flags by name, as the suite writes them ("O_RDWR|O_CREAT|O_EXCL"). */
  symbolic?: string;
  /** Modes in octal ("0o100644"). */
  octal?: string;
}

export interface DescribedFrame {
  /** Start of this frame in the buffer and its length (header + payload as far as present). */
  offset: number;
  length: number;
  typeName: string;
  fields: DescribedField[];
  /** Bytes of the payload no field consumed (the helper ignores them). */
  trailing: number;
  error?: ProxyDecodeErrorData;
}

/** C-style quoting of a wire string: printable ASCII kept, everything else \xNN, NUL as \0. */
export function quoteBytes(b: Uint8Array): string {
  let s = '"';
  for (const c of b) {
    if (c === 0) s += '\\0';
    else if (c === 0x22 || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  return s + '"';
}

function display(span: FieldSpan, spec?: FieldSpec): string {
  const v = span.value;
  if (v instanceof Uint8Array) return `${quoteBytes(v)} (len ${v.length}${spec?.role === 'fid' && v[v.length - 1] === 0 ? ', NUL counted' : ''})`;
  if (typeof v === 'bigint') return spec?.signed ? BigInt.asIntN(64, v).toString() : v.toString();
  return spec?.signed ? String(v | 0) : String(v);
}

function toDescribed(spans: FieldSpan[], specs: readonly FieldSpec[], request?: string): DescribedField[] {
  return spans.map((sp) => {
    const spec = specs.find((f) => f.name === sp.name);
    const out: DescribedField = { name: sp.name, kind: sp.kind, offset: sp.offset, length: sp.length, display: sp.name.startsWith('header.') ? headerDisplay(sp) : display(sp, spec) };
    if (typeof sp.value === 'number' && sp.name === 'flags') {
      out.symbolic = request === 'T_LSETXATTR' ? xattrFlagsSymbolic(sp.value) : openFlagsSymbolic(sp.value);
      out.display = `${sp.value} (${out.symbolic})`;
    }
    if (typeof sp.value === 'number' && sp.name === 'mode') {
      out.octal = modeOctal(sp.value);
      out.display = `${sp.value} (${out.octal})`;
    }
    return out;
  });
}

function headerDisplay(sp: FieldSpan): string {
  const v = sp.value as number;
  return sp.name === 'header.type' ? `${v} (${typeName(v)})` : String(v);
}

/** Describes one request frame starting at `at` (client → helper). */
export function describeRequest(buf: Uint8Array, at = 0): DescribedFrame {
  const avail = buf.length - at;
  const r = new WireReader(buf, at, Math.min(buf.length, at + PROXY_HDR_SZ), -1, 'header');
  const frame: DescribedFrame = { offset: at, length: Math.min(avail, PROXY_HDR_SZ), typeName: 'NONE', fields: [], trailing: 0 };
  let type: number;
  let size: number;
  try {
    type = r.u32('header.type');
    frame.typeName = typeName(type);
    size = r.u32('header.size');
  } catch (e) {
    frame.fields = toDescribed(r.spans, []);
    if (e instanceof ProxyDecodeError) frame.error = e.data;
    return frame;
  }
  const name = requestName(type);
  const payloadEnd = Math.min(buf.length, at + PROXY_HDR_SZ + Math.min(size, PROXY_MAX_IO_SZ));
  frame.length = payloadEnd - at;
  const specs: readonly FieldSpec[] = name ? REQUESTS[name].fields : [];
  const pr = new WireReader(buf, at + PROXY_HDR_SZ, payloadEnd, type, frame.typeName);
  try {
    if (size > PROXY_MAX_IO_SZ) {
      throw new ProxyDecodeError({ request: type, requestName: frame.typeName, field: 'header.size', offset: at + 4, need: size, have: PROXY_MAX_IO_SZ, reason: 'oversize' });
    }
    if (at + PROXY_HDR_SZ + size > buf.length) {
      throw new ProxyDecodeError({ request: type, requestName: frame.typeName, field: 'payload', offset: at + PROXY_HDR_SZ, need: size, have: buf.length - at - PROXY_HDR_SZ });
    }
    for (const f of specs) pr.read(f.kind, f.name);
    frame.trailing = payloadEnd - pr.pos;
  } catch (e) {
    if (e instanceof ProxyDecodeError) frame.error = e.data;
    else throw e;
  }
  frame.fields = [...toDescribed(r.spans, []), ...toDescribed(pr.spans, specs, name)];
  if (!name && size > 0 && size <= PROXY_MAX_IO_SZ) {
    frame.fields.push({ name: 'payload', kind: 'bytes', offset: at + PROXY_HDR_SZ, length: payloadEnd - at - PROXY_HDR_SZ, display: `${payloadEnd - at - PROXY_HDR_SZ} byte(s)` });
  }
  return frame;
}

/** Splits a buffer of back-to-back requests (a pipelined write) and describes each. */
export function describeRequests(buf: Uint8Array): DescribedFrame[] {
  const out: DescribedFrame[] = [];
  let at = 0;
  while (at < buf.length) {
    const f = describeRequest(buf, at);
    out.push(f);
    if (f.error || f.length === 0) break;
    at += f.length;
  }
  return out;
}

/** "-2 (ENOENT)": a negated Linux errno from a reply. */
function errnoDisplay(v: number): string {
  const name = v < 0 ? errnoName(-v) : undefined;
  return name ? `${v} (${name})` : String(v);
}

/** Describes a helper reply to `request` (helper → client). `sizeArg` as for decodeReply. */
export function describeReply(request: RequestName, buf: Uint8Array, sizeArg = 1): DescribedFrame {
  const frame: DescribedFrame = { offset: 0, length: buf.length, typeName: `${request} reply`, fields: [], trailing: 0 };
  try {
    const d = decodeReply(request, buf, sizeArg);
    frame.fields = d.spans.map((sp) => ({
      name: sp.name, kind: sp.kind, offset: sp.offset, length: sp.length,
      display: sp.name === 'header.type' ? `${sp.value} (${sp.value === 0 ? 'T_SUCCESS' : sp.value === 1 ? 'T_ERROR' : '?'})`
        : sp.name === 'errno' || (sp.name === 'data' && !d.ok) ? errnoDisplay((sp.value as number) | 0)
        : sp.name === 'data' ? `${sp.value} (V9FS_FD_VALID)`
        : sp.value instanceof Uint8Array ? quoteBytes(sp.value)
        : typeof sp.value === 'bigint' && /_sec$|_nsec$/.test(sp.name) ? BigInt.asIntN(64, sp.value).toString()
        : String(sp.value),
    }));
    const last = d.spans[d.spans.length - 1];
    frame.trailing = last ? buf.length - (last.offset + last.length) : buf.length;
  } catch (e) {
    if (e instanceof ProxyDecodeError) frame.error = e.data;
    else throw e;
  }
  return frame;
}
