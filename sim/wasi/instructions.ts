// Walking WebAssembly instruction streams (core spec §5.4) just far enough to find every `loop`:
// each opcode's immediates are skipped exactly, so an unknown opcode is reported, never guessed.
// Covers MVP, sign extension, saturating truncation, bulk memory, reference types, multi-value,
// tail calls, legacy exception handling, SIMD and threads — what clang/wasi-libc and common
// toolchains emit. Anything else makes the program refused with the opcode and its offset.
import { readU32, skipSigned, WasmFormatError } from './leb128.ts';

const VALTYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

function skipBlockType(b: Uint8Array, pos: number): number {
  const t = b[pos]!;
  if (t === 0x40 || VALTYPES.has(t)) return pos + 1;
  return skipSigned(b, pos, 33);
}

function skipMemarg(b: Uint8Array, pos: number): number {
  let align: number;
  [align, pos] = readU32(b, pos);
  if (align & 0x40) [, pos] = readU32(b, pos); // multi-memory: explicit memory index
  [, pos] = readU32(b, pos);
  return pos;
}

/** SIMD (0xFD) sub-opcodes with immediates (SIMD proposal, binary encoding table). */
function skipSimd(b: Uint8Array, pos: number, sub: number, at: number): number {
  if (sub <= 11 || sub === 92 || sub === 93) return skipMemarg(b, pos); // v128.load*, store, load*_zero
  if (sub === 12 || sub === 13) return pos + 16; // v128.const, i8x16.shuffle
  if (sub >= 21 && sub <= 34) return pos + 1; // extract_lane / replace_lane
  if (sub >= 84 && sub <= 91) return skipMemarg(b, pos) + 1; // load/store lane
  if (sub <= 0x113) return pos; // the rest take no immediates
  throw new WasmFormatError(`unknown SIMD instruction 0xfd ${sub}`, at);
}

function skipMisc(b: Uint8Array, pos: number, sub: number, at: number): number {
  switch (sub) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: return pos; // trunc_sat
    case 8: [, pos] = readU32(b, pos); [, pos] = readU32(b, pos); return pos; // memory.init
    case 9: return readU32(b, pos)[1]; // data.drop
    case 10: [, pos] = readU32(b, pos); [, pos] = readU32(b, pos); return pos; // memory.copy
    case 11: return readU32(b, pos)[1]; // memory.fill
    case 12: case 14: [, pos] = readU32(b, pos); [, pos] = readU32(b, pos); return pos; // table.init/copy
    case 13: case 15: case 16: case 17: return readU32(b, pos)[1];
    default: throw new WasmFormatError(`unknown instruction 0xfc ${sub}`, at);
  }
}

export interface Visitor {
  /** After a `loop`'s block type: the first instruction inside the loop goes here. */
  onLoop(insertAt: number): void;
  /** After a `memory.grow` and its immediate: its result (old size in pages, or -1) is on the stack. */
  onMemoryGrow(insertAt: number): void;
}

/**
 * Visit every `loop` and `memory.grow` in the expression from `pos` to `end` (a function body).
 * Throws WasmFormatError on anything it cannot skip.
 */
export function visitInstructions(b: Uint8Array, pos: number, end: number, v: Visitor): void {
  while (pos < end) {
    const at = pos;
    const op = b[pos++]!;
    switch (op) {
      case 0x02: case 0x04: case 0x06: pos = skipBlockType(b, pos); break; // block, if, try
      case 0x03: pos = skipBlockType(b, pos); v.onLoop(pos); break; // loop
      case 0x0c: case 0x0d: case 0x10: case 0x12: case 0x07: case 0x08: case 0x09: case 0x18:
      case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0xd2:
        pos = readU32(b, pos)[1]; break;
      case 0x0e: { // br_table
        let n: number;
        [n, pos] = readU32(b, pos);
        for (let i = 0; i <= n; i++) pos = readU32(b, pos)[1];
        break;
      }
      case 0x11: case 0x13: pos = readU32(b, pos)[1]; pos = readU32(b, pos)[1]; break; // call_indirect
      case 0x1c: { let n: number; [n, pos] = readU32(b, pos); pos += n; break; } // select t*
      case 0x3f: pos = readU32(b, pos)[1]; break; // memory.size
      case 0x40: pos = readU32(b, pos)[1]; v.onMemoryGrow(pos); break; // memory.grow
      case 0x41: pos = skipSigned(b, pos, 32); break;
      case 0x42: pos = skipSigned(b, pos, 64); break;
      case 0x43: pos += 4; break;
      case 0x44: pos += 8; break;
      case 0xd0: pos += 1; break; // ref.null t
      case 0xfc: { let sub: number; [sub, pos] = readU32(b, pos); pos = skipMisc(b, pos, sub, at); break; }
      case 0xfd: { let sub: number; [sub, pos] = readU32(b, pos); pos = skipSimd(b, pos, sub, at); break; }
      case 0xfe: { // threads
        let sub: number;
        [sub, pos] = readU32(b, pos);
        pos = sub === 0x03 ? pos + 1 : skipMemarg(b, pos);
        break;
      }
      default:
        if (op >= 0x28 && op <= 0x3e) { pos = skipMemarg(b, pos); break; } // loads and stores
        if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x19 || op === 0x1a || op === 0x1b
          || op === 0xd1 || (op >= 0x45 && op <= 0xc4)) break; // no immediates
        throw new WasmFormatError(`unsupported instruction 0x${op.toString(16)}`, at);
    }
  }
  if (pos !== end) throw new WasmFormatError('instruction runs past the end of its function body', end);
}
