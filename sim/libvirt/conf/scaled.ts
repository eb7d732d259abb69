// libvirt's scaled integers (`<space_hard_limit unit='…'>N</…>`, RAM `usage`): virScaleInteger.
//
// Source: libvirt.md §1.2 step 3 (b/bytes, k/KiB = 1024, KB = 1000, M/MiB, MB, G/GiB, GB, T, P, E);
// error texts observed with virsh 9.0 (`invalid argument: unknown suffix 'x'`,
// `numerical overflow: value too large: 100E`); 0.10.2 has the same virScaleInteger (v0.9.11).

import { LibvirtError, type XmlSpan } from '../errors.ts';

const MAX_U64 = 2n ** 64n - 1n;
const POWERS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** Parses an unsigned decimal the way virStrToLong_ull does (strtoull base 10, whole string). */
export function parseULongLong(s: string): bigint | null {
  const m = /^\s*([+-]?)(\d+)$/.exec(s);
  if (!m) return null;
  let v = BigInt(m[2]!);
  if (v > MAX_U64) return null;
  // strtoull accepts a minus sign and negates modulo 2^64; libvirt's wrapper refuses it since 1.2.x
  // but 0.10.2 did not. We refuse it in both eras (documented simplification).
  if (m[1] === '-') return v === 0n ? 0n : null;
  return v;
}

/** virScaleInteger(value, suffix, scale, limit). */
export function scaleInteger(value: bigint, suffix: string | undefined, scale: bigint, span?: XmlSpan): bigint {
  let s = suffix ?? '';
  let factor: bigint;
  if (!s) {
    factor = scale;
  } else if (/^(b|byte|bytes)$/i.test(s)) {
    factor = 1n;
  } else {
    let base: bigint;
    if (s.length === 1 || s.slice(1).toLowerCase() === 'ib') base = 1024n;
    else if (s.length === 2 && s[1]!.toLowerCase() === 'b') base = 1000n;
    else throw new LibvirtError('INVALID_ARG', `unknown suffix '${s}'`, span);
    const p = POWERS[s[0]!.toLowerCase()];
    if (p === undefined) throw new LibvirtError('INVALID_ARG', `unknown suffix '${s}'`, span);
    factor = base ** BigInt(p);
  }
  if (value !== 0n && value > MAX_U64 / factor) {
    throw new LibvirtError('OVERFLOW', `value too large: ${value}${s}`, span);
  }
  return value * factor;
}
