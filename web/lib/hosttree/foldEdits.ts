// The host-tree panel's edits (hostEdit.ts) folded into a scenario's host tree (FORMAT.md entries,
// absolute paths; sim/scenario validate.ts checkTree), so an exported scenario file opens with them
// (web/lib/scenariofile/scenarioFile.ts withHostEdits). The session applies the edits after the
// launch; a tree entry exists before it — the same files for the guest, which only sees the export
// after the launch anyway.
//
// Each edit is said the way the kernel did it, on the tree's own entries:
// - write keeps an existing file's mode and owner (O_TRUNC does); a new file is 0644 root:root and a
//   new directory 0755 (umask 022);
// - chmod sets the permission bits of the inode (every hard link of it: `hardlink_of`);
// - chown sets uid/gid (-1 keeps one) and, on a non-directory, clears S_ISUID, and S_ISGID when
//   group-executable — what the kernel's chown does even for root (sim/host kernel.ts doChown);
// - rename moves the entry and everything under it; a replaced target goes, a rename between two
//   links of one inode does nothing (rename(2): "If oldpath and newpath are existing hard links
//   referring to the same file, then rename() does nothing").
// What a tree cannot say goes in `lost` (the page lists it on export): an edit of a path the tree
// does not hold (the lab's own files), a ".." the kernel resolved through the namespace, a chmod or
// write that followed a symlink, a path under a symlink of the tree — and a delete or rename of the
// export directory or one of its ancestors (or onto one): the helper and QEMU are given the export at
// the launch (the helper chroots into it, real-helper.md), so swapping it after the launch is not
// swapping it before; in a tree it would be the latter, and the launch would not find its export.
import type { HostEdit } from './hostEdit.ts';
import { bytesToBase64 } from '../wasi/base64.ts';

/** A scenario tree entry as the file holds it (the JSON object; `path` required, as checkTree wants). */
export type TreeEntryJson = Record<string, unknown> & { path: string };

const S_ISUID = 0o4000; // sim/host/constants.ts; not imported: this module only folds JSON
const S_ISGID = 0o2000;
const S_IXGRP = 0o010;

/** How the page names an edit it could not fold (short: the list is one line), with why when it is not plain "not in the tree". */
export function describeEdit(e: HostEdit, why?: string): string {
  const what = e.op === 'chmod' ? `chmod ${e.mode.toString(8).padStart(4, '0')} ${e.path}`
    : e.op === 'chown' ? `chown ${e.uid}:${e.gid} ${e.path}`
    : e.op === 'rename' ? `rename ${e.path} to ${e.to}`
    : `${e.op} ${e.path}`;
  return why ? `${what} (${why})` : what;
}

/**
 * The path as a tree entry spells it: "//", "." and a trailing "/" are spelling only (the kernel's
 * walk skips them); ".." depends on what the walk met (a symlink, a mount), so it has no spelling
 * here (null). The root is "/", which no entry names (checkTree).
 */
export function treePath(p: string): string | null {
  if (!p.startsWith('/')) return null;
  const parts = p.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.includes('..')) return null;
  return `/${parts.join('/')}`;
}

const depth = (p: string) => p.split('/').length;
const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

class Tree {
  constructor(public entries: TreeEntryJson[]) {}

  find(path: string): TreeEntryJson | undefined { return this.entries.find((x) => x.path === path); }

  /** Entries by path (a tree has thousands at most; rebuilt per operation, not kept in step). */
  index(): Map<string, TreeEntryJson> { return new Map(this.entries.map((x) => [x.path, x])); }

  /** The entry that describes the inode: `hardlink_of` followed (a link may name a link). */
  primary(e: TreeEntryJson, byPath = this.index()): TreeEntryJson {
    let cur = e;
    for (let guard = 0; typeof cur['hardlink_of'] === 'string' && guard < byPath.size; guard++) {
      const next = byPath.get(cur['hardlink_of']);
      if (!next) break;
      cur = next;
    }
    return cur;
  }

  /** Every entry of the inode `e` is (its primary and all the links to it), in array order. */
  group(e: TreeEntryJson): TreeEntryJson[] {
    const byPath = this.index();
    const p = this.primary(e, byPath);
    return this.entries.filter((x) => this.primary(x, byPath) === p);
  }

  /** Is a proper ancestor of `path` a symlink of the tree? Then the entry path would not name what the kernel touched. */
  underSymlink(path: string): boolean {
    return this.entries.some((x) => x['type'] === 'symlink' && path.startsWith(`${x.path}/`));
  }

  /** The entry set on the inode (the primary and its links alike, so the file stays self-consistent). */
  setAttrs(e: TreeEntryJson, f: (x: TreeEntryJson) => Partial<TreeEntryJson>): void {
    const g = new Set(this.group(e));
    const attrs = f(this.primary(e));
    this.entries = this.entries.map((x) => (g.has(x) ? { ...x, ...attrs } : x));
  }

  /**
   * Remove `path` and everything under it. A link left behind whose inode described itself on a
   * removed entry becomes the primary (the first such link, so the others still name an earlier
   * entry, as checkTree wants): unlinking one name of a file keeps the file.
   */
  remove(path: string): void {
    const gone = new Set(this.entries.filter((x) => under(x.path, path)));
    if (!gone.size) return;
    const goneNames = new Set([...gone].map((x) => x.path));
    const byPath = this.index();
    const primaryOf = new Map(this.entries.map((x) => [x, this.primary(x, byPath)] as const));
    const promoted = new Map<TreeEntryJson, string>(); // a removed primary → the name now describing its inode
    this.entries = this.entries.filter((x) => !gone.has(x)).map((x) => {
      const p = primaryOf.get(x)!;
      if (p === x) return x;
      if (!gone.has(p)) return goneNames.has(x['hardlink_of'] as string) ? { ...x, hardlink_of: p.path } : x;
      const to = promoted.get(p);
      if (to !== undefined) return { ...x, hardlink_of: to };
      promoted.set(p, x.path);
      const { hardlink_of: _h, path: _p, ...body } = p;
      return { ...body, path: x.path } as TreeEntryJson;
    });
  }

  /** Every path (and `hardlink_of`) at or under `from` now at or under `to`, in place in the array. */
  move(from: string, to: string): void {
    const re = (p: string) => (under(p, from) ? to + p.slice(from.length) : p);
    this.entries = this.entries.map((x) => {
      const h = x['hardlink_of'];
      const moved = { ...x, path: re(x.path) };
      return typeof h === 'string' ? { ...moved, hardlink_of: re(h) } : moved;
    });
  }

  /**
   * sim/scenario loadTree creates entries shallowest first (a stable sort by depth), so an inode's
   * primary must be no deeper than its links, and before them in the array (checkTree). A rename can
   * break that: then the shallowest name describes the inode, at the group's first array slot.
   */
  fixLinkOrder(): void {
    if (!this.entries.some((x) => typeof x['hardlink_of'] === 'string')) return;
    const byPath = this.index();
    const groups = new Map<TreeEntryJson, number[]>(); // primary → array slots of its names, ascending
    this.entries.forEach((x, i) => {
      const p = this.primary(x, byPath);
      const slots = groups.get(p);
      if (slots) slots.push(i); else groups.set(p, [i]);
    });
    const out = [...this.entries];
    for (const [p, slots] of groups) {
      if (slots.length < 2) continue;
      const g = slots.map((i) => this.entries[i]!);
      const best = g.reduce((a, b) => (depth(b.path) < depth(a.path) ? b : a));
      if (best === p) continue; // g[0] is the primary (checkTree: links come after it); a tie keeps it
      const { hardlink_of: _h, path: _p, ...body } = p;
      const link = (x: TreeEntryJson): TreeEntryJson => ({ path: x.path, type: body['type'], mode: body['mode'], uid: body['uid'], gid: body['gid'], hardlink_of: best.path });
      const next = [{ ...body, path: best.path } as TreeEntryJson, ...g.filter((x) => x !== best).map(link)];
      slots.forEach((slot, i) => { out[slot] = next[i]!; });
    }
    this.entries = out;
  }
}

/**
 * The edits, in order, on a copy of the tree; `lost` names (describeEdit) what the tree cannot say.
 * exportDir: the scenario's `host.export` (edits that move or remove it, or a directory above it, are lost).
 */
export function foldHostEdits(tree: readonly TreeEntryJson[], edits: readonly HostEdit[], exportDir?: string): { tree: TreeEntryJson[]; lost: string[] } {
  const t = new Tree([...tree]);
  const lost: string[] = [];
  const exp = exportDir === undefined ? null : treePath(exportDir);
  const holdsExport = (p: string) => exp !== null && under(exp, p);
  for (const e of edits) {
    const path = treePath(e.path);
    const to = e.op === 'rename' ? treePath(e.to) : '';
    // The root is not a tree entry; ".." and a path under a symlink name something else than they spell.
    if (path === null || path === '/' || to === null || to === '/') { lost.push(describeEdit(e, 'a path the tree cannot spell')); continue; }
    if (t.underSymlink(path) || (to && t.underSymlink(to))) { lost.push(describeEdit(e, 'through a symlink')); continue; }
    if ((e.op === 'rename' || e.op === 'delete') && (holdsExport(path) || (to && holdsExport(to)))) { lost.push(describeEdit(e, 'the export directory is bound at the launch')); continue; }
    const entry = t.find(path);
    switch (e.op) {
      case 'delete':
        if (entry) t.remove(path);
        else lost.push(describeEdit(e));
        break;
      case 'mkdir':
        if (entry) lost.push(describeEdit(e, 'the tree already has it'));
        else t.entries.push({ path, type: 'dir', mode: 0o755, uid: 0, gid: 0 });
        break;
      case 'write': {
        // open(2) follows a symlink; a FIFO or device entry's content is what reading it returns, not what was written.
        if (entry && t.primary(entry)['type'] !== 'file') { lost.push(describeEdit(e, `open follows or writes the ${String(t.primary(entry)['type'])}`)); break; }
        let text: string | null = null;
        try { text = new TextDecoder('utf-8', { fatal: true }).decode(e.content); } catch { /* binary: content_b64 */ }
        const body = text !== null ? { content: text } : { content_b64: bytesToBase64(e.content) };
        if (entry) {
          const p = t.primary(entry);
          const { content: _c, content_b64: _b, ...keep } = p;
          t.entries = t.entries.map((x) => (x === p ? ({ ...keep, ...body } as TreeEntryJson) : x));
        } else t.entries.push({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, ...body });
        break;
      }
      case 'chmod':
        // chmod(2) follows a final symlink: the tree's symlink entry is not what changed.
        if (!entry) { lost.push(describeEdit(e)); break; }
        if (entry['type'] === 'symlink') { lost.push(describeEdit(e, 'chmod follows the symlink')); break; }
        t.setAttrs(entry, () => ({ mode: e.mode }));
        break;
      case 'chown':
        if (!entry) { lost.push(describeEdit(e)); break; }
        t.setAttrs(entry, (p) => {
          let mode = p['mode'] as number;
          if (p['type'] !== 'dir') {
            mode &= ~S_ISUID;
            if ((mode & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP)) mode &= ~S_ISGID;
          }
          return { mode, ...(e.uid !== -1 ? { uid: e.uid } : {}), ...(e.gid !== -1 ? { gid: e.gid } : {}) };
        });
        break;
      case 'rename': {
        if (!entry) { lost.push(describeEdit(e)); break; }
        if (to === path) break;
        const target = t.find(to);
        if (target && t.primary(target) === t.primary(entry)) break; // two names of one inode: nothing happens
        if (target) t.remove(to);
        t.move(path, to);
        t.fixLinkOrder();
        break;
      }
    }
  }
  return { tree: t.entries, lost };
}
