// A positioned XML element tree for domain definitions.
//
// fast-xml-parser's XMLValidator gives exact positions for *syntax* errors but its parser keeps no
// positions for valid elements (stack.md §7.1). libvirt's semantic errors name an attribute or an
// element, and the playground underlines exactly that text, so after validation we scan the document
// once more ourselves and keep the UTF-16 offsets of every element and attribute.

export interface XmlAttr {
  name: string;
  /** Decoded value (entities and character references replaced). */
  value: string;
  /** Offsets of the whole `name="value"` text. */
  from: number;
  to: number;
  /** Offsets of the raw value between the quotes. */
  valueFrom: number;
  valueTo: number;
}

export interface XmlElement {
  name: string;
  attrs: XmlAttr[];
  children: XmlElement[];
  /** Concatenated decoded character data directly inside this element (CDATA included). */
  text: string;
  /** Offset of `<` of the start tag. */
  from: number;
  /** Offset just past the start tag (`>` or `/>`). */
  startTagTo: number;
  /** Offset just past the end tag (or the start tag when self-closing). */
  to: number;
  parent: XmlElement | null;
}

export function attr(el: XmlElement, name: string): XmlAttr | undefined {
  return el.attrs.find((a) => a.name === name);
}

export function attrValue(el: XmlElement, name: string): string | undefined {
  return attr(el, name)?.value;
}

export function childElements(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** Follows a slash-separated path of child names, first match at each step. */
export function pathChild(el: XmlElement, path: string): XmlElement | undefined {
  let cur: XmlElement | undefined = el;
  for (const step of path.split('/')) {
    if (!cur) return undefined;
    cur = firstChild(cur, step);
  }
  return cur;
}
