// Domain XML → positioned element tree.
//
// Step 1: fast-xml-parser's XMLValidator (strict: no boolean attributes), which reports syntax errors
// with exact line/column (stack.md §7.1). Step 2: our own scan of the now well-formed text, keeping
// offsets. The scan also refuses what libxml2 (libvirt's parser) refuses but the validator lets
// through: a second root element and undefined entity references.

import { XMLValidator } from 'fast-xml-parser';
import { LibvirtError } from '../errors.ts';
import { offsetAt } from './position.ts';
import type { XmlAttr, XmlElement } from './tree.ts';

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(raw: string, base: number): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);?/g, (m, body: string, idx: number) => {
    if (!m.endsWith(';')) throw syntax(`EntityRef: expecting ';'`, base + idx, base + idx + m.length);
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    const v = PREDEFINED[body];
    if (v === undefined) throw syntax(`Entity '${body}' not defined`, base + idx, base + idx + m.length);
    return v;
  });
}

function syntax(msg: string, from: number, to: number): LibvirtError {
  return new LibvirtError('XML_SYNTAX', msg, { from, to });
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const SPACE = /\s*/y;

/** Parses a domain XML document; throws LibvirtError('XML_SYNTAX') with a span on bad input. */
export function parseXmlTree(text: string): XmlElement {
  const v = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (v !== true) {
    const from = offsetAt(text, v.err.line, v.err.col ?? 1);
    throw syntax(v.err.msg, from, Math.min(from + 1, text.length));
  }
  let pos = 0;
  let root: XmlElement | null = null;
  const stack: XmlElement[] = [];

  const skipTo = (needle: string, from: number): number => {
    const i = text.indexOf(needle, from);
    return i < 0 ? text.length : i + needle.length;
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > pos) {
      const raw = text.slice(pos, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(raw, pos);
      else if (raw.trim()) throw syntax('Extra content at the end of the document', pos, textEnd);
    }
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('<!--', pos)) { pos = skipTo('-->', pos + 4); continue; }
    if (text.startsWith('<?', pos)) { pos = skipTo('?>', pos + 2); continue; }
    if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      const top = stack[stack.length - 1];
      if (top) top.text += text.slice(pos + 9, end);
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<!', pos)) { pos = skipTo('>', pos + 2); continue; }
    if (text.startsWith('</', pos)) {
      const end = text.indexOf('>', pos);
      const el = stack.pop();
      if (el) el.to = end + 1;
      pos = end + 1;
      continue;
    }
    // start tag
    const from = pos;
    NAME.lastIndex = pos + 1;
    const nm = NAME.exec(text);
    if (!nm) throw syntax('StartTag: invalid element name', pos, pos + 1);
    const el: XmlElement = {
      name: nm[0], attrs: [], children: [], text: '', from, startTagTo: from, to: from,
      parent: stack[stack.length - 1] ?? null,
    };
    pos = NAME.lastIndex;
    for (;;) {
      SPACE.lastIndex = pos;
      SPACE.exec(text);
      pos = SPACE.lastIndex;
      if (text.startsWith('/>', pos)) { pos += 2; el.startTagTo = el.to = pos; break; }
      if (text[pos] === '>') { pos += 1; el.startTagTo = pos; break; }
      NAME.lastIndex = pos;
      const an = NAME.exec(text);
      if (!an) throw syntax('malformed attribute', pos, pos + 1);
      const aFrom = pos;
      pos = NAME.lastIndex;
      SPACE.lastIndex = pos; SPACE.exec(text); pos = SPACE.lastIndex;
      pos++; // '='
      SPACE.lastIndex = pos; SPACE.exec(text); pos = SPACE.lastIndex;
      const q = text[pos];
      const vEnd = text.indexOf(q, pos + 1);
      const a: XmlAttr = {
        name: an[0],
        value: decodeEntities(text.slice(pos + 1, vEnd), pos + 1),
        from: aFrom, to: vEnd + 1, valueFrom: pos + 1, valueTo: vEnd,
      };
      el.attrs.push(a);
      pos = vEnd + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) throw syntax('Extra content at the end of the document', from, el.startTagTo);
    else root = el;
    if (el.to === from) stack.push(el);
  }
  if (!root) throw syntax('Start tag expected, \'<\' not found', 0, Math.min(1, text.length));
  return root;
}
