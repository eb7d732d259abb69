// The three reply shapes (proxy-protocol.md §4.2, §9):
//   status   — send_status:   "ddd" {T_SUCCESS|T_ERROR, 4, status}; 12 bytes always
//   response — send_response: {T_SUCCESS, n} + n payload bytes, or {T_ERROR, 4, -errno}
//   fd       — send_fd:       one sendmsg of a 4-byte int (INT_MAX + SCM_RIGHTS, or -errno); NO header
import { ENOBUFS, PROXY_HDR_SZ, PROXY_MAX_IO_SZ, T_ERROR, T_SUCCESS, V9FS_FD_VALID } from './constants.ts';
import { ProxyDecodeError } from './errors.ts';
import { decodeHeader } from './header.ts';
import { WireReader, WireWriter, type FieldSpan } from './marshal.ts';
import { readProxyStat, readProxyStatFS, writeProxyStat, writeProxyStatFS, type ProxyStat, type ProxyStatFS } from './stat.ts';
import { REQUESTS, typeName, type RequestName } from './requests.ts';

/** send_status: type follows the sign of `status`; size is always 4 (§4.2). */
export function encodeStatusReply(status: number): Uint8Array {
  const out = new Uint8Array(12);
  const v = new DataView(out.buffer);
  v.setUint32(0, status < 0 ? T_ERROR : T_SUCCESS, true);
  v.setUint32(4, 4, true);
  v.setInt32(8, status | 0, true);
  return out;
}

/** send_response for an error: {T_ERROR, 4, -errno}. */
export function encodeErrorResponse(negErrno: number): Uint8Array {
  return encodeStatusReply(negErrno);
}

/**
 * send_response for success: the payload was marshalled at offset 8 by the request handler; a payload
 * over 65536 becomes -ENOBUFS (§4.2).
 */
export function encodeResponse(payload: Uint8Array): Uint8Array {
  if (payload.length > PROXY_MAX_IO_SZ) return encodeStatusReply(-ENOBUFS);
  const out = new Uint8Array(PROXY_HDR_SZ + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, T_SUCCESS, true);
  v.setUint32(4, payload.length, true);
  out.set(payload, PROXY_HDR_SZ);
  return out;
}

/** The 4-byte data word of an fd reply: INT_MAX when an fd rides along, else -errno (§9). */
export function encodeFdWord(negErrnoOrValid: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, negErrnoOrValid | 0, true);
  return out;
}

/** Payload builders for the response-shaped requests (§4.2 success payload sizes). */
export const responsePayload = {
  stat(st: ProxyStat): Uint8Array { const w = new WireWriter('T_LSTAT', 128); writeProxyStat(w, st); return w.bytes(); },
  statfs(st: ProxyStatFS): Uint8Array { const w = new WireWriter('T_STATFS', 96); writeProxyStatFS(w, st); return w.bytes(); },
  /** READLINK target and xattr values/lists with size > 0: "s" (§5.2, §5.3). */
  string(name: RequestName, bytes: Uint8Array): Uint8Array { return new WireWriter(name, bytes.length + 2).str('value', bytes).bytes(); },
  /** GETVERSION: "q". */
  u64(v: bigint): Uint8Array { return new WireWriter('T_GETVERSION', 8).u64('generation', v).bytes(); },
  /** xattr calls with size 0: a marshalled "d" — byte-identical to a status reply carrying a length (§4.2). */
  u32(v: number): Uint8Array { return new WireWriter('T_LGETXATTR', 4).u32('length', v).bytes(); },
};

/** "T_LSTAT reply" etc., for decode errors (precomputed: decodeReply is on the client's hot path). */
const REPLY_NAMES = Object.fromEntries(Object.keys(REQUESTS).map((n) => [n, `${n} reply`])) as Record<RequestName, string>;

export type DecodedReply =
  | { shape: 'fd'; ok: true; word: number; spans: FieldSpan[] }
  | { shape: 'fd'; ok: false; errno: number; word: number; spans: FieldSpan[] }
  | { shape: 'framed'; ok: false; type: number; errno: number; spans: FieldSpan[] }
  | { shape: 'framed'; ok: true; type: number; status: number; spans: FieldSpan[] }
  | { shape: 'framed'; ok: true; type: number; stat: ProxyStat; spans: FieldSpan[] }
  | { shape: 'framed'; ok: true; type: number; statfs: ProxyStatFS; spans: FieldSpan[] }
  | { shape: 'framed'; ok: true; type: number; bytes: Uint8Array; spans: FieldSpan[] }
  | { shape: 'framed'; ok: true; type: number; generation: bigint; spans: FieldSpan[] };

// QEMU decodes every reply from the same in-buffer (in_iovec, §2.3): keep one DataView for it
// instead of one per reply (perf, issue 3 §5). The view may reach past the reply; WireReader bounds
// every read by `end`, so that is never observable.
let lastBuf: ArrayBufferLike | undefined;
let lastOff = -1;
let lastView: DataView | undefined;
function viewOf(bytes: Uint8Array): DataView {
  if (bytes.buffer !== lastBuf || bytes.byteOffset !== lastOff) {
    lastBuf = bytes.buffer;
    lastOff = bytes.byteOffset;
    lastView = new DataView(bytes.buffer, bytes.byteOffset);
  }
  return lastView!;
}

/**
 * Decodes the reply to `request` the way QEMU's client reads it (§7.2), minus its asserts: an fd reply is
 * the 4-byte word; a framed reply is decoded by the *request* type. `sizeArg` is the request's `size`
 * field for LGETXATTR/LLISTXATTR (0 → status-shaped length). Throws ProxyDecodeError on short input.
 * `trackSpans` false skips the field ↔ byte bookkeeping (a client that only wants the values).
 */
export function decodeReply(request: RequestName, bytes: Uint8Array, sizeArg = 1, trackSpans = true): DecodedReply {
  const spec = REQUESTS[request];
  const tname = REPLY_NAMES[request];
  if (spec.reply === 'fd') {
    if (!trackSpans && bytes.length >= 4) {
      // The 4-byte word read from the bytes directly (perf: the reply is a fresh receive each time,
      // a DataView on it would be one more object): same value as the WireReader below.
      const word = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24);
      return word === V9FS_FD_VALID
        ? { shape: 'fd', ok: true, word, spans: [] }
        : { shape: 'fd', ok: false, errno: -word, word, spans: [] };
    }
    const r = new WireReader(bytes, 0, bytes.length, spec.code, tname, trackSpans, viewOf(bytes));
    const word = r.u32('data') | 0;
    return word === V9FS_FD_VALID
      ? { shape: 'fd', ok: true, word, spans: r.spans }
      : { shape: 'fd', ok: false, errno: -word, word, spans: r.spans };
  }
  // header.size straight from the bytes (decodeHeader reports a short header; perf: no header object)
  const hsize = bytes.length >= PROXY_HDR_SZ
    ? (bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)) >>> 0
    : decodeHeader(bytes).size;
  const end = PROXY_HDR_SZ + hsize;
  if (bytes.length < end) {
    throw new ProxyDecodeError({ request: spec.code, requestName: tname, field: 'payload', offset: PROXY_HDR_SZ, need: hsize, have: bytes.length - PROXY_HDR_SZ });
  }
  const r = new WireReader(bytes, 0, end, spec.code, tname, trackSpans, viewOf(bytes));
  const type = r.u32('header.type');
  r.u32('header.size');
  if (type === T_ERROR) {
    const st = r.u32('errno') | 0;
    return { shape: 'framed', ok: false, type, errno: -st, spans: r.spans };
  }
  if (spec.reply === 'status' || ((request === 'T_LGETXATTR' || request === 'T_LLISTXATTR') && sizeArg === 0)) {
    const status = r.u32(spec.reply === 'status' ? 'status' : 'length') | 0;
    return { shape: 'framed', ok: true, type, status, spans: r.spans };
  }
  switch (request) {
    case 'T_LSTAT': return { shape: 'framed', ok: true, type, stat: readProxyStat(r), spans: r.spans };
    case 'T_STATFS': return { shape: 'framed', ok: true, type, statfs: readProxyStatFS(r), spans: r.spans };
    case 'T_GETVERSION': return { shape: 'framed', ok: true, type, generation: r.u64('generation'), spans: r.spans };
    default: return { shape: 'framed', ok: true, type, bytes: r.str(request === 'T_READLINK' ? 'target' : 'value'), spans: r.spans };
  }
}

export { typeName };
