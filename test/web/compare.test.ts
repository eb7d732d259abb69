// Compare mode's logic (web/lib/compare/compareCells.ts): every matrix cell of a shipped preset run
// through sim/scenario checkCell, with a verdict from the guest's output and the expectation check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareCells, excerpt, hostChanges, hostSecrets, verdictOf, EXCERPT_CHARS, type CompareLine } from '../../web/lib/compare/compareCells.ts';
import { parseScenario } from '../../sim/scenario/index.ts';

const preset = (f: string) => readFileSync(new URL(`../../public/presets/${f}.json`, import.meta.url), 'utf8');

describe('compareCells', () => {
  it('evidence is a host line the guest cannot know: reading its own /etc/passwd is not reading the host /etc/group', () => {
    const s = parseScenario(preset('wasi--absolute-symlink-creation'));
    const group = hostSecrets(s).find((x) => x.path === '/etc/group')!;
    // The host's first line `root:x:0:` is in the guest's own passwd and group files: not evidence.
    expect(group.needle).toBe('disk:x:6:');
    const r = compareCells(preset('wasi--absolute-symlink-creation'));
    if (!r.ok) throw new Error(r.message);
    // `cat /mnt/abs` follows abs -> /etc/passwd in the GUEST (v9fs resolves symlinks guest-side).
    expect(r.comparison.cells.map((c) => c.verdict.kind)).toEqual(['contained', 'contained', 'contained']);
    expect(r.comparison.cells[0]!.lines.some((l) => l.stdout.includes('guest root'))).toBe(true);
  });

  it('walk/symlink-escape: L-naive escapes to /etc/shadow, L-hard and P are contained, every cell as expected', () => {
    const r = compareCells(preset('walk--symlink-escape'));
    if (!r.ok) throw new Error(r.message);
    const cells = r.comparison.cells;
    expect(cells.map((c) => [c.label, c.verdict.kind])).toEqual([
      ['L-naive (QEMU 2.8, root)', 'escaped'], ['L-hard (QEMU 2.9)', 'contained'], ['L-hard (QEMU 7.2)', 'contained'],
      ['P (QEMU 2.8)', 'contained'], ['P (QEMU 7.2)', 'contained'],
    ]);
    expect(cells[0]!.verdict.text).toBe('escaped: host /etc/shadow read');
    expect(cells.every((c) => c.problems.length === 0)).toBe(true);
    // Per line: exit status and output. L-naive reads the shadow line; L-hard 2.9 fails the walk.
    expect(cells[0]!.lines[3]).toMatchObject({ command: '9p read 1 0 4096', exit: 0 });
    expect(cells[0]!.lines[3]!.stdout).toContain('root:$6$HOSTHASH');
    expect(cells[1]!.lines[1]).toMatchObject({ exit: 1 });
    expect(cells[1]!.lines[1]!.stdout).toContain('Rlerror ENOTDIR');
    // Host checks of the P cells: the guest-made link exists, root-owned.
    expect(cells[4]!.host).toEqual([{ path: '/srv/export/esc', problems: [] }]);
    expect(r.comparison.description).toBe((JSON.parse(preset('walk--symlink-escape')) as { description: string }).description);
    expect(r.comparison.description.length).toBeGreaterThan(100);
  });

  it('changes outside the export are escapes too: chmod, truncate and hard link through a guest-made link (L-naive only)', () => {
    const verdicts = (f: string) => {
      const r = compareCells(preset(f));
      if (!r.ok) throw new Error(r.message);
      return r.comparison.cells.map((c) => [c.verdict.text, c.problems.length]);
    };
    const contained = ['contained: the host outside the export was neither read nor changed', 0];
    expect(verdicts('setattr--chmod-through-symlink')).toEqual([['escaped: host /etc/shadow mode 0640 → 0666', 0], contained, contained]);
    expect(verdicts('setattr--truncate-through-symlink')).toEqual([['escaped: host /etc/shadow size 36 → 0', 0], contained, contained]);
    expect(verdicts('link--hardlink-escaped-file')).toEqual([['escaped: host /etc/shadow nlink 1 → 2', 0], contained, contained]);
    // The cron file the guest tried to drop through a dangling link is in no cell (scenarios.md).
    expect(verdicts('create--through-dangling-symlink')).toEqual([contained, contained, contained]);
  });

  it('a refused launch is a refused verdict with the refusal text, and no lines', () => {
    const r = compareCells(preset('launch--removed-in-9.2'));
    if (!r.ok) throw new Error(r.message);
    const asPosted = r.comparison.cells[0]!;
    expect(asPosted.verdict.kind).toBe('refused');
    expect(asPosted.error).toContain("fsdriver proxy not found");
    expect(asPosted.lines).toEqual([]);
    expect(asPosted.problems).toEqual([]);
  });

  it('a preset cell whose expectation fails is reported with checkCell\'s mismatch', () => {
    const raw = JSON.parse(preset('walk--symlink-escape')) as { matrix: { results: { line: number; exit: number }[] }[] };
    raw.matrix[0]!.results[2]!.exit = 1; // L-naive's read really succeeds
    const r = compareCells(JSON.stringify(raw));
    if (!r.ok) throw new Error(r.message);
    expect(r.comparison.cells[0]!.problems).toHaveLength(1);
    expect(r.comparison.cells[0]!.problems[0]).toMatch(/^line 3 \(9p read 1 0 4096\): exit 0, expected 1/);
  });

  it('bad input is a message, not a throw', () => {
    expect(compareCells('{')).toMatchObject({ ok: false });
    const noMatrix = JSON.parse(preset('walk--symlink-escape')) as Record<string, unknown>;
    delete noMatrix['matrix'];
    expect(compareCells(JSON.stringify(noMatrix))).toEqual({ ok: false, message: 'preset walk/symlink-escape has no matrix: nothing to compare' });
  });
});

describe('verdict and excerpts', () => {
  const s = parseScenario(JSON.parse(preset('walk--symlink-escape')));
  const line = (actor: string, stdout: string): CompareLine => ({ index: 0, actor, command: 'x', exit: 0, blocked: null, stdout, stderr: '' });

  it('secrets are host files outside the export, by their first non-empty line', () => {
    expect(hostSecrets(s).map((x) => x.path)).toEqual(['/etc/passwd', '/etc/group', '/etc/shadow', '/dev/sda', '/srv/secret.txt']);
    expect(hostSecrets(s).find((x) => x.path === '/srv/export/hello.txt')).toBeUndefined();
  });
  it('only the guest\'s output counts: the host reading its own files is no escape', () => {
    const secrets = hostSecrets(s);
    expect(verdictOf(null, [line('host', 'HOST-SECRET')], secrets).kind).toBe('contained');
    expect(verdictOf(null, [line('guest', 'xx HOST-SECRET xx')], secrets)).toEqual({ kind: 'escaped', text: 'escaped: host /srv/secret.txt read', paths: ['/srv/secret.txt'] });
    expect(verdictOf('libvirt said no\nmore', [], secrets)).toEqual({ kind: 'refused', text: 'refused: libvirt said no' });
  });
  it('host changes: created, removed, mode/owner/size, a file written in place, links retargeted', () => {
    const n = (type: string, o: Record<string, unknown> = {}) => ({ path: '', type, mode: 0o644, uid: 0, gid: 0, size: 3, nlink: 1, ino: 1, dev: 1, atime: { sec: 0, nsec: 0 }, mtime: { sec: 1, nsec: 0 }, ctime: { sec: 0, nsec: 0 }, ...o }) as never;
    const before = new Map([['/a', n('file')], ['/b', n('file')], ['/c', n('symlink', { target: '/x' })], ['/gone', n('dir')]]);
    const after = new Map([['/a', n('file', { mode: 0o666, uid: 5, atime: { sec: 9, nsec: 0 } })], ['/b', n('file', { mtime: { sec: 2, nsec: 0 } })], ['/c', n('symlink', { target: '/y' })], ['/new', n('file')]]);
    expect(hostChanges(before, after)).toEqual([
      { path: '/a', what: 'mode 0644 → 0666, owner 0:0 → 5:0' },
      { path: '/b', what: 'written' },
      { path: '/c', what: 'target /x → /y' },
      { path: '/new', what: 'created (file)' },
      { path: '/gone', what: 'removed' },
    ]);
    expect(hostChanges(before, before)).toEqual([]);
  });
  it('long output is cut with a count of what was left out', () => {
    expect(excerpt('abc')).toBe('abc');
    expect(excerpt('a'.repeat(EXCERPT_CHARS + 5))).toBe(`${'a'.repeat(EXCERPT_CHARS)}… (5 more chars)`);
  });
});
