// Names and paths are bytes in Linux. Internally the kernel keeps them as "byte strings": one JS char
// per byte (0..255), so non-UTF-8 names (FORMAT.md path_b64) survive exactly and can key Maps.
// sim/ has no TextEncoder (lib ES2022 only, no DOM), hence the small UTF-8 codec here.

/** A path or name as bytes (Uint8Array) or as text (encoded UTF-8). */
export type PathArg = string | Uint8Array;

// The UTF-8 codec is shared by every layer (sim/text/utf8.ts).
export { utf8Encode, utf8Decode } from '../text/utf8.ts';
import { utf8Encode, utf8Decode } from '../text/utf8.ts';

const CHAR = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/** Bytes → byte string (one char per byte). */
export function bytesToBstr(b: Uint8Array): string {
  return bstrOf(b, b.length);
}

/** The first `end` bytes → byte string. */
function bstrOf(b: Uint8Array, end: number): string {
  // Paths and names are short: concatenating one-char strings beats spreading a subarray into
  // fromCharCode's arguments (perf, issue 3 §5). Long inputs keep the chunked spread.
  if (end <= 256) {
    let t = '';
    for (let i = 0; i < end; i++) t += CHAR[b[i]!];
    return t;
  }
  let s = '';
  for (let i = 0; i < end; i += 8192) s += String.fromCharCode(...b.subarray(i, Math.min(i + 8192, end)));
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
  if (bytes.length <= 256) {
    // One pass up to the NUL (perf: paths from the proxy arrive as bytes, often NUL-terminated).
    let t = '';
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (c === 0) break;
      t += CHAR[c];
    }
    return t;
  }
  const nul = bytes.indexOf(0);
  return bstrOf(bytes, nul >= 0 ? nul : bytes.length);
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
