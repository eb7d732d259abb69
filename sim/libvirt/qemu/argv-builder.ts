// Command lines with provenance: every word (and optionally a character range inside it) remembers
// which XML attribute or element produced it, so the playground can cross-highlight XML ↔ argv.

import type { XmlSpan } from '../errors.ts';

export interface WordOrigin {
  argv: 'qemu' | 'helper';
  /** Word index in that argv. */
  index: number;
  /** Optional character range inside the word. */
  start?: number;
  end?: number;
  /** XML offsets of the attribute/element that produced it. */
  from: number;
  to: number;
}

/** An option value built piece by piece (libvirt's virBuffer), each piece with its XML origin. */
export class OptString {
  private parts: { text: string; span?: XmlSpan }[] = [];
  add(text: string, span?: XmlSpan): this {
    this.parts.push({ text, span });
    return this;
  }
  get text(): string {
    return this.parts.map((p) => p.text).join('');
  }
  /** Character ranges of the pieces that have an origin. */
  ranges(): { start: number; end: number; span: XmlSpan }[] {
    const out: { start: number; end: number; span: XmlSpan }[] = [];
    let at = 0;
    for (const p of this.parts) {
      if (p.span) out.push({ start: at, end: at + p.text.length, span: p.span });
      at += p.text.length;
    }
    return out;
  }
}

export class ArgvBuilder {
  readonly words: string[] = [];
  readonly origins: WordOrigin[] = [];
  constructor(readonly argv: 'qemu' | 'helper') {}

  add(word: string | OptString, span?: XmlSpan): this {
    const index = this.words.length;
    if (word instanceof OptString) {
      this.words.push(word.text);
      if (span) this.origins.push({ argv: this.argv, index, from: span.from, to: span.to });
      for (const r of word.ranges()) {
        this.origins.push({ argv: this.argv, index, start: r.start, end: r.end, from: r.span.from, to: r.span.to });
      }
    } else {
      this.words.push(word);
      if (span) this.origins.push({ argv: this.argv, index, from: span.from, to: span.to });
    }
    return this;
  }

  addAll(...words: string[]): this {
    for (const w of words) this.add(w);
    return this;
  }
}
