// Cross-highlighting between the domain XML and the argv words it produced (Compiler Explorer's
// source ↔ output colouring, ui-anchors.md §1). The data is the plan's `origins`: for each argv word
// (optionally a character range inside it) the XML range of the attribute/element that produced it.
// Pure functions over that list; the components only render what these return.
import type { WordOrigin } from '../../../sim/libvirt/index.ts';

export type ArgvName = WordOrigin['argv'];

/** What the user is pointing at: a word (or a segment of one), or an offset in the XML. */
export type HighlightSource =
  | { kind: 'word'; argv: ArgvName; index: number; start?: number; end?: number }
  | { kind: 'xml'; pos: number };

export interface XmlRange { from: number; to: number }

export interface Highlight {
  /** XML ranges to mark in the editor (deduplicated, document order). */
  xml: XmlRange[];
  /** Per argv word ("qemu:12"), the character ranges to mark; a range of [0, word.length) is the whole word. */
  words: Map<string, { start: number; end: number }[]>;
}

export const wordKey = (argv: ArgvName, index: number): string => `${argv}:${index}`;

function originRange(o: WordOrigin, wordLength: number): { start: number; end: number } {
  return { start: o.start ?? 0, end: o.end ?? wordLength };
}

/** Does origin `o` (inside its word) overlap the segment [start, end)? Whole-word origins always do. */
function overlaps(o: WordOrigin, wordLength: number, start: number, end: number): boolean {
  const r = originRange(o, wordLength);
  return r.start < end && start < r.end;
}

/**
 * The highlight for a source. `wordText(argv, index)` gives the word, so ranges without start/end
 * cover the whole word. An XML offset matches origins whose range contains it, ends included (a caret
 * just after `dir='/x'` still belongs to it).
 */
export function computeHighlight(
  origins: readonly WordOrigin[],
  source: HighlightSource | null,
  wordText: (argv: ArgvName, index: number) => string | undefined,
): Highlight {
  const result: Highlight = { xml: [], words: new Map() };
  if (!source) return result;
  const matching = origins.filter((o) => {
    const text = wordText(o.argv, o.index);
    if (text === undefined) return false; // an origin for a word the argv does not have: ignore, never crash
    if (source.kind === 'xml') return o.from <= source.pos && source.pos <= o.to;
    if (o.argv !== source.argv || o.index !== source.index) return false;
    return source.start === undefined || overlaps(o, text.length, source.start, source.end ?? text.length);
  });
  const seen = new Set<string>();
  for (const o of matching) {
    const k = `${o.from}-${o.to}`;
    if (!seen.has(k)) { seen.add(k); result.xml.push({ from: o.from, to: o.to }); }
    const text = wordText(o.argv, o.index)!;
    const key = wordKey(o.argv, o.index);
    const list = result.words.get(key) ?? [];
    list.push(originRange(o, text.length));
    result.words.set(key, list);
  }
  result.xml.sort((a, b) => a.from - b.from || a.to - b.to);
  return result;
}

export interface WordSegment { text: string; start: number; end: number; highlighted: boolean }

/**
 * Split a word at every origin boundary inside it, so each part can be pointed at on its own (hovering
 * `path=/export` inside `-fsdev proxy,…,path=/export` highlights only `<source dir=…>`).
 */
export function wordSegments(
  word: string,
  originsOfWord: readonly WordOrigin[],
  marked: readonly { start: number; end: number }[] = [],
): WordSegment[] {
  const cuts = new Set<number>([0, word.length]);
  for (const o of originsOfWord) {
    const r = originRange(o, word.length);
    cuts.add(Math.max(0, Math.min(word.length, r.start)));
    cuts.add(Math.max(0, Math.min(word.length, r.end)));
  }
  for (const m of marked) {
    cuts.add(Math.max(0, Math.min(word.length, m.start)));
    cuts.add(Math.max(0, Math.min(word.length, m.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: WordSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (end <= start) continue;
    segments.push({ text: word.slice(start, end), start, end, highlighted: marked.some((m) => m.start < end && start < m.end) });
  }
  if (segments.length === 0) segments.push({ text: word, start: 0, end: word.length, highlighted: marked.length > 0 });
  return segments;
}
