// Edits of the scenario's host filesystem from the host-tree panel (issue 5 §2): each one is a
// syscall sequence of the host's init (pid 1, uid 0, full caps, umask 022) on the live kernel — what
// `host: CMD` script lines run as — so the kernel's own permission and type rules answer (EEXIST,
// ENOTEMPTY, EISDIR…, errno as data, sim/host README). No DOM, no Node: runs in the worker.
// Kept by the session (scenarioSession.ts) as an ordered list and re-applied, in order, right after a
// restart's launch: a restart is a deterministic replay whose host already has the user's edits.
import { O_CREAT, O_TRUNC, O_WRONLY, S_IFDIR, S_IFMT, S_IFREG, strerror, type Errno, type Kernel } from '../../../sim/host/index.ts';

export type HostEdit =
  /** Create or replace a regular file's content (open O_CREAT|O_TRUNC, mode 0644 before the umask). */
  | { op: 'write'; path: string; content: Uint8Array }
  | { op: 'mkdir'; path: string }
  /** unlink, or rmdir for a directory (which must be empty, as rmdir(2) wants). */
  | { op: 'delete'; path: string };

export type HostEditResult = { ok: true } | { ok: false; errno: Errno | 'EINVAL'; message: string };

/** The largest content written from the panel: a "small text file" editor, not a disk image. */
export const MAX_EDIT_BYTES = 1 << 20;

function fail(edit: HostEdit, call: string, errno: Errno): HostEditResult {
  return { ok: false, errno, message: `${edit.op} ${edit.path}: ${call}: ${errno} (${strerror(errno)})` };
}

export function applyHostEdit(k: Kernel, edit: HostEdit): HostEditResult {
  if (!edit.path.startsWith('/')) return { ok: false, errno: 'EINVAL', message: `${edit.op} ${JSON.stringify(edit.path)}: the path must be absolute (start with /)` };
  if (edit.path.includes('\0')) return { ok: false, errno: 'EINVAL', message: `${edit.op}: the path contains a NUL byte` };
  const t = k.init;
  switch (edit.op) {
    case 'mkdir': {
      const r = k.mkdir(t, edit.path, 0o755);
      return r.ok ? { ok: true } : fail(edit, 'mkdir', r.errno as Errno);
    }
    case 'delete': {
      const st = k.lstat(t, edit.path);
      if (!st.ok) return fail(edit, 'lstat', st.errno as Errno);
      const isDir = (st.value.mode & S_IFMT) === S_IFDIR;
      const r = isDir ? k.rmdir(t, edit.path) : k.unlink(t, edit.path);
      return r.ok ? { ok: true } : fail(edit, isDir ? 'rmdir' : 'unlink', r.errno as Errno);
    }
    case 'write': {
      if (edit.content.length > MAX_EDIT_BYTES) return { ok: false, errno: 'EINVAL', message: `write ${edit.path}: ${edit.content.length} bytes is more than the panel writes (${MAX_EDIT_BYTES})` };
      const fd = k.open(t, edit.path, O_CREAT | O_WRONLY | O_TRUNC, 0o644);
      if (!fd.ok) return fail(edit, 'open', fd.errno as Errno);
      let off = 0;
      while (off < edit.content.length) {
        const w = k.write(t, fd.value, edit.content.subarray(off));
        if (!w.ok) { k.close(t, fd.value); return fail(edit, 'write', w.errno as Errno); }
        off += w.value;
      }
      k.close(t, fd.value);
      return { ok: true };
    }
  }
}

export type HostReadResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/**
 * A host file's content for the panel's Load and Download, read straight from the inode after a
 * record-free path walk (Kernel.resolve): no syscall, so no trace event, no atime and no clock tick —
 * a look that changes nothing, which is why the driver need not journal it for replays.
 */
export function readHostFile(k: Kernel, path: string): HostReadResult {
  const loc = k.resolve(k.init, path);
  if (!loc.ok) return { ok: false, message: `read ${path}: ${loc.errno} (${strerror(loc.errno as Errno)})` };
  const a = loc.value.inode.getattr();
  if ((a.mode & S_IFMT) === S_IFDIR) return { ok: false, message: `read ${path}: EISDIR (${strerror('EISDIR')})` };
  if ((a.mode & S_IFMT) !== S_IFREG) return { ok: false, message: `read ${path}: not a regular file (only regular files are read here, never a FIFO or device)` };
  if (a.size > MAX_EDIT_BYTES * 16) return { ok: false, message: `read ${path}: ${a.size} bytes is more than the panel reads (${MAX_EDIT_BYTES * 16})` };
  const r = loc.value.inode.read(0, a.size);
  if (!r.ok) return { ok: false, message: `read ${path}: ${r.errno} (${strerror(r.errno as Errno)})` };
  return { ok: true, bytes: r.value };
}
