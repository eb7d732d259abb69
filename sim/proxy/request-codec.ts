// Request encode/decode, driven by the REQUESTS table (proxy-protocol.md §4.1). Used by QEMU's proxy
// client (encode) and by the helper (decode, field group by field group, the way the C code
// unmarshals "dd" before switching credentials and the rest afterwards, §4.1 "Argument order trap").
import { PROXY_BUF_SZ, PROXY_HDR_SZ, PROXY_MAX_IO_SZ } from './constants.ts';
import { ProxyDecodeError, ProxyEncodeError } from './errors.ts';
import { decodeHeader, type ProxyHeader } from './header.ts';
import { utf8Encode } from './utf8.ts';
import { LETTER_SIZE, WireReader, toBytes, type FieldSpan } from './marshal.ts';
import {
  REQUESTS, requestName, typeName,
  type FieldSpec, type RequestArgs, type RequestFields, type RequestName,
} from './requests.ts';

/**
 * Encodes one request frame: header + payload. A frame over 65544 bytes fails as QEMU's marshaller
 * does (ENOBUFS, §2.3) with a ProxyEncodeError. Missing fields are an encode error, not a zero.
 */
export function encodeRequest<N extends RequestName>(name: N, args: RequestArgs<N>): Uint8Array {
  // Capped at QEMU's out-buffer (65544 B): a larger frame fails at the field that crosses it (ENOBUFS).
  const size = requestSize(name, args);
  const out = new Uint8Array(Math.min(size, PROXY_BUF_SZ));
  encodeRequestInto(out, name, args);
  return out;
}

/** Bytes `encodeRequest` would produce (header included); throws ProxyEncodeError for a missing field. */
export function requestSize<N extends RequestName>(name: N, args: RequestArgs<N>): number {
  const spec = REQUESTS[name];
  if (!spec) throw new ProxyEncodeError({ request: String(name), field: 'type', reason: 'unknown request' });
  const values = args as Record<string, unknown>;
  let size = PROXY_HDR_SZ;
  for (const f of spec.fields as readonly FieldSpec[]) {
    const v = values[f.name];
    if (v === undefined) throw new ProxyEncodeError({ request: name, field: f.name, reason: 'missing' });
    size += f.kind === 's' ? 2 + (typeof v === 'string' ? utf8Encode(v).length : (v as Uint8Array).length) : LETTER_SIZE[f.kind];
  }
  return size;
}

const views = new WeakMap<ArrayBufferLike, DataView>();
/** The last out-buffer and its view (QEMU reuses one out-buffer: skip the WeakMap lookup). */
let lastBuffer: ArrayBufferLike | undefined;
let lastView: DataView | undefined;

/**
 * Marshals a request into `out` from offset 0 — QEMU's proxy client marshals every request into one
 * reused 65544-byte out-buffer (v9fs_request → proxy_marshal, §2.3). Returns the frame length; a frame
 * that does not fit fails like the marshaller (ENOBUFS) with a ProxyEncodeError naming the field.
 */
export function encodeRequestInto<N extends RequestName>(out: Uint8Array, name: N, args: RequestArgs<N>): number {
  const spec = REQUESTS[name];
  if (!spec) throw new ProxyEncodeError({ request: String(name), field: 'type', reason: 'unknown request' });
  const buffer = out.buffer;
  let v = buffer === lastBuffer ? lastView : views.get(buffer);
  if (!v || v.byteOffset !== 0) {
    v = new DataView(buffer);
    views.set(buffer, v);
  }
  lastBuffer = buffer;
  lastView = v;
  const base = out.byteOffset;
  const values = args as Record<string, unknown>;
  room(out, name, 'header', 0, PROXY_HDR_SZ);
  v.setUint32(base, spec.code, true);
  let pos = PROXY_HDR_SZ;
  for (const f of spec.fields as readonly FieldSpec[]) {
    const val = values[f.name];
    if (val === undefined) throw new ProxyEncodeError({ request: name, field: f.name, reason: 'missing' });
    switch (f.kind) {
      case 'd': {
        const n = val as number;
        if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw new ProxyEncodeError({ request: name, field: f.name, reason: `${n} is not a 32-bit integer` });
        room(out, name, f.name, pos, 4);
        v.setUint32(base + pos, n >>> 0, true);
        pos += 4;
        break;
      }
      case 'q': {
        const b = typeof val === 'bigint' ? val : BigInt(val as number);
        if (b < -(1n << 63n) || b >= 1n << 64n) throw new ProxyEncodeError({ request: name, field: f.name, reason: `${b} is not a 64-bit integer` });
        room(out, name, f.name, pos, 8);
        v.setBigUint64(base + pos, BigInt.asUintN(64, b), true);
        pos += 8;
        break;
      }
      case 's': {
        // ASCII text is its own UTF-8: written straight into the out-buffer (perf: no encoded copy
        // per string; QEMU's v9fs_string is already bytes).
        const sv = val as Uint8Array | string;
        const bytes = typeof sv === 'string' && isAscii(sv) ? undefined : toBytes(sv);
        const len = bytes ? bytes.length : (sv as string).length;
        if (len > 0xffff) throw new ProxyEncodeError({ request: name, field: f.name, reason: `string of ${len} bytes exceeds the u16 length` });
        room(out, name, f.name, pos, 2 + len);
        v.setUint16(base + pos, len, true);
        if (bytes && len > 32) out.set(bytes, pos + 2);
        else if (bytes) for (let i = 0, at = pos + 2; i < len; i++) out[at + i] = bytes[i]!; // short: no builtin call
        else for (let i = 0, at = pos + 2; i < len; i++) out[at + i] = (sv as string).charCodeAt(i);
        pos += 2 + len;
        break;
      }
      default: {
        const n = Number(val);
        const w = f.kind === 'b' ? 1 : 2;
        room(out, name, f.name, pos, w);
        if (w === 1) out[pos] = n & 0xff;
        else v.setUint16(base + pos, n & 0xffff, true);
        pos += w;
      }
    }
  }
  v.setUint32(base + 4, pos - PROXY_HDR_SZ, true);
  return pos;
}

/** The marshaller's ENOBUFS when `n` bytes at `pos` do not fit the out-buffer. */
function room(out: Uint8Array, request: string, field: string, pos: number, n: number): void {
  if (pos + n > out.length) throw new ProxyEncodeError({ request, field, reason: `frame would be ${pos + n} bytes, buffer ${out.length} (ENOBUFS)` });
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Encodes a frame with an arbitrary header (malformed-input tests, fuzzing): payload is used as is. */
export function encodeRawFrame(type: number, payload: Uint8Array, size = payload.length): Uint8Array {
  const out = new Uint8Array(PROXY_HDR_SZ + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, type >>> 0, true);
  v.setUint32(4, size >>> 0, true);
  out.set(payload, PROXY_HDR_SZ);
  return out;
}

/** A fid path as QEMU builds it: the string plus a counted trailing NUL (§3.2, v9fs_path_sprintf). */
export function fidPath(path: string): Uint8Array {
  const b = utf8Encode(path);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/**
 * Unmarshals `fields` from `buf[pos, end)` into an object (the C `proxy_unmarshal(iovec, offset, fmt…)`).
 * Throws ProxyDecodeError naming the first field that does not fit — the helper turns that into
 * -ENOBUFS (§7.1).
 */
export function unmarshalFields(
  r: WireReader,
  fields: readonly FieldSpec[],
): Record<string, number | bigint | Uint8Array> {
  const out: Record<string, number | bigint | Uint8Array> = {};
  for (const f of fields) out[f.name] = r.read(f.kind, f.name);
  return out;
}

export interface DecodedRequest<N extends RequestName = RequestName> {
  header: ProxyHeader;
  name: N;
  fields: RequestFields<N>;
  spans: FieldSpan[];
  /** Payload bytes after the last field: ignored by the helper (§8 "payload longer than needed"). */
  trailing: number;
}

/**
 * Decodes one complete frame at `buf[at…]`. Throws ProxyDecodeError for a short header, a payload
 * shorter than header.size, an unknown type, a size over 65536, or a field that overruns the payload.
 */
export function decodeRequest(buf: Uint8Array, at = 0): DecodedRequest {
  const header = decodeHeader(buf, at);
  const name = requestName(header.type);
  const tname = typeName(header.type);
  if (header.size > PROXY_MAX_IO_SZ) {
    throw new ProxyDecodeError({ request: header.type, requestName: tname, field: 'header.size', offset: at + 4, need: header.size, have: PROXY_MAX_IO_SZ, reason: 'oversize' });
  }
  const end = at + PROXY_HDR_SZ + header.size;
  if (end > buf.length) {
    throw new ProxyDecodeError({ request: header.type, requestName: tname, field: 'payload', offset: at + PROXY_HDR_SZ, need: header.size, have: buf.length - at - PROXY_HDR_SZ });
  }
  if (!name) {
    throw new ProxyDecodeError({ request: header.type, requestName: tname, field: 'header.type', offset: at, need: 4, have: 0, reason: 'unknown-type' });
  }
  const r = new WireReader(buf, at + PROXY_HDR_SZ, end, header.type, name);
  const fields = unmarshalFields(r, REQUESTS[name].fields);
  return { header, name, fields: fields as RequestFields<RequestName>, spans: r.spans, trailing: end - r.pos };
}
