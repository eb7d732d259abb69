// The shipped WASI guest programs (public/guests/*.wasm, built by scripts/build-guests.sh from
// public/guests/src) as guest tree entries for /guests, fetched from the static files by the
// simulation worker when a scenario is opened — never part of the page's bundle (issue 6 §4). The
// same entries as the CLI's cli/guest-programs.ts (mode 0755, root-owned), so `run /guests/ls.wasm`
// behaves the same in the playground and in `virtfs-lab run`.
import type { TreeEntry } from '../../../sim/scenario/types.ts';
import { bytesToBase64 } from './base64.ts';

/** The programs in public/guests, by name (test/web/wasiGuests.test.ts keeps it equal to the directory). */
export const SHIPPED_GUESTS = ['cat', 'escape', 'find', 'ln', 'ls', 'mkdir', 'mv', 'race', 'rm', 'stat', 'touch'] as const;

export const GUESTS_DIR = '/guests';

export class GuestFetchError extends Error {
  readonly code = 'GUEST_FETCH';
  constructor(readonly url: string, why: string) {
    super(`could not load the shipped guest program ${url}: ${why}`);
    this.name = 'GuestFetchError';
  }
}

export function guestEntry(name: string, bytes: Uint8Array): TreeEntry {
  return { path: `${GUESTS_DIR}/${name}`, type: 'file', mode: 0o755, uid: 0, gid: 0, content_b64: bytesToBase64(bytes) };
}

const cache = new Map<string, Promise<TreeEntry[]>>();

/**
 * Fetch every shipped program below `base` (an absolute URL ending in '/', e.g. the page's
 * `new URL('guests/', document.baseURI)`: the worker's own URL is under assets/, so it cannot find
 * them itself). Fetched once per base and kept; a failed fetch is not kept, so the next open retries.
 */
export function fetchShippedGuests(base: string, fetchFn: typeof fetch = fetch): Promise<TreeEntry[]> {
  let p = cache.get(base);
  if (!p) {
    p = Promise.all(SHIPPED_GUESTS.map(async (name) => {
      const url = new URL(`${name}.wasm`, base).href;
      let res: Response;
      try { res = await fetchFn(url); } catch (e) { throw new GuestFetchError(url, e instanceof Error ? e.message : String(e)); }
      if (!res.ok) throw new GuestFetchError(url, `HTTP ${res.status}`);
      return guestEntry(`${name}.wasm`, new Uint8Array(await res.arrayBuffer()));
    }));
    cache.set(base, p);
    p.catch(() => cache.delete(base));
  }
  return p;
}
