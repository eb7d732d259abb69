// Tab completion (sim/shell/complete.ts) in the guest over the proxy driver: command names for the
// first word, paths by a real readdir through v9fs → QEMU → helper (so the trace shows it).
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../sim/host/index.ts';
import { launchLab, proxySpec } from '../../sim/lab/index.ts';
import { GuestMachine } from '../../sim/guest/machine.ts';
import { loadTree } from '../../sim/scenario/tree.ts';
import type { TreeEntry } from '../../sim/scenario/types.ts';
import { TraceRecorder } from '../../sim/trace/index.ts';
import { commonPrefix } from '../../sim/shell/complete.ts';

const HOST: TreeEntry[] = [
  { path: '/srv/export', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/srv/export/hello.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'hello\n' },
  { path: '/srv/export/help', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/srv/export/.hidden', type: 'file', mode: 0o644, uid: 0, gid: 0, content: '' },
  { path: '/srv/export/pub', type: 'dir', mode: 0o777, uid: 0, gid: 0 },
];

function boot() {
  const k = new Kernel({ name: 'host', rootFs: 'ext4' });
  loadTree(k, k.init, HOST);
  const rec = new TraceRecorder();
  const lab = launchLab(proxySpec({ exportPath: '/srv/export', mountTag: 'share' }), { kernel: k, qemuVersion: '7.2', recorder: rec });
  const g = new GuestMachine({ queue: lab.transport('share'), mountTag: 'share', recorder: rec });
  return { rec, sh: g.shell() };
}

describe('tab completion in the guest shell', () => {
  it('completes the first word from the command names (incl. the 9p console and run)', () => {
    const { sh } = boot();
    expect(sh.complete('mk').candidates).toEqual(['mkdir', 'mkfifo', 'mknod']);
    expect(sh.complete('9').candidates).toEqual(['9p']);
    expect(sh.complete('ls /tmp; ec').candidates).toEqual(['echo']);
    expect(sh.complete('zz').candidates).toEqual([]);
  });
  it('completes paths by listing the directory through 9P; directories end in /; dot files only when asked', () => {
    const { sh, rec } = boot();
    const before = rec.size;
    const c = sh.complete('cat /mnt/hel');
    expect(c).toMatchObject({ start: 4, word: '/mnt/hel', candidates: ['/mnt/hello.txt', '/mnt/help/'] });
    expect(commonPrefix(c.candidates)).toBe('/mnt/hel');
    const p9 = rec.events.slice(before).filter((e) => e.kind === 'p9').map((e) => (e as { msgType: string }).msgType);
    expect(p9).toContain('Treaddir');
    expect(rec.events.slice(before).some((e) => e.kind === 'proxy')).toBe(true);
    expect(sh.complete('ls /mnt/').candidates).toEqual(['/mnt/hello.txt', '/mnt/help/', '/mnt/pub/']);
    expect(sh.complete('ls /mnt/.h').candidates).toEqual(['/mnt/.hidden']);
    expect(sh.complete('ls /mnt/nope/x').candidates).toEqual([]);
  });
});
