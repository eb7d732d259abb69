// Edits of the scenario's host filesystem from the host-tree panel (issue 5 §2): each one is a
// syscall sequence of the host's init (pid 1, uid 0, full caps, umask 022) on the live kernel — what
// `host: CMD` script lines run as — so the kernel's own permission and type rules answer (EEXIST,
// ENOTEMPTY, EISDIR…, errno as data, sim/host README). No DOM, no Node: runs in the worker.
// Kept by the session (scenarioSession.ts) as an ordered list and re-applied, in order, right after a
// restart's launch: a restart is a deterministic replay whose host already has the user's edits.
// chmod/chown/rename let a trainer stage an attack by hand (a 0555 directory, a file owned by another
// uid, a directory swapped by a rename); they are the kernel's fchmodat/fchownat/renameat2 as root,
// so e.g. chown clears S_ISUID as Linux does even for root, and rename refuses a directory moved into
// itself (EINVAL) or over a non-empty one (ENOTEMPTY).
import { O_CREAT, O_TRUNC, O_WRONLY, S_IALLUGO, S_IFDIR, S_IFMT, S_IFREG, strerror, type Errno, type Kernel } from '../../../sim/host/index.ts';

export type HostEdit =
  /** Create or replace a regular file's content (open O_CREAT|O_TRUNC, mode 0644 before the umask). */
  | { op: 'write'; path: string; content: Uint8Array }
  | { op: 'mkdir'; path: string }
  /** unlink, or rmdir for a directory (which must be empty, as rmdir(2) wants). */
  | { op: 'delete'; path: string }
  /** chmod(2): permission bits incl. S_ISUID/S_ISGID/S_ISVTX (0..0o7777); follows a final symlink. */
  | { op: 'chmod'; path: string; mode: number }
  /** lchown(2): a final symlink is changed itself, not followed; -1 keeps that id. */
  | { op: 'chown'; path: string; uid: number; gid: number }
  /** rename(2) from `path` to `to` (absolute): replaces a file or an empty directory at `to`. */
  | { op: 'rename'; path: string; to: string };

export type HostEditResult = { ok: true } | { ok: false; errno: Errno | 'EINVAL'; message: string };

/** The largest content written from the panel: a "small text file" editor, not a disk image. */
export const MAX_EDIT_BYTES = 1 << 20;

/** The largest id chown takes: uid_t is 32 bits and (uid_t)-1 means "keep" (chown(2)), so it is spelled -1. */
export const MAX_ID = 2 ** 32 - 2;

/** `OP PATH` (a rename names both ends), the start of every message about the edit. */
const subject = (edit: HostEdit) => (edit.op === 'rename' ? `rename ${edit.path} to ${edit.to}` : `${edit.op} ${edit.path}`);

function fail(edit: HostEdit, call: string, errno: Errno): HostEditResult {
  return { ok: false, errno, message: `${subject(edit)}: ${call}: ${errno} (${strerror(errno)})` };
}
const invalid = (edit: HostEdit, why: string): HostEditResult => ({ ok: false, errno: 'EINVAL', message: `${subject(edit)}: ${why}` });

/** A value as the message shows it: a mode in octal, anything odd (NaN, 1.5, "x", undefined) as it is. */
const shown = (v: unknown, octal = false) => (typeof v === 'number' ? (octal && Number.isInteger(v) && v >= 0 ? `0o${v.toString(8)}` : String(v)) : typeof v === 'string' ? JSON.stringify(v) : String(v));
const isId = (v: unknown) => Number.isInteger(v) && (v as number) >= -1 && (v as number) <= MAX_ID;

/**
 * What the panel refuses before any syscall (EINVAL, as the kernel would for a bad argument — or
 * could not be asked at all: a mode with type bits would be silently masked by chmod_common, and
 * (uid_t)-1 spelled 4294967295 is ambiguous). Null: the arguments are fine.
 */
function checkArgs(edit: HostEdit): HostEditResult | null {
  switch (edit.op) {
    case 'chmod':
      if (!Number.isInteger(edit.mode) || edit.mode < 0 || edit.mode > S_IALLUGO) return invalid(edit, `mode ${shown(edit.mode, true)} is not permission bits (an integer 0..0o7777)`);
      return null;
    case 'chown':
      if (!isId(edit.uid)) return invalid(edit, `uid ${shown(edit.uid)} is not an id (an integer -1..${MAX_ID}; -1 keeps it)`);
      if (!isId(edit.gid)) return invalid(edit, `gid ${shown(edit.gid)} is not an id (an integer -1..${MAX_ID}; -1 keeps it)`);
      return null;
    case 'rename':
      if (typeof edit.to !== 'string' || !edit.to.startsWith('/')) return invalid(edit, `the new name ${JSON.stringify(edit.to)} must be an absolute path (start with /)`);
      if (edit.to.includes('\0')) return invalid(edit, 'the new name contains a NUL byte');
      return null;
    default:
      return null;
  }
}

export function applyHostEdit(k: Kernel, edit: HostEdit): HostEditResult {
  if (!edit.path.startsWith('/')) return { ok: false, errno: 'EINVAL', message: `${edit.op} ${JSON.stringify(edit.path)}: the path must be absolute (start with /)` };
  if (edit.path.includes('\0')) return { ok: false, errno: 'EINVAL', message: `${edit.op}: the path contains a NUL byte` };
  const bad = checkArgs(edit);
  if (bad) return bad;
  const t = k.init;
  switch (edit.op) {
    case 'chmod': {
      const r = k.chmod(t, edit.path, edit.mode);
      return r.ok ? { ok: true } : fail(edit, 'chmod', r.errno as Errno);
    }
    case 'chown': {
      const r = k.lchown(t, edit.path, edit.uid, edit.gid);
      return r.ok ? { ok: true } : fail(edit, 'lchown', r.errno as Errno);
    }
    case 'rename': {
      const r = k.rename(t, edit.path, edit.to);
      return r.ok ? { ok: true } : fail(edit, 'rename', r.errno as Errno);
    }
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
