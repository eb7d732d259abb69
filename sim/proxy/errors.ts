// Typed errors of the proxy wire layer. Each carries a stable `code` and structured `data`
// (style.md §1: one class per error, serialisable), so callers test `.code` and UIs can point at
// the exact byte that is wrong.

export interface ProxyDecodeErrorData {
  /** Request (or reply) type code being decoded; -1 when the header itself is short. */
  request: number;
  /** Symbolic name, e.g. T_OPEN or UNKNOWN(99). */
  requestName: string;
  /** The field that could not be read, e.g. `path`, `path.length`, `flags`, `header.size`. */
  field: string;
  /** Byte offset of that field inside the whole frame (header included). */
  offset: number;
  /** Bytes the field needs from `offset`. */
  need: number;
  /** Bytes actually available from `offset`. */
  have: number;
  /**
   * Why: `short` (the default — the field does not fit), `unknown-type` (no such request: the helper
   * leaves its loop, §8; need/have are 4/0), `oversize` (header.size > 65536: need is the announced
   * size, have the limit).
   */
  reason?: 'short' | 'unknown-type' | 'oversize';
}

export class ProxyDecodeError extends Error {
  static readonly code = 'ProxyDecodeError' as const;
  readonly code = ProxyDecodeError.code;
  constructor(readonly data: ProxyDecodeErrorData) {
    super(
      data.reason === 'unknown-type' ? `${data.requestName}: unknown request type ${data.request >>> 0} at byte ${data.offset}`
        : data.reason === 'oversize' ? `${data.requestName}: header.size ${data.need} at byte ${data.offset} exceeds the limit ${data.have}`
          : `${data.requestName}: field '${data.field}' at byte ${data.offset} needs ${data.need} byte(s), only ${data.have} left`,
    );
    this.name = 'ProxyDecodeError';
  }
  toJSON(): { code: string; message: string; data: ProxyDecodeErrorData } {
    return { code: this.code, message: this.message, data: this.data };
  }
}

export interface ProxyEncodeErrorData {
  request: string;
  field: string;
  reason: string;
}

/** Raised when a value cannot be marshalled (out of range, unknown request, frame over 65544 B). */
export class ProxyEncodeError extends Error {
  static readonly code = 'ProxyEncodeError' as const;
  readonly code = ProxyEncodeError.code;
  constructor(readonly data: ProxyEncodeErrorData) {
    super(`${data.request}: cannot encode '${data.field}': ${data.reason}`);
    this.name = 'ProxyEncodeError';
  }
  toJSON(): { code: string; message: string; data: ProxyEncodeErrorData } {
    return { code: this.code, message: this.message, data: this.data };
  }
}
