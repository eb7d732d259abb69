// The shipped WASI guest programs (public/guests/*.wasm, built from public/guests/src by
// scripts/build-guests.sh), as guest tree entries for /guests: every scenario the CLI runs has them,
// as the playground's guest does (issue 6 §4).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TreeEntry } from '../sim/scenario/types.ts';

const GUESTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'guests');

export function shippedGuestPrograms(dir = GUESTS_DIR): TreeEntry[] {
  return readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort().map((f) => ({
    path: `/guests/${f}`, type: 'file', mode: 0o755, uid: 0, gid: 0,
    content_b64: readFileSync(join(dir, f)).toString('base64'),
  }) as TreeEntry);
}
