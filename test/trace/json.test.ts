import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportJson, importJson, TraceImportError, TraceRecorder } from '../../sim/trace/index.ts';
import { allMessagePairs } from './all-messages.ts';
import { sampleTrace } from './sample.ts';

function importError(text: string): TraceImportError {
  try { importJson(text); } catch (e) { if (e instanceof TraceImportError) return e; throw e; }
  throw new Error('imported');
}

describe('JSON export / import', () => {
  it('round trip: import(export(events)) equals the events and re-exports byte for byte', () => {
    const events = sampleTrace().events;
    const text = exportJson(events, { scenario: 'walk/sample', seed: 7n });
    const doc = importJson(text);
    expect(doc.events).toEqual(events);
    expect(doc.meta).toEqual({ scenario: 'walk/sample', seed: 7n });
    expect(exportJson(doc.events, doc.meta)).toBe(text);
  });

  it('round trip over every 9P message kind', () => {
    const r = new TraceRecorder({ tickNs: 3 });
    for (const [a, b] of allMessagePairs()) { r.p9({ lane: 'guest', message: a }); r.p9({ lane: 'qemu', message: b }); }
    const text = exportJson(r.events);
    expect(importJson(text).events).toEqual(r.events);
  });

  it('round trip of malformed 9P bytes keeps the decode error', () => {
    const r = new TraceRecorder();
    r.p9({ lane: 'guest', bytes: Uint8Array.from([9, 0, 0, 0, 0x70, 1, 0, 0, 0]) });
    const back = importJson(exportJson(r.events)).events;
    expect(back).toEqual(r.events);
    expect(back[0]).toMatchObject({ decodeError: { code: 'P9_UNKNOWN_TYPE', field: 'type', offset: 4 } });
  });

  it('property: arbitrary bigint/bytes/nested args survive', () => {
    fc.assert(fc.property(fc.array(fc.record({
      n: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), b: fc.uint8Array({ maxLength: 8 }), s: fc.string(), k: fc.array(fc.integer()),
    }), { maxLength: 5 }), (argsList) => {
      const r = new TraceRecorder();
      for (const args of argsList) r.record({ kind: 'guest-call', lane: 'guest', api: 'wasi', name: 'path_open', args });
      expect(importJson(exportJson(r.events)).events).toEqual(r.events);
    }), { seed: 42, numRuns: 200 });
  });

  it('the document starts with the format tag and has one event per line', () => {
    const text = exportJson(sampleTrace().events);
    expect(text.startsWith('{"format":"virtfs-lab-trace/1","meta":{},"events":[\n{"id":1,"cause":null,"t":0,"lane":"libvirt","kind":"launch"')).toBe(true);
    expect(text.split('\n').length).toBe(13 + 3);
    expect(exportJson([])).toBe('{"format":"virtfs-lab-trace/1","meta":{},"events":[]}\n');
  });

  it('import errors name the JSON path', () => {
    const ok = JSON.parse(exportJson(sampleTrace().events));
    const mutate = (f: (d: any) => void) => { const d = structuredClone(ok); f(d); return JSON.stringify(d); };
    expect(importError('{').code).toBe('TRACE_JSON');
    expect(importError(mutate((d) => { d.format = 'virtfs-lab-trace/2'; }))).toMatchObject({ code: 'TRACE_FORMAT', path: '$.format' });
    expect(importError(mutate((d) => { d.format = 'pcap'; }))).toMatchObject({ code: 'TRACE_FORMAT' });
    expect(importError(mutate((d) => { d.events[2].id = 1; }))).toMatchObject({ code: 'TRACE_ORDER', path: 'events[2].id' });
    expect(importError(mutate((d) => { d.events[4].cause = 9; }))).toMatchObject({ code: 'TRACE_ORDER', path: 'events[4].cause' });
    expect(importError(mutate((d) => { d.events[0].lane = 'kernel'; }))).toMatchObject({ code: 'TRACE_FIELD', path: 'events[0].lane' });
    expect(importError(mutate((d) => { delete d.events[5].creds; }))).toMatchObject({ code: 'TRACE_FIELD', path: 'events[5].creds' });
    expect(importError(mutate((d) => { d.events[3].bytes = 'zz'; }))).toMatchObject({ code: 'TRACE_BYTES', path: 'events[3].bytes' });
    expect(importError(mutate((d) => { d.events[3].message.newfid = 2; }))).toMatchObject({ code: 'TRACE_BYTES', path: 'events[3].message' });
    expect(importError(mutate((d) => { d.events[3].msgType = 'Tclunk'; }))).toMatchObject({ code: 'TRACE_BYTES', path: 'events[3].msgType' });
    expect(importError(mutate((d) => { d.events[5].caps.effective = { $bigint: 'x' }; }))).toMatchObject({ code: 'TRACE_FIELD', path: 'events[5].caps.effective' });
  });
});
