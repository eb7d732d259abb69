// Trenameat, Trename, Tunlinkat, Tremove (hw/9pfs/9p.c v9fs_renameat/v9fs_complete_renameat,
// v9fs_rename/v9fs_complete_rename, v9fs_fix_fid_paths, v9fs_unlinkat, v9fs_remove).
import type { P9MessageOf } from '../../../p9/messages.ts';
import type { V9fsState } from '../state.ts';
import type { Co } from '../coroutine.ts';
import type { V9fsPath } from '../../fsdev/file-ops.ts';
import { type Reply, lerror, E } from '../reply.ts';
import { wireToBstr, nameIsIllegal, cString } from '../names.ts';
import { freeFid } from './fids.ts';

/** v9fs_path_is_ancestor: s1 is s2 or a directory prefix of it. */
function isAncestor(s1: string, s2: string): boolean {
  if (!s2.startsWith(s1)) return false;
  const c = s2.charAt(s1.length);
  return c === '' || c === '/';
}

/** Rewrite every fid whose path is under `oldp` (V9FS_PATHNAME_FSCONTEXT; v9fs_fix_path). */
function fixFidPaths(s: V9fsState, oldp: string, newp: string): void {
  for (const f of s.fids.all()) {
    if (isAncestor(oldp, f.path.data)) f.path = { data: newp + f.path.data.slice(oldp.length) };
  }
}

function renameNameError(s: V9fsState, a: string, b: string): number {
  if (!s.features.dotdotAtRootFixed) return 0;
  if (nameIsIllegal(a) || nameIsIllegal(b)) return E.ENOENT;
  const x = cString(a);
  const y = cString(b);
  if (x === '.' || x === '..' || y === '.' || y === '..') return E.EISDIR;
  return 0;
}

export function* v9fsRenameat(s: V9fsState, m: P9MessageOf<'Trenameat'>): Co<Reply> {
  const oldName = wireToBstr(m.oldname);
  const newName = wireToBstr(m.newname);
  const ne = renameNameError(s, oldName, newName);
  if (ne) return lerror(ne);
  const od = s.fids.get(m.olddirfid);
  if (!od) return lerror(E.ENOENT);
  let nd = od;
  if (m.newdirfid !== 0xffffffff) {
    const x = s.fids.get(m.newdirfid);
    if (!x) return lerror(E.ENOENT);
    nd = x;
  }
  const on = cString(oldName);
  const nn = cString(newName);
  const r = yield* s.driver.renameat(od.path, on, nd.path, nn);
  if (!r.ok) return lerror(r.errno);
  if (s.driver.exportFlags.pathnameFsContext) {
    const op = s.driver.nameToPath(od.path, on);
    const np = s.driver.nameToPath(nd.path, nn);
    if (op.ok && np.ok) fixFidPaths(s, op.value.data, np.value.data);
  }
  return { kind: 'Rrenameat' };
}

function dirname(p: string): string {
  // g_path_get_dirname
  const t = p.replace(/\/+$/, '');
  const i = t.lastIndexOf('/');
  if (i < 0) return '.';
  const d = t.slice(0, i).replace(/\/+$/, '');
  return d === '' ? '/' : d;
}

export function* v9fsRename(s: V9fsState, m: P9MessageOf<'Trename'>): Co<Reply> {
  const name = wireToBstr(m.name);
  const ne = renameNameError(s, name, name);
  if (ne) return lerror(ne);
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.ENOENT);
  if (f.type !== 'none') return lerror(E.EINVAL);
  // "if fs driver is not path based, return EOPNOTSUPP"
  if (!s.driver.exportFlags.pathnameFsContext) return lerror(E.EOPNOTSUPP);
  let newPath: V9fsPath;
  if (m.dfid !== 0xffffffff) {
    const d = s.fids.get(m.dfid);
    if (!d) return lerror(E.ENOENT);
    const np = s.driver.nameToPath(d.path, cString(name));
    if (!np.ok) return lerror(np.errno);
    newPath = np.value;
  } else {
    const np = s.driver.nameToPath({ data: dirname(f.path.data) }, cString(name));
    if (!np.ok) return lerror(np.errno);
    newPath = np.value;
  }
  const oldData = f.path.data;
  const r = yield* s.driver.rename(oldData, newPath.data);
  if (!r.ok) return lerror(r.errno);
  fixFidPaths(s, oldData, newPath.data);
  return { kind: 'Rrename' };
}

export function* v9fsUnlinkat(s: V9fsState, m: P9MessageOf<'Tunlinkat'>): Co<Reply> {
  const name = wireToBstr(m.name);
  if (s.features.dotdotAtRootFixed) {
    if (nameIsIllegal(name)) return lerror(E.ENOENT);
    if (cString(name) === '.') return lerror(E.EINVAL);
    if (cString(name) === '..') return lerror(E.ENOTEMPTY);
  }
  const d = s.fids.get(m.dirfid);
  if (!d) return lerror(E.EINVAL);
  const r = yield* s.driver.unlinkat(d.path, cString(name), m.flags);
  if (!r.ok) return lerror(r.errno);
  return { kind: 'Runlinkat' };
}

export function* v9fsRemove(s: V9fsState, m: P9MessageOf<'Tremove'>): Co<Reply> {
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.EINVAL);
  let err = 0;
  if (!s.driver.exportFlags.pathnameFsContext) err = E.EOPNOTSUPP;
  else {
    const r = yield* s.driver.remove(f.path.data);
    if (!r.ok) err = r.errno;
  }
  // "For TREMOVE we need to clunk the fid even on failed remove"
  s.fids.remove(m.fid);
  yield* freeFid(s, f);
  return err ? lerror(err) : { kind: 'Rremove' };
}
