// @vitest-environment happy-dom
// The host-tree panel (web/lib/hosttree): a real simulated host (sim/host Kernel, dumpTree,
// listOpenFds) rendered as a WAI-ARIA tree: ls -l columns, symlink targets, device numbers, the
// process that has a file open, and the APG keyboard rules.
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import HostTree from '../../web/lib/hosttree/HostTree.svelte';
import { buildHostTree, initialExpanded, modeString, openFdsByPath, sizeColumn, treeKey, visibleItems } from '../../web/lib/hosttree/model.ts';
import { Kernel, O_CREAT, O_RDWR, O_RDONLY, unwrap, makedev, S_IFCHR } from '../../sim/host/index.ts';
import { dumpTree } from '../../sim/host/tree.ts';

function host() {
  const k = new Kernel({ rootFs: 'ext4', seed: 1 });
  const init = k.init;
  unwrap(k.mkdir(init, '/srv', 0o755));
  unwrap(k.mkdir(init, '/srv/export', 0o1777));
  unwrap(k.mkdir(init, '/etc', 0o755));
  const fd = unwrap(k.open(init, '/srv/export/hello.txt', O_CREAT | O_RDWR, 0o640));
  unwrap(k.write(init, fd, new TextEncoder().encode('hello\n')));
  unwrap(k.close(init, fd));
  unwrap(k.chown(init, '/srv/export/hello.txt', 1000, 100));
  unwrap(k.symlink(init, '/', '/srv/export/esc'));
  unwrap(k.mknod(init, '/srv/export/null', S_IFCHR | 0o666, makedev(1, 3)));
  const helper = k.spawn({ comm: 'virtfs-proxy-helper' });
  unwrap(k.open(helper, '/srv/export/hello.txt', O_RDONLY, 0));
  unwrap(k.open(helper, '/etc', O_RDONLY, 0)); // a directory fd, as the helper's export root is
  return { k };
}

describe('host tree model', () => {
  it('ls -l columns: type, permission bits with setuid/sticky letters, device numbers', () => {
    expect(modeString({ type: 'dir', mode: 0o1777 })).toBe('drwxrwxrwt');
    expect(modeString({ type: 'file', mode: 0o4754 })).toBe('-rwsr-xr--');
    expect(modeString({ type: 'file', mode: 0o2640 })).toBe('-rw-r-S---');
    expect(sizeColumn({ size: 0, rdev: makedev(1, 3) })).toBe('1,3');
    expect(sizeColumn({ size: 0, rdev: makedev(259, 70000) })).toBe('259,70000');
    expect(sizeColumn({ size: 42 })).toBe('42');
  });

  it('places each open fd on the file it names; sockets, pipes and deleted files are not in the tree', () => {
    const { k } = host();
    const { byPath, unplaced } = openFdsByPath([...k.listOpenFds(), { pid: 9, comm: 'x', fd: 3, cloexec: false, description: 1, kind: 'regular', path: '/tmp/f (deleted)', flags: 0, pos: 0 }]);
    expect(byPath.get('/srv/export/hello.txt')!.map((f) => f.comm)).toEqual(['virtfs-proxy-helper']);
    expect(unplaced.map((f) => f.path)).toEqual(['/tmp/f (deleted)']);
  });

  it('keyboard: arrows move through visible items, Right/Left open, enter and leave directories', () => {
    const { k } = host();
    const root = buildHostTree(dumpTree(k, '/'));
    let expanded = initialExpanded(root, '/srv/export');
    expect([...expanded]).toEqual(['/', '/srv', '/srv/export']);
    expect(visibleItems(root, expanded).map((i) => i.path)).toEqual(['/', '/etc', '/srv', '/srv/export', '/srv/export/esc', '/srv/export/hello.txt', '/srv/export/null']);
    expect(treeKey('ArrowDown', '/', root, expanded)).toEqual({ focus: '/etc' });
    expect(treeKey('ArrowRight', '/etc', root, expanded)).toEqual({ expand: '/etc' });
    expect(treeKey('ArrowLeft', '/srv/export', root, expanded)).toEqual({ collapse: '/srv/export' });
    expect(treeKey('ArrowLeft', '/srv/export/esc', root, expanded)).toEqual({ focus: '/srv/export' });
    expect(treeKey('ArrowRight', '/srv', root, expanded)).toEqual({ focus: '/srv/export' });
    expect(treeKey('End', '/', root, expanded)).toEqual({ focus: '/srv/export/null' });
    expect(treeKey('ArrowDown', '/srv/export/null', root, expanded)).toEqual({});
    expect(treeKey('Enter', '/srv', root, expanded)).toEqual({ collapse: '/srv' });
    expect(treeKey('a', '/srv', root, expanded)).toBeNull();
    expanded = new Set(['/']);
    expect(visibleItems(root, expanded).map((i) => i.path)).toEqual(['/', '/etc', '/srv']);
  });
});

describe('HostTree component', () => {
  it('renders a tree with owners, modes, symlink targets and who has what open', () => {
    const { k } = host();
    const { container, getByRole } = render(HostTree, { props: { nodes: dumpTree(k, '/'), openFds: k.listOpenFds(), open: '/srv/export' } });
    const tree = getByRole('tree');
    expect(tree.getAttribute('aria-label')).toBe('Host files');
    const item = (p: string) => container.querySelector(`[role=treeitem][data-path="${p}"]`)!;
    expect(item('/srv/export').getAttribute('aria-expanded')).toBe('true');
    expect(item('/etc').getAttribute('aria-expanded')).toBe('false');
    expect(item('/srv/export/hello.txt').hasAttribute('aria-expanded')).toBe(false);
    const row = (p: string) => item(p).querySelector('.row')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(row('/srv/export')).toBe('▾drwxr-xr-t 0:0 4096 export/') // mkdir 01777 under init's umask 022;
    expect(row('/srv/export/hello.txt')).toBe('-rw-r----- 1000:100 6 hello.txt virtfs-proxy-helper[2] fd 0');
    expect(row('/srv/export/esc')).toBe('lrwxrwxrwx 0:0 1 esc → /');
    expect(row('/srv/export/null')).toBe('crw-r--r-- 0:0 1,3 null') // umask 022 applies to mknod too;
    expect(container.querySelector('[data-testid=unplaced-fds]')).toBeNull();
    expect(item('/etc').querySelector('.row [data-testid=open-fd]')!.textContent).toBe('virtfs-proxy-helper[2] fd 1');
    expect(item('/srv').querySelector(':scope > .row [data-testid=open-fd]')).toBeNull();
    // One Tab stop: only the focused item is in the tab order.
    expect([...container.querySelectorAll('[role=treeitem][tabindex="0"]')].map((e) => e.getAttribute('data-path'))).toEqual(['/']);
  });

  it('folds and unfolds with the keyboard and the mouse', async () => {
    const { k } = host();
    const { container, getByRole } = render(HostTree, { props: { nodes: dumpTree(k, '/'), openFds: k.listOpenFds(), open: '/srv/export' } });
    const tree = getByRole('tree');
    const item = (p: string) => container.querySelector(`[role=treeitem][data-path="${p}"]`);
    await fireEvent.keyDown(tree, { key: 'ArrowDown' });
    expect(item('/etc')!.getAttribute('tabindex')).toBe('0');
    expect((globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement).toBe(item('/etc'));
    await fireEvent.keyDown(tree, { key: 'ArrowDown' });
    await fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(item('/srv')!.getAttribute('aria-expanded')).toBe('false');
    expect(item('/srv/export')).toBeNull();
    await fireEvent.click(item('/srv')!.querySelector('.row')!);
    expect(item('/srv')!.getAttribute('aria-expanded')).toBe('true');
    expect(item('/srv/export')).not.toBeNull();
  });
});
