// Import 9P2000.L traffic from a capture (pcapng or classic pcap; Ethernet, raw IPv4 or Linux
// cooked v1 link types): TCP streams with port 564 on one side are reassembled per direction by
// sequence number, split into messages by size[4], and recorded as p9 events (client → server =
// lane guest, server → client = lane qemu). Each message's time is that of the segment completing
// it, relative to the first packet of the capture; each TCP connection is one session (`channel`). This is how real 9P captures (a diod or
// other TCP 9P server) or our own exportPcapng() output come back into a trace.
import { splitFrames } from '../p9/frames.ts';
import { P9DecodeError } from '../p9/errors.ts';
import { TraceRecorder } from './recorder.ts';
import type { P9Event } from './event.ts';

export class CaptureImportError extends Error {
  override readonly name = 'CaptureImportError';
  constructor(readonly code: 'CAPTURE_FORMAT' | 'CAPTURE_TRUNCATED' | 'CAPTURE_LINKTYPE' | 'CAPTURE_9P', readonly offset: number, detail: string) {
    super(`capture, byte ${offset}: ${detail}`);
  }
}

interface Packet {
  /** ns since the epoch */
  ts: bigint;
  linkType: number;
  data: Uint8Array;
  /** file offset of the packet record (for errors) */
  at: number;
}

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;

function readPcapng(b: Uint8Array): Packet[] {
  const out: Packet[] = [];
  const ifaces: { linkType: number; tsDiv: bigint; tsMul: bigint }[] = [];
  let le = true;
  let off = 0;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u32 = (o: number) => dv.getUint32(o, le);
  const u16 = (o: number) => dv.getUint16(o, le);
  while (off < b.length) {
    if (off + 12 > b.length) throw new CaptureImportError('CAPTURE_TRUNCATED', off, 'block header cut short');
    const type = dv.getUint32(off, true);
    if (type === 0x0a0d0d0a) {
      // Section Header Block: the byte-order magic decides how the rest of the section is read.
      const magic = dv.getUint32(off + 8, true);
      if (magic === 0x1a2b3c4d) le = true;
      else if (magic === 0x4d3c2b1a) le = false;
      else throw new CaptureImportError('CAPTURE_FORMAT', off + 8, `bad byte-order magic 0x${magic.toString(16)}`);
      ifaces.length = 0;
    }
    const len = u32(off + 4);
    if (len < 12 || len % 4 !== 0 || off + len > b.length) throw new CaptureImportError('CAPTURE_TRUNCATED', off + 4, `block length ${len} does not fit`);
    const btype = u32(off);
    if (btype === 1) {
      // Interface Description Block: link type, then options; if_tsresol (9) sets the clock unit.
      let tsDiv = 1n;
      let tsMul = 1000n; // default resolution: microseconds
      let o = off + 16;
      while (o + 4 <= off + len - 4) {
        const code = u16(o);
        const olen = u16(o + 2);
        if (code === 0) break;
        if (code === 9 && olen >= 1) {
          const r = b[o + 4]!;
          const exp = BigInt(r & 0x7f);
          if (r & 0x80) { tsMul = 1_000_000_000n; tsDiv = 2n ** exp; } // power of two
          else if (exp <= 9n) { tsMul = 10n ** (9n - exp); tsDiv = 1n; } else { tsMul = 1n; tsDiv = 10n ** (exp - 9n); }
        }
        o += 4 + olen + ((4 - (olen % 4)) % 4);
      }
      ifaces.push({ linkType: u16(off + 8), tsDiv, tsMul });
    } else if (btype === 6) {
      const ifc = ifaces[u32(off + 8)];
      if (!ifc) throw new CaptureImportError('CAPTURE_FORMAT', off + 8, `packet names interface ${u32(off + 8)}, which is not described`);
      const ts = (BigInt(u32(off + 12)) << 32n) | BigInt(u32(off + 16));
      const cap = u32(off + 20);
      if (off + 28 + cap > off + len) throw new CaptureImportError('CAPTURE_TRUNCATED', off + 20, `captured length ${cap} exceeds the block`);
      out.push({ ts: (ts * ifc.tsMul) / ifc.tsDiv, linkType: ifc.linkType, data: b.subarray(off + 28, off + 28 + cap), at: off });
    }
    off += len;
  }
  return out;
}

function readPcap(b: Uint8Array): Packet[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const m = dv.getUint32(0, true);
  const le = m === 0xa1b2c3d4 || m === 0xa1b23c4d;
  const nano = m === 0xa1b23c4d || m === 0x4d3cb2a1;
  if (b.length < 24) throw new CaptureImportError('CAPTURE_TRUNCATED', 0, 'pcap header cut short');
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  const out: Packet[] = [];
  let off = 24;
  while (off < b.length) {
    if (off + 16 > b.length) throw new CaptureImportError('CAPTURE_TRUNCATED', off, 'record header cut short');
    const sec = BigInt(dv.getUint32(off, le));
    const frac = BigInt(dv.getUint32(off + 4, le));
    const cap = dv.getUint32(off + 8, le);
    if (off + 16 + cap > b.length) throw new CaptureImportError('CAPTURE_TRUNCATED', off + 8, `captured length ${cap} runs past the end`);
    out.push({ ts: sec * 1_000_000_000n + frac * (nano ? 1n : 1000n), linkType, data: b.subarray(off + 16, off + 16 + cap), at: off });
    off += 16 + cap;
  }
  return out;
}

/** Packets of a pcapng or pcap file, in file order. */
export function readCapture(b: Uint8Array): Packet[] {
  if (b.length < 4) throw new CaptureImportError('CAPTURE_TRUNCATED', 0, 'too short for a capture file');
  const m = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);
  if (m === 0x0a0d0d0a) return readPcapng(b);
  if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return readPcap(b);
  throw new CaptureImportError('CAPTURE_FORMAT', 0, `not a pcap or pcapng file (magic 0x${m.toString(16)})`);
}

interface TcpSegment { src: string; dst: string; sport: number; dport: number; seq: number; flags: number; payload: Uint8Array }

/** IPv4/TCP inside one frame, or undefined for anything else (ARP, IPv6, UDP, fragments). */
function tcpOf(p: Packet): TcpSegment | undefined {
  let ip: number;
  const d = p.data;
  switch (p.linkType) {
    case LINKTYPE_ETHERNET: {
      if (d.length < 14) return undefined;
      let et = (d[12]! << 8) | d[13]!;
      ip = 14;
      if (et === 0x8100 && d.length >= 18) { et = (d[16]! << 8) | d[17]!; ip = 18; } // one VLAN tag
      if (et !== 0x0800) return undefined;
      break;
    }
    case LINKTYPE_RAW: case LINKTYPE_IPV4: ip = 0; break;
    case LINKTYPE_LINUX_SLL: if (d.length < 16 || ((d[14]! << 8) | d[15]!) !== 0x0800) return undefined; ip = 16; break;
    default: throw new CaptureImportError('CAPTURE_LINKTYPE', p.at, `link type ${p.linkType} is not supported (Ethernet, raw IPv4, Linux cooked)`);
  }
  if (d.length < ip + 20 || d[ip]! >> 4 !== 4 || d[ip + 9] !== 6) return undefined;
  const ihl = (d[ip]! & 0xf) * 4;
  const total = (d[ip + 2]! << 8) | d[ip + 3]!;
  if ((((d[ip + 6]! << 8) | d[ip + 7]!) & 0x3fff) !== 0) return undefined; // IP fragments: not reassembled
  const t = ip + ihl;
  if (d.length < t + 20) return undefined;
  const doff = (d[t + 12]! >> 4) * 4;
  const end = Math.min(d.length, ip + total);
  const dvw = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return {
    src: `${d[ip + 12]}.${d[ip + 13]}.${d[ip + 14]}.${d[ip + 15]}`,
    dst: `${d[ip + 16]}.${d[ip + 17]}.${d[ip + 18]}.${d[ip + 19]}`,
    sport: dvw.getUint16(t), dport: dvw.getUint16(t + 2), seq: dvw.getUint32(t + 4), flags: d[t + 13]!,
    payload: d.subarray(t + doff, end),
  };
}

interface Direction {
  next: number | undefined;
  pending: Map<number, Uint8Array>;
  buf: Uint8Array;
}

export interface CaptureImportOptions {
  /** TCP port of the 9P server (default 564). */
  port?: number;
  /** Record into this recorder (default: a new one). */
  recorder?: TraceRecorder;
}

/**
 * Read 9P2000.L messages from a capture into p9 events. Every TCP connection to the 9P port is a
 * session: the first has no `channel`, later ones get `channel` = "CLIENT-IP:PORT" (tags are per
 * session). Malformed 9P bytes become events with their decode error.
 */
export function importCapture(bytes: Uint8Array, opts: CaptureImportOptions = {}): { recorder: TraceRecorder; events: P9Event[]; startNs: bigint } {
  const port = opts.port ?? 564;
  const rec = opts.recorder ?? new TraceRecorder();
  const packets = readCapture(bytes);
  const startNs = packets[0]?.ts ?? 0n;
  const events: P9Event[] = [];
  const conns = new Map<string, { channel: string | undefined; c: Direction; s: Direction }>();
  const base = rec.clock.now();
  for (const p of packets) {
    const s = tcpOf(p);
    if (!s || (s.sport !== port && s.dport !== port)) continue;
    const fromClient = s.dport === port;
    const client = fromClient ? `${s.src}:${s.sport}` : `${s.dst}:${s.dport}`;
    const key = fromClient ? `${client}>${s.dst}:${s.dport}` : `${client}>${s.src}:${s.sport}`;
    let conn = conns.get(key);
    if (!conn) {
      const fresh = (): Direction => ({ next: undefined, pending: new Map(), buf: new Uint8Array(0) });
      conn = { channel: conns.size === 0 ? undefined : client, c: fresh(), s: fresh() };
      conns.set(key, conn);
    }
    const dir = fromClient ? conn.c : conn.s;
    if (s.flags & 0x02) { dir.next = (s.seq + 1) >>> 0; continue; } // SYN
    if (!s.payload.length) continue;
    dir.next ??= s.seq; // capture started mid-connection
    dir.pending.set(s.seq, s.payload);
    deliver(dir);
    let split;
    try {
      split = splitFrames(dir.buf);
    } catch (e) {
      if (e instanceof P9DecodeError) throw new CaptureImportError('CAPTURE_9P', p.at, `9P stream ${fromClient ? 'from the client' : 'from the server'}: ${e.message}`);
      throw e;
    }
    dir.buf = split.rest;
    for (const frame of split.frames) {
      events.push(rec.p9({
        lane: fromClient ? 'guest' : 'qemu', bytes: frame, t: base + Number(p.ts - startNs),
        ...(conn.channel !== undefined ? { channel: conn.channel } : {}),
      }));
    }
  }
  return { recorder: rec, events, startNs };
}

/** Append in-sequence data to the direction's buffer; drop bytes already delivered (retransmits). */
function deliver(dir: Direction): void {
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const [seq, data] of dir.pending) {
      const delta = (seq - dir.next!) | 0; // 32-bit sequence arithmetic
      if (delta > 0) continue;
      dir.pending.delete(seq);
      const fresh = data.subarray(Math.min(data.length, -delta));
      if (fresh.length) {
        const nb = new Uint8Array(dir.buf.length + fresh.length);
        nb.set(dir.buf);
        nb.set(fresh, dir.buf.length);
        dir.buf = nb;
        dir.next = (dir.next! + fresh.length) >>> 0;
      }
      progressed = true;
    }
  }
}
