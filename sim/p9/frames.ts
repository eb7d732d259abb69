// Splitting a 9P byte stream (virtio ring or TCP) into messages by their size[4] prefix.
import { P9_HEADER_SIZE } from './constants.ts';
import { P9DecodeError } from './errors.ts';

export interface FrameSplit {
  /** Complete messages, each a copy. */
  frames: Uint8Array[];
  /** Offsets of each frame in the input. */
  offsets: number[];
  /** The incomplete tail (to prepend to the next chunk). */
  rest: Uint8Array;
}

/** Split `stream` at message boundaries. A size below the 7-byte header is a P9_BAD_SIZE error at its offset. */
export function splitFrames(stream: Uint8Array): FrameSplit {
  const frames: Uint8Array[] = [];
  const offsets: number[] = [];
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  let off = 0;
  while (off + 4 <= stream.length) {
    const size = view.getUint32(off, true);
    if (size < P9_HEADER_SIZE) {
      throw new P9DecodeError('P9_BAD_SIZE', { field: 'size', offset: off, expected: P9_HEADER_SIZE, actual: size }, `size ${size} is smaller than the 7-byte header`);
    }
    if (off + size > stream.length) break;
    frames.push(stream.slice(off, off + size));
    offsets.push(off);
    off += size;
  }
  return { frames, offsets, rest: stream.slice(off) };
}
