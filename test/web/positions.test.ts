import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineColumnOfOffset, offsetOfLineColumn } from '../../web/lib/editor/positions.ts';

describe('line/column ↔ offset (1-based, UTF-16)', () => {
  const text = '<domain>\n  <name>é😀x</name>\n</domain>';
  it('maps known positions', () => {
    expect(offsetOfLineColumn(text, 1, 1)).toBe(0);
    expect(offsetOfLineColumn(text, 2, 3)).toBe(text.indexOf('<name>'));
    expect(offsetOfLineColumn(text, 2, 12)).toBe(text.indexOf('x</name>')); // é is 1 unit, 😀 is 2
    expect(lineColumnOfOffset(text, text.indexOf('</domain>'))).toEqual({ line: 3, column: 1 });
  });
  it('clamps positions past a line end or past the text', () => {
    expect(offsetOfLineColumn(text, 1, 99)).toBe(text.indexOf('\n'));
    expect(offsetOfLineColumn(text, 42, 1)).toBe(text.length);
    expect(offsetOfLineColumn(text, 1, 0)).toBe(0);
  });
  it('round-trips every offset of random texts', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '\n', 'é', '😀', ' ') }), (s) => {
      for (let o = 0; o <= s.length; o++) {
        const { line, column } = lineColumnOfOffset(s, o);
        expect(offsetOfLineColumn(s, line, column)).toBe(o);
      }
    }), { numRuns: 200, seed: 42 });
  });
});
