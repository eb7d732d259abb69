// ProxyHeader (hw/9pfs/9p-proxy.h; proxy-protocol.md §2.1): u32 type, u32 size of the payload that
// follows (the header itself not counted), marshalled as "dd" in host order.
import { PROXY_HDR_SZ } from './constants.ts';
import { ProxyDecodeError } from './errors.ts';

export interface ProxyHeader {
  type: number;
  size: number;
}

export function encodeHeader(h: ProxyHeader, out = new Uint8Array(PROXY_HDR_SZ), at = 0): Uint8Array {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  v.setUint32(at, h.type >>> 0, true);
  v.setUint32(at + 4, h.size >>> 0, true);
  return out;
}

/** Reads the 8-byte header at `at`; a short buffer is reported with the missing field's offset. */
export function decodeHeader(buf: Uint8Array, at = 0): ProxyHeader {
  const have = buf.length - at;
  if (have < PROXY_HDR_SZ) {
    const field = have < 4 ? 'header.type' : 'header.size';
    const offset = have < 4 ? at : at + 4;
    throw new ProxyDecodeError({ request: -1, requestName: 'header', field, offset, need: 4, have: Math.max(0, buf.length - offset) });
  }
  // Little-endian u32s read from the bytes directly: no DataView per header (perf, issue 3 §5).
  return { type: u32le(buf, at), size: u32le(buf, at + 4) };
}

function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
