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
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return { type: v.getUint32(at, true), size: v.getUint32(at + 4, true) };
}
