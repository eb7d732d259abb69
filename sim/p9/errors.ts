// Typed, serialisable codec errors with a stable `code` and the exact place of the problem.

export type P9DecodeErrorCode =
  | 'P9_TRUNCATED' // a field runs past the end of the message (or of its enclosing count)
  | 'P9_SIZE_MISMATCH' // size[4] disagrees with the bytes given
  | 'P9_BAD_SIZE' // size[4] smaller than the 7-byte header
  | 'P9_UNKNOWN_TYPE' // type[1] is not a 9P2000.L message
  | 'P9_TRAILING_BYTES'; // bytes left after the last field

export interface P9DecodeErrorData {
  /** Message name (`Twalk`) when the type byte was readable and known. */
  messageType?: string;
  /** The raw type byte, when readable. */
  typeNumber?: number;
  /** Dotted field path, e.g. `wnames[1]`, `entries[0].name`, `size`. */
  field: string;
  /** Byte offset from the start of the message where the field begins. */
  offset: number;
  /** Bytes the field needed (for P9_TRUNCATED) or the declared size (for size errors). */
  expected?: number;
  /** Bytes that were available / actually given. */
  actual?: number;
}

export class P9DecodeError extends Error {
  override readonly name = 'P9DecodeError';
  constructor(readonly code: P9DecodeErrorCode, readonly data: P9DecodeErrorData, detail: string) {
    super(`${data.messageType ?? (data.typeNumber !== undefined ? `type ${data.typeNumber}` : '9P message')}: ${data.field} at byte ${data.offset}: ${detail}`);
  }
  toJSON(): { name: string; code: P9DecodeErrorCode; message: string; data: P9DecodeErrorData } {
    return { name: this.name, code: this.code, message: this.message, data: this.data };
  }
}

export type P9EncodeErrorCode =
  | 'P9_UNKNOWN_MESSAGE' // `kind` is not in the table
  | 'P9_FIELD_MISSING'
  | 'P9_FIELD_TYPE' // wrong JS type for the wire kind (e.g. number where u64 wants bigint)
  | 'P9_FIELD_RANGE' // value does not fit the wire width
  | 'P9_TOO_LONG'; // string > 65535 bytes, array > 65535 entries, message > 2^32-1 bytes

export class P9EncodeError extends Error {
  override readonly name = 'P9EncodeError';
  constructor(readonly code: P9EncodeErrorCode, readonly data: { messageType: string; field: string }, detail: string) {
    super(`${data.messageType}: ${data.field}: ${detail}`);
  }
  toJSON(): { name: string; code: P9EncodeErrorCode; message: string; data: { messageType: string; field: string } } {
    return { name: this.name, code: this.code, message: this.message, data: this.data };
  }
}
