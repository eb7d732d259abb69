// A minimal pcapng writer (IETF draft-ietf-opsawg-pcapng): Section Header Block, Interface
// Description Blocks, Enhanced Packet Blocks, little-endian, nanosecond timestamps (if_tsresol 9).

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 0x00000001;
const BT_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const LINKTYPE_ETHERNET = 1;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;

/** UTF-8 of a string without TextEncoder (sim/ is ES2022-only). */
function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

type Option = [code: number, value: Uint8Array];

function optionsBytes(opts: readonly Option[]): Uint8Array {
  if (!opts.length) return new Uint8Array(0);
  let len = 4;
  for (const [, v] of opts) len += 4 + v.length + pad4(v.length);
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  let off = 0;
  for (const [code, v] of opts) {
    dv.setUint16(off, code, true);
    dv.setUint16(off + 2, v.length, true);
    out.set(v, off + 4);
    off += 4 + v.length + pad4(v.length);
  }
  dv.setUint16(off, OPT_ENDOFOPT, true);
  dv.setUint16(off + 2, 0, true);
  return out;
}

function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + body.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, total, true);
  out.set(body, 8);
  dv.setUint32(total - 4, total, true);
  return out;
}

export interface PcapngPacket {
  interfaceId: number;
  /** Timestamp in ns since the Unix epoch. */
  timestampNs: bigint;
  data: Uint8Array;
  comment?: string;
}

export class PcapngWriter {
  private readonly parts: Uint8Array[] = [];
  private interfaces = 0;

  constructor(application = 'virtfs-lab') {
    const opts = optionsBytes([[SHB_USERAPPL, utf8(application)]]);
    const body = new Uint8Array(16 + opts.length);
    const dv = new DataView(body.buffer);
    dv.setUint32(0, BYTE_ORDER_MAGIC, true);
    dv.setUint16(4, 1, true); // major
    dv.setUint16(6, 0, true); // minor
    dv.setBigInt64(8, -1n, true); // section length unknown
    body.set(opts, 16);
    this.parts.push(block(BT_SHB, body));
  }

  /** Add an interface; returns its id. Timestamps are in nanoseconds (if_tsresol = 9). */
  addInterface(linkType: number, name: string, snapLen = 262144): number {
    const opts = optionsBytes([[IF_NAME, utf8(name)], [IF_TSRESOL, Uint8Array.of(9)]]);
    const body = new Uint8Array(8 + opts.length);
    const dv = new DataView(body.buffer);
    dv.setUint16(0, linkType, true);
    dv.setUint16(2, 0, true);
    dv.setUint32(4, snapLen, true);
    body.set(opts, 8);
    this.parts.push(block(BT_IDB, body));
    return this.interfaces++;
  }

  addPacket(p: PcapngPacket): void {
    // One allocation per packet: block header, EPB fields, padded data, options, trailing length.
    const comment = p.comment ? utf8(p.comment) : undefined;
    const dataLen = p.data.length + pad4(p.data.length);
    const optLen = comment ? 4 + comment.length + pad4(comment.length) + 4 : 0;
    const total = 8 + 20 + dataLen + optLen + 4;
    const out = new Uint8Array(total);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, BT_EPB, true);
    dv.setUint32(4, total, true);
    dv.setUint32(8, p.interfaceId, true);
    dv.setUint32(12, Number((p.timestampNs >> 32n) & 0xffffffffn), true);
    dv.setUint32(16, Number(p.timestampNs & 0xffffffffn), true);
    dv.setUint32(20, p.data.length, true);
    dv.setUint32(24, p.data.length, true);
    out.set(p.data, 28);
    if (comment) {
      const o = 28 + dataLen;
      dv.setUint16(o, OPT_COMMENT, true);
      dv.setUint16(o + 2, comment.length, true);
      out.set(comment, o + 4);
      // opt_endofopt (0, 0) is already zero
    }
    dv.setUint32(total - 4, total, true);
    this.parts.push(out);
  }

  bytes(): Uint8Array {
    let len = 0;
    for (const p of this.parts) len += p.length;
    const out = new Uint8Array(len);
    let off = 0;
    for (const p of this.parts) { out.set(p, off); off += p.length; }
    return out;
  }
}
