// pdu_submit / the pdu_co_handlers table (hw/9pfs/9p.c): which handler runs for a message, and the
// read-only gate (`is_ro_export && !is_read_only_op → v9fs_fs_ro → EROFS`).
import type { P9Message } from '../../p9/messages.ts';
import type { V9fsState } from './state.ts';
import type { Co } from './coroutine.ts';
import { type Reply, lerror, E } from './reply.ts';
import { v9fsVersion, v9fsAttach, v9fsClunk } from './ops/session.ts';
import { v9fsWalk } from './ops/walk.ts';
import { v9fsGetattr, v9fsSetattr } from './ops/attr.ts';
import { v9fsLopen, v9fsLcreate, isRoExport } from './ops/open.ts';
import { v9fsRead, v9fsWrite, v9fsReaddir, v9fsFsync } from './ops/io.ts';
import { v9fsMkdir, v9fsSymlink, v9fsMknod, v9fsLink } from './ops/create.ts';
import { v9fsRenameat, v9fsRename, v9fsUnlinkat, v9fsRemove } from './ops/namespace.ts';
import { v9fsStatfs, v9fsReadlink, v9fsLock, v9fsGetlock } from './ops/misc.ts';
import { v9fsXattrwalk, v9fsXattrcreate } from './ops/xattr.ts';

/** is_read_only_op (9p.c): requests allowed on a read-only export (9P2000.L subset). */
const READ_ONLY_OPS: ReadonlySet<string> = new Set([
  'Treaddir', 'Tstatfs', 'Tgetattr', 'Txattrwalk', 'Tlock', 'Tgetlock', 'Treadlink', 'Tversion',
  'Tlopen', 'Tattach', 'Twalk', 'Tclunk', 'Tflush', 'Tread', 'Tauth',
]);

/** Run the handler for one decoded request. Tflush is handled by the transport (it needs the queue). */
export function* dispatch(s: V9fsState, m: P9Message): Co<Reply> {
  if (isRoExport(s) && !READ_ONLY_OPS.has(m.kind)) {
    s.trace.note('readonly:erofs', `${m.kind} on a read-only export → EROFS (v9fs_fs_ro)`, 'hw/9pfs/9p.c pdu_submit; scenarios.md config/readonly-ignored-before-5.0');
    return lerror(E.EROFS);
  }
  switch (m.kind) {
    case 'Tversion': return yield* v9fsVersion(s, m);
    case 'Tattach': return yield* v9fsAttach(s, m);
    case 'Tclunk': return yield* v9fsClunk(s, m);
    case 'Twalk': return yield* v9fsWalk(s, m);
    case 'Tgetattr': return yield* v9fsGetattr(s, m);
    case 'Tsetattr': return yield* v9fsSetattr(s, m);
    case 'Tlopen': return yield* v9fsLopen(s, m);
    case 'Tlcreate': return yield* v9fsLcreate(s, m);
    case 'Tread': return yield* v9fsRead(s, m);
    case 'Twrite': return yield* v9fsWrite(s, m);
    case 'Treaddir': return yield* v9fsReaddir(s, m);
    case 'Tfsync': return yield* v9fsFsync(s, m);
    case 'Tmkdir': return yield* v9fsMkdir(s, m);
    case 'Tsymlink': return yield* v9fsSymlink(s, m);
    case 'Tmknod': return yield* v9fsMknod(s, m);
    case 'Tlink': return yield* v9fsLink(s, m);
    case 'Trenameat': return yield* v9fsRenameat(s, m);
    case 'Trename': return yield* v9fsRename(s, m);
    case 'Tunlinkat': return yield* v9fsUnlinkat(s, m);
    case 'Tremove': return yield* v9fsRemove(s, m);
    case 'Tstatfs': return yield* v9fsStatfs(s, m);
    case 'Treadlink': return yield* v9fsReadlink(s, m);
    case 'Tlock': return yield* v9fsLock(s, m);
    case 'Tgetlock': return yield* v9fsGetlock(s, m);
    case 'Txattrwalk': return yield* v9fsXattrwalk(s, m);
    case 'Txattrcreate': return yield* v9fsXattrcreate(s, m);
    default:
      // v9fs_op_not_supp (Tauth, replies sent as requests, 9P2000.u-only messages).
      return lerror(E.EOPNOTSUPP);
  }
}
