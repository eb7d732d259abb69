// Path resolution confined to a WASI directory capability ("beneath" the fd), done component by
// component on the guest kernel with no-follow opens — the way cap-std and wasmtime resolve WASI
// paths (the bug class of wazero#2321, wasmer#2432, wasmtime#6166; scenarios.md §7, stack.md §4
// shim defect 7). The shim never resolves a path: each component is one `openat(dir, name,
// O_PATH|O_NOFOLLOW)` on the guest kernel (for the 9p mount: one Twalk), symlinks are read through
// the O_PATH fd itself (`readlinkat(fd, "")`, so check and use are one object: no window for a
// swap), an absolute target or a `..` above the starting directory is refused with ENOTCAPABLE
// without touching anything beyond it, and after 40 links ELOOP, like Linux.
import { O_NOFOLLOW, O_PATH, isDir, isLnk } from '../host/constants.ts';
import { bytesToBstr } from '../host/bytes.ts';
import type { GuestSys } from './sys.ts';
import { wasiErrno, WASI_ENOTCAPABLE } from './errno.ts';

/** Linux's MAXSYMLINKS. */
const MAX_LINKS = 40;

export interface Beneath {
  /** Directory fd to use for the final operation (`*at()` with `name`). */
  dirfd: number;
  /** Final component ('.' when the path names the starting directory itself). */
  name: string;
  /** The path ended with '/': the final object must be a directory. */
  trailingSlash: boolean;
  /** Close the intermediate directory fds opened for this resolution. */
  release(): void;
}

export type Resolution = { ok: true; value: Beneath } | { ok: false; wasiErrno: number };

const fail = (n: number): Resolution => ({ ok: false, wasiErrno: n });

function split(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * Resolve `path` beneath `baseFd`. With `followFinal`, a symlink in the last component is followed
 * (still confined); otherwise the last component is returned as is, whatever it is.
 */
export function resolveBeneath(sys: GuestSys, baseFd: number, path: string, followFinal: boolean): Resolution {
  if (path.length === 0) return fail(wasiErrno('ENOENT'));
  if (path.startsWith('/')) return fail(WASI_ENOTCAPABLE);
  const stack: number[] = [baseFd];
  const release = () => { for (const fd of stack.slice(1)) sys.call('close', (k, p) => k.close(p, fd)); stack.length = 1; };
  let trailingSlash = path.endsWith('/');
  const queue = split(path);
  if (path.split('/').filter((c) => c !== '').at(-1) === '.') trailingSlash = true;
  let links = 0;

  while (queue.length > 0) {
    const c = queue.shift()!;
    const top = stack[stack.length - 1]!;
    if (c === '..') {
      if (stack.length === 1) { release(); return fail(WASI_ENOTCAPABLE); }
      const fd = stack.pop()!;
      sys.call('close', (k, p) => k.close(p, fd));
      continue;
    }
    const isLast = queue.length === 0;
    if (isLast && !followFinal && !trailingSlash) {
      return { ok: true, value: { dirfd: top, name: c, trailingSlash, release } };
    }
    const opened = sys.call('openat', (k, p) => k.openat(p, top, c, O_PATH | O_NOFOLLOW), { dirfd: top, path: c, flags: 'O_PATH|O_NOFOLLOW' });
    if (!opened.ok) {
      // A missing last component is for the caller to create (or to report ENOENT).
      if (isLast && opened.errno === 'ENOENT') return { ok: true, value: { dirfd: top, name: c, trailingSlash, release } };
      release();
      return fail(wasiErrno(opened.errno));
    }
    const fd = opened.value;
    const st = sys.call('fstat', (k, p) => k.fstat(p, fd), { fd });
    if (!st.ok) { sys.call('close', (k, p) => k.close(p, fd)); release(); return fail(wasiErrno(st.errno)); }
    if (isLnk(st.value.mode)) {
      const target = sys.call('readlinkat', (k, p) => k.readlinkat(p, fd, '', 4096), { dirfd: fd, path: '' });
      sys.call('close', (k, p) => k.close(p, fd));
      if (!target.ok) { release(); return fail(wasiErrno(target.errno)); }
      if (++links > MAX_LINKS) { release(); return fail(wasiErrno('ELOOP')); }
      const t = bytesToBstr(target.value);
      if (t.startsWith('/')) { release(); return fail(WASI_ENOTCAPABLE); }
      if (t.endsWith('/') && isLast) trailingSlash = true;
      queue.unshift(...split(t));
      // A link to '.' (or only dots and slashes) names the current directory.
      continue;
    }
    if (isLast) {
      sys.call('close', (k, p) => k.close(p, fd));
      if (trailingSlash && !isDir(st.value.mode)) { release(); return fail(wasiErrno('ENOTDIR')); }
      return { ok: true, value: { dirfd: top, name: c, trailingSlash, release } };
    }
    if (!isDir(st.value.mode)) { sys.call('close', (k, p) => k.close(p, fd)); release(); return fail(wasiErrno('ENOTDIR')); }
    stack.push(fd);
  }
  return { ok: true, value: { dirfd: stack[stack.length - 1]!, name: '.', trailingSlash, release } };
}
