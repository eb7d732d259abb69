// Malformed input: each error names the message, the field and the byte offset.
import { describe, expect, it } from 'vitest';
import { decodeMessage, describeMessage, encodeMessage, P9DecodeError, P9EncodeError, splitFrames, type P9Message } from '../../sim/p9/index.ts';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function decodeError(b: Uint8Array, allowTrailing = false): P9DecodeError {
  try { decodeMessage(b, { allowTrailing }); } catch (e) { if (e instanceof P9DecodeError) return e; throw e; }
  throw new Error('decoded without error');
}

describe('9P decode errors are located', () => {
  it('a wname whose length runs past the end', () => {
    // Twalk size=20: fid 0 newfid 1 nwname 1, wname len 5 but only 1 byte
    const e = decodeError(h('14000000 6e 0100 00000000 01000000 0100 0500 61'));
    expect(e.code).toBe('P9_TRUNCATED');
    expect(e.data).toMatchObject({ messageType: 'Twalk', typeNumber: 110, field: 'wnames[0]', offset: 19, expected: 5, actual: 1 });
    expect(e.message).toBe('Twalk: wnames[0] at byte 19: needs 5 bytes, 1 left');
  });

  it('size field larger than the bytes given', () => {
    const e = decodeError(h('20000000 78 0100 01000000'));
    expect(e.code).toBe('P9_SIZE_MISMATCH');
    expect(e.data).toMatchObject({ messageType: 'Tclunk', field: 'size', offset: 0, expected: 32, actual: 11 });
  });

  it('size smaller than the header', () => {
    const e = decodeError(h('03000000 78 0100'));
    expect(e.code).toBe('P9_BAD_SIZE');
    expect(e.data).toMatchObject({ field: 'size', offset: 0, actual: 3 });
  });

  it('unknown and legacy (non-.L) message types', () => {
    expect(decodeError(h('07000000 ff 0100')).data).toMatchObject({ field: 'type', offset: 4, typeNumber: 255 });
    // Topen (112) is 9P2000, not 9P2000.L
    const e = decodeError(h('0c000000 70 0100 01000000 00'));
    expect(e.code).toBe('P9_UNKNOWN_TYPE');
    expect(e.message).toBe('type 112: type at byte 4: 112 is not a 9P2000.L message type');
  });

  it('trailing bytes are reported, or accepted like QEMU when asked', () => {
    const b = h('0c000000 78 0100 01000000 ee');
    const e = decodeError(b);
    expect(e.code).toBe('P9_TRAILING_BYTES');
    expect(e.data).toMatchObject({ messageType: 'Tclunk', offset: 11 });
    expect(decodeMessage(b, { allowTrailing: true })).toEqual({ kind: 'Tclunk', tag: 1, fid: 1 });
  });

  it('a readdir entry that crosses its count is truncated inside the count', () => {
    // count=23 holds qid(13)+offset(8)+type(1) and one byte of the name length.
    const wire = h('22000000 29 0100 17000000 80 00000000 0200000000000000 0100000000000000 04 00');
    const e = decodeError(wire);
    expect(e.code).toBe('P9_TRUNCATED');
    expect(e.data).toMatchObject({ messageType: 'Rreaddir', field: 'entries[0].name.len', offset: 11 + 22, expected: 2, actual: 1 });
  });

  it('describe keeps the fields decoded before the error and marks the rest', () => {
    const d = describeMessage(h('14000000 6e 0100 00000000 01000000 0100 0500 61'));
    expect(d.message).toBeUndefined();
    expect(d.error?.code).toBe('P9_TRUNCATED');
    const names = d.tree.children!.map((c) => `${c.name}@${c.start}-${c.end}`);
    expect(names).toEqual(['size@0-4', 'type@4-5', 'tag@5-7', 'fid@7-11', 'newfid@11-15', 'wnames@15-19', '(undecoded)@19-20']);
    expect(d.tree.display).toBe('malformed: Twalk: wnames[0] at byte 19: needs 5 bytes, 1 left');
  });
});

describe('9P encode errors name the field', () => {
  const bad = (m: unknown) => { try { encodeMessage(m as P9Message); } catch (e) { return e as P9EncodeError; } throw new Error('encoded'); };
  it('range, type, missing, unknown kind', () => {
    expect(bad({ kind: 'Tclunk', tag: 1, fid: -1 })).toMatchObject({ code: 'P9_FIELD_RANGE', data: { messageType: 'Tclunk', field: 'fid' } });
    expect(bad({ kind: 'Tgetattr', tag: 1, fid: 1, request_mask: 5 })).toMatchObject({ code: 'P9_FIELD_TYPE', data: { field: 'request_mask' } });
    expect(bad({ kind: 'Twalk', tag: 1, fid: 1, newfid: 2, wnames: ['a', 7] })).toMatchObject({ code: 'P9_FIELD_TYPE', data: { field: 'wnames[1]' } });
    expect(bad({ kind: 'Tversion', tag: 1, msize: 1 })).toMatchObject({ code: 'P9_FIELD_MISSING', data: { field: 'version' } });
    expect(bad({ kind: 'Topen', tag: 1 })).toMatchObject({ code: 'P9_UNKNOWN_MESSAGE' });
    expect(bad({ kind: 'Twalk', tag: 1, fid: 1, newfid: 2, wnames: ['x'.repeat(65536)] })).toMatchObject({ code: 'P9_TOO_LONG', data: { field: 'wnames[0]' } });
  });
});

describe('stream framing', () => {
  it('splits back-to-back messages and keeps the incomplete tail', () => {
    const a = encodeMessage({ kind: 'Tclunk', tag: 1, fid: 1 });
    const b = encodeMessage({ kind: 'Rclunk', tag: 1 });
    const stream = Uint8Array.from([...a, ...b, ...a.subarray(0, 5)]);
    const s = splitFrames(stream);
    expect(s.frames.map((f) => f.length)).toEqual([11, 7]);
    expect(s.offsets).toEqual([0, 11]);
    expect(s.rest.length).toBe(5);
  });
  it('a size below 7 is an error at its stream offset', () => {
    const a = encodeMessage({ kind: 'Rclunk', tag: 1 });
    expect(() => splitFrames(Uint8Array.from([...a, 2, 0, 0, 0]))).toThrow(/size at byte 7: size 2 is smaller/);
  });
});

describe('describe tree ↔ bytes', () => {
  it('nodesAt finds the field under a byte; flattenTree lists leaves in byte order', async () => {
    const { nodesAt, flattenTree } = await import('../../sim/p9/index.ts');
    const b = encodeMessage({ kind: 'Rreaddir', tag: 1, entries: [{ qid: { type: 0x80, version: 0, path: 2n }, offset: 1n, type: 4, name: 'ab' }] });
    const d = describeMessage(b);
    // byte 11 = first byte of entries[0].qid.type; byte 35 = first byte of the name
    expect(nodesAt(d.tree, 11).map((n) => n.name)).toEqual(['message', 'entries', '[0]', 'qid', 'type']);
    expect(nodesAt(d.tree, 35).map((n) => n.name)).toEqual(['message', 'entries', '[0]', 'name', 'bytes']);
    expect(nodesAt(d.tree, b.length)).toEqual([]);
    const leaves = flattenTree(d.tree);
    expect(leaves.map((l) => l.path)).toEqual([
      'size', 'type', 'tag', 'entries.count', 'entries.[0].qid.type', 'entries.[0].qid.version', 'entries.[0].qid.path',
      'entries.[0].offset', 'entries.[0].type', 'entries.[0].name.len', 'entries.[0].name.bytes',
    ]);
    expect(leaves.at(-1)!.node).toMatchObject({ start: 35, end: 37, value: 'ab', display: '"ab"' });
  });
});

describe('trailing bytes accepted like QEMU', () => {
  it('appear as a (trailing) node so the tree still tiles the message', () => {
    const d = describeMessage(h('0c000000 78 0100 01000000 ee'), { allowTrailing: true });
    expect(d.message).toEqual({ kind: 'Tclunk', tag: 1, fid: 1 });
    expect(d.tree.children!.at(-1)).toMatchObject({ name: '(trailing)', start: 11, end: 12, display: '1 ignored byte' });
  });
});
