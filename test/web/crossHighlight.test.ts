// Cross-highlighting is computed from the plan's `origins` (sim/libvirt contract: XML UTF-16 offsets
// per argv word, optionally a character range inside the word).
import { describe, expect, it } from 'vitest';
import type { WordOrigin } from '../../sim/libvirt/index.ts';
import { computeHighlight, wordKey, wordSegments } from '../../web/lib/plan/crossHighlight.ts';

// A proxy filesystem: -fsdev's `sock_fd=25` comes from <driver type='proxy'/>, `path=/export` from
// <source dir='/export'/>; the helper's `/export` (word 4) from the same attribute.
const xml = `<filesystem type='mount'><driver type='proxy'/><source dir='/export'/><target dir='tag'/></filesystem>`;
const driverAt = xml.indexOf(`type='proxy'`);
const sourceAt = xml.indexOf(`dir='/export'`);
const fsdev = 'proxy,id=fsdev-fs0,sock_fd=25,path=/export';
const qemu = ['/usr/bin/qemu-system-x86_64', '-fsdev', fsdev];
const helper = ['/usr/bin/virtfs-proxy-helper', '-f', '24', '-p', '/export'];
const origins: WordOrigin[] = [
  { argv: 'qemu', index: 2, start: 0, end: 5, from: driverAt, to: driverAt + 12 },
  { argv: 'qemu', index: 2, start: fsdev.indexOf('path='), end: fsdev.length, from: sourceAt, to: sourceAt + 13 },
  { argv: 'helper', index: 4, from: sourceAt, to: sourceAt + 13 },
  { argv: 'qemu', index: 99, from: 0, to: 5 }, // a word the argv does not have: ignored
];
const text = (argv: 'qemu' | 'helper', i: number) => (argv === 'qemu' ? qemu[i] : helper[i]);

describe('computeHighlight', () => {
  it('from an XML offset inside <source dir>: the helper word and the path= part of -fsdev', () => {
    const h = computeHighlight(origins, { kind: 'xml', pos: sourceAt + 6 }, text);
    expect(h.xml).toEqual([{ from: sourceAt, to: sourceAt + 13 }]);
    expect(h.words.get(wordKey('helper', 4))).toEqual([{ start: 0, end: 7 }]);
    expect(h.words.get(wordKey('qemu', 2))).toEqual([{ start: fsdev.indexOf('path='), end: fsdev.length }]);
  });
  it('includes the end of the attribute (a caret right after the closing quote)', () => {
    expect(computeHighlight(origins, { kind: 'xml', pos: driverAt + 12 }, text).xml).toEqual([{ from: driverAt, to: driverAt + 12 }]);
    expect(computeHighlight(origins, { kind: 'xml', pos: driverAt - 1 }, text).xml).toEqual([]);
  });
  it('from a whole word: every attribute that contributed to it, in document order', () => {
    const h = computeHighlight(origins, { kind: 'word', argv: 'qemu', index: 2 }, text);
    expect(h.xml).toEqual([{ from: driverAt, to: driverAt + 12 }, { from: sourceAt, to: sourceAt + 13 }]);
  });
  it('from a segment of a word: only the attribute behind that segment', () => {
    const start = fsdev.indexOf('path=');
    const h = computeHighlight(origins, { kind: 'word', argv: 'qemu', index: 2, start, end: fsdev.length }, text);
    expect(h.xml).toEqual([{ from: sourceAt, to: sourceAt + 13 }]);
    const none = computeHighlight(origins, { kind: 'word', argv: 'qemu', index: 2, start: 6, end: 18 }, text);
    expect(none.xml).toEqual([]);
  });
  it('nothing for no source, and never for origins of words that do not exist', () => {
    expect(computeHighlight(origins, null, text).xml).toEqual([]);
    expect(computeHighlight(origins, { kind: 'word', argv: 'qemu', index: 99 }, text).xml).toEqual([]);
  });
});

describe('wordSegments', () => {
  it('cuts a word at its origins so each part can be pointed at, and marks the highlighted part', () => {
    const own = origins.filter((o) => o.argv === 'qemu' && o.index === 2);
    const start = fsdev.indexOf('path=');
    const segs = wordSegments(fsdev, own, [{ start, end: fsdev.length }]);
    expect(segs.map((s) => s.text)).toEqual(['proxy', ',id=fsdev-fs0,sock_fd=25,', 'path=/export']);
    expect(segs.map((s) => s.highlighted)).toEqual([false, false, true]);
    expect(segs.map((s) => s.text).join('')).toBe(fsdev);
  });
  it('keeps the empty word and out-of-range origins harmless', () => {
    expect(wordSegments('', [])).toEqual([{ text: '', start: 0, end: 0, highlighted: false }]);
    const segs = wordSegments('abc', [{ argv: 'qemu', index: 0, start: 2, end: 50, from: 0, to: 1 }]);
    expect(segs.map((s) => s.text)).toEqual(['ab', 'c']);
  });
});
