// Property tests over every message in the table (fast-check, fixed seed so failures reproduce).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allSpecs, decodeMessage, decodeUtf8, describeMessage, encodeMessage, encodeUtf8, type FieldKind, type FieldNode,
  type P9Message, P9DecodeError,
} from '../../sim/p9/index.ts';

const SEED = 0x9e2000;
const u = (bits: number) => fc.integer({ min: 0, max: 2 ** bits - 1 });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const name = fc.string({ unit: 'binary', maxLength: 12 });
const qid = fc.record({ type: u(8), version: u(32), path: u64 });

const ARB: Record<FieldKind, fc.Arbitrary<unknown>> = {
  u8: u(8), u16: u(16), u32: u(32), u64, str: name, qid,
  wnames: fc.array(name, { maxLength: 16 }),
  wqids: fc.array(qid, { maxLength: 16 }),
  data: fc.uint8Array({ maxLength: 64 }),
  dirents: fc.array(fc.record({ qid, offset: u64, type: u(8), name }), { maxLength: 5 }),
};

const anyMessage: fc.Arbitrary<P9Message> = fc.oneof(
  ...allSpecs().map((spec) => fc.record({
    kind: fc.constant(spec.name),
    tag: u(16),
    ...Object.fromEntries(spec.fields.map(([f, k]) => [f, ARB[k]])),
  }) as unknown as fc.Arbitrary<P9Message>),
);

function covers(node: FieldNode, len: number): void {
  // Children are contiguous, in order, and inside their parent.
  let at = node.start;
  for (const c of node.children ?? []) {
    expect(c.start).toBe(at);
    expect(c.end).toBeGreaterThanOrEqual(c.start);
    covers(c, len);
    at = c.end;
  }
  if (node.children?.length) expect(at).toBe(node.end);
  expect(node.end).toBeLessThanOrEqual(len);
}

describe('9P2000.L codec properties', () => {
  it('decode(encode(m)) = m and encode(decode(b)) = b for every message kind', () => {
    fc.assert(fc.property(anyMessage, (m) => {
      const b = encodeMessage(m);
      expect(new DataView(b.buffer).getUint32(0, true)).toBe(b.length);
      const back = decodeMessage(b);
      expect(back).toEqual(m);
      expect(Buffer.from(encodeMessage(back)).equals(Buffer.from(b))).toBe(true);
    }), { seed: SEED, numRuns: 3000 });
  });

  it('the describe tree tiles the message bytes exactly', () => {
    fc.assert(fc.property(anyMessage, (m) => {
      const b = encodeMessage(m);
      const d = describeMessage(b);
      expect(d.error).toBeUndefined();
      expect(d.message).toEqual(m);
      covers(d.tree, b.length);
      expect(d.tree.children!.at(-1)!.end).toBe(b.length);
    }), { seed: SEED, numRuns: 1000 });
  });

  it('every proper prefix of a message is rejected with a located P9DecodeError', () => {
    fc.assert(fc.property(anyMessage, fc.nat(), (m, cut) => {
      const b = encodeMessage(m);
      const n = cut % b.length;
      const prefix = b.slice(0, n);
      let err: unknown;
      try { decodeMessage(prefix); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(P9DecodeError);
      expect((err as P9DecodeError).data.offset).toBeLessThanOrEqual(Math.max(n, 0));
    }), { seed: SEED, numRuns: 2000 });
  });

  it('random bytes never crash describe: a message or a P9DecodeError with a tiled tree', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (raw, fixSize) => {
      const b = raw.slice();
      if (fixSize && b.length >= 4) new DataView(b.buffer).setUint32(0, b.length, true);
      const d = describeMessage(b);
      expect(d.message !== undefined || d.error instanceof P9DecodeError).toBe(true);
      covers(d.tree, b.length);
    }), { seed: SEED, numRuns: 3000 });
  });

  it('the fast decoder and the located decoder agree on arbitrary input', () => {
    const framed = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      anyMessage.chain((m) => { const b = encodeMessage(m); return fc.tuple(fc.nat(b.length - 1), fc.nat(255)).map(([i, x]) => { const c = b.slice(); if (i >= 4) c[i] = x; return c; }); }),
    );
    fc.assert(fc.property(framed, (b) => {
      let fast: unknown;
      try { fast = decodeMessage(b); } catch (e) { fast = (e as P9DecodeError).code; }
      const d = describeMessage(b);
      expect(fast).toEqual(d.message ?? d.error!.code);
    }), { seed: SEED, numRuns: 4000 });
  });

  it('strings: any byte sequence decodes and re-encodes to the same bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      expect(Buffer.from(encodeUtf8(decodeUtf8(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }), { seed: SEED, numRuns: 5000 });
  });

  it('strings: valid Unicode text encodes as standard UTF-8', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (s) => {
      expect(Buffer.from(encodeUtf8(s)).equals(Buffer.from(s, 'utf8'))).toBe(true);
      expect(decodeUtf8(encodeUtf8(s))).toBe(s);
    }), { seed: SEED, numRuns: 3000 });
  });
});
