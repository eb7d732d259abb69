// Base64 (RFC 4648) without atob/btoa: sim/ compiles against ES2022 only.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function base64Encode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    s += i + 1 < b.length ? ALPHABET[(n >> 6) & 63]! : '=';
    s += i + 2 < b.length ? ALPHABET[n & 63]! : '=';
  }
  return s;
}

/** Decode; returns the offset of the first bad character instead of throwing. */
export function base64Decode(s: string): Uint8Array | { badOffset: number } {
  const clean = s.replace(/[\r\n]/g, '');
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    if (clean[i] === '=') {
      if (clean.slice(i).replace(/=/g, '') !== '') return { badOffset: i };
      break;
    }
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) return { badOffset: i };
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}
