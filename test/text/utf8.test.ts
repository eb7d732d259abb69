// The shared UTF-8 codec behaves like the WHATWG TextEncoder/TextDecoder (fast-check, fixed seed).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { utf8Decode, utf8Encode, utf8Length } from '../../sim/text/utf8.ts';

describe('sim/text UTF-8', () => {
  it('encodes any string (lone surrogates included) as TextEncoder does', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(Array.from(utf8Encode(s))).toEqual(Array.from(new TextEncoder().encode(s)));
    }), { numRuns: 500, seed: 7 });
  });
  it('decodes any bytes as TextDecoder does (U+FFFD for invalid sequences)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      expect(utf8Decode(b)).toBe(new TextDecoder().decode(b));
    }), { numRuns: 2000, seed: 7 });
    expect(utf8Decode(Uint8Array.from([0xe2, 0x82, 0x41]))).toBe('\ufffdA');
  });
  it('utf8Length is the length of the encoding, lone surrogates included (500 seeded runs)', () => {
    fc.assert(fc.property(fc.string({ unit: fc.oneof(fc.constant('\ud800'), fc.constant('\udfff'), fc.string({ unit: 'binary', maxLength: 1 })) }), (s) => {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }), { numRuns: 500, seed: 11 });
  });
});
