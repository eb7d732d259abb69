// Names on the 9P wire are bytes; sim/p9 decodes them losslessly into strings (surrogate escapes),
// sim/host and our V9fsPath keep byte strings (one char per byte). These convert between the two.
import { encodeUtf8, decodeUtf8 } from '../../p9/utf8.ts';
import { bytesToBstr, bstrToBytes } from '../../host/bytes.ts';

export function wireToBstr(s: string): string {
  return bytesToBstr(encodeUtf8(s));
}

export function bstrToWire(b: string): string {
  return decodeUtf8(bstrToBytes(b));
}

/**
 * name_is_illegal (9p.c, QEMU 2.7 fff39a7a "9pfs: forbid illegal path names"): empty, or
 * containing '/'. The C test sees a NUL-terminated string, so bytes after an embedded NUL are
 * ignored: "a\0/b" is the legal name "a".
 */
export function nameIsIllegal(bname: string): boolean {
  const c = cString(bname);
  return c.length === 0 || c.includes('/');
}

/** What C sees of a V9fsString: the bytes before the first NUL (pdu_unmarshal copies all, C stops at NUL). */
export function cString(b: string): string {
  const i = b.indexOf('\0');
  return i < 0 ? b : b.slice(0, i);
}
