// Builds a session's host: BASE (the export's parent), the export root and its tree, and the `outside`
// objects (vectors/FORMAT.md "Session", "Tree entry"), with syscalls of a root process on the
// simulated kernel — the same calls the recorder made on the real host.
import type { Kernel } from '../../host/kernel.ts';
import type { Process } from '../../host/process.ts';
import {
  O_CREAT, O_TRUNC, O_WRONLY, S_IFBLK, S_IFCHR, S_IFIFO, S_IFSOCK,
} from '../../host/constants.ts';
import { utf8Encode } from '../../proxy/utf8.ts';
import { loadTree, type TreeEntry as HostTreeEntry } from '../../host/tree.ts';
import type { OutsideEntry, Session, TreeEntry } from './suite.ts';

/** Paths the replay uses; BASE is a fresh directory per session (the recorder used mkdtemp). */
export interface SessionPaths {
  base: string;
  export: string;
  socket: string;
}

function b64(s: string): Uint8Array {
  const bin = atobPortable(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** base64 decode without atob (sim/ has no DOM and no Node globals). */
function atobPortable(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  let out = '';
  let buf = 0;
  let bits = 0;
  for (const ch of clean) {
    buf = (buf << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buf >> bits) & 0xff);
    }
  }
  return out;
}

export function bytesOf(text: string | undefined, b64text: string | undefined): Uint8Array {
  if (b64text !== undefined) return b64(b64text);
  return utf8Encode(text ?? '');
}

function mustOk(r: { ok: boolean; errno?: string }, what: string): void {
  if (!r.ok) throw new Error(`host setup: ${what}: ${r.errno}`);
}

/** mkdir -p as root (existing directories are fine). */
export function mkdirP(k: Kernel, t: Process, path: string, mode = 0o755): void {
  let cur = '';
  for (const part of path.split('/').filter(Boolean)) {
    cur += '/' + part;
    const r = k.mkdir(t, cur, mode);
    if (!r.ok && r.errno !== 'EEXIST') throw new Error(`host setup: mkdir ${cur}: ${r.errno}`);
  }
}

function createEntry(k: Kernel, t: Process, p: Uint8Array, e: Omit<TreeEntry, 'path'>, existingOk: boolean): void {
  const what = `${e.type} ${new TextDecoderLite().decode(p)}`;
  switch (e.type) {
    case 'file': {
      const fd = k.open(t, p, O_WRONLY | O_CREAT | O_TRUNC, e.mode);
      mustOk(fd, what);
      if (!fd.ok) return;
      const data = bytesOf(e.content, e.content_b64);
      if (data.length) mustOk(k.write(t, fd.value, data), what);
      k.close(t, fd.value);
      break;
    }
    case 'dir': {
      const r = k.mkdir(t, p, e.mode);
      if (!(existingOk && !r.ok && r.errno === 'EEXIST')) mustOk(r, what);
      break;
    }
    case 'symlink':
      mustOk(k.symlink(t, bytesOf(e.target, e.target_b64), p), what);
      break;
    case 'fifo': mustOk(k.mknod(t, p, S_IFIFO | e.mode, 0n), what); break;
    case 'socket': mustOk(k.mknod(t, p, S_IFSOCK | e.mode, 0n), what); break;
    case 'chardev': mustOk(k.mknod(t, p, S_IFCHR | e.mode, BigInt(e.rdev ?? 0)), what); break;
    case 'blockdev': mustOk(k.mknod(t, p, S_IFBLK | e.mode, BigInt(e.rdev ?? 0)), what); break;
  }
  if (e.type !== 'symlink') {
    // chown first: a chown by root clears set-id bits, so the mode is applied afterwards.
    mustOk(k.lchown(t, p, e.uid, e.gid), `chown ${what}`);
    mustOk(k.chmod(t, p, e.mode), `chmod ${what}`);
  } else {
    mustOk(k.lchown(t, p, e.uid, e.gid), `chown ${what}`);
  }
  for (const [name, v] of Object.entries(e.xattrs ?? {})) {
    const value = typeof v === 'string' ? utf8Encode(v) : b64(v.b64);
    mustOk(k.lsetxattr(t, p, name, value, 0), `setxattr ${name} on ${what}`);
  }
}

/** Minimal UTF-8 decoder for error messages. */
class TextDecoderLite {
  decode(b: Uint8Array): string {
    let s = '';
    for (const c of b) s += c < 0x80 ? String.fromCharCode(c) : '?';
    return s;
  }
}

function outsidePath(paths: SessionPaths, p: string): string {
  return p === 'BASE' ? paths.base : p.startsWith('BASE/') ? paths.base + p.slice(4) : p;
}

/**
 * Builds BASE, the export root, the tree and the outside objects. For a tmpfs session a tmpfs is
 * mounted at BASE's parent (/dev/shm), so the export's statfs, GETVERSION and sizes are tmpfs ones.
 */
export function buildSessionHost(k: Kernel, t: Process, s: Pick<Session, 'export_fs' | 'export_root' | 'tree' | 'outside'>, paths: SessionPaths): void {
  const prevUmask = k.umask(t, 0);
  const parent = paths.base.slice(0, paths.base.lastIndexOf('/')) || '/';
  mkdirP(k, t, parent, 0o1777);
  if (s.export_fs === 'tmpfs') {
    const sb = k.newFs('tmpfs', { rootMode: 0o1777 });
    mustOk(k.mount(t, parent, sb, { source: 'tmpfs' }), `mount tmpfs on ${parent}`);
  }
  const outside: OutsideEntry[] = s.outside ?? [];
  const baseEntry = outside.find((o) => o.path === 'BASE');
  // Sessions without an `outside` BASE entry get the recorder's usual 0711 (basic_fd's BASE entry):
  // socket_mode_extras shows uid 1000 connecting to BASE/proxy.sock, so BASE was searchable.
  mustOk(k.mkdir(t, paths.base, baseEntry?.mode ?? 0o711), `mkdir ${paths.base}`);
  mustOk(k.chmod(t, paths.base, baseEntry?.mode ?? 0o711), `chmod ${paths.base}`);
  // The export root and its tree: the kernel's FORMAT.md tree loader (sim/host/tree.ts).
  // The export directory is made with mkdir(2) first: the loader's own mkdir -p does not cross the
  // tmpfs mount at /dev/shm.
  mustOk(k.mkdir(t, paths.export, s.export_root.mode), `mkdir ${paths.export}`);
  loadTree(k, paths.export, s.tree as HostTreeEntry[], { root: s.export_root });
  for (const o of outside) {
    if (o.path === 'BASE') continue;
    const p = outsidePath(paths, o.path);
    const dir = p.slice(0, p.lastIndexOf('/'));
    if (dir) mkdirP(k, t, dir);
    if (o.type === 'file') {
      // decoys may overwrite a file of the same name the kernel image already has
      createEntry(k, t, utf8Encode(p), o, true);
    } else if (o.type === 'dir') {
      createEntry(k, t, utf8Encode(p), o, true);
    } else {
      createEntry(k, t, utf8Encode(p), o, false);
    }
  }
  k.umask(t, prevUmask);
}
