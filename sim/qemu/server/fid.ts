// The fid table of one 9P session (hw/9pfs/9p.c alloc_fid/get_fid/clunk_fid, 9p.h V9fsFidState).
import type { FidOpenState, V9fsPath } from '../fsdev/file-ops.ts';

/** P9_FID_* (9p.h): what a fid currently holds. */
export type FidType = 'none' | 'file' | 'dir' | 'xattr';

/** State of an xattr fid (9p.h V9fsXattr): the value read at Txattrwalk or being built for Txattrcreate. */
export interface XattrState {
  /** Bytes of the attribute value or of the list (Txattrwalk), or the buffer being written (Txattrcreate). */
  value: Uint8Array;
  /** attr_size announced by Txattrcreate; bytes received so far. */
  len: number;
  copied: number;
  /** Txattrcreate: name and flags to apply at clunk (v9fs_xattr_fid_clunk). */
  create?: { name: string; flags: number };
  /** Txattrwalk with an empty name: the value is the llistxattr list. */
  isList: boolean;
}

export interface V9fsFid {
  readonly fid: number;
  path: V9fsPath;
  /** n_uname / dfid uid: the guest uid the fid acts for (used as FsCred uid on create). */
  uid: number;
  type: FidType;
  fs?: FidOpenState;
  /** Host open(2) flags of a file fid (fidp->open_flags). */
  openFlags: number;
  xattr?: XattrState;
}

export class FidTable {
  private readonly fids = new Map<number, V9fsFid>();

  get(fid: number): V9fsFid | undefined {
    return this.fids.get(fid);
  }

  /** alloc_fid: NULL (→ the caller's EINVAL) when the fid is in use. */
  alloc(fid: number, path: V9fsPath, uid: number): V9fsFid | undefined {
    if (this.fids.has(fid)) return undefined;
    const f: V9fsFid = { fid, path, uid, type: 'none', openFlags: 0 };
    this.fids.set(fid, f);
    return f;
  }

  /** clunk_fid: take it out of the table (closing is the caller's job, as put_fid does). */
  remove(fid: number): V9fsFid | undefined {
    const f = this.fids.get(fid);
    if (f) this.fids.delete(fid);
    return f;
  }

  all(): V9fsFid[] {
    return [...this.fids.values()].sort((a, b) => a.fid - b.fid);
  }

  clear(): V9fsFid[] {
    const all = this.all();
    this.fids.clear();
    return all;
  }

  get size(): number {
    return this.fids.size;
  }
}
