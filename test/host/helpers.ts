// Shared set-up for host kernel tests.
import { Kernel, fullCaps, unwrap, utf8Decode, utf8Encode, type Process, type SysResult } from '../../sim/host/index.ts';

export { unwrap };
export const enc = (s: string): Uint8Array => utf8Encode(s);
export const dec = (b: Uint8Array): string => utf8Decode(b);

/** The errno of a failed result, or 'ok'. */
export function errnoOf<T>(r: SysResult<T>): string {
  return r.ok ? 'ok' : r.errno;
}

export function newKernel(rootFs: 'ext4' | 'tmpfs' = 'ext4'): { k: Kernel; root: Process } {
  const k = new Kernel({ rootFs });
  return { k, root: k.init };
}

/** A non-root process with no capabilities. */
export function user(k: Kernel, uid: number, gid: number, groups: number[] = []): Process {
  return k.spawn({ comm: `u${uid}`, uid, gid, groups });
}

export function rootProc(k: Kernel): Process {
  return k.spawn({ comm: 'root', uid: 0, gid: 0, caps: fullCaps() });
}
