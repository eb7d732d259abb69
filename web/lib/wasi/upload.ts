// A user's own WASI program, uploaded into the scenario's guest (issue 6 §2): checked on the page
// before it is sent (and again in the worker, which must not trust the page), installed in the live
// guest at /guests/NAME.wasm and kept as a content_b64 entry of the scenario's guest tree, so a
// restart — a deterministic replay — has it too.
import type { Scenario, TreeEntry } from '../../../sim/scenario/types.ts';
import { GUESTS_DIR, SHIPPED_GUESTS, guestEntry } from './shippedGuests.ts';

/** The largest program `run` reads (sim/wasi/command.ts maxBytes default, 16 MiB). */
export const MAX_UPLOAD_BYTES = 16 << 20;

export type UploadCheck = { ok: true; name: string; path: string } | { ok: false; code: UploadErrorCode; message: string };
export type UploadErrorCode = 'EMPTY' | 'TOO_BIG' | 'NOT_WASM' | 'BAD_VERSION' | 'NAME_TAKEN';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

/**
 * The name the program gets under /guests: the file's base name with characters a shell would need
 * quoted replaced by '_', '.wasm' appended when missing, at most 64 characters.
 */
export function uploadName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  let name = base.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^\.+/, '');
  if (!name.toLowerCase().endsWith('.wasm')) name = `${name || 'program'}.wasm`;
  if (name.length > 64) name = `${name.slice(0, 59)}.wasm`;
  return name;
}

/** Is this a WebAssembly core module (magic `\0asm`, version 1) of an acceptable size? */
export function checkUpload(fileName: string, bytes: Uint8Array): UploadCheck {
  return checkUploadHead(fileName, bytes.length, bytes.subarray(0, 8));
}

/** The same check from the size and the first 8 bytes alone (a huge file is refused unread). */
export function checkUploadHead(fileName: string, size: number, bytes: Uint8Array): UploadCheck {
  const name = uploadName(fileName);
  if (size === 0) return { ok: false, code: 'EMPTY', message: `${fileName}: the file is empty, not a WebAssembly program` };
  if (size > MAX_UPLOAD_BYTES) {
    return { ok: false, code: 'TOO_BIG', message: `${fileName}: ${size} bytes is too big: programs up to ${MAX_UPLOAD_BYTES} bytes (16 MiB) can be run` };
  }
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    return { ok: false, code: 'NOT_WASM', message: `${fileName}: not a WebAssembly module: it starts with ${hex(bytes.subarray(0, 4))}, not 00 61 73 6d ("\\0asm")` };
  }
  // Version 1 is a core module; 0x0d 00 01 00 is a component (component model), which WASI
  // preview1 runtimes do not run.
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    return { ok: false, code: 'BAD_VERSION', message: `${fileName}: WebAssembly binary version ${hex(bytes.subarray(4, 8))} (offset 4) is not a core module (01 00 00 00): components are not supported` };
  }
  if ((SHIPPED_GUESTS as readonly string[]).includes(name.replace(/\.wasm$/, ''))) {
    return { ok: false, code: 'NAME_TAKEN', message: `${fileName}: ${GUESTS_DIR}/${name} is a shipped program; rename the file to upload it` };
  }
  return { ok: true, name, path: `${GUESTS_DIR}/${name}` };
}

export function uploadEntry(name: string, bytes: Uint8Array): TreeEntry {
  return guestEntry(name, bytes);
}

/** `uploads` added to the scenario's guest tree (a later upload of the same path replaces the earlier). */
export function withGuestUploads(scenario: Scenario, uploads: readonly TreeEntry[]): Scenario {
  if (uploads.length === 0) return scenario;
  const paths = new Set(uploads.map((u) => u.path));
  return { ...scenario, guest: { ...scenario.guest, tree: [...scenario.guest.tree.filter((e) => !paths.has(e.path)), ...uploads] } };
}

/** Add or replace one upload in the list kept for replays. */
export function addUpload(uploads: readonly TreeEntry[], entry: TreeEntry): TreeEntry[] {
  return [...uploads.filter((u) => u.path !== entry.path), entry];
}
