// UTF-8 without TextEncoder/TextDecoder: sim/ compiles against ES2022 only (no DOM, no Node types).
// One codec for every layer (the kernel's names, the proxy and 9P wire strings), with the WHATWG
// Encoding semantics TextEncoder/TextDecoder have: a lone surrogate encodes as U+FFFD, an invalid
// sequence decodes to U+FFFD one byte at a time (test/text/utf8.test.ts compares with Node's).

export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/**
 * The length of utf8Encode(s) without building it: what strlen() gives for the string in argv, a
 * sockaddr_un path or a file name (a lone surrogate counts as U+FFFD's 3 bytes, as it encodes).
 */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * Decode UTF-8 with the WHATWG Encoding Standard's decoder (the one TextDecoder uses): each maximal
 * invalid subpart becomes one U+FFFD. Display only — keep the bytes for identity.
 */
export function utf8Decode(b: Uint8Array): string {
  let s = '';
  let cp = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < b.length; i++) {
    const byte = b[i]!;
    if (needed === 0) {
      if (byte < 0x80) { s += String.fromCharCode(byte); continue; }
      if (byte >= 0xc2 && byte <= 0xdf) { needed = 1; cp = byte & 0x1f; }
      else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        needed = 2; cp = byte & 0xf;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        needed = 3; cp = byte & 0x7;
      } else s += '\ufffd';
      continue;
    }
    if (byte < lower || byte > upper) {
      // The sequence so far is one error; the byte is looked at again as a fresh start.
      cp = needed = seen = 0; lower = 0x80; upper = 0xbf;
      s += '\ufffd';
      i--;
      continue;
    }
    lower = 0x80; upper = 0xbf;
    cp = (cp << 6) | (byte & 0x3f);
    if (++seen === needed) {
      s += String.fromCodePoint(cp);
      cp = needed = seen = 0;
    }
  }
  if (needed !== 0) s += '\ufffd';
  return s;
}
