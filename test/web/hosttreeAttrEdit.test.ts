// chmod, chown and rename from the host-tree panel (web/lib/hosttree/hostEdit.ts) on a real
// simulated kernel — the kernel's own fchmodat/fchownat/renameat2 answer, errno as data — in a
// scenario session (kept by a restart, web/lib/sim/scenarioSession.ts), and folded into an exported
// host tree (web/lib/hosttree/foldEdits.ts via scenarioFile.ts withHostEdits). The fold is checked
// against the kernel itself: the exported file, opened, gives the host the live session had.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { applyHostEdit, type HostEdit } from '../../web/lib/hosttree/hostEdit.ts';
import { treePath, type TreeEntryJson } from '../../web/lib/hosttree/foldEdits.ts';
import { hostEdit, openScenario, restartScenario, type ScenarioSnapshot } from '../../web/lib/sim/scenarioSession.ts';
import { exportScenarioWithEdits, withHostEdits } from '../../web/lib/scenariofile/scenarioFile.ts';
import { presetInputs } from '../../web/lib/presets/presets.ts';
import { Kernel, unwrap } from '../../sim/host/index.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function kernel(): Kernel {
  const k = new Kernel({ rootFs: 'ext4', seed: 1 });
  for (const d of ['/srv', '/srv/a', '/srv/a/sub', '/srv/b', '/srv/empty']) unwrap(k.mkdir(k.init, d, 0o755));
  expect(applyHostEdit(k, { op: 'write', path: '/srv/b/f', content: enc('f') })).toEqual({ ok: true });
  unwrap(k.symlink(k.init, '/srv/b/f', '/srv/l'));
  return k;
}
const perm = (k: Kernel, p: string) => unwrap(k.lstat(k.init, p)).mode & 0o7777;

describe('applyHostEdit: chmod', () => {
  it('sets the permission bits with the special bits, follows a final symlink, records fchmodat', () => {
    const k = kernel();
    const calls: string[] = [];
    k.observe((r) => { if (r.syscall !== 'lstat') calls.push(`${r.syscall} ${String(r.args['path'])} ${String(r.args['mode'])} ${r.pid}`); });
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/a', mode: 0o555 })).toEqual({ ok: true });
    expect(perm(k, '/srv/a')).toBe(0o555);
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/a', mode: 0o7777 })).toEqual({ ok: true });
    expect(perm(k, '/srv/a')).toBe(0o7777);
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/l', mode: 0o4700 })).toEqual({ ok: true });
    expect(perm(k, '/srv/b/f')).toBe(0o4700);
    expect(perm(k, '/srv/l')).toBe(0o777);
    // Syscalls of the host's init, in its stream like `host:` lines.
    expect(calls).toEqual(['fchmodat /srv/a 0555 1', 'fchmodat /srv/a 07777 1', 'fchmodat /srv/l 04700 1']);
  });

  it('refuses with the kernel errno (ENOENT, ENOTDIR) and a bad mode with EINVAL before any syscall', () => {
    const k = kernel();
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/nope', mode: 0o755 })).toEqual({ ok: false, errno: 'ENOENT', message: 'chmod /srv/nope: chmod: ENOENT (No such file or directory)' });
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/b/f/x', mode: 0o755 })).toMatchObject({ ok: false, errno: 'ENOTDIR' });
    unwrap(k.symlink(k.init, '/srv/dangling', '/srv/d2'));
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/d2', mode: 0o755 })).toMatchObject({ ok: false, errno: 'ENOENT' });
    let records = 0;
    k.observe(() => { records++; });
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/a', mode: 0o10000 })).toEqual({ ok: false, errno: 'EINVAL', message: 'chmod /srv/a: mode 0o10000 is not permission bits (an integer 0..0o7777)' });
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/a', mode: -1 })).toMatchObject({ ok: false, errno: 'EINVAL', message: 'chmod /srv/a: mode -1 is not permission bits (an integer 0..0o7777)' });
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/a', mode: 0.5 })).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/a', mode: Number.NaN })).toMatchObject({ ok: false, errno: 'EINVAL', message: 'chmod /srv/a: mode NaN is not permission bits (an integer 0..0o7777)' });
    expect(applyHostEdit(k, { op: 'chmod', path: 'srv/a', mode: 0o755 })).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(records).toBe(0);
    expect(perm(k, '/srv/a')).toBe(0o755);
  });
});

describe('applyHostEdit: chown', () => {
  it('changes owner and group, -1 keeps one, does not follow a final symlink, clears S_ISUID as Linux does for root', () => {
    const k = kernel();
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/a', uid: 1000, gid: 100 })).toEqual({ ok: true });
    expect(unwrap(k.lstat(k.init, '/srv/a'))).toMatchObject({ uid: 1000, gid: 100 });
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/a', uid: -1, gid: 7 })).toEqual({ ok: true });
    expect(unwrap(k.lstat(k.init, '/srv/a'))).toMatchObject({ uid: 1000, gid: 7 });
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/a', uid: 4294967294, gid: -1 })).toEqual({ ok: true });
    expect(unwrap(k.lstat(k.init, '/srv/a'))).toMatchObject({ uid: 4294967294, gid: 7 });
    // lchown: the link itself.
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/l', uid: 5, gid: 6 })).toEqual({ ok: true });
    expect(unwrap(k.lstat(k.init, '/srv/l'))).toMatchObject({ uid: 5, gid: 6 });
    expect(unwrap(k.lstat(k.init, '/srv/b/f'))).toMatchObject({ uid: 0, gid: 0 });
    // A set-id file loses S_ISUID, and S_ISGID with group-execute; a directory keeps both.
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/b/f', mode: 0o6755 })).toEqual({ ok: true });
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/b/f', uid: -1, gid: -1 })).toEqual({ ok: true });
    expect(perm(k, '/srv/b/f')).toBe(0o755);
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/b/f', mode: 0o6745 })).toEqual({ ok: true });
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/b/f', uid: 1, gid: -1 })).toEqual({ ok: true });
    expect(perm(k, '/srv/b/f')).toBe(0o2745); // S_ISGID without g+x is mandatory locking, kept
    expect(applyHostEdit(k, { op: 'chmod', path: '/srv/b', mode: 0o6755 })).toEqual({ ok: true });
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/b', uid: 2, gid: 2 })).toEqual({ ok: true });
    expect(perm(k, '/srv/b')).toBe(0o6755);
  });

  it('refuses with the kernel errno and bad ids with EINVAL', () => {
    const k = kernel();
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/nope', uid: 1, gid: 1 })).toEqual({ ok: false, errno: 'ENOENT', message: 'chown /srv/nope: lchown: ENOENT (No such file or directory)' });
    // A trailing slash makes even lchown follow the link: to a file, so ENOTDIR (path_lookupat, LOOKUP_FOLLOW).
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/l/', uid: 1, gid: 1 })).toMatchObject({ ok: false, errno: 'ENOTDIR', message: 'chown /srv/l/: lchown: ENOTDIR (Not a directory)' });
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/a', uid: 4294967295, gid: 0 })).toEqual({ ok: false, errno: 'EINVAL', message: 'chown /srv/a: uid 4294967295 is not an id (an integer -1..4294967294; -1 keeps it)' });
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/a', uid: 0, gid: -2 })).toEqual({ ok: false, errno: 'EINVAL', message: 'chown /srv/a: gid -2 is not an id (an integer -1..4294967294; -1 keeps it)' });
    expect(applyHostEdit(k, { op: 'chown', path: '/srv/a', uid: 1.5, gid: 0 })).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(unwrap(k.lstat(k.init, '/srv/a'))).toMatchObject({ uid: 0, gid: 0 });
  });
});

describe('applyHostEdit: rename', () => {
  it('moves files and directories, replaces a file or an empty directory, does nothing between two links of one inode', () => {
    const k = kernel();
    expect(applyHostEdit(k, { op: 'rename', path: '/srv/a', to: '/srv/a2' })).toEqual({ ok: true });
    expect(unwrap(k.lstat(k.init, '/srv/a2/sub')).mode & 0o170000).toBe(0o040000);
    expect(k.lstat(k.init, '/srv/a')).toMatchObject({ ok: false, errno: 'ENOENT' });
    expect(applyHostEdit(k, { op: 'rename', path: '/srv/a2/sub', to: '/srv/empty' })).toEqual({ ok: true });
    expect(k.lstat(k.init, '/srv/a2/sub')).toMatchObject({ ok: false });
    expect(applyHostEdit(k, { op: 'write', path: '/srv/g', content: enc('gg') })).toEqual({ ok: true });
    expect(applyHostEdit(k, { op: 'rename', path: '/srv/g', to: '/srv/b/f' })).toEqual({ ok: true });
    expect(unwrap(k.lstat(k.init, '/srv/b/f')).size).toBe(2);
    unwrap(k.link(k.init, '/srv/b/f', '/srv/h'));
    expect(applyHostEdit(k, { op: 'rename', path: '/srv/b/f', to: '/srv/h' })).toEqual({ ok: true });
    expect(unwrap(k.lstat(k.init, '/srv/b/f')).nlink).toBe(2); // rename(2): both names stay
    expect(unwrap(k.lstat(k.init, '/srv/h')).nlink).toBe(2);
  });

  it('refuses as rename(2) does: into its own subdirectory, over a non-empty directory, file/dir mismatches, the root', () => {
    const k = kernel();
    const no = (path: string, to: string) => applyHostEdit(k, { op: 'rename', path, to });
    expect(no('/srv/a', '/srv/a/sub/x')).toEqual({ ok: false, errno: 'EINVAL', message: 'rename /srv/a to /srv/a/sub/x: rename: EINVAL (Invalid argument)' });
    expect(no('/srv/a', '/srv/b')).toEqual({ ok: false, errno: 'ENOTEMPTY', message: 'rename /srv/a to /srv/b: rename: ENOTEMPTY (Directory not empty)' });
    expect(no('/srv/b/f', '/srv/a')).toMatchObject({ ok: false, errno: 'EISDIR' });
    expect(no('/srv/a', '/srv/b/f')).toMatchObject({ ok: false, errno: 'ENOTDIR' });
    expect(no('/srv/nope', '/srv/x')).toMatchObject({ ok: false, errno: 'ENOENT', message: 'rename /srv/nope to /srv/x: rename: ENOENT (No such file or directory)' });
    expect(no('/srv/b/f', '/nope/x')).toMatchObject({ ok: false, errno: 'ENOENT' });
    expect(no('/', '/srv/x')).toMatchObject({ ok: false, errno: 'EBUSY' }); // do_renameat2: last component not LAST_NORM
    expect(no('/srv/b/f', 'x')).toEqual({ ok: false, errno: 'EINVAL', message: 'rename /srv/b/f to x: the new name "x" must be an absolute path (start with /)' });
    expect(no('/srv/b/f', '/srv/x\0y')).toEqual({ ok: false, errno: 'EINVAL', message: 'rename /srv/b/f to /srv/x\0y: the new name contains a NUL byte' });
    expect(unwrap(k.lstat(k.init, '/srv/a/sub')).mode & 0o170000).toBe(0o040000);
    expect(unwrap(k.lstat(k.init, '/srv/b/f')).size).toBe(1);
  });
});

const PRESET = 'link--hardlink-survives-upgrade.json';
const raw = readFileSync(new URL(`../../public/presets/${PRESET}`, import.meta.url), 'utf8');
const inputs = presetInputs(JSON.parse(raw), PRESET);
const node = (s: ScenarioSnapshot, p: string) => s.host.find((n) => n.path === p.slice(1));

/** What the tree fixes of a host: every name's type, permission bits, owner, size, links, target. */
const shape = (s: ScenarioSnapshot) => s.host.map((n) => ({ path: n.path, type: n.type, mode: n.mode, uid: n.uid, gid: n.gid, size: n.size, nlink: n.nlink, target: n.target }));

function session(edits: HostEdit[]): ScenarioSnapshot {
  const opened = openScenario(raw, inputs);
  if (!opened.ok) throw new Error(opened.message);
  let s = opened.snapshot;
  for (const e of edits) {
    const r = hostEdit(s.session, e);
    if (!r.ok) throw new Error(r.message);
    s = r.snapshot;
  }
  return s;
}

describe('chmod, chown and rename in a scenario session', () => {
  it('show in the snapshot and are re-applied, in order, by a restart', () => {
    const s = session([
      { op: 'mkdir', path: '/srv/export/d' },
      { op: 'chmod', path: '/srv/export/d', mode: 0o555 },
      { op: 'chown', path: '/srv/export/hello.txt', uid: 1000, gid: -1 },
      { op: 'rename', path: '/srv/export/d', to: '/srv/export/swapped' },
    ]);
    expect(node(s, '/srv/export/swapped')).toMatchObject({ type: 'dir', mode: 0o555 });
    expect(node(s, '/srv/export/d')).toBeUndefined();
    expect(node(s, '/srv/export/hello.txt')).toMatchObject({ uid: 1000, gid: 0 });
    expect(s.hostEdits.map((e) => e.op)).toEqual(['mkdir', 'chmod', 'chown', 'rename']);
    const refused = hostEdit(s.session, { op: 'rename', path: '/srv/export', to: '/srv/export/swapped/x' });
    expect(refused).toEqual({ ok: false, message: 'rename /srv/export to /srv/export/swapped/x: rename: EINVAL (Invalid argument)' });
    const again = restartScenario(s.session);
    if (!again.ok) throw new Error(again.message);
    expect(again.snapshot.hostEdits).toEqual(s.hostEdits);
    expect(shape(again.snapshot)).toEqual(shape(s));
  });
});

describe('withHostEdits: chmod, chown, rename folded into the host tree', () => {
  const tree: TreeEntryJson[] = [
    { path: '/srv', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    { path: '/srv/d', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    { path: '/srv/d/f', type: 'file', mode: 0o4755, uid: 0, gid: 0, content: 'x' },
    { path: '/srv/d/e', type: 'dir', mode: 0o2775, uid: 0, gid: 0 },
    { path: '/srv/d/e/g', type: 'file', mode: 0o644, uid: 0, gid: 0 },
    { path: '/srv/l', type: 'symlink', mode: 0o777, uid: 0, gid: 0, target: 'd/f' },
    { path: '/srv/x', type: 'file', mode: 0o600, uid: 3, gid: 3, content: 'old' },
  ];
  const at = (t: TreeEntryJson[], p: string) => t.find((x) => x.path === p);

  it('chmod sets the mode; chown sets ids (-1 keeps) and clears set-id bits of a non-directory, as the kernel does', () => {
    const { tree: t, lost } = withHostEdits(tree, [
      { op: 'chmod', path: '/srv/d', mode: 0o555 },
      { op: 'chown', path: '/srv/d/f', uid: 1000, gid: -1 },
      { op: 'chown', path: '/srv/d/e', uid: -1, gid: 50 },
      { op: 'chown', path: '/srv/l', uid: 9, gid: 9 },
      { op: 'chmod', path: '/srv//d/./e/', mode: 0o3777 },
    ]);
    expect(lost).toEqual([]);
    expect(at(t, '/srv/d')).toEqual({ path: '/srv/d', type: 'dir', mode: 0o555, uid: 0, gid: 0 });
    expect(at(t, '/srv/d/f')).toMatchObject({ mode: 0o755, uid: 1000, gid: 0, content: 'x' });
    expect(at(t, '/srv/d/e')).toMatchObject({ mode: 0o3777, uid: 0, gid: 50 });
    expect(at(t, '/srv/l')).toMatchObject({ uid: 9, gid: 9, mode: 0o777 });
    expect(tree[1]!['mode']).toBe(0o755); // the input is not changed
  });

  it('rename moves the entry and everything under it, replaces a target, and keeps the array order', () => {
    const { tree: t, lost } = withHostEdits(tree, [
      { op: 'rename', path: '/srv/d', to: '/srv/moved' },
      { op: 'rename', path: '/srv/moved/f', to: '/srv/x' },
      { op: 'rename', path: '/srv/x', to: '/srv/x' },
    ]);
    expect(lost).toEqual([]);
    expect(t.map((x) => x.path)).toEqual(['/srv', '/srv/moved', '/srv/x', '/srv/moved/e', '/srv/moved/e/g', '/srv/l']);
    expect(at(t, '/srv/x')).toMatchObject({ mode: 0o4755, content: 'x' });
  });

  it('lists what a tree cannot say: paths it lacks, a chmod through a symlink, "..", the export directory moved', () => {
    const { tree: t, lost } = withHostEdits(tree, [
      { op: 'chmod', path: '/usr/bin/qemu', mode: 0o700 },
      { op: 'chown', path: '/srv/nope', uid: 1, gid: 1 },
      { op: 'rename', path: '/srv/nope', to: '/srv/yes' },
      { op: 'chmod', path: '/srv/l', mode: 0o700 },
      { op: 'chmod', path: '/srv/d/../x', mode: 0o700 },
      { op: 'rename', path: '/srv/x', to: '/srv/l/y' },
      { op: 'rename', path: '/srv/d', to: '/srv/old' },
      { op: 'rename', path: '/srv/x', to: '/srv/d' },
      { op: 'delete', path: '/srv' },
    ], '/srv/d/e');
    expect(lost).toEqual([
      'chmod 0700 /usr/bin/qemu',
      'chown 1:1 /srv/nope',
      'rename /srv/nope to /srv/yes',
      'chmod 0700 /srv/l (chmod follows the symlink)',
      'chmod 0700 /srv/d/../x (a path the tree cannot spell)',
      'rename /srv/x to /srv/l/y (through a symlink)',
      'rename /srv/d to /srv/old (the export directory is bound at the launch)',
      'rename /srv/x to /srv/d (the export directory is bound at the launch)',
      'delete /srv (the export directory is bound at the launch)',
    ]);
    expect(t).toEqual(tree);
  });

  it('hard links: chmod/chown set the inode, a removed primary hands over to a link, a deeper primary swaps', () => {
    const links: TreeEntryJson[] = [
      { path: '/etc', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      { path: '/etc/shadow', type: 'file', mode: 0o640, uid: 0, gid: 42, content: 'S' },
      { path: '/srv', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      { path: '/srv/sh', type: 'file', mode: 0o640, uid: 0, gid: 42, hardlink_of: '/etc/shadow' },
      { path: '/srv/sh2', type: 'file', mode: 0o640, uid: 0, gid: 42, hardlink_of: '/srv/sh' },
    ];
    const a = withHostEdits(links, [{ op: 'chmod', path: '/srv/sh', mode: 0o604 }, { op: 'chown', path: '/srv/sh2', uid: 7, gid: -1 }]);
    expect(a.tree.slice(1).filter((x) => x['type'] === 'file').map((x) => [x.path, x['mode'], x['uid'], x['gid']])).toEqual([
      ['/etc/shadow', 0o604, 7, 42], ['/srv/sh', 0o604, 7, 42], ['/srv/sh2', 0o604, 7, 42],
    ]);
    const b = withHostEdits(links, [{ op: 'delete', path: '/etc/shadow' }, { op: 'write', path: '/srv/sh2', content: enc('new') }]);
    expect(b.tree.slice(1)).toEqual([
      { path: '/srv', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      { path: '/srv/sh', type: 'file', mode: 0o640, uid: 0, gid: 42, content: 'new' },
      { path: '/srv/sh2', type: 'file', mode: 0o640, uid: 0, gid: 42, hardlink_of: '/srv/sh' },
    ]);
    // /etc/shadow moved below its links' depth: loadTree creates shallow paths first, so /srv/sh
    // now describes the inode, in the group's first array slot.
    const c = withHostEdits(links, [{ op: 'mkdir', path: '/etc/x' }, { op: 'rename', path: '/etc/shadow', to: '/etc/x/shadow' }]);
    expect(c.tree.map((x) => [x.path, x['hardlink_of'] ?? null, x['content'] ?? null])).toEqual([
      ['/etc', null, null], ['/srv/sh', null, 'S'], ['/srv', null, null], ['/etc/x/shadow', '/srv/sh', null], ['/srv/sh2', '/srv/sh', null], ['/etc/x', null, null],
    ]);
    // A rename between two names of one inode does nothing (rename(2)).
    expect(withHostEdits(links, [{ op: 'rename', path: '/srv/sh', to: '/etc/shadow' }]).tree).toEqual(links);
  });

  it('spells paths as tree entries do', () => {
    expect(treePath('/a//b/./c/')).toBe('/a/b/c');
    expect(treePath('/')).toBe('/');
    expect(treePath('/a/../b')).toBeNull();
    expect(treePath('a')).toBeNull();
  });
});

describe('the fold agrees with the kernel', () => {
  // Each sequence: the live session (tree, launch, edits) against the exported file opened again
  // (tree with the edits folded in, launch): the same names, types, modes, owners, sizes, link counts.
  const cases: [string, HostEdit[]][] = [
    ['chmod, chown and rename in the export', [
      { op: 'mkdir', path: '/srv/export/d' },
      { op: 'write', path: '/srv/export/d/f', content: enc('abc') },
      { op: 'chmod', path: '/srv/export/d/f', mode: 0o6755 },
      { op: 'chown', path: '/srv/export/d/f', uid: 1000, gid: 1000 },
      { op: 'chmod', path: '/srv/export/pub', mode: 0o1777 },
      { op: 'chown', path: '/srv/export/pub', uid: 1000, gid: -1 },
      { op: 'rename', path: '/srv/export/d', to: '/srv/export/pub/d' },
      { op: 'rename', path: '/srv/export/hello.txt', to: '/srv/export/pub/d/f' },
      { op: 'chmod', path: '/srv/export', mode: 0o555 },
    ]],
    ['a hard-linked file moved below its link, a file renamed over another', [
      { op: 'mkdir', path: '/etc/deep' },
      { op: 'mkdir', path: '/etc/deep/er' },
      { op: 'rename', path: '/etc/shadow', to: '/etc/deep/er/shadow' },
      { op: 'chmod', path: '/srv/export/sh', mode: 0o4755 },
      { op: 'chown', path: '/etc/deep/er/shadow', uid: 5, gid: 5 },
      { op: 'write', path: '/srv/export/victim', content: enc('v') },
      { op: 'rename', path: '/srv/export/victim', to: '/etc/passwd' },
      { op: 'rename', path: '/etc/deep', to: '/etc/deeper' },
    ]],
    ['a hard link renamed over, its other name removed', [
      { op: 'delete', path: '/etc/shadow' },
      { op: 'chown', path: '/srv/export/sh', uid: 0, gid: 0 },
      { op: 'write', path: '/srv/export/victim', content: enc('vv') },
      { op: 'rename', path: '/srv/export/victim', to: '/srv/export/sh' },
    ]],
  ];
  for (const [name, edits] of cases) {
    it(name, () => {
      const live = session(edits);
      const { text, lost } = exportScenarioWithEdits(raw, inputs, edits);
      expect(lost).toEqual([]);
      const reopened = openScenario(text, inputs);
      if (!reopened.ok) throw new Error(reopened.message);
      expect(shape(reopened.snapshot)).toEqual(shape(live));
    });
  }
});
