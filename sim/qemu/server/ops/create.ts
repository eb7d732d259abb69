// Tmkdir, Tsymlink, Tmknod, Tlink (hw/9pfs/9p.c; cofs.c v9fs_co_mkdir/_symlink/_mknod/_link:
// the driver call, then name_to_path + lstat of the new name for the qid).
import type { P9MessageOf } from '../../../p9/messages.ts';
import { makedev } from '../../../host/constants.ts';
import type { V9fsState } from '../state.ts';
import type { Co } from '../coroutine.ts';
import type { V9fsPath, FsCred, FsResult } from '../../fsdev/file-ops.ts';
import { type Reply, lerror, E } from '../reply.ts';
import { statToQid } from '../qid.ts';
import { wireToBstr, cString } from '../names.ts';
import { createNameError } from './open.ts';

function* lstatNew(s: V9fsState, dir: V9fsPath, name: string, made: FsResult<void>): Co<Reply> {
  if (!made.ok) return lerror(made.errno);
  const np = s.driver.nameToPath(dir, name);
  if (!np.ok) return lerror(np.errno);
  const st = yield* s.driver.lstat(np.value);
  if (!st.ok) return lerror(st.errno);
  return { kind: 'Rmkdir', qid: statToQid(st.value) };
}

export function* v9fsMkdir(s: V9fsState, m: P9MessageOf<'Tmkdir'>): Co<Reply> {
  const name = wireToBstr(m.name);
  const ne = createNameError(s, name);
  if (ne) return lerror(ne);
  const f = s.fids.get(m.dfid);
  if (!f) return lerror(E.ENOENT);
  // v9fs_co_mkdir: fc_mode = mode as sent (the Linux client includes S_IFDIR), fid uid, request gid.
  const cred: FsCred = { uid: f.uid | 0, gid: m.gid | 0, mode: m.mode, rdev: -1n };
  const r = yield* s.driver.mkdir(f.path, cString(name), cred);
  return yield* lstatNew(s, f.path, cString(name), r);
}

export function* v9fsSymlink(s: V9fsState, m: P9MessageOf<'Tsymlink'>): Co<Reply> {
  const name = wireToBstr(m.name);
  const ne = createNameError(s, name);
  if (ne) return lerror(ne);
  const f = s.fids.get(m.fid);
  if (!f) return lerror(E.EINVAL);
  const cred: FsCred = { uid: f.uid | 0, gid: m.gid | 0, mode: 0o777, rdev: -1n };
  const r = yield* s.driver.symlink(cString(wireToBstr(m.symtgt)), f.path, cString(name), cred);
  const rep = yield* lstatNew(s, f.path, cString(name), r);
  return rep.kind === 'Rmkdir' ? { kind: 'Rsymlink', qid: rep.qid } : rep;
}

export function* v9fsMknod(s: V9fsState, m: P9MessageOf<'Tmknod'>): Co<Reply> {
  const name = wireToBstr(m.name);
  const ne = createNameError(s, name);
  if (ne) return lerror(ne);
  const f = s.fids.get(m.dfid);
  if (!f) return lerror(E.ENOENT);
  const cred: FsCred = { uid: f.uid | 0, gid: m.gid | 0, mode: m.mode, rdev: makedev(m.major, m.minor) };
  const r = yield* s.driver.mknod(f.path, cString(name), cred);
  const rep = yield* lstatNew(s, f.path, cString(name), r);
  return rep.kind === 'Rmkdir' ? { kind: 'Rmknod', qid: rep.qid } : rep;
}

export function* v9fsLink(s: V9fsState, m: P9MessageOf<'Tlink'>): Co<Reply> {
  const name = wireToBstr(m.name);
  const ne = createNameError(s, name);
  if (ne) return lerror(ne);
  const d = s.fids.get(m.dfid);
  if (!d) return lerror(E.ENOENT);
  const old = s.fids.get(m.fid);
  if (!old) return lerror(E.ENOENT);
  const r = yield* s.driver.link(old.path, d.path, cString(name));
  if (!r.ok) return lerror(r.errno);
  return { kind: 'Rlink' };
}
