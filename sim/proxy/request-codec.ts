// Request encode/decode, driven by the REQUESTS table (proxy-protocol.md §4.1). Used by QEMU's proxy
// client (encode) and by the helper (decode, field group by field group, the way the C code
// unmarshals "dd" before switching credentials and the rest afterwards, §4.1 "Argument order trap").
import { PROXY_HDR_SZ, PROXY_MAX_IO_SZ } from './constants.ts';
import { ProxyDecodeError, ProxyEncodeError } from './errors.ts';
import { decodeHeader, type ProxyHeader } from './header.ts';
import { utf8Encode } from './utf8.ts';
import { LETTER_SIZE, WireReader, WireWriter, toBytes, type FieldSpan } from './marshal.ts';
import {
  REQUESTS, requestName, typeName,
  type FieldSpec, type RequestArgs, type RequestFields, type RequestName,
} from './requests.ts';

/**
 * Encodes one request frame: header + payload. A frame over 65544 bytes fails as QEMU's marshaller
 * does (ENOBUFS, §2.3) with a ProxyEncodeError. Missing fields are an encode error, not a zero.
 */
export function encodeRequest<N extends RequestName>(name: N, args: RequestArgs<N>): Uint8Array {
  const spec = REQUESTS[name];
  if (!spec) throw new ProxyEncodeError({ request: String(name), field: 'type', reason: 'unknown request' });
  const values = args as Record<string, unknown>;
  // First pass: sizes (strings converted once), so the frame is allocated exactly once.
  let size = PROXY_HDR_SZ;
  const strs: (Uint8Array | undefined)[] = [];
  for (const f of spec.fields) {
    const v = values[f.name];
    if (v === undefined) throw new ProxyEncodeError({ request: name, field: f.name, reason: 'missing' });
    if (f.kind === 's') {
      const b = toBytes(v as Uint8Array | string);
      strs.push(b);
      size += 2 + b.length;
    } else {
      strs.push(undefined);
      size += LETTER_SIZE[f.kind];
    }
  }
  const w = new WireWriter(name, size);
  w.u32('header.type', spec.code).u32('header.size', size - PROXY_HDR_SZ);
  spec.fields.forEach((f, i) => w.write(f.kind, f.name, (strs[i] ?? values[f.name]) as never));
  return w.bytes();
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
