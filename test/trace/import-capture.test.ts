// Reading 9P back from captures: our own pcapng, the same converted by editcap (classic pcap,
// micro- and nanosecond), and captures built by an independent writer (text2pcap, which frames hex
// payloads in its own Ethernet/IPv4/TCP headers with its own sequence numbers).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../sim/p9/index.ts';
import { CaptureImportError, exportPcapng, importCapture, TraceRecorder, type P9Event } from '../../sim/trace/index.ts';
import { assertPresent, haveReal, type RealComponent } from '../support/real-components.ts';
import { allMessagePairs } from './all-messages.ts';

// editcap and text2pcap ship with tshark on Debian (wireshark-common).
const EDITCAP: RealComponent = { name: 'editcap (Wireshark 4.0)', path: '/usr/bin/editcap', install: 'apt-get install -y tshark' };
const TEXT2PCAP: RealComponent = { name: 'text2pcap (Wireshark 4.0)', path: '/usr/bin/text2pcap', install: 'apt-get install -y tshark' };

const dir = mkdtempSync(join(tmpdir(), 'virtfs-lab-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function original(): TraceRecorder {
  const r = new TraceRecorder({ tickNs: 1000 });
  for (const [a, b] of allMessagePairs()) { r.p9({ lane: 'guest', message: a }); r.p9({ lane: 'qemu', message: b }); }
  r.proxy({ kind: 'proxy', lane: 'qemu', to: 'helper', direction: 'request', requestType: 'T_LSTAT', fields: {}, bytes: Uint8Array.from([8, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0x2f, 0]) });
  return r;
}

const shape = (es: readonly P9Event[]) => es.map((e) => ({ lane: e.lane, msgType: e.msgType, tag: e.tag, bytes: Buffer.from(e.bytes).toString('hex'), t: e.t, replyTo: e.replyTo !== undefined }));

describe('importCapture', () => {
  const orig = original();
  const origP9 = orig.events.filter((e): e is P9Event => e.kind === 'p9');
  const pcapng = exportPcapng(orig.events);

  it('reads back our own pcapng: same messages, directions, times; the proxy stream is ignored', () => {
    const { events } = importCapture(pcapng);
    expect(shape(events)).toEqual(shape(origP9));
  });

  it.skipIf(!haveReal(EDITCAP))('reads the same capture converted by editcap to classic pcap (µs and ns)', () => {
    assertPresent(EDITCAP);
    const src = join(dir, 'own.pcapng');
    writeFileSync(src, pcapng);
    for (const fmt of ['pcap', 'nsecpcap']) {
      const out = join(dir, `own.${fmt}`);
      execFileSync(EDITCAP.path, ['-F', fmt, src, out], { stdio: 'ignore' });
      const { events } = importCapture(new Uint8Array(readFileSync(out)));
      expect(shape(events)).toEqual(shape(origP9)); // times are whole microseconds here
    }
  });

  it.skipIf(!haveReal(TEXT2PCAP))('reads a capture framed by text2pcap, reassembling a message split over two packets', () => {
    assertPresent(TEXT2PCAP);
    const msgs = allMessagePairs().flat();
    let dump = '';
    const add = (fromClient: boolean, b: Uint8Array) => {
      // text2pcap -D: "I" packets go from the first -T port (40000) to 564, "O" the other way.
      dump += `${fromClient ? 'I' : 'O'}\n`;
      for (let i = 0; i < b.length; i += 16) dump += `${i.toString(16).padStart(6, '0')} ${[...b.subarray(i, i + 16)].map((x) => x.toString(16).padStart(2, '0')).join(' ')}\n`;
    };
    msgs.forEach((m, i) => {
      const b = encodeMessage(m);
      if (m.kind === 'Rread') { add(false, b.subarray(0, 9)); add(false, b.subarray(9)); } else add(i % 2 === 0, b);
    });
    const txt = join(dir, 't2p.txt');
    const out = join(dir, 't2p.pcapng');
    writeFileSync(txt, dump);
    execFileSync(TEXT2PCAP.path, ['-q', '-D', '-T', '40000,564', txt, out], { stdio: 'ignore' });
    const { events } = importCapture(new Uint8Array(readFileSync(out)));
    expect(events.map((e) => e.message)).toEqual(msgs.map((m) => decodeMessage(encodeMessage(m))));
    expect(events.map((e) => e.lane)).toEqual(msgs.map((_, i) => (i % 2 === 0 ? 'guest' : 'qemu')));
    // replies are linked to requests by tag, as when recorded live
    expect(events.filter((e) => e.direction === 'reply').every((e) => e.replyTo !== undefined)).toBe(true);
  });

  it('errors name the byte offset', () => {
    const err = (b: Uint8Array) => { try { importCapture(b); } catch (e) { return e as CaptureImportError; } throw new Error('imported'); };
    expect(err(Uint8Array.from([1, 2, 3, 4, 5]))).toMatchObject({ code: 'CAPTURE_FORMAT', offset: 0 });
    expect(err(pcapng.slice(0, pcapng.length - 2))).toMatchObject({ code: 'CAPTURE_TRUNCATED' });
    // A 9P size below the header inside the stream: the packet's record offset is reported.
    const r = new TraceRecorder();
    r.p9({ lane: 'guest', bytes: Uint8Array.from([3, 0, 0, 0]) });
    const e = err(exportPcapng(r.events, { close: false }));
    expect(e.code).toBe('CAPTURE_9P');
    expect(e.message).toMatch(/^capture, byte \d+: 9P stream from the client: 9P message: size at byte 0: size 3 is smaller than the 7-byte header$/);
  });
});

describe('importCapture robustness (fast-check, fixed seed)', () => {
  it('random and mutated captures give events or a CaptureImportError, never another exception', async () => {
    const fc = (await import('fast-check')).default;
    const base = exportPcapng(original().events);
    const mutated = fc.tuple(fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { maxLength: 8 }), fc.nat(base.length)).map(([edits, cut]) => {
      const b = base.slice(0, Math.max(4, cut));
      for (const [i, v] of edits) if (i < b.length) b[i] = v;
      return b;
    });
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (b) => {
      try {
        const { events } = importCapture(b);
        for (const e of events) expect(e.kind).toBe('p9');
      } catch (e) {
        if (!(e instanceof CaptureImportError)) throw e;
      }
    }), { seed: 564, numRuns: 1500 });
  });

  it('round trip of random message sequences with random gaps in time', async () => {
    const fc = (await import('fast-check')).default;
    const pairs = allMessagePairs();
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(pairs.length - 1), fc.nat(10_000_000)), { minLength: 1, maxLength: 30 }), (picks) => {
      const r = new TraceRecorder();
      for (const [i, gap] of picks) {
        r.clock.advance(gap);
        r.p9({ lane: 'guest', message: pairs[i]![0] });
        r.clock.advance(gap >> 3);
        r.p9({ lane: 'qemu', message: pairs[i]![1] });
      }
      // Imported times are relative to the capture's first packet.
      const p9 = r.events.filter((e): e is P9Event => e.kind === 'p9');
      const rel = (es: readonly P9Event[]) => shape(es).map((x) => ({ ...x, t: x.t - es[0]!.t }));
      const { events, startNs } = importCapture(exportPcapng(r.events));
      expect(rel(events)).toEqual(rel(p9));
      expect(startNs).toBe(BigInt(p9[0]!.t));
    }), { seed: 9, numRuns: 200 });
  });
});

describe('several 9P sessions (channels)', () => {
  it('tags are matched per channel, each channel is its own TCP stream, and import keeps them apart', () => {
    const r = new TraceRecorder({ tickNs: 10 });
    // Two devices use the same tag at the same time.
    const a = r.p9({ lane: 'guest', channel: 'fs0', message: { kind: 'Tclunk', tag: 1, fid: 1 } });
    const b = r.p9({ lane: 'guest', channel: 'fs1', message: { kind: 'Tclunk', tag: 1, fid: 2 } });
    const rb = r.p9({ lane: 'qemu', channel: 'fs1', message: { kind: 'Rclunk', tag: 1 } });
    const ra = r.p9({ lane: 'qemu', channel: 'fs0', message: { kind: 'Rlerror', tag: 1, ecode: 9 } });
    expect([ra.replyTo, rb.replyTo]).toEqual([a.id, b.id]);
    expect(rb.fids).toEqual([2]);
    const { events } = importCapture(exportPcapng(r.events));
    expect(events.map((e) => [e.msgType, e.channel, e.replyTo])).toEqual([
      ['Tclunk', undefined, undefined], ['Tclunk', '192.0.2.2:40566', undefined], ['Rclunk', '192.0.2.2:40566', 2], ['Rlerror', undefined, 1],
    ]);
  });
});
