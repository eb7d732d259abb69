// Names and paths are bytes in Linux. Internally the kernel keeps them as "byte strings": one JS char
// per byte (0..255), so non-UTF-8 names (FORMAT.md path_b64) survive exactly and can key Maps.
// sim/ has no TextEncoder (lib ES2022 only, no DOM), hence the small UTF-8 codec here.

/** A path or name as bytes (Uint8Array) or as text (encoded UTF-8). */
export type PathArg = string | Uint8Array;

export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Decode UTF-8; invalid sequences become U+FFFD (display only — keep the bytes for identity). */
export function utf8Decode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    let cp = -1;
    let n = 0;
    if (c < 0x80) { cp = c; n = 1; } else if (c >= 0xc2 && c < 0xe0) { cp = c & 31; n = 2; } else if (c >= 0xe0 && c < 0xf0) { cp = c & 15; n = 3; } else if (c >= 0xf0 && c < 0xf5) { cp = c & 7; n = 4; }
    if (cp < 0 || i + n > b.length) { s += '\ufffd'; i++; continue; }
    let good = true;
    for (let k = 1; k < n; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) { good = false; break; }
      cp = (cp << 6) | (d & 63);
    }
    if (!good || (n === 3 && cp < 0x800) || (n === 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) {
      s += '\ufffd'; i++; continue;
    }
    s += String.fromCodePoint(cp);
    i += n;
  }
  return s;
}

const CHAR = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/** Bytes → byte string (one char per byte). */
export function bytesToBstr(b: Uint8Array): string {
  // Paths and names are short: concatenating one-char strings beats spreading a subarray into
  // fromCharCode's arguments (perf, issue 3 §5). Long inputs keep the chunked spread.
  if (b.length <= 256) {
    let t = '';
    for (let i = 0; i < b.length; i++) t += CHAR[b[i]!];
    return t;
  }
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
/** Byte string → bytes. */
export function bstrToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}
/** A user path argument as the kernel sees it (getname): bytes up to the first NUL, because the
 * syscall receives a C string (observed: proxy `open_embedded_nul` opens the part before the NUL). */
export function toBstr(p: PathArg): string {
  // ASCII text is already its own byte string (the common case: skip the UTF-8 round trip).
  if (typeof p === 'string' && ASCII.test(p)) {
    const nul = p.indexOf('\0');
    return nul >= 0 ? p.slice(0, nul) : p;
  }
  const bytes = typeof p === 'string' ? utf8Encode(p) : p;
  const nul = bytes.indexOf(0);
  return bytesToBstr(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}
/** Byte string → display text (UTF-8 decoded). */
export function bstrToText(s: string): string {
  return ASCII.test(s) ? s : utf8Decode(bstrToBytes(s));
}

const ASCII = /^[\x00-\x7f]*$/;
/** Text → byte string. */
export function textToBstr(s: string): string {
  return ASCII.test(s) ? s : bytesToBstr(utf8Encode(s));
}
