// Synthesised Ethernet/IPv4/TCP framing so that Wireshark's TCP reassembly and its 9P dissector
// (registered on TCP port 564) can read a byte stream that in reality travels over virtio or a Unix
// socket. Addresses are from TEST-NET-1 (RFC 5737) and locally administered MACs: they label the
// lanes, they are not real. Checksums (IPv4 header, TCP with pseudo-header) are computed correctly.

export interface Endpoint {
  mac: readonly number[];
  ip: readonly [number, number, number, number];
  port: number;
}

export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

function onesSum(bytes: Uint8Array, start: number, end: number, acc = 0): number {
  let sum = acc;
  for (let i = start; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if ((end - start) % 2 === 1) sum += bytes[end - 1]! << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** One Ethernet frame carrying an IPv4 TCP segment. */
export function tcpFrame(src: Endpoint, dst: Endpoint, seq: number, ack: number, flags: number, payload: Uint8Array, ipId: number): Uint8Array {
  const ipLen = 20 + 20 + payload.length;
  if (ipLen > 0xffff) throw new RangeError(`TCP payload of ${payload.length} bytes does not fit one IPv4 packet`);
  const f = new Uint8Array(14 + ipLen);
  const dv = new DataView(f.buffer);
  f.set(dst.mac, 0);
  f.set(src.mac, 6);
  dv.setUint16(12, 0x0800);
  // IPv4 header
  const ip = 14;
  f[ip] = 0x45;
  f[ip + 1] = 0;
  dv.setUint16(ip + 2, ipLen);
  dv.setUint16(ip + 4, ipId & 0xffff);
  dv.setUint16(ip + 6, 0x4000); // DF
  f[ip + 8] = 64;
  f[ip + 9] = 6;
  f.set(src.ip, ip + 12);
  f.set(dst.ip, ip + 16);
  dv.setUint16(ip + 10, fold(onesSum(f, ip, ip + 20)));
  // TCP header
  const t = ip + 20;
  dv.setUint16(t, src.port);
  dv.setUint16(t + 2, dst.port);
  dv.setUint32(t + 4, seq >>> 0);
  dv.setUint32(t + 8, ack >>> 0);
  f[t + 12] = 5 << 4;
  f[t + 13] = flags;
  dv.setUint16(t + 14, 0xffff);
  f.set(payload, t + 20);
  // pseudo-header: src, dst, zero, protocol, TCP length
  let sum = onesSum(f, ip + 12, ip + 20);
  sum += 6 + 20 + payload.length;
  sum = onesSum(f, t, t + 20 + payload.length, sum);
  dv.setUint16(t + 16, fold(sum));
  return f;
}

/** Largest payload per synthesised segment (fits the 16-bit IPv4 total length). */
export const MAX_SEGMENT = 65000;

/**
 * A TCP connection between a client and a server, tracking sequence numbers. Produces the three-way
 * handshake, data segments (split at MAX_SEGMENT, each PSH|ACK) and the closing FIN exchange.
 */
export class TcpConversation {
  private cSeq: number;
  private sSeq: number;
  private ipId = { c: 1, s: 1 };
  constructor(readonly client: Endpoint, readonly server: Endpoint, clientIsn = 0x10000000, serverIsn = 0x20000000) {
    this.cSeq = clientIsn;
    this.sSeq = serverIsn;
  }

  private frame(fromClient: boolean, flags: number, payload: Uint8Array): Uint8Array {
    const [src, dst] = fromClient ? [this.client, this.server] : [this.server, this.client];
    const seq = fromClient ? this.cSeq : this.sSeq;
    const ack = flags & TCP_FLAGS.ACK ? (fromClient ? this.sSeq : this.cSeq) : 0;
    const id = fromClient ? this.ipId.c++ : this.ipId.s++;
    const f = tcpFrame(src, dst, seq, ack, flags, payload, id);
    const adv = payload.length + (flags & (TCP_FLAGS.SYN | TCP_FLAGS.FIN) ? 1 : 0);
    if (fromClient) this.cSeq = (this.cSeq + adv) >>> 0; else this.sSeq = (this.sSeq + adv) >>> 0;
    return f;
  }

  handshake(): Uint8Array[] {
    return [
      this.frame(true, TCP_FLAGS.SYN, new Uint8Array(0)),
      this.frame(false, TCP_FLAGS.SYN | TCP_FLAGS.ACK, new Uint8Array(0)),
      this.frame(true, TCP_FLAGS.ACK, new Uint8Array(0)),
    ];
  }

  data(fromClient: boolean, payload: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let off = 0; off < payload.length || (off === 0 && payload.length === 0); off += MAX_SEGMENT) {
      out.push(this.frame(fromClient, TCP_FLAGS.PSH | TCP_FLAGS.ACK, payload.subarray(off, Math.min(payload.length, off + MAX_SEGMENT))));
      if (payload.length === 0) break;
    }
    return out;
  }

  close(): Uint8Array[] {
    return [
      this.frame(true, TCP_FLAGS.FIN | TCP_FLAGS.ACK, new Uint8Array(0)),
      this.frame(false, TCP_FLAGS.FIN | TCP_FLAGS.ACK, new Uint8Array(0)),
      this.frame(true, TCP_FLAGS.ACK, new Uint8Array(0)),
    ];
  }
}
