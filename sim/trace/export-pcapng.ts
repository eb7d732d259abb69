// pcapng export: the 9P2000.L traffic as a TCP stream on port 564 (the 9P port Wireshark's dissector
// registers), guest = client, QEMU = server; optionally the proxy frames as a second TCP stream
// QEMU → helper on port 10564 (no dissector exists for the proxy protocol: it shows as data, with
// the event id and request type in each packet's comment). Timestamps are the virtual clock.
// Each data packet carries the comment `#<event id> <type>` so a packet leads back to its event.
import type { TraceEvent } from './event.ts';
import { type Endpoint, TcpConversation } from './netsynth.ts';
import { LINKTYPE_ETHERNET, PcapngWriter } from './pcapng.ts';

export const P9_TCP_PORT = 564;
export const PROXY_TCP_PORT = 10564;

const GUEST: Endpoint = { mac: [0x02, 0, 0, 0, 0, 0x02], ip: [192, 0, 2, 2], port: 40564 };
const QEMU_9P: Endpoint = { mac: [0x02, 0, 0, 0, 0, 0x01], ip: [192, 0, 2, 1], port: P9_TCP_PORT };
const QEMU_PROXY: Endpoint = { mac: [0x02, 0, 0, 0, 0, 0x01], ip: [192, 0, 2, 1], port: 40565 };
const HELPER: Endpoint = { mac: [0x02, 0, 0, 0, 0, 0x03], ip: [192, 0, 2, 3], port: PROXY_TCP_PORT };

export interface PcapngExportOptions {
  /** Include proxy frames as a second stream. Default true. */
  proxy?: boolean;
  /** Added to every virtual timestamp (ns since the Unix epoch). Default 0. */
  epochNs?: bigint;
  /** Close the streams with FIN exchanges at the end. Default true. */
  close?: boolean;
}

export function exportPcapng(events: readonly TraceEvent[], opts: PcapngExportOptions = {}): Uint8Array {
  const w = new PcapngWriter();
  const iface = w.addInterface(LINKTYPE_ETHERNET, 'virtfs-lab');
  const epoch = opts.epochNs ?? 0n;
  const withProxy = opts.proxy ?? true;
  // One TCP connection per 9P session / proxy socket (`channel`), in order of first appearance;
  // each further one uses the next client port so Wireshark keeps them apart.
  const p9 = new Map<string, TcpConversation>();
  const proxy = new Map<string, TcpConversation>();
  let lastT = 0;
  const put = (frames: Uint8Array[], t: number, comment?: string) => {
    for (const data of frames) w.addPacket({ interfaceId: iface, timestampNs: epoch + BigInt(Math.round(t)), data, ...(comment ? { comment } : {}) });
  };
  const conversation = (map: Map<string, TcpConversation>, key: string, t: number, make: (n: number) => TcpConversation) => {
    let c = map.get(key);
    if (!c) { c = make(map.size); map.set(key, c); put(c.handshake(), t); }
    return c;
  };
  for (const e of events) {
    lastT = e.t;
    if (e.kind === 'p9') {
      const c = conversation(p9, e.channel ?? '', e.t, (n) => new TcpConversation({ ...GUEST, port: GUEST.port + 2 * n }, QEMU_9P, 0x10000000 + n, 0x20000000 + n));
      put(c.data(e.lane === 'guest', e.bytes), e.t, `#${e.id} ${e.msgType}`);
    } else if (e.kind === 'proxy' && withProxy) {
      const c = conversation(proxy, e.channel ?? '', e.t, (n) => new TcpConversation({ ...QEMU_PROXY, port: QEMU_PROXY.port + 2 * n }, HELPER, 0x30000000 + n, 0x40000000 + n));
      const fds = e.fds?.length ? ` fds ${e.fds.map((f) => f.fd).join(',')}` : '';
      put(c.data(e.lane === 'qemu', e.bytes), e.t, `#${e.id} ${e.direction === 'reply' ? 'reply ' : ''}${e.requestType}${fds}`);
    }
  }
  if (opts.close ?? true) {
    for (const c of p9.values()) put(c.close(), lastT);
    for (const c of proxy.values()) put(c.close(), lastT);
  }
  return w.bytes();
}
