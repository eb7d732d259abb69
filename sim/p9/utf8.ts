// 9P strings are byte strings (len[2] + bytes): QEMU's V9fsString and Linux's p9 client put whatever
// bytes a name has on the wire, valid UTF-8 or not. A malicious guest can send any bytes, and the
// trace must show and re-encode them exactly. We therefore decode UTF-8 losslessly in the manner of
// Python's "surrogateescape" (PEP 383): each byte that is not part of a valid UTF-8 sequence becomes
// the lone surrogate U+DC80..U+DCFF, and encoding maps those back to the original byte. Valid UTF-8
// round-trips as ordinary text. (TextEncoder/TextDecoder are not used: sim/ is ES2022-only and
// TextDecoder cannot be lossless.)

/** UTF-8 bytes of `s`; lone surrogates U+DC80..U+DCFF become the raw byte they escape. */
export function encodeUtf8(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) { out.push(c); continue; }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
        continue;
      }
    }
    if (c >= 0xdc80 && c <= 0xdcff) { out.push(c - 0xdc00); continue; } // escaped raw byte
    if (c < 0x800) { out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f)); continue; }
    // Other lone surrogates have no UTF-8 form; like WTF-8 we emit their 3-byte pattern so that
    // nothing is silently dropped (decoding yields escaped bytes, not the same string).
    out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Lossless decode: valid UTF-8 → text, every other byte b → U+DC00+b. */
export function decodeUtf8(b: Uint8Array, start = 0, end = b.length): string {
  // ASCII fast path (nearly every name on the wire).
  let ascii = true;
  for (let k = start; k < end; k++) if (b[k]! >= 0x80) { ascii = false; break; }
  if (ascii && end - start <= 4096) return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  let s = '';
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) { s += String.fromCharCode(c); i++; continue; }
    const n = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? (c <= 0xef ? 2 : -1) : c >= 0xc2 && c <= 0xdf ? 1 : -1;
    if (n > 0 && i + n < end) {
      let cp = c & (0x3f >> n);
      let ok = true;
      for (let k = 1; k <= n; k++) {
        const cc = b[i + k]!;
        if ((cc & 0xc0) !== 0x80) { ok = false; break; }
        cp = (cp << 6) | (cc & 0x3f);
      }
      // Reject overlongs, surrogates and > U+10FFFF so that decode∘encode is the identity on bytes.
      if (ok && ((n === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
      if (ok) { s += String.fromCodePoint(cp); i += n + 1; continue; }
    }
    s += String.fromCharCode(0xdc00 + c);
    i++;
  }
  return s;
}

/** True when `s` carries escaped raw bytes (not valid UTF-8 on the wire). */
export function hasEscapedBytes(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) return true;
  }
  return false;
}
