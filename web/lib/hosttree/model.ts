// The host-tree panel's model (issue 5 §1): the flat, depth-first sim/host dumpTree listing turned
// into a tree, `ls -l`-style columns, "which process has what open" from Kernel.listOpenFds(), and
// the WAI-ARIA tree keyboard rules (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/) as a pure
// function, so they are tested without a browser. No DOM here.
import type { TreeNode } from '../../../sim/host/tree.ts';
import type { OpenFdInfo } from '../../../sim/host/kernel.ts';

export interface HostItem {
  node: TreeNode;
  /** Last path component ('/' for the root). */
  name: string;
  /** Absolute path in the host's namespace ('/srv/export/f'); dumpTree paths are relative to '/'. */
  path: string;
  parent: HostItem | null;
  children: HostItem[];
}

/** The tree of a dumpTree('/') listing (parents come before their children: dumpTree is depth first). */
export function buildHostTree(nodes: readonly TreeNode[]): HostItem | null {
  const byPath = new Map<string, HostItem>();
  let root: HostItem | null = null;
  for (const n of nodes) {
    const cut = n.path.lastIndexOf('/');
    if (n.path === '') {
      root = { node: n, name: '/', path: '/', parent: null, children: [] };
      byPath.set('', root);
      continue;
    }
    const parent = byPath.get(cut < 0 ? '' : n.path.slice(0, cut));
    if (!parent) continue; // cut off by dumpTree's maxEntries
    const item: HostItem = { node: n, name: n.path.slice(cut + 1), path: `/${n.path}`, parent, children: [] };
    parent.children.push(item);
    byPath.set(n.path, item);
  }
  return root;
}

const TYPE_CHAR: Record<string, string> = { file: '-', dir: 'd', symlink: 'l', fifo: 'p', chardev: 'c', blockdev: 'b', socket: 's' };

/** `ls -l`'s mode column (coreutils filemode.c): setuid/setgid/sticky as s/S, t/T over the x bits. */
export function modeString(n: Pick<TreeNode, 'type' | 'mode'>): string {
  const m = n.mode;
  const r = (bit: number, ch: string) => (m & bit ? ch : '-');
  const x = (bit: number, special: number, set: string, unset: string) => (m & special ? (m & bit ? set : unset) : m & bit ? 'x' : '-');
  return `${TYPE_CHAR[n.type] ?? '?'}${r(0o400, 'r')}${r(0o200, 'w')}${x(0o100, 0o4000, 's', 'S')}${r(0o40, 'r')}${r(0o20, 'w')}${x(0o10, 0o2000, 's', 'S')}${r(0o4, 'r')}${r(0o2, 'w')}${x(0o1, 0o1000, 't', 'T')}`;
}

/** The size column; device nodes show `major,minor` instead, as ls does (glibc gnu_dev_major/minor). */
export function sizeColumn(n: Pick<TreeNode, 'size' | 'rdev'>): string {
  if (n.rdev === undefined) return String(n.size);
  const major = Number((n.rdev >> 8n) & 0xfffn) | Number((n.rdev >> 32n) & 0xfffff000n);
  const minor = Number(n.rdev & 0xffn) | Number((n.rdev >> 12n) & 0xffffff00n);
  return `${major},${minor}`;
}

/** `mode uid:gid size` — numeric ids: the simulated host has no passwd database. */
export const infoColumns = (n: TreeNode): string => `${modeString(n)} ${n.uid}:${n.gid} ${sizeColumn(n)}`;

/**
 * Open fds by the absolute path they name. Anonymous objects (`socket:[N]`, `pipe:[N]`) have no
 * place in the tree; an unlinked-but-open file is listed by the kernel as 'PATH (deleted)'
 * (as /proc/PID/fd shows it) and is no longer in the tree either, so both are left to `unplaced`.
 */
export function openFdsByPath(fds: readonly OpenFdInfo[]): { byPath: Map<string, OpenFdInfo[]>; unplaced: OpenFdInfo[] } {
  const byPath = new Map<string, OpenFdInfo[]>();
  const unplaced: OpenFdInfo[] = [];
  for (const f of fds) {
    if (!f.path.startsWith('/') || f.path.endsWith(' (deleted)')) { unplaced.push(f); continue; }
    const list = byPath.get(f.path) ?? [];
    list.push(f);
    byPath.set(f.path, list);
  }
  return { byPath, unplaced };
}

/** `comm[pid] fd N` — how lsof/ps name a process, so the helper and QEMU are told apart at a glance. */
export const fdLabel = (f: OpenFdInfo): string => `${f.comm}[${f.pid}] fd ${f.fd}`;

/** Directories shown open at first: the root and every directory on the way to (and including) `open`. */
export function initialExpanded(root: HostItem | null, open: string): Set<string> {
  const out = new Set<string>(['/']);
  if (!root) return out;
  const parts = open.split('/').filter(Boolean);
  let p = '';
  for (const part of parts) { p += `/${part}`; out.add(p); }
  return out;
}

/** The items a reader can reach now (in document order): children of collapsed directories are hidden. */
export function visibleItems(root: HostItem | null, expanded: ReadonlySet<string>): HostItem[] {
  const out: HostItem[] = [];
  const walk = (i: HostItem) => {
    out.push(i);
    if (i.node.type === 'dir' && expanded.has(i.path)) for (const c of i.children) walk(c);
  };
  if (root) walk(root);
  return out;
}

export type TreeKeyResult = { focus?: string; expand?: string; collapse?: string } | null;

/** What a key does on the focused item (APG tree view); null: not ours, let the browser have it. */
export function treeKey(key: string, focused: string, root: HostItem | null, expanded: ReadonlySet<string>): TreeKeyResult {
  const items = visibleItems(root, expanded);
  const i = items.findIndex((x) => x.path === focused);
  if (i < 0) return items.length ? { focus: items[0]!.path } : null;
  const cur = items[i]!;
  const isDir = cur.node.type === 'dir';
  const isOpen = isDir && expanded.has(cur.path);
  switch (key) {
    case 'ArrowDown': return i + 1 < items.length ? { focus: items[i + 1]!.path } : {};
    case 'ArrowUp': return i > 0 ? { focus: items[i - 1]!.path } : {};
    case 'Home': return { focus: items[0]!.path };
    case 'End': return { focus: items[items.length - 1]!.path };
    case 'ArrowRight':
      if (!isDir) return {};
      if (!isOpen) return { expand: cur.path };
      return cur.children.length ? { focus: cur.children[0]!.path } : {};
    case 'ArrowLeft':
      if (isOpen && cur.parent) return { collapse: cur.path };
      return cur.parent ? { focus: cur.parent.path } : {};
    case 'Enter':
    case ' ':
      if (!isDir || !cur.parent) return {};
      return isOpen ? { collapse: cur.path } : { expand: cur.path };
    default: return null;
  }
}
