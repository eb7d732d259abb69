// Behaviour of the simulated helper beyond the recorded suite: versions (1.x, 7.2.0, 8.1), the
// named-socket observations, daemon mode, the labelled quirks' details. Each case cites its source.
import { describe, expect, it } from 'vitest';
import { encodeRequest, fidPath } from '../../sim/proxy/index.ts';
import { AF_UNIX, SOCK_STREAM, O_NONBLOCK, O_RDONLY } from '../../sim/host/constants.ts';
import { sessionHost } from '../../sim/helper/conformance/replay.ts';
import { launchHelper } from '../../sim/helper/launch.ts';
import { helperBehaviour } from '../../sim/helper/behaviour.ts';
import { MSG } from '../../sim/helper/messages.ts';
import { hex, startFd, suite } from './harness.ts';

describe('start-up and exit (proxy-protocol.md §11.3, real-helper.md §4)', () => {
  it('serves QEMU\'s realize request and exits 0 with Started/Done on EOF', () => {
    const c = startFd();
    const r = c.send(encodeRequest('T_LSTAT', { path: fidPath('/') }));
    expect(hex(r.reply.subarray(0, 8))).toBe('0000000074000000');
    expect(hex(r.reply.subarray(8 + 24, 8 + 28))).toBe('ed410000'); // st_mode 040755
    c.close();
    expect(c.h.helper.exit).toEqual({ status: 0 });
    expect(c.stderr()).toBe('Started\nDone\n');
  });

  it('chroots into the export: /etc/passwd and ../ chains stay inside (§11.8)', () => {
    const c = startFd();
    for (const p of ['/etc/passwd', '../../../../etc/passwd', 'link_abs_outside', 'link_dotdot']) {
      expect(hex(c.send(encodeRequest('T_OPEN', { path: p, flags: O_RDONLY })).reply)).toBe('feffffff');
    }
    const up = c.send(encodeRequest('T_OPEN', { path: '../../..', flags: 0o200000 }));
    expect(up.fds).toHaveLength(1);
    expect(c.k.fdPath(c.launcher, up.fds[0]!)).toMatchObject({ ok: true, value: c.export });
  });

  it('drops to the seven capabilities; the main thread keeps CapEff 0x080000db between requests (§10.2)', () => {
    const c = startFd();
    c.send(new Uint8Array(0));
    const main = c.h.os.main;
    expect(main.caps.effective.toString(16)).toBe('80000db');
    expect(main.caps.permitted.toString(16)).toBe('80000db');
    expect(main.caps.bounding).toBe(0n);
    expect(main.fs.umask).toBe(0);
    // the RCU thread was never touched by capng_apply
    expect(c.h.os.threads()).toHaveLength(2);
  });
});

describe('version differences (§15)', () => {
  it('1.x readlink(path, buf, size) vs 7.2 readlink(…, size - 1) (§5.2)', () => {
    // QEMU-style fid paths ("//name\0"): 1.x resolves relative names outside the root (next test)
    const req = encodeRequest('T_READLINK', { path: fidPath('//link_inside'), size: 8 });
    expect(hex(startFd().send(req).reply)).toBe('0000000009000000070066696c652e7478'); // "file.tx"
    expect(hex(startFd({ version: '1.1' }).send(req).reply)).toBe('000000000a000000080066696c652e747874'); // "file.txt"
  });

  it('1.x chdir("/") then chroot(): relative names resolve against the host root (§11.3, inferred)', () => {
    const rel = encodeRequest('T_OPEN', { path: 'etc/passwd', flags: O_RDONLY });
    const modern = startFd().send(rel);
    expect(hex(modern.reply)).toBe('feffffff');
    const old = startFd({ version: '1.1' });
    const r = old.send(rel);
    expect(hex(r.reply)).toBe('ffffff7f');
    expect(old.k.fdPath(old.launcher, r.fds[0]!)).toMatchObject({ ok: true, value: '/etc/passwd' });
  });

  it('before the CVE-2023-2861 fix (7.2.0) a FIFO opened O_NONBLOCK comes back as an fd (§5.5)', () => {
    const req = encodeRequest('T_OPEN', { path: 'fifo', flags: O_NONBLOCK });
    const fixed = startFd();
    expect(hex(fixed.send(req).reply)).toBe('faffffff');
    expect(fixed.stderr()).toBe('Started\n' + MSG.specialFile);
    const old = startFd({ version: '7.2.0' });
    const r = old.send(req);
    expect(hex(r.reply)).toBe('ffffff7f');
    expect(r.fds).toHaveLength(1);
    expect(old.stderr()).toBe('Started\n');
  });

  it('the special-file line is printed once per process (error_report_once)', () => {
    const c = startFd();
    c.send(encodeRequest('T_OPEN', { path: 'fifo', flags: O_NONBLOCK }));
    c.send(encodeRequest('T_OPEN', { path: 'fifo', flags: O_NONBLOCK }));
    expect(c.stderr().split(MSG.specialFile).length - 1).toBe(1);
  });

  it('8.1 prints the deprecation NOTE first; 9.2 has no helper', () => {
    const c = startFd({ version: '8.1' });
    c.close();
    expect(c.stderr()).toBe(MSG.deprecated + 'Started\nDone\n');
    expect(helperBehaviour('9.2').exists).toBe(false);
    expect(helperBehaviour('7.2').openRegular).toBe(true);
    expect(helperBehaviour('5.0').rcuThread).toBe(true);
    expect(helperBehaviour('4.2').credSwitch).toBe('setfsuid-libcap');
  });

  it('1.x setfsuid switching has no capability quirk (§10.4)', () => {
    const c = startFd({ version: '1.1' });
    expect(hex(c.send(encodeRequest('T_MKDIR', { uid: 0, gid: 1000, path: '//d1', mode: 0o755 })).reply)).toBe('000000000400000000000000');
    expect(hex(c.send(encodeRequest('T_CHOWN', { path: fidPath('//file.txt'), uid: 1000, gid: 1000 })).reply)).toBe('000000000400000000000000');
    expect(hex(c.send(encodeRequest('T_MKDIR', { uid: 1000, gid: 1000, path: '//d2', mode: 0o755 })).reply)).toBe('000000000400000000000000');
    const st = c.k.lstat(c.launcher, c.export + '/d2');
    expect(st.ok && [st.value.uid, st.value.gid]).toEqual([1000, 1000]);
    expect(c.h.helper.alive).toBe(true);
  });
});

describe('labelled quirks', () => {
  it('uid 0 / gid ≠ 0 leaves CapEff 0x2, later EPERM, then SIGABRT on the next switch (§10.3)', () => {
    const c = startFd();
    c.send(encodeRequest('T_MKDIR', { uid: 0, gid: 1000, path: 'd', mode: 0o755 }));
    expect(c.h.os.main.caps.effective).toBe(2n);
    expect(hex(c.send(encodeRequest('T_CHOWN', { path: 'file.txt', uid: 1000, gid: 1000 })).reply)).toBe('0100000004000000ffffffff');
    const r = c.send(encodeRequest('T_CREATE', { path: 'x', flags: 0o101, mode: 0o644, uid: 1000, gid: 0 }));
    expect(r.reply).toHaveLength(0);
    expect(c.h.helper.exit).toEqual({ signal: 'SIGABRT' });
  });

  it('GETVERSION high half: zero-extended by default, "stack garbage" on request (§11.7)', () => {
    const req = encodeRequest('T_GETVERSION', { path: 'file.txt' });
    const z = startFd().send(req).reply;
    expect(hex(z.subarray(12, 16))).toBe('00000000');
    const g = startFd({ getversionHighHalf: 'stack', seed: 7 }).send(req).reply;
    expect(['fd7f0000', 'fe7f0000']).toContain(hex(g.subarray(12, 16)));
    expect(hex(g.subarray(8, 12))).toBe(hex(z.subarray(8, 12))); // same generation in the low half
  });

  it('a negative readlink size dies with SIGTRAP and the GLib message (§5.2)', () => {
    const c = startFd();
    const r = c.send(encodeRequest('T_READLINK', { path: 'link_inside', size: -1 }));
    expect(r.reply).toHaveLength(0);
    expect(c.h.helper.exit).toEqual({ signal: 'SIGTRAP' });
    expect(c.stderr()).toMatch(/^Started\n\n\(process:\d+\): GLib-ERROR \*\*: \d\d:\d\d:\d\d\.\d{3}: \.\.\/\.\.\/\.\.\/glib\/gmem\.c:136: failed to allocate 18446744073709551615 bytes\n$/);
  });

  it('LSETXATTR with size > value length stores the NUL and heap bytes (§5.4)', () => {
    const c = startFd();
    c.send(encodeRequest('T_LSETXATTR', { path: 'xattr_file', name: 'user.over', value: 'abc', size: 64, flags: 0 }));
    const v = c.k.lgetxattr(c.launcher, c.export + '/xattr_file', 'user.over', 1024);
    expect(v.ok && v.value instanceof Uint8Array && v.value.length).toBe(64);
    expect(v.ok && hex((v.value as Uint8Array).subarray(0, 4))).toBe('61626300');
  });

  it('a FIFO open blocks the whole helper until a writer appears (§5.5, fifo_block)', () => {
    const c = startFd();
    const r = c.send(encodeRequest('T_OPEN', { path: 'fifo', flags: O_RDONLY }));
    expect(r.reply).toHaveLength(0);
    expect(c.h.helper.waitingOn?.on).toMatch(/fifo/);
    const w = c.k.open(c.launcher, c.export + '/fifo', 0o1 | O_NONBLOCK, 0);
    expect(w.ok).toBe(true);
    if (w.ok) c.k.close(c.launcher, w.value);
    expect(hex(c.send(new Uint8Array(0)).reply)).toBe('faffffff');
  });
});

describe('named socket (-s, §11.6, socket_mode_extras)', () => {
  const obs = suite.sessions.find((s) => s.id === 'socket_mode_extras')!;
  it('srwxrwx--- owned by -u/-g, root / before accept, one client, EACCES for others', () => {
    const { k, launcher, paths } = sessionHost(obs);
    const argv = ['/usr/lib/qemu/virtfs-proxy-helper', '-n', '-p', paths.export, '-s', paths.socket, '-u', '1000', '-g', '1000'];
    let err = '';
    const { helper, os } = launchHelper(k, { parent: launcher, argv, keepFds: [0, 1, 2], stderr: (t) => { err += t; } });
    expect(helper.waitingOn?.on).toBe('accept');
    const st = k.lstat(launcher, paths.socket);
    const want = (obs as unknown as { observations: { socket_file_before_connect: { mode: string; uid: number; gid: number } } }).observations.socket_file_before_connect;
    expect(want).toEqual({ mode: '0o140770', uid: 1000, gid: 1000 });
    expect(st.ok && { mode: '0o' + st.value.mode.toString(8), uid: st.value.uid, gid: st.value.gid }).toEqual(want);
    expect(k.pathOf(os.main.fs.root)).toBe('/');
    const nobody = k.spawn({ comm: 'nobody', uid: 65534, gid: 65534 });
    const s1 = k.socket(nobody, AF_UNIX, SOCK_STREAM);
    expect(s1.ok && k.connect(nobody, s1.value, paths.socket)).toMatchObject({ ok: false, errno: 'EACCES' });
    const user = k.spawn({ comm: 'qemu', uid: 1000, gid: 1000 });
    const s2 = k.socket(user, AF_UNIX, SOCK_STREAM);
    expect(s2.ok && k.connect(user, s2.value, paths.socket)).toMatchObject({ ok: true });
    helper.run();
    expect(k.pathOf(os.main.fs.root)).toBe(paths.export);
    const s3 = k.socket(user, AF_UNIX, SOCK_STREAM);
    expect(s3.ok && k.connect(user, s3.value, paths.socket)).toMatchObject({ ok: false, errno: 'ECONNREFUSED' });
    expect(k.lstat(launcher, paths.socket).ok).toBe(true); // the helper never unlinks it
    if (s2.ok) k.close(user, s2.value);
    helper.run();
    expect(helper.exit).toEqual({ status: 0 });
    expect(err).toBe('Started\nDone\n');
  });
});

describe('daemon mode (§11.3, §11.4)', () => {
  it('forks, logs to syslog as <26>virtfs-proxy-helper[PID], keeps the special-file line off syslog', () => {
    const lines: string[] = [];
    const c = startFd({ argv: (fd, exp) => ['/usr/lib/qemu/virtfs-proxy-helper', '-p', exp, '-f', String(fd)], syslog: (l) => lines.push(l) });
    const firstPid = c.h.pid;
    expect(c.h.os.parentExit).toBe(0);
    const childPid = c.h.os.pid;
    expect(childPid).not.toBe(firstPid);
    expect(hex(c.send(encodeRequest('T_OPEN', { path: 'fifo', flags: O_NONBLOCK })).reply)).toBe('faffffff');
    c.close();
    expect(lines).toEqual([`<26>virtfs-proxy-helper[${childPid}]: Started\n`, `<26>virtfs-proxy-helper[${childPid}]: Done\n`]);
    expect(c.stderr()).toBe('');
  });
});

describe('quirks are labelled for the trace (quirks.ts)', () => {
  it('reports each reproduced quirk with its source', () => {
    const c = startFd();
    c.send(encodeRequest('T_OPEN', { path: 'fifo', flags: O_NONBLOCK }));
    c.send(encodeRequest('T_MKDIR', { uid: 0, gid: 1000, path: 'd', mode: 0o755 }));
    c.send(encodeRequest('T_LSETXATTR', { path: 'xattr_file', name: 'user.o', value: 'ab', size: 8, flags: 0 }));
    c.send(encodeRequest('T_MKDIR', { uid: 1000, gid: 1000, path: 'e', mode: 0o755 }));
    expect(c.h.helper.quirks.map((q) => q.kind)).toEqual(['special-file-enxio', 'cap-eff-stuck', 'lsetxattr-heap-read', 'setxid-abort']);
    expect(c.h.helper.quirks[1]!.source).toMatch(/§10\.3/);
    const d = startFd();
    d.send(encodeRequest('T_OPEN', { path: 'fifo', flags: O_RDONLY }));
    expect(d.h.helper.quirks.map((q) => q.kind)).toEqual(['fifo-block']);
    const e = startFd();
    e.send(new Uint8Array([0x63, 0, 0, 0, 0, 0, 0, 0]));
    expect(e.h.helper.quirks.map((q) => q.kind)).toEqual(['protocol-error-exit']);
  });
});
