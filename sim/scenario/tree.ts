// Build a scenario tree (FORMAT.md entries with absolute paths) on a kernel, through its syscalls as
// root — so the result is exactly what those syscalls produce (ext4 sizes, link counts, st_dev).
// Missing parent directories are created 0755 root:root. Devices get their content through the
// kernel's device table: every node with that rdev reads it (scenarios.md §4 "a device is its rdev").
import { utf8Encode } from '../host/bytes.ts';
import { O_CREAT, O_TRUNC, O_WRONLY, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFSOCK } from '../host/constants.ts';
import type { Kernel } from '../host/kernel.ts';
import type { Process } from '../host/process.ts';
import type { SysResult } from '../host/result.ts';
import type { TreeEntry } from './types.ts';
import { rdevOf } from './validate.ts';

export class TreeBuildError extends Error {
  static readonly code = 'TreeBuild' as const;
  readonly code = TreeBuildError.code;
  constructor(readonly path: string, readonly step: string, readonly errno: string) {
    super(`cannot build ${path}: ${step} failed with ${errno}`);
    this.name = 'TreeBuildError';
  }
}

function b64(s: string): Uint8Array {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const clean = s.replace(/=+$/, '');
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const c of clean) {
    buf = (buf << 6) | A.indexOf(c);
    bits += 6;
    if (bits >= 8) { bits -= 8; out.push((buf >> bits) & 0xff); }
  }
  return Uint8Array.from(out);
}

function content(e: TreeEntry): Uint8Array | undefined {
  if (e.content_b64 !== undefined) return b64(e.content_b64);
  if (e.content !== undefined) return utf8Encode(e.content);
  return undefined;
}

export function loadTree(k: Kernel, t: Process, entries: readonly TreeEntry[]): void {
  const must = <T>(r: SysResult<T>, path: string, step: string): T => {
    if (!r.ok) throw new TreeBuildError(path, step, r.errno);
    return r.value;
  };
  const ensureParent = (path: string) => {
    const parts = path.split('/').filter(Boolean).slice(0, -1);
    let p = '';
    for (const part of parts) {
      p += `/${part}`;
      if (!k.lstat(t, p).ok) must(k.mkdir(t, p, 0o755), p, 'mkdir');
    }
  };
  const sorted = [...entries].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  const times: TreeEntry[] = [];
  for (const e of sorted) {
    ensureParent(e.path);
    const exists = k.lstat(t, e.path);
    if (e.hardlink_of !== undefined) {
      must(k.link(t, e.hardlink_of, e.path), e.path, 'link');
      continue;
    }
    const target = e.target ?? (e.target_b64 !== undefined ? new TextDecoderless(b64(e.target_b64)).text : '');
    switch (e.type) {
      case 'dir':
        if (!exists.ok) must(k.mkdir(t, e.path, 0o700), e.path, 'mkdir');
        else if ((exists.value.mode & 0o170000) !== S_IFDIR) throw new TreeBuildError(e.path, 'mkdir', 'EEXIST');
        break;
      case 'file': {
        const fd = must(k.open(t, e.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600), e.path, 'open');
        const data = content(e);
        if (data && data.length) must(k.write(t, fd, data), e.path, 'write');
        must(k.close(t, fd), e.path, 'close');
        break;
      }
      case 'symlink':
        must(k.symlink(t, target, e.path), e.path, 'symlink');
        break;
      case 'fifo':
        must(k.mknod(t, e.path, S_IFIFO | 0o600, 0n), e.path, 'mknod');
        break;
      case 'socket':
        must(k.mknod(t, e.path, S_IFSOCK | 0o600, 0n), e.path, 'mknod');
        break;
      case 'chardev':
      case 'blockdev': {
        const rdev = BigInt(rdevOf(e));
        const block = e.type === 'blockdev';
        must(k.mknod(t, e.path, (block ? S_IFBLK : S_IFCHR) | 0o600, rdev), e.path, 'mknod');
        const data = content(e);
        if (data) k.setDevice(rdev, { kind: 'data', name: e.path.split('/').pop()!, content: data, writable: true, block });
        break;
      }
    }
    if (e.type !== 'symlink') must(k.chmod(t, e.path, e.mode), e.path, 'chmod');
    must(k.lchown(t, e.path, e.uid, e.gid), e.path, 'lchown');
    // chown clears setuid/setgid bits of a regular file (even for root): set the mode again.
    if (e.type !== 'symlink' && (e.mode & 0o6000)) must(k.chmod(t, e.path, e.mode), e.path, 'chmod');
    for (const [name, v] of Object.entries(e.xattrs ?? {})) {
      must(k.lsetxattr(t, e.path, name, typeof v === 'string' ? utf8Encode(v) : b64(v.b64), 0), e.path, `setxattr ${name}`);
    }
    times.push(e);
  }
  // Times last, deepest first, so creating children does not move a parent's mtime afterwards.
  for (const e of times.reverse()) {
    if (!e.atime && !e.mtime) continue;
    const ts = (x: TreeEntry['atime']) => (x ? { sec: x.sec, nsec: x.nsec } : { sec: 0, nsec: (1 << 30) - 2 });
    must(k.utimensat(t, -100, e.path, [ts(e.atime), ts(e.mtime)], 0x100), e.path, 'utimensat');
  }
}

/** UTF-8 decoding without TextDecoder (sim/ has lib ES2022 only). */
class TextDecoderless {
  readonly text: string;
  constructor(b: Uint8Array) {
    let s = '';
    for (const x of b) s += String.fromCharCode(x);
    try { this.text = decodeURIComponent(escape(s)); } catch { this.text = s; }
  }
}
