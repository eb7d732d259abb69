// The guest's v9fs over the assembled lab (host kernel + helper + QEMU), proxy and local drivers:
// Linux client semantics as scenarios.md §2 "Guest" and proxy-protocol.md §14 describe them.
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../sim/host/index.ts';
import { launchLab, localSpec, proxySpec } from '../../sim/lab/index.ts';
import { GuestMachine } from '../../sim/guest/machine.ts';
import { loadTree } from '../../sim/scenario/tree.ts';
import type { TreeEntry } from '../../sim/scenario/types.ts';
import { TraceRecorder } from '../../sim/trace/index.ts';
import type { P9Message } from '../../sim/p9/index.ts';

const HOST: TreeEntry[] = [
  { path: '/etc/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'root:x:0:0:root:/root:/bin/bash\n' },
  { path: '/etc/shadow', type: 'file', mode: 0o640, uid: 0, gid: 42, content: 'root:$6$HOSTHASH:19000:0:99999:7:::\n' },
  { path: '/srv/export', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/srv/export/hello.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'hello\n' },
  { path: '/srv/export/pub', type: 'dir', mode: 0o777, uid: 0, gid: 0 },
  { path: '/srv/export/shared', type: 'dir', mode: 0o2775, uid: 0, gid: 1000 },
  { path: '/srv/export/a', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/srv/export/a/b', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  { path: '/srv/export/a/b/c.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'deep\n' },
];

function boot(driver: 'proxy' | 'local', version = '7.2') {
  const k = new Kernel({ name: 'host', rootFs: 'ext4' });
  loadTree(k, k.init, HOST);
  const rec = new TraceRecorder();
  const spec = driver === 'proxy' ? proxySpec({ exportPath: '/srv/export', mountTag: 'share' }) : localSpec({ exportPath: '/srv/export', mountTag: 'share' });
  const lab = launchLab(spec, { kernel: k, qemuVersion: version, recorder: rec });
  const g = new GuestMachine({ queue: lab.transport('share'), mountTag: 'share', recorder: rec });
  return { k, lab, g, rec, sh: g.shell() };
}

/** Requests the guest sent since `from` (its client log). */
function sent(g: GuestMachine, from: number): P9Message[] {
  return g.client!.log.slice(from).map((e) => e.request);
}

describe.each(['proxy', 'local'] as const)('v9fs over %s (QEMU 7.2)', (driver) => {
  it('mounts with Tversion + Tattach(fid 0, uid 0) and lists the export', () => {
    const { g, sh } = boot(driver);
    expect(g.mountError).toBeNull();
    expect(g.client!.log.slice(0, 2).map((e) => e.request)).toMatchObject([
      { kind: 'Tversion', tag: 0xffff, version: '9P2000.L' },
      { kind: 'Tattach', fid: 0, afid: 0xffffffff, n_uname: 0 },
    ]);
    expect(sh.run('ls /mnt')).toMatchObject({ exit: 0, stdout: 'a\nhello.txt\npub\nshared\n' });
    expect(sh.run('cat /mnt/hello.txt')).toMatchObject({ exit: 0, stdout: 'hello\n' });
  });

  it('walks one component per Twalk and asks Tgetattr for P9_STATS_ALL', () => {
    const { g, sh } = boot(driver);
    const n = g.client!.log.length;
    expect(sh.run('stat -c %s /mnt/a/b/c.txt')).toMatchObject({ exit: 0, stdout: '5\n' });
    const walks = sent(g, n).filter((m) => m.kind === 'Twalk');
    expect(walks.map((w) => (w.kind === 'Twalk' ? w.wnames : []))).toEqual(expect.arrayContaining([['a'], ['b'], ['c.txt']]));
    expect(walks.every((w) => w.kind === 'Twalk' && w.wnames.length <= 1)).toBe(true);
    const ga = sent(g, n).filter((m) => m.kind === 'Tgetattr');
    expect(ga.length).toBeGreaterThan(0);
    expect(ga.every((m) => m.kind === 'Tgetattr' && m.request_mask === 0x3fffn)).toBe(true);
  });

  it('resolves symlinks in the GUEST namespace: a link to /etc/shadow reads the guest file', () => {
    const { g, sh, k } = boot(driver);
    expect(sh.run('ln -s /etc/shadow /mnt/pw').exit).toBe(0);
    const n = g.client!.log.length;
    const r = sh.run('cat /mnt/pw');
    expect(r).toMatchObject({ exit: 0 });
    expect(r.stdout).toContain('$6$GUESTHASH');
    expect(r.stdout).not.toContain('HOSTHASH');
    // The client read the link (Treadlink) and never walked through it or opened it on the server.
    const reqs = sent(g, n);
    expect(reqs.some((m) => m.kind === 'Treadlink')).toBe(true);
    expect(reqs.some((m) => m.kind === 'Tlopen')).toBe(false);
    // The symlink exists on the host with the guest's target, owned by the guest's uid 0.
    const st = k.lstat(k.init, '/srv/export/pw');
    expect(st.ok && (st.value.mode & 0o170000)).toBe(0o120000);
  });

  it('refuses names with a slash before sending anything', () => {
    const { g, sh } = boot(driver);
    const n = g.client!.log.length;
    expect(sh.run('cat /mnt/a/../hello.txt')).toMatchObject({ exit: 0, stdout: 'hello\n' });
    expect(sent(g, n).filter((m) => m.kind === 'Twalk').some((m) => m.kind === 'Twalk' && m.wnames.some((w) => w.includes('/') || w === '..'))).toBe(false);
  });

  it('passes the directory gid for setgid directories (Tmkdir gid 1000 from uid 0)', () => {
    const { g, sh, k } = boot(driver);
    const n = g.client!.log.length;
    expect(sh.run('mkdir /mnt/shared/x').exit).toBe(0);
    const mk = sent(g, n).find((m) => m.kind === 'Tmkdir');
    expect(mk).toMatchObject({ kind: 'Tmkdir', name: 'x', gid: 1000 });
    const st = k.lstat(k.init, '/srv/export/shared/x');
    expect(st.ok && [st.value.uid, st.value.gid, st.value.mode & 0o2000]).toEqual([0, 1000, 0o2000]);
  });

  it('attaches once per uid (access=user) and maps Rlerror to errno', () => {
    const { g, sh } = boot(driver);
    const user = g.shell(1000, 1000);
    const n = g.client!.log.length;
    expect(user.run('touch /mnt/pub/mine').exit).toBe(0);
    expect(user.run('ls -ln /mnt/pub')).toMatchObject({ exit: 0, stdout: expect.stringContaining('1000 1000') });
    const attaches = sent(g, n).filter((m) => m.kind === 'Tattach');
    expect(attaches).toMatchObject([{ kind: 'Tattach', n_uname: 1000 }]);
    expect(sh.run('cat /mnt/nope')).toMatchObject({ exit: 1, stderr: 'cat: /mnt/nope: No such file or directory\n' });
    expect(user.run('mkdir /mnt/a/denied')).toMatchObject({ exit: 1, stderr: "mkdir: cannot create directory '/mnt/a/denied': Permission denied\n" });
  });

  it('writes, truncates, chmods and renames through 9P', () => {
    const { sh, k } = boot(driver);
    expect(sh.run('echo data > /mnt/pub/f && chmod 600 /mnt/pub/f && mv /mnt/pub/f /mnt/pub/g && truncate -s 2 /mnt/pub/g').exit).toBe(0);
    const st = k.lstat(k.init, '/srv/export/pub/g');
    expect(st.ok && [st.value.mode & 0o777, st.value.size]).toEqual([0o600, 2]);
    expect(sh.run('cat /mnt/pub/g')).toMatchObject({ stdout: 'da' });
    expect(sh.run('rm /mnt/pub/g && ls /mnt/pub')).toMatchObject({ exit: 0, stdout: '' });
  });
});

describe('the raw 9P console', () => {
  it('uses the mount fid 0 and prints decoded replies (proxy: an absolute symlink stays inside the chroot)', () => {
    const { sh } = boot('proxy');
    expect(sh.run('9p symlink 0 esc /')).toMatchObject({ exit: 0, stdout: expect.stringMatching(/^Rsymlink qid=\{type symlink/) });
    expect(sh.run('9p walk 0 1 esc etc shadow')).toMatchObject({ exit: 0, stdout: expect.stringMatching(/^Rwalk nwqid=1 /) });
    expect(sh.run('9p lopen 1 O_RDONLY')).toMatchObject({ exit: 1, stdout: 'Rlerror ENOENT (2): No such file or directory\n' });
    expect(sh.run('9p walk 0 2 hello.txt').exit).toBe(0);
    expect(sh.run('9p lopen 2 O_RDONLY').exit).toBe(0);
    expect(sh.run('9p read 2 0 64')).toMatchObject({ exit: 0, stdout: 'Rread count=6\nhello\n' });
    expect(sh.run('9p frob')).toMatchObject({ exit: 2, stderr: expect.stringContaining("unknown OP 'frob'") });
  });
});

describe('trace', () => {
  it('a command is an execve event that causes its syscalls, which cause the 9P and proxy traffic', () => {
    const { sh, rec } = boot('proxy');
    const from = rec.size;
    expect(sh.run('mkdir /mnt/pub/t').exit).toBe(0);
    const evs = rec.events.slice(from);
    const exec = evs.find((e) => e.kind === 'guest-call' && e.name === 'execve')!;
    expect(exec).toMatchObject({ lane: 'guest', args: { argv: 'mkdir /mnt/pub/t' }, result: 0 });
    const mk = evs.find((e) => e.kind === 'guest-call' && e.name === 'mkdir')!;
    expect(mk.cause).toBe(exec.id);
    const tmkdir = evs.find((e) => e.kind === 'p9' && e.msgType === 'Tmkdir')!;
    expect(tmkdir.cause).toBe(mk.id);
    const proxyMkdir = evs.find((e) => e.kind === 'proxy' && e.requestType === 'T_MKDIR')!;
    let c = proxyMkdir.cause;
    const chain: number[] = [];
    while (c !== null) { chain.push(c); c = rec.get(c)!.cause; }
    expect(chain).toContain(tmkdir.id);
    expect(chain).toContain(exec.id);
  });
});

describe('open, create and close (Linux v9fs flags)', () => {
  it('open(2) sends a clone + Tlopen with v9fs_open_to_dotl_flags (O_LARGEFILE added), close sends Tclunk', () => {
    const { g, sh } = boot('proxy');
    const n = g.client!.log.length;
    expect(sh.run('cat /mnt/hello.txt').exit).toBe(0);
    const reqs = sent(g, n);
    const lopen = reqs.find((m) => m.kind === 'Tlopen')!;
    expect(lopen).toMatchObject({ kind: 'Tlopen', flags: 0o100000 });
    const fid = lopen.kind === 'Tlopen' ? lopen.fid : -1;
    const i = reqs.indexOf(lopen);
    expect(reqs[i - 1]).toMatchObject({ kind: 'Twalk', newfid: fid, wnames: [] });
    expect(reqs.slice(i).map((m) => m.kind)).toEqual(['Tlopen', 'Tread', 'Tread', 'Tclunk']);
    expect(reqs[reqs.length - 1]).toMatchObject({ kind: 'Tclunk', fid });
  });

  it('O_CREAT sends Tlcreate with the open flags (no O_TRUNC on the wire), O_TRUNC a Tsetattr size 0 without MTIME_SET', () => {
    const { g, sh } = boot('local');
    let n = g.client!.log.length;
    expect(sh.run('echo hi > /mnt/pub/new').exit).toBe(0);
    expect(sent(g, n).find((m) => m.kind === 'Tlcreate')).toMatchObject({ name: 'new', flags: 0o100101, mode: 0o644, gid: 0 });
    n = g.client!.log.length;
    expect(sh.run('echo again > /mnt/pub/new').exit).toBe(0);
    const reqs = sent(g, n);
    expect(reqs.find((m) => m.kind === 'Tsetattr')).toMatchObject({ valid: 0x8 | 0x20 | 0x40, size: 0n });
    expect(reqs.find((m) => m.kind === 'Tlopen')).toMatchObject({ flags: 0o100001 });
    expect(sh.run('cat /mnt/pub/new')).toMatchObject({ stdout: 'again\n' });
  });

  it('an error at open fails the open(2) itself (readonly export: EROFS)', () => {
    const k = new Kernel({ name: 'host', rootFs: 'ext4' });
    loadTree(k, k.init, HOST);
    const lab = launchLab(localSpec({ exportPath: '/srv/export', mountTag: 'share', readonly: true }), { kernel: k, qemuVersion: '7.2' });
    const g = new GuestMachine({ queue: lab.transport('share'), mountTag: 'share' });
    const sh = g.shell();
    expect(sh.run('cat /mnt/hello.txt')).toMatchObject({ exit: 0, stdout: 'hello\n' });
    expect(sh.run('echo x >> /mnt/hello.txt')).toMatchObject({ exit: 1, stderr: 'bash: /mnt/hello.txt: Read-only file system\n' });
    expect(g.client!.log.some((e) => e.request.kind === 'Tlopen' && e.reply?.kind === 'Rlerror' && e.reply.ecode === 30)).toBe(true);
  });
});
