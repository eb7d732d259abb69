// WASI programs as guest processes over the 9p mount (issue 6): the shipped programs against the
// built-in shell on the same tree, the race attacker under local naive / hardened / proxy
// (scenarios.md race/swap-dir-for-symlink), and the trace from a WASI call down to the helper.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { Kernel } from '../../sim/host/index.ts';
import { launchLab, localSpec, proxySpec } from '../../sim/lab/index.ts';
import { GuestMachine } from '../../sim/guest/machine.ts';
import { loadTree } from '../../sim/scenario/tree.ts';
import type { TreeEntry } from '../../sim/scenario/types.ts';
import { TraceRecorder, type TraceEvent } from '../../sim/trace/index.ts';
import { runWasi } from '../../sim/wasi/index.ts';

const HOST: TreeEntry[] = [
  { path: '/etc/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'root:x:0:0:root:/root:/bin/bash\n' },
  { path: '/srv/export', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/srv/export/hello.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'hello\n' },
  { path: '/srv/export/pub', type: 'dir', mode: 0o777, uid: 0, gid: 0 },
  { path: '/srv/export/.hidden', type: 'file', mode: 0o600, uid: 0, gid: 0, content: 'h\n' },
  { path: '/srv/export/rel', type: 'symlink', mode: 0o777, uid: 0, gid: 0, target: 'hello.txt' },
  { path: '/srv/export/d', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/srv/export/d/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'decoy\n' },
];

/** The shipped programs, in the guest's /guests as the playground installs them. */
const GUESTS: TreeEntry[] = readdirSync('public/guests').filter((f) => f.endsWith('.wasm')).map((f) => ({
  path: `/guests/${f}`, type: 'file', mode: 0o755, uid: 0, gid: 0, content_b64: readFileSync(`public/guests/${f}`).toString('base64'),
}) as TreeEntry);

function boot(driver: 'proxy' | 'local', version = '7.2') {
  const k = new Kernel({ name: 'host', rootFs: 'ext4' });
  loadTree(k, k.init, HOST);
  const rec = new TraceRecorder();
  const spec = driver === 'proxy' ? proxySpec({ exportPath: '/srv/export', mountTag: 'share' }) : localSpec({ exportPath: '/srv/export', mountTag: 'share' });
  const lab = launchLab(spec, { kernel: k, qemuVersion: version, recorder: rec });
  const g = new GuestMachine({ queue: lab.transport('share'), mountTag: 'share', recorder: rec, tree: GUESTS });
  expect(g.mountError).toBeNull();
  return { k, g, rec, sh: g.shell() };
}

describe.each(['proxy', 'local'] as const)('shipped WASI programs print what the shell prints (%s, QEMU 7.2)', (driver) => {
  const cases: [string, string][] = [
    ['cat /mnt/hello.txt', 'run /guests/cat.wasm /mnt/hello.txt'],
    ['cat /mnt/rel', 'run /guests/cat.wasm /mnt/rel'],
    ['cat /mnt/nope', 'run /guests/cat.wasm /mnt/nope'],
    ['ls /mnt', 'run /guests/ls.wasm /mnt'],
    ['ls -a /mnt', 'run /guests/ls.wasm -a /mnt'],
    ['ls /mnt/nope', 'run /guests/ls.wasm /mnt/nope'],
    ['stat -c "%n %s %h %i %F" /mnt/hello.txt /mnt/d /mnt/rel', 'run /guests/stat.wasm -c "%n %s %h %i %F" /mnt/hello.txt /mnt/d /mnt/rel'],
    ['stat -c %s /mnt/nope', 'run /guests/stat.wasm -c %s /mnt/nope'],
    ['readlink /mnt/rel', 'run /guests/stat.wasm -c %N /mnt/rel'],
    ['mkdir /mnt/d', 'run /guests/mkdir.wasm /mnt/d'],
    ['rm /mnt/d', 'run /guests/rm.wasm /mnt/d'],
  ];
  it.each(cases)('%s', (shellLine, wasiLine) => {
    const a = boot(driver).sh.run(shellLine);
    const b = boot(driver).sh.run(wasiLine);
    if (shellLine.startsWith('readlink')) {
      // GNU stat %N quotes: 'path' -> 'target'
      expect(b.stdout).toBe(`'/mnt/rel' -> '${a.stdout.trim()}'\n`);
      return;
    }
    expect({ exit: b.exit, stdout: b.stdout, stderr: b.stderr }).toEqual({ exit: a.exit, stdout: a.stdout, stderr: a.stderr });
  });

  it('changes the host as the shell does: mkdir, ln -s, mv, touch, rm -r', () => {
    const script = ['mkdir /mnt/pub/x', 'ln -s ../hello.txt /mnt/pub/x/l', 'mv /mnt/pub/x /mnt/pub/y', 'touch -d @1600000000 /mnt/pub/y/new', 'rm -r /mnt/d'];
    const viaShell = boot(driver);
    const viaWasi = boot(driver);
    for (const line of script) {
      expect(viaShell.sh.run(line).exit).toBe(0);
      const [cmd, ...rest] = line.split(' ');
      expect(viaWasi.sh.run(`run /guests/${cmd}.wasm ${rest.join(' ')}`)).toMatchObject({ exit: 0, stderr: '' });
    }
    const look = 'ls -la /mnt/pub/y; stat -c "%n %F %s %Y" /mnt/pub/y/new /mnt/pub/y/l; ls /mnt';
    const s = viaShell.sh.run(look);
    const w = viaWasi.sh.run(look);
    expect(w.stdout.replace(/\w{3} \d+ \d\d:\d\d /g, 'DATE ')).toBe(s.stdout.replace(/\w{3} \d+ \d\d:\d\d /g, 'DATE '));
    expect(w.stdout).toContain('/mnt/pub/y/new regular empty file 0 1600000000');
  });

  it('find walks the mount in directory order without following links', () => {
    const r = boot(driver).sh.run('run /guests/find.wasm /mnt -type l');
    expect(r).toMatchObject({ exit: 0, stdout: '/mnt/rel\n' });
  });
});

describe('a WASI call in the trace, down to the helper (proxy, QEMU 7.2)', () => {
  it('path_open causes guest syscalls, 9P requests, proxy frames and helper syscalls', () => {
    const { sh, rec } = boot('proxy');
    const from = rec.size;
    expect(sh.run('run /guests/cat.wasm /mnt/hello.txt')).toMatchObject({ exit: 0, stdout: 'hello\n' });
    const evs = rec.events.slice(from);
    const byId = new Map(evs.map((e) => [e.id, e]));
    const rootCall = (e: TraceEvent): TraceEvent => { let c = e; while (c.cause !== null && byId.has(c.cause)) c = byId.get(c.cause)!; return c; };
    const wasiCall = (name: string) => evs.find((e) => e.kind === 'guest-call' && e.api === 'wasi' && e.name === name)!;
    const under = (root: TraceEvent, kind: TraceEvent['kind']) => evs.filter((e) => e.kind === kind && (() => {
      let c: TraceEvent | undefined = e;
      while (c) { if (c.id === root.id) return true; c = c.cause === null ? undefined : byId.get(c.cause); }
      return false;
    })());
    const names = (list: TraceEvent[]) => list.map((e) => (e.kind === 'p9' ? e.msgType : e.kind === 'proxy' ? e.requestType : 'name' in e ? e.name : ''));
    // path_open: the guest kernel walks (one Twalk per name), QEMU lstats through the helper.
    const open = wasiCall('path_open');
    expect(names(under(open, 'guest-call'))).toContain('openat');
    expect(names(under(open, 'p9'))).toEqual(expect.arrayContaining(['Twalk', 'Rwalk', 'Tgetattr', 'Rgetattr']));
    expect(names(under(open, 'proxy'))).toContain('T_LSTAT');
    expect(names(under(open, 'syscall').filter((e) => e.kind === 'syscall' && e.lane === 'helper'))).toContain('lstat');
    // Opening the file: Linux's v9fs sends Tlopen at open(2); the helper opens it and passes the fd
    // back over SCM_RIGHTS. Counted under path_open or, for a client that opens on first I/O, the
    // first fd_read; the read itself is QEMU's own pread on that fd (Tread/Rread).
    const read = wasiCall('fd_read');
    const both = (kind: TraceEvent['kind']) => [...under(open, kind), ...under(read, kind)];
    expect(names(both('p9'))).toEqual(expect.arrayContaining(['Tlopen', 'Rlopen', 'Tread', 'Rread']));
    expect(names(both('proxy'))).toContain('T_OPEN');
    expect(names(both('syscall').filter((e) => e.kind === 'syscall' && e.lane === 'helper'))).toContain('openat');
    // Every WASI call is a root of its own causal tree within the run command.
    for (const e of evs.filter((x) => x.kind === 'guest-call' && x.api === 'wasi')) expect(rootCall(e).kind).toBe('guest-call');
  });
});

describe('the race attacker as a host-side actor (scenarios.md race/swap-dir-for-symlink)', () => {
  const race = readFileSync('public/guests/race.wasm');
  const outcomes: [string, 'proxy' | 'local', string, RegExp][] = [
    ['local naive (QEMU 2.8)', 'local', '2.8', /^Rread count=\d+\nroot:x:0:0:root:\/root:\/bin\/bash\n/],
    ['local hardened (QEMU 7.2)', 'local', '7.2', /^Rlerror ENOTDIR \(20\)/],
    ['proxy (QEMU 7.2)', 'proxy', '7.2', /^Rlerror ENOENT \(2\)/],
  ];
  it.each(outcomes)('%s', (_label, driver, version, expected) => {
    const { k, sh } = boot(driver, version);
    expect(sh.run('9p walk 0 4 d passwd').exit).toBe(0); // check: the decoy's qid
    const attacker = k.spawn({ comm: 'race', uid: 0, gid: 0 });
    const r = runWasi({ kernel: k, proc: attacker }, race, { args: ['race', '/srv/export/d', '/etc', '1'] });
    expect(new TextDecoder().decode(r.stdout)).toBe('race: 1 flips; /srv/export/d is now a symlink to /etc\n');
    const open = sh.run('9p lopen 4 0');
    const out = open.exit === 0 ? sh.run('9p read 4 0 4096').stdout : open.stdout;
    expect(out).toMatch(expected);
  });
});
