// LEB128 as the WebAssembly binary format uses it (core spec §5.2.2): unsigned for indices and sizes,
// signed for constants and block types. Readers return the value and the position after it.

export class WasmFormatError extends Error {
  static readonly code = 'WasmFormatError' as const;
  readonly code = WasmFormatError.code;
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte ${offset} of the module)`);
  }
}

export function readU32(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    if (pos >= b.length) throw new WasmFormatError('unexpected end of module in a LEB128 number', pos);
    const byte = b[pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
  }
  throw new WasmFormatError('LEB128 u32 longer than 5 bytes', pos);
}

/** Skip a signed LEB128 of at most `bits` bits (s32, s33, s64). */
export function skipSigned(b: Uint8Array, pos: number, bits: number): number {
  const max = Math.ceil(bits / 7);
  for (let i = 0; i < max; i++) {
    if (pos >= b.length) throw new WasmFormatError('unexpected end of module in a LEB128 number', pos);
    if ((b[pos++]! & 0x80) === 0) return pos;
  }
  throw new WasmFormatError(`LEB128 s${bits} too long`, pos);
}

export function encodeU32(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function encodeS64(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const signBit = (byte & 0x40) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) { out.push(byte); return out; }
    out.push(byte | 0x80);
  }
}
