// The marshal letters the proxy uses (fsdev/9p-iov-marshal.c, proxy-protocol.md §3.1), in host byte
// order: the proxy passes bswap = 0, and the simulated host is x86_64, so everything is little-endian
// (§2.2). Only b w d q s exist here; Q S I A belong to the 9P server and never cross the proxy socket.
import { ProxyDecodeError, ProxyEncodeError } from './errors.ts';
import { PROXY_BUF_SZ } from './constants.ts';
import { utf8Encode } from './utf8.ts';

export type MarshalLetter = 'b' | 'w' | 'd' | 'q' | 's';

/** Wire width of the fixed-size letters (a string is `w` + bytes). */
export const LETTER_SIZE: Record<Exclude<MarshalLetter, 's'>, number> = { b: 1, w: 2, d: 4, q: 8 };

/** JS type of a decoded letter: u8/u16/u32 as unsigned numbers, u64 as bigint, strings as raw bytes. */
export type LetterValue<K extends MarshalLetter> = K extends 's' ? Uint8Array : K extends 'q' ? bigint : number;

/** One decoded field and where it sits in the frame (offsets include the 8-byte header). */
export interface FieldSpan {
  name: string;
  kind: MarshalLetter;
  offset: number;
  length: number;
  value: number | bigint | Uint8Array;
}

const NO_SPANS: readonly FieldSpan[] = Object.freeze([]);

/**
 * Reads letters from `buf[pos, end)`. `end` is the helper's `iov_len` (8 + header.size, §3.1):
 * reading past it is the marshaller's -ENOBUFS, reported here as a ProxyDecodeError naming the field.
 */
export class WireReader {
  /** Field ↔ byte ranges of what was read (left empty when `trackSpans` is false: the hot path). */
  readonly spans: FieldSpan[];
  private readonly view: DataView;
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
    readonly request: number,
    readonly requestName: string,
    readonly trackSpans = true,
    view?: DataView,
    /** `s` values as views of `buf` instead of copies: for a reader that uses them before `buf`
     * changes (the helper: its in-buffer is refilled only by the next read_request). */
    readonly strViews = false,
  ) {
    this.view = view ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    // Untracked readers share one frozen empty list (perf: the helper unmarshals every request).
    this.spans = trackSpans ? [] : (NO_SPANS as FieldSpan[]);
  }

  private span(name: string, kind: MarshalLetter, offset: number, length: number, value: number | bigint | Uint8Array): void {
    if (this.trackSpans) this.spans.push({ name, kind, offset, length, value });
  }

  private need(field: string, n: number): void {
    const have = Math.max(0, this.end - this.pos);
    if (n > have) {
      throw new ProxyDecodeError({
        request: this.request,
        requestName: this.requestName,
        field,
        offset: this.pos,
        need: n,
        have,
      });
    }
  }

  u8(field: string): number {
    this.need(field, 1);
    const v = this.buf[this.pos]!;
    this.span(field, 'b', this.pos, 1, v);
    this.pos += 1;
    return v;
  }

  u16(field: string): number {
    this.need(field, 2);
    const v = this.view.getUint16(this.pos, true);
    this.span(field, 'w', this.pos, 2, v);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(field, 4);
    const v = this.view.getUint32(this.pos, true);
    this.span(field, 'd', this.pos, 4, v);
    this.pos += 4;
    return v;
  }

  u64(field: string): bigint {
    this.need(field, 8);
    const v = this.view.getBigUint64(this.pos, true);
    this.span(field, 'q', this.pos, 8, v);
    this.pos += 8;
    return v;
  }

  /**
   * `s`: u16 length, then that many bytes. The receiver copies exactly `length` bytes and appends a
   * NUL of its own (§3.1); whether the sender counted a NUL (fid paths, §3.2) is visible in the bytes.
   */
  str(field: string): Uint8Array {
    const start = this.pos;
    // The field name of a short length is built only when it is reported (perf: one per string).
    if (this.end - this.pos < 2) this.need(`${field}.length`, 2);
    const len = this.view.getUint16(this.pos, true);
    this.pos += 2;
    this.need(field, len);
    const v = this.strViews ? this.buf.subarray(this.pos, this.pos + len) : this.buf.slice(this.pos, this.pos + len);
    this.pos += len;
    this.span(field, 's', start, 2 + len, v);
    return v;
  }

  read(kind: MarshalLetter, field: string): number | bigint | Uint8Array {
    switch (kind) {
      case 'b': return this.u8(field);
      case 'w': return this.u16(field);
      case 'd': return this.u32(field);
      case 'q': return this.u64(field);
      case 's': return this.str(field);
    }
  }
}

/** Values a writer accepts: numbers are taken modulo 2^32 (C int → u32 two's complement, §3.1). */
export type WireValue = number | bigint | Uint8Array | string;

/** Bytes of a string value: JS strings are encoded as UTF-8 (Linux names are bytes; UTF-8 is the usual). */
export function toBytes(v: Uint8Array | string): Uint8Array {
  return typeof v === 'string' ? utf8Encode(v) : v;
}

/**
 * Appends letters into a buffer capped at PROXY_BUF_SZ (65544): writing past it is the marshaller's
 * -ENOBUFS on the sending side (§2.3), reported as a ProxyEncodeError naming the field.
 */
export class WireWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;
  constructor(
    readonly request: string,
    initial = 64,
    readonly cap = PROXY_BUF_SZ,
  ) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private grow(field: string, n: number): void {
    const want = this.pos + n;
    if (want > this.cap) {
      throw new ProxyEncodeError({ request: this.request, field, reason: `frame would be ${want} bytes, limit ${this.cap} (ENOBUFS)` });
    }
    if (want <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < want) size *= 2;
    const next = new Uint8Array(Math.min(size, Math.max(want, this.cap)));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(field: string, v: number): this {
    this.grow(field, 1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u16(field: string, v: number): this {
    this.grow(field, 2);
    this.view.setUint16(this.pos, v & 0xffff, true);
    this.pos += 2;
    return this;
  }

  /** `d`: signed or unsigned, stored modulo 2^32 (a C `int` -2 travels as fe ff ff ff). */
  u32(field: string, v: number): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) {
      throw new ProxyEncodeError({ request: this.request, field, reason: `${v} is not a 32-bit integer` });
    }
    this.grow(field, 4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
    return this;
  }

  /** `q`: signed or unsigned 64-bit, stored modulo 2^64. */
  u64(field: string, v: bigint | number): this {
    const b = typeof v === 'bigint' ? v : BigInt(v);
    if (b < -(1n << 63n) || b >= 1n << 64n) {
      throw new ProxyEncodeError({ request: this.request, field, reason: `${b} is not a 64-bit integer` });
    }
    this.grow(field, 8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, b), true);
    this.pos += 8;
    return this;
  }

  /** `s`: u16 length + bytes, no terminator added (§3.1). Longer than 65535 bytes cannot be expressed. */
  str(field: string, v: Uint8Array | string): this {
    const bytes = toBytes(v);
    if (bytes.length > 0xffff) {
      throw new ProxyEncodeError({ request: this.request, field, reason: `string of ${bytes.length} bytes exceeds the u16 length` });
    }
    this.grow(field, 2 + bytes.length);
    this.view.setUint16(this.pos, bytes.length, true);
    this.buf.set(bytes, this.pos + 2);
    this.pos += 2 + bytes.length;
    return this;
  }

  write(kind: MarshalLetter, field: string, v: WireValue): this {
    switch (kind) {
      case 'b': return this.u8(field, Number(v));
      case 'w': return this.u16(field, Number(v));
      case 'd': return this.u32(field, Number(v));
      case 'q': return this.u64(field, typeof v === 'bigint' ? v : Number(v));
      case 's': return this.str(field, v as Uint8Array | string);
    }
  }

  /** Overwrite a u32 already reserved (used to fill in header.size once the payload is known). */
  patchU32(offset: number, v: number): void {
    this.view.setUint32(offset, v >>> 0, true);
  }

  /** The bytes written: the buffer itself when it was sized exactly, else a copy of the used part. */
  bytes(): Uint8Array {
    return this.pos === this.buf.length ? this.buf : this.buf.slice(0, this.pos);
  }
}
