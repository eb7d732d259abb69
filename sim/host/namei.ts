// Path resolution (fs/namei.c): component by component, with search permission on every directory,
// '..' that stays at the process root and climbs out of mounts, absolute symlinks restarting at the
// process root, ELOOP after 40 followed links, ENAMETOOLONG for a component over 255 bytes or a path
// of 4096 bytes or more, trailing slashes requiring a directory (and following a final symlink).
import { MAY_EXEC, MAXSYMLINKS, NAME_MAX, PATH_MAX, isDir, isLnk } from './constants.ts';
import type { Errno } from './errno.ts';
import { sameLocation, type Location, type Mount } from './mount.ts';
import { err, ok, type Result } from './result.ts';
import type { Process } from './process.ts';
import type { FsInode } from './vfs.ts';
import { ownerAttr } from './memory-fs.ts';

export interface NameiEnv {
  /** The mount whose mountpoint is `inode` inside `mnt`, if any. */
  mountedOn(mnt: Mount, inode: FsInode): Mount | undefined;
  /** inode_permission(): null or the errno. */
  permission(t: Process, loc: Location, mask: number): Errno | null;
  /** A symlink was followed: Linux touches its atime (pick_link → touch_atime, relatime rules). */
  linkFollowed(link: Location): void;
  /** may_follow_link() (fs.protected_symlinks): null or EACCES. */
  mayFollowLink(t: Process, dir: Location, link: Location): Errno | null;
  /** procfs magic links (/proc/PID/fd/N, root, cwd): where following leads, or undefined for an
   * ordinary symlink (nd_jump_link). */
  magicLink(t: Process, link: Location): Result<Location> | undefined;
}

export interface LookupOptions {
  /** Follow a symlink in the final component (not lstat / O_NOFOLLOW / AT_SYMLINK_NOFOLLOW). */
  follow: boolean;
}

/** The result of resolving everything but the last component (for create/unlink/rename). */
export interface ParentResult {
  parent: Location;
  /** Last component as a byte string; '' when the path named the start directory itself ("/"). */
  name: string;
  /** 'normal', '.', '..' or 'root' ("/" or a path of only slashes). */
  lastType: 'normal' | 'dot' | 'dotdot' | 'root';
  trailingSlash: boolean;
}

export class Namei {
  constructor(private readonly env: NameiEnv) {}

  private crossMounts(loc: Location): Location {
    let cur = loc;
    for (;;) {
      const m = this.env.mountedOn(cur.mnt, cur.inode);
      if (!m) return cur;
      cur = { mnt: m, inode: m.root };
    }
  }

  /** follow_dotdot(): stay at the process root; climb out of a mount at its root. */
  dotdot(t: Process, cur: Location): Location {
    let c = cur;
    for (;;) {
      if (sameLocation(c, t.fs.root)) return c;
      const isMntRoot = c.inode === c.mnt.root || (c.inode.sb === c.mnt.root.sb && c.inode.ino === c.mnt.root.ino);
      if (isMntRoot) {
        if (!c.mnt.parent || !c.mnt.mountpoint) return c;
        c = { mnt: c.mnt.parent, inode: c.mnt.mountpoint };
        continue;
      }
      return this.crossMounts({ mnt: c.mnt, inode: c.inode.parent() });
    }
  }

  private lookupOne(t: Process, dir: Location, name: string): Result<Location> {
    const perm = this.env.permission(t, dir, MAY_EXEC);
    if (perm) return err(perm);
    if (name === '.') return ok(dir);
    if (name === '..') return ok(this.dotdot(t, dir));
    if (name.length > NAME_MAX) return err('ENAMETOOLONG');
    const r = dir.inode.lookup(name);
    if (!r.ok) return r.errno === 'EAGAIN' ? err('EIO') : err(r.errno);
    return ok(this.crossMounts({ mnt: dir.mnt, inode: r.value, via: { dir: dir.inode, name } }));
  }

  /**
   * Walk `path` from `start` (the cwd or a dirfd) and return the parent of the last component.
   * Symlinks in leading components are followed; the last component is not looked up.
   */
  walkParent(t: Process, start: Location, path: string, links = { n: 0 }): Result<ParentResult> {
    if (path.length === 0) return err('ENOENT');
    if (path.length >= PATH_MAX) return err('ENAMETOOLONG');
    let cur = path.charCodeAt(0) === 47 ? t.fs.root : start;
    // Components between slashes (empty ones skipped), walked as they are found: no list per walk
    // (perf: every path syscall). The last one is the name; a slash after it is a trailing slash.
    const n = path.length;
    let i = 0;
    while (i < n && path.charCodeAt(i) === 47) i++;
    if (i === n) return ok({ parent: cur, name: '', lastType: 'root', trailingSlash: false });
    let last: string;
    let trailingSlash: boolean;
    for (;;) {
      let j = i;
      while (j < n && path.charCodeAt(j) !== 47) j++;
      let k = j;
      while (k < n && path.charCodeAt(k) === 47) k++;
      if (k === n) {
        last = path.slice(i, j);
        trailingSlash = j < n;
        break;
      }
      const r = this.step(t, cur, path.slice(i, j), links, true);
      if (!r.ok) return r;
      cur = r.value;
      i = k;
    }
    if (!isDir(ownerAttr(cur.inode).mode)) return err('ENOTDIR');
    // The final component's parent needs search permission as well (may_lookup in link_path_walk).
    const perm = this.env.permission(t, cur, MAY_EXEC);
    if (perm) return err(perm);
    if (last.length > NAME_MAX) return err('ENAMETOOLONG');
    return ok({
      parent: cur,
      name: last,
      lastType: last === '.' ? 'dot' : last === '..' ? 'dotdot' : 'normal',
      trailingSlash,
    });
  }

  /** One non-final component: must be a directory after following symlinks. */
  private step(t: Process, cur: Location, name: string, links: { n: number }, mustBeDir: boolean): Result<Location> {
    if (!isDir(ownerAttr(cur.inode).mode)) return err('ENOTDIR');
    const r = this.lookupOne(t, cur, name);
    if (!r.ok) return r;
    let next = r.value;
    const mode = ownerAttr(next.inode).mode;
    if (isLnk(mode)) {
      const f = this.followLink(t, cur, next, links);
      if (!f.ok) return f;
      next = f.value;
    }
    if (mustBeDir && !isDir(ownerAttr(next.inode).mode)) return err('ENOTDIR');
    return ok(next);
  }

  /** Resolve a symlink found in directory `dir`: relative targets from `dir`, absolute from the
   * process root; the whole target is resolved with its last component followed. */
  followLink(t: Process, dir: Location, link: Location, links: { n: number }): Result<Location> {
    if (++links.n > MAXSYMLINKS) return err('ELOOP');
    const denied = this.env.mayFollowLink(t, dir, link);
    if (denied) return err(denied);
    const magic = this.env.magicLink(t, link);
    if (magic) return magic;
    const tr = link.inode.readlink();
    if (!tr.ok) return err(tr.errno);
    this.env.linkFollowed(link);
    const target = tr.value;
    if (target.length === 0) return err('ENOENT');
    return this.resolveFrom(t, dir, target, { follow: true }, links);
  }

  /** Full lookup of `path` from `start`. */
  resolve(t: Process, start: Location, path: string, opts: LookupOptions): Result<Location> {
    return this.resolveFrom(t, start, path, opts, { n: 0 });
  }

  private resolveFrom(t: Process, start: Location, path: string, opts: LookupOptions, links: { n: number }): Result<Location> {
    const p = this.walkParent(t, start, path, links);
    if (!p.ok) return p;
    const { parent, name, lastType, trailingSlash } = p.value;
    if (lastType === 'root') return ok(parent);
    const r = this.lookupOne(t, parent, name);
    if (!r.ok) return r;
    let loc = r.value;
    const mode = ownerAttr(loc.inode).mode;
    if (isLnk(mode) && (opts.follow || trailingSlash)) {
      const f = this.followLink(t, parent, loc, links);
      if (!f.ok) return f;
      loc = f.value;
    }
    if (trailingSlash && !isDir(ownerAttr(loc.inode).mode)) return err('ENOTDIR');
    return ok(loc);
  }
}
