import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../sim/p9/index.ts';
import { ancestors, causalDepths, descendants, TraceClock, TraceRecorder, type TraceEvent } from '../../sim/trace/index.ts';

describe('TraceRecorder', () => {
  it('numbers events, takes causes from the cause stack and times from the virtual clock', () => {
    const clock = new TraceClock(5_000);
    const r = new TraceRecorder({ clock });
    const a = r.note('guest', 'n:a', 'root', 'test');
    clock.advance(250);
    const b = r.withCause(a.id, () => r.note('qemu', 'n:b', 'child', 'test'));
    const c = r.withCause(a.id, () => r.withCause(b.id, () => r.note('helper', 'n:c', 'grandchild', 'test')));
    const d = r.withCause(a.id, () => r.record({ kind: 'note', lane: 'host', label: 'n:d', text: 'explicit', source: 't', cause: null }));
    expect([a, b, c, d].map((e) => [e.id, e.cause, e.t])).toEqual([[1, null, 5000], [2, 1, 5250], [3, 2, 5250], [4, null, 5250]]);
    expect(r.get(3)).toBe(c);
    expect(r.get(99)).toBeUndefined();
    expect([...causalDepths(r.events)]).toEqual([[1, 0], [2, 1], [3, 2], [4, 0]]);
    expect(ancestors(r.events, 3)).toEqual([2, 1]);
    expect(descendants(r.events, 1)).toEqual([2, 3]);
  });

  it('withCause restores the stack when fn throws', () => {
    const r = new TraceRecorder();
    expect(() => r.withCause(7, () => { throw new Error('boom'); })).toThrow('boom');
    expect(r.currentCause()).toBeNull();
  });

  it('subscribers see each event until disposed', () => {
    const r = new TraceRecorder();
    const seen: number[] = [];
    const sub = r.subscribe((e) => seen.push(e.id));
    r.note('guest', 'x', 'one', 's');
    r.note('guest', 'x', 'two', 's');
    sub.dispose();
    r.note('guest', 'x', 'three', 's');
    expect(seen).toEqual([1, 2]);
  });

  it('9P: decodes bytes, links a reply to its request by tag, and makes the request its cause', () => {
    const r = new TraceRecorder();
    const req = r.p9({ lane: 'guest', bytes: encodeMessage({ kind: 'Tclunk', tag: 4, fid: 9 }) });
    const other = r.p9({ lane: 'guest', message: { kind: 'Tclunk', tag: 5, fid: 10 } });
    const rep = r.p9({ lane: 'qemu', message: { kind: 'Rlerror', tag: 4, ecode: 9 } });
    expect(req).toMatchObject({ direction: 'request', to: 'qemu', msgType: 'Tclunk', fids: [9], traceName: 'v9fs_clunk' });
    expect(rep).toMatchObject({ direction: 'reply', to: 'guest', replyTo: req.id, cause: req.id, fids: [9], errno: 9, traceName: 'v9fs_rerror' });
    expect(other.replyTo).toBeUndefined();
  });

  it('9P: malformed bytes from a raw guest are kept with their located decode error', () => {
    const r = new TraceRecorder();
    const bad = Uint8Array.from([0x14, 0, 0, 0, 0x6e, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 0, 0x61]);
    const e = r.p9({ lane: 'guest', bytes: bad });
    expect(e.message).toBeUndefined();
    expect(e).toMatchObject({ msgType: 'unknown', tag: 1, direction: 'request', decodeError: { code: 'P9_TRUNCATED', field: 'wnames[0]', offset: 19 } });
  });

  it('proxy replies are linked to the request before them (one request at a time)', () => {
    const r = new TraceRecorder();
    const q = r.proxy({ kind: 'proxy', lane: 'qemu', to: 'helper', direction: 'request', requestType: 'T_LSTAT', fields: {}, bytes: new Uint8Array(0) });
    const a = r.proxy({ kind: 'proxy', lane: 'helper', to: 'qemu', direction: 'reply', requestType: 'T_LSTAT', fields: {}, bytes: new Uint8Array(0) });
    expect(a.replyTo).toBe(q.id);
    expect(a.cause).toBe(q.id);
  });

  it('load() appends imported events keeping their ids', () => {
    const r = new TraceRecorder();
    const ev = { id: 5, cause: null, t: 10, lane: 'guest', kind: 'note', label: 'l', text: 't', source: 's' } as TraceEvent;
    r.load([ev]);
    expect(r.get(5)).toBe(ev);
    expect(r.note('guest', 'l', 'next', 's').id).toBe(6);
    expect(() => r.load([ev])).toThrow(/not after/);
  });

  it('the clock refuses to go backwards', () => {
    expect(() => new TraceClock().advance(-1)).toThrow(RangeError);
  });
});

describe('virtual time is whole nanoseconds', () => {
  it('the clock rounds; exporters print whole ns even for an explicit fractional t', async () => {
    const { exportText: text, exportPcapng: pcap, importCapture: imp } = await import('../../sim/trace/index.ts');
    const c = new TraceClock();
    c.advance(0.6);
    expect(c.now()).toBe(1);
    const r = new TraceRecorder();
    r.p9({ lane: 'guest', message: { kind: 'Tclunk', tag: 1, fid: 1 }, t: 1500.4 });
    expect(text(r.events, { context: false, time: true })).toBe('[0.000001500] #1 guest → qemu   Tclunk tag=1 fid=1\n');
    expect(() => pcap(r.events)).not.toThrow();
    expect(imp(pcap(r.events)).startNs).toBe(1500n);
  });
});
