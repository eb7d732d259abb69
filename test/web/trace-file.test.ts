// Opening trace files in the playground (web/lib/trace/traceFile.ts): JSON "virtfs-lab-trace/1" and
// pcapng/pcap captures round-trip through the exporters; bad files are refused with a located message.
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../sim/p9/index.ts';
import { exportJson, exportPcapng, TraceRecorder } from '../../sim/trace/index.ts';
import {
  checkTraceFileSize, describeOpened, EVENTS_PER_SLICE, traceFileReplies, detectTraceFormat, findJsonSyntaxError, lineColumn, MAX_TRACE_FILE_BYTES, parseTraceFile,
} from '../../web/lib/trace/traceFile.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A small trace of every wire kind: a Twalk, the proxy T_LSTAT with the helper's lstat, the Rwalk. */
function sample(): TraceRecorder {
  const r = new TraceRecorder({ tickNs: 1000 });
  const walk = { kind: 'Twalk' as const, tag: 1, fid: 0, newfid: 1, wnames: ['pub', 'a'] };
  const req = r.p9({ lane: 'guest', bytes: encodeMessage(walk) });
  r.withCause(req.id, () => {
    const p = r.proxy({ kind: 'proxy', lane: 'qemu', to: 'helper', direction: 'request', requestType: 'T_LSTAT', fields: { path: '//pub/a' }, bytes: Uint8Array.of(6, 0, 0, 0, 0, 0, 0, 0) });
    r.withCause(p.id, () => r.syscall({
      kind: 'syscall', lane: 'helper', pid: 7, comm: 'virtfs-proxy-h', creds: { uid: [0, 0, 0, 0], gid: [0, 0, 0, 0], groups: [] },
      caps: { effective: 0x080000dbn, permitted: 0x080000dbn, inheritable: 0n }, root: '/srv/export', cwd: '/', name: 'lstat', args: { pathname: '//pub/a' }, result: 0,
    }));
    r.proxy({ kind: 'proxy', lane: 'helper', to: 'qemu', direction: 'reply', requestType: 'T_LSTAT', fields: { status: 0 }, bytes: new Uint8Array(8) });
  });
  r.p9({ lane: 'qemu', message: { kind: 'Rwalk', tag: 1, wqids: [{ type: 0x80, version: 0, path: 3n }, { type: 0, version: 0, path: 100n }] } });
  return r;
}

describe('parseTraceFile: JSON traces', () => {
  it('opens what the JSON export writes, events equal (bigints and bytes included)', () => {
    const rec = sample();
    const r = parseTraceFile('run.json', utf8(exportJson(rec.events, { source: 'walk/symlink-escape' })));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.format).toBe('json');
    expect(r.meta).toEqual({ source: 'walk/symlink-escape' });
    expect(r.events).toHaveLength(5);
    expect(r.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    expect(exportJson(r.events, r.meta)).toBe(exportJson(rec.events, { source: 'walk/symlink-escape' }));
    expect(describeOpened(r)).toBe('run.json (5 events, JSON trace)');
  });

  it('accepts a UTF-8 BOM and leading white space', () => {
    const text = `\ufeff\n  ${exportJson(sample().events)}`;
    expect(parseTraceFile('bom.json', utf8(text)).ok).toBe(true);
  });

  it('refuses a truncated file at its end, by line and column', () => {
    const text = exportJson(sample().events);
    const cut = text.slice(0, text.indexOf('"lane"', 200));
    const r = parseTraceFile('cut.json', utf8(cut));
    expect(r).toMatchObject({ ok: false, code: 'TRACE_JSON' });
    if (r.ok) return;
    const end = lineColumn(cut, cut.length);
    expect(r.where).toBe(`line ${end.line}, column ${end.column}`);
    expect(r.message).toMatch(/^cut\.json: line \d+, column \d+: not JSON: the file ends before the JSON does \(3 unclosed brackets\): it is truncated$/);
  });

  it('locates a syntax error in the middle (V8 gives no position for an unexpected token)', () => {
    const text = '{"format":"virtfs-lab-trace/1",\n "meta":{},\n "events":[}\n';
    const r = parseTraceFile('bad.json', utf8(text));
    expect(r).toMatchObject({ ok: false, code: 'TRACE_JSON', where: 'line 3, column 12' });
    if (!r.ok) expect(r.message).toContain("unexpected '}' where a value");
  });

  it('refuses the wrong format id and an unknown version, naming $.format', () => {
    expect(parseTraceFile('x.json', utf8('{"format":"chrome-trace","events":[]}'))).toMatchObject({
      ok: false, code: 'TRACE_FORMAT', where: '$.format', message: 'x.json: $.format: expected "virtfs-lab-trace/1", got "chrome-trace"',
    });
    expect(parseTraceFile('x.json', utf8('{"format":"virtfs-lab-trace/2","events":[]}'))).toMatchObject({ ok: false, code: 'TRACE_FORMAT', where: '$.format' });
    expect(parseTraceFile('x.json', utf8('{"events":[]}'))).toMatchObject({ ok: false, code: 'TRACE_FORMAT', where: '$.format' });
  });

  it("passes the importer's located errors on: a bad event field, bytes that disagree with msgType", () => {
    const doc = JSON.parse(exportJson(sample().events)) as { events: Record<string, unknown>[] };
    doc.events[2]!.lane = 'nowhere';
    expect(parseTraceFile('f.json', utf8(JSON.stringify(doc)))).toMatchObject({ ok: false, code: 'TRACE_FIELD', where: 'events[2].lane' });
    const doc2 = JSON.parse(exportJson(sample().events)) as { events: Record<string, unknown>[] };
    doc2.events[0]!.msgType = 'Tread';
    const r = parseTraceFile('g.json', utf8(JSON.stringify(doc2)));
    expect(r).toMatchObject({ ok: false, code: 'TRACE_BYTES', where: 'events[0].msgType' });
    if (!r.ok) expect(r.message).toBe('g.json: events[0].msgType: says "Tread", bytes are Twalk');
  });

  it('refuses text that is not UTF-8, a file that is neither JSON nor a capture, and an empty file', () => {
    expect(parseTraceFile('l1.json', Uint8Array.of(0x7b, 0x22, 0xe9, 0x22, 0x7d))).toMatchObject({ ok: false, code: 'NOT_UTF8' });
    const png = parseTraceFile('pic.png', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0));
    expect(png).toMatchObject({ ok: false, code: 'NOT_A_TRACE', where: 'byte 0' });
    if (!png.ok) expect(png.message).toContain('starts with 89 50 4e 47 0d 0a 1a 0a');
    expect(parseTraceFile('t.txt', utf8('hello'))).toMatchObject({ ok: false, code: 'NOT_A_TRACE' });
    expect(parseTraceFile('e.json', new Uint8Array())).toMatchObject({ ok: false, code: 'EMPTY' });
  });
});

describe('parseTraceFile: captures', () => {
  it('opens our pcapng export: the 9P messages come back with their bytes (proxy frames are not 9P)', () => {
    const rec = sample();
    const r = parseTraceFile('run.pcapng', exportPcapng(rec.events));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.format).toBe('pcapng');
    expect(r.events.map((e) => (e.kind === 'p9' ? e.msgType : e.kind))).toEqual(['Twalk', 'Rwalk']);
    expect(r.events[1]).toMatchObject({ kind: 'p9', replyTo: r.events[0]!.id });
    const orig = rec.events.filter((e) => e.kind === 'p9');
    expect(r.events.map((e) => (e.kind === 'p9' ? [...e.bytes] : []))).toEqual(orig.map((e) => (e.kind === 'p9' ? [...e.bytes] : [])));
    expect(describeOpened(r)).toBe('run.pcapng (2 events, pcapng capture, 9P messages only)');
  });

  it('refuses a truncated capture by byte offset, and a capture without 9P', () => {
    const pcap = exportPcapng(sample().events);
    const r = parseTraceFile('cut.pcapng', pcap.subarray(0, pcap.length - 10));
    expect(r).toMatchObject({ ok: false, code: 'CAPTURE_TRUNCATED' });
    if (!r.ok) expect(r.where).toMatch(/^byte \d+$/);
    const none = exportPcapng(sample().events.filter((e) => e.kind !== 'p9'));
    expect(parseTraceFile('proxy-only.pcapng', none)).toMatchObject({ ok: false, code: 'NO_9P' });
  });
});

describe('size limit and format detection', () => {
  it('refuses more than 64 MiB from the size alone, and an empty file', () => {
    expect(MAX_TRACE_FILE_BYTES).toBe(64 * 2 ** 20);
    expect(checkTraceFileSize('ok.json', MAX_TRACE_FILE_BYTES)).toBeNull();
    expect(checkTraceFileSize('big.json', MAX_TRACE_FILE_BYTES + 1)).toMatchObject({ ok: false, code: 'TOO_BIG', where: 'file' });
    expect(checkTraceFileSize('big.json', 100 * 2 ** 20)?.message).toContain('100.0 MiB is more than the 64.0 MiB');
    expect(checkTraceFileSize('e.json', 0)).toMatchObject({ code: 'EMPTY' });
  });
  it('detects by content, not by name', () => {
    expect(detectTraceFormat(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a))).toBe('pcapng');
    expect(detectTraceFormat(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1))).toBe('pcap');
    expect(detectTraceFormat(utf8(' \r\n\t{"format"'))).toBe('json');
    expect(detectTraceFormat(utf8('[1]'))).toBeNull();
  });
});

describe('findJsonSyntaxError', () => {
  it('is null for valid JSON (every value kind, escapes, nesting)', () => {
    for (const s of ['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n\\"",{}],"b":{"c":[]}}', ' 0 ', '"s"']) {
      expect(() => JSON.parse(s)).not.toThrow();
      expect(findJsonSyntaxError(s)).toBeNull();
    }
  });
  it('finds the offset JSON.parse stops at', () => {
    const cases: [string, number, RegExp][] = [
      ['{"a":1,}', 7, /property name/],
      ['[1,2', 4, /truncated/],
      ['{"a" 1}', 5, /expected ':'/],
      ['{"a":1 "b":2}', 7, /expected ',' or '}'/],
      ['[01]', 2, /expected ',' or '\]'/],
      ['["a\tb"]', 3, /control characters/],
      ['["\\x"]', 2, /unknown escape/],
      ['{"a":tru}', 5, /where a value/],
      ['{} x', 3, /after the end/],
      ['["abc', 5, /inside a string/],
    ];
    for (const [s, offset, detail] of cases) {
      expect(() => JSON.parse(s), s).toThrow();
      const e = findJsonSyntaxError(s);
      expect(e?.offset, s).toBe(offset);
      expect(e?.detail, s).toMatch(detail);
    }
  });
  it('copes with deep nesting without recursion', () => {
    const deep = '['.repeat(100_000);
    expect(findJsonSyntaxError(deep)?.detail).toMatch(/100000 unclosed brackets/);
  });
  it('lineColumn counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 8)).toEqual({ line: 3, column: 3 });
  });
});

describe('traceFileReplies (the worker → page messages)', () => {
  it('sends a good file as slices of events, then the verdict without them', () => {
    const rec = new TraceRecorder({ tickNs: 1000 });
    for (let i = 0; i < EVENTS_PER_SLICE * 2 + 3; i++) rec.note('guest', 'n', `note ${i}`, 'test');
    let clock = 0;
    const replies = [...traceFileReplies('n.json', utf8(exportJson(rec.events)), () => (clock += 5))];
    expect(replies.map((r) => (r.kind === 'slice' ? r.events.length : r.kind))).toEqual([EVENTS_PER_SLICE, EVENTS_PER_SLICE, 3, 'done']);
    const done = replies.at(-1)!;
    expect(done).toMatchObject({ kind: 'done', parseMs: 5, result: { ok: true, name: 'n.json', format: 'json', events: [] } });
    const events = replies.flatMap((r) => (r.kind === 'slice' ? r.events : []));
    expect(exportJson(events)).toBe(exportJson(rec.events));
  });
  it('sends a bad file as the verdict alone', () => {
    const replies = [...traceFileReplies('x.json', utf8('{"format":"x"}'), () => 0)];
    expect(replies).toEqual([{ kind: 'done', parseMs: 0, result: expect.objectContaining({ ok: false, code: 'TRACE_FORMAT' }) }]);
  });
});
