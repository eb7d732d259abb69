// Limits for untrusted guest programs, enforced inside the module itself so they are deterministic
// and need no second thread (DESIGN.md §5: a runaway guest is stopped and the page stays responsive;
// the same program stops at the same point every run, so traces stay reproducible):
// - fuel: a mutable i64 global, exported as `virtfs_fuel`, decremented at the top of every `loop`;
//   at zero the loop executes `unreachable`, which traps. The runner tells a fuel trap from a bug by
//   reading the global (0 = out of fuel).
// - memory: the module's own memory gets a maximum (pages of 64 KiB), so `memory.grow` fails (-1)
//   beyond the cap and malloc returns NULL — the program sees ENOMEM, the page never runs out. Each
//   `memory.grow` also sets the exported i32 global `virtfs_grow_failed` when it returns -1, so the
//   runner can say a later trap came from the memory limit.
// The rewrite touches only the global, export, memory and code sections; function, type, table and
// global indices of the original module are unchanged (the new global is appended last).
import { encodeS64, encodeU32, readU32, WasmFormatError } from './leb128.ts';
import { visitInstructions } from './instructions.ts';
import { utf8Encode } from '../host/bytes.ts';

export const FUEL_EXPORT = 'virtfs_fuel';
export const GROW_FAILED_EXPORT = 'virtfs_grow_failed';
export const WASM_PAGE = 65536;

export interface Limits {
  /** Loop iterations before the program is stopped. */
  fuel: bigint;
  /** Largest linear memory, in bytes (rounded down to whole 64 KiB pages). */
  memoryBytes: number;
}

interface Section { id: number; start: number; end: number }

function sections(b: Uint8Array): Section[] {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) {
    throw new WasmFormatError('not a WebAssembly module (bad magic)', 0);
  }
  if (b[4] !== 1 || b[5] !== 0 || b[6] !== 0 || b[7] !== 0) throw new WasmFormatError('unsupported WebAssembly version', 4);
  const out: Section[] = [];
  let pos = 8;
  while (pos < b.length) {
    const id = b[pos]!;
    let size: number;
    [size, pos] = readU32(b, pos + 1);
    if (pos + size > b.length) throw new WasmFormatError(`section ${id} runs past the end of the module`, pos);
    out.push({ id, start: pos, end: pos + size });
    pos += size;
  }
  return out;
}

/** Order of known sections in a module (core spec §5.5.2; tag = 13 sits between memory and global). */
const ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };

/** Append without spreading: bodies of real programs are far larger than the engine's argument limit. */
function pushAll(out: number[], src: ArrayLike<number>, from = 0, to = src.length): void {
  for (let i = from; i < to; i++) out.push(src[i]!);
}

function section(out: number[], id: number, body: ArrayLike<number>): void {
  out.push(id);
  pushAll(out, encodeU32(body.length));
  pushAll(out, body);
}

function countImportedGlobals(b: Uint8Array, s: Section): { globals: number; importsMemory: boolean } {
  let pos = s.start;
  let n: number;
  [n, pos] = readU32(b, pos);
  let globals = 0;
  let importsMemory = false;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) { let len: number; [len, pos] = readU32(b, pos); pos += len; } // module, name
    const kind = b[pos++]!;
    if (kind === 0x00) pos = readU32(b, pos)[1];
    else if (kind === 0x01) { pos += 1; pos = skipLimits(b, pos); }
    else if (kind === 0x02) { importsMemory = true; pos = skipLimits(b, pos); }
    else if (kind === 0x03) { globals++; pos += 2; }
    else if (kind === 0x04) { pos += 1; pos = readU32(b, pos)[1]; }
    else throw new WasmFormatError(`unknown import kind ${kind}`, pos - 1);
  }
  return { globals, importsMemory };
}

function skipLimits(b: Uint8Array, pos: number): number {
  const flag = b[pos++]!;
  pos = readU32(b, pos)[1];
  if (flag & 1) pos = readU32(b, pos)[1];
  return pos;
}

function rewriteMemory(b: Uint8Array, s: Section, maxPages: number): number[] {
  let pos = s.start;
  let n: number;
  [n, pos] = readU32(b, pos);
  const out = encodeU32(n);
  for (let i = 0; i < n; i++) {
    const at = pos;
    const flag = b[pos++]!;
    if (flag & ~1) throw new WasmFormatError(`shared or 64-bit memory (limits flag ${flag}) is not supported`, at);
    let min: number;
    [min, pos] = readU32(b, pos);
    let max = maxPages;
    if (flag & 1) { let declared: number; [declared, pos] = readU32(b, pos); max = Math.min(declared, maxPages); }
    if (min > maxPages) {
      throw new WasmFormatError(`the program needs ${min * 64} KiB of memory at start, over the ${maxPages * 64} KiB limit`, at);
    }
    out.push(0x01);
    pushAll(out, encodeU32(min));
    pushAll(out, encodeU32(max));
  }
  return out;
}

function appendToVector(b: Uint8Array, s: Section | undefined, ...items: number[][]): number[] {
  const [n, pos] = s ? readU32(b, s.start) : [0, 0];
  const out = encodeU32(n + items.length);
  if (s) pushAll(out, b, pos, s.end);
  for (const item of items) pushAll(out, item);
  return out;
}

function rewriteCode(b: Uint8Array, s: Section, fuelGlobal: number, growGlobal: number): number[] {
  const g = encodeU32(fuelGlobal);
  const f = encodeU32(growGlobal);
  // if (fuel == 0) unreachable; fuel -= 1
  const check = [0x23, ...g, 0x50, 0x04, 0x40, 0x00, 0x0b, 0x23, ...g, 0x42, 0x01, 0x7d, 0x24, ...g];
  const scratch = encodeU32(growGlobal - 1);
  // With memory.grow's result r on the stack: scratch = r; failed |= (r == -1); push r again.
  const afterGrow = [0x24, ...scratch, 0x23, ...f, 0x23, ...scratch, 0x41, 0x7f, 0x46, 0x72, 0x24, ...f, 0x23, ...scratch];
  let pos = s.start;
  let n: number;
  [n, pos] = readU32(b, pos);
  const out = encodeU32(n);
  for (let i = 0; i < n; i++) {
    let size: number;
    [size, pos] = readU32(b, pos);
    const bodyEnd = pos + size;
    let p = pos;
    let groups: number;
    [groups, p] = readU32(b, p);
    for (let k = 0; k < groups; k++) { p = readU32(b, p)[1]; p += 1; }
    const inserts: [number, number[]][] = [];
    visitInstructions(b, p, bodyEnd, {
      onLoop: (at) => inserts.push([at, check]),
      onMemoryGrow: (at) => inserts.push([at, afterGrow]),
    });
    const body: number[] = [];
    let from = pos;
    for (const [at, code] of inserts) {
      pushAll(body, b, from, at);
      pushAll(body, code);
      from = at;
    }
    pushAll(body, b, from, bodyEnd);
    pushAll(out, encodeU32(body.length));
    pushAll(out, body);
    pos = bodyEnd;
  }
  return out;
}

/** Return a copy of `module` with the fuel counter and the memory cap built in. */
export function instrument(module: Uint8Array, limits: Limits): Uint8Array {
  const secs = sections(module);
  const byId = (id: number) => secs.find((s) => s.id === id);
  const imports = byId(2);
  const { globals: importedGlobals, importsMemory } = imports ? countImportedGlobals(module, imports) : { globals: 0, importsMemory: false };
  if (importsMemory) throw new WasmFormatError('modules that import their memory are not supported (WASI commands define their own)', imports!.start);
  const globalSec = byId(6);
  const definedGlobals = globalSec ? readU32(module, globalSec.start)[0] : 0;
  // Appended globals: fuel (i64), grow scratch (i32), grow failed (i32).
  const fuelGlobal = importedGlobals + definedGlobals;
  const growGlobal = fuelGlobal + 2;
  const maxPages = Math.floor(limits.memoryBytes / WASM_PAGE);

  const replaced = new Map<number, number[]>();
  replaced.set(6, appendToVector(module, globalSec, [0x7e, 0x01, 0x42, ...encodeS64(limits.fuel), 0x0b], [0x7f, 0x01, 0x41, 0x00, 0x0b], [0x7f, 0x01, 0x41, 0x00, 0x0b]));
  const fuelName = [...utf8Encode(FUEL_EXPORT)];
  const growName = [...utf8Encode(GROW_FAILED_EXPORT)];
  replaced.set(7, appendToVector(module, byId(7),
    [...encodeU32(fuelName.length), ...fuelName, 0x03, ...encodeU32(fuelGlobal)],
    [...encodeU32(growName.length), ...growName, 0x03, ...encodeU32(growGlobal)]));
  const mem = byId(5);
  if (mem) replaced.set(5, rewriteMemory(module, mem, maxPages));
  const code = byId(10);
  if (code) replaced.set(10, rewriteCode(module, code, fuelGlobal, growGlobal));

  // Re-emit sections in order, inserting the global and export sections where they belong if the
  // module had none. Custom sections (names, producers) are kept where they were.
  const out: number[] = [];
  pushAll(out, module, 0, 8);
  const emitted = new Set<number>();
  const emitMissingBefore = (rank: number) => {
    for (const id of [6, 7]) {
      if (!emitted.has(id) && !byId(id) && ORDER[id]! < rank) { section(out, id, replaced.get(id)!); emitted.add(id); }
    }
  };
  for (const s of secs) {
    if (s.id !== 0) emitMissingBefore(ORDER[s.id] ?? 99);
    const body = replaced.get(s.id);
    section(out, s.id, body ?? module.subarray(s.start, s.end));
    emitted.add(s.id);
  }
  emitMissingBefore(100);
  return Uint8Array.from(out);
}
