// scenarios.md §3 at the 9P level, per driver and version (raw 9P client, fid 0 = export root).
import { describe, it, expect } from 'vitest';
import { world, errnoOf, text, show, type Driver } from './world.ts';
import type { ProxyEvent } from '../../sim/trace/event.ts';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const O_RDONLY = 0;

function proxyFrames(w: ReturnType<typeof world>): ProxyEvent[] {
  return (w.recorder?.events ?? []).filter((e): e is ProxyEvent => e.kind === 'proxy');
}

describe('walk/symlink-escape', () => {
  const run = (driver: Driver, version: string) => {
    const w = world({ driver, version, record: true });
    expect(w.lab.qemu.status, w.lab.qemu.stderr).toBe('running');
    w.attach();
    const s = w.rpc({ kind: 'Tsymlink', fid: 0, name: 'esc', symtgt: '/', gid: 0 });
    expect(s.kind, show(s)).toBe('Rsymlink');
    if (s.kind === 'Rsymlink') expect(s.qid.type).toBe(0x02);
    const walk = w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['esc', 'etc', 'shadow'] });
    return { w, walk };
  };

  it('L-naive (2.8): the walk follows the host symlink and reads /etc/shadow', () => {
    const { w, walk } = run('local', '2.8');
    expect(walk.kind).toBe('Rwalk');
    if (walk.kind === 'Rwalk') expect(walk.wqids.map((q) => q.type)).toEqual([0x02, 0x80, 0x00]);
    expect(w.rpc({ kind: 'Tlopen', fid: 1, flags: O_RDONLY }).kind).toBe('Rlopen');
    const r = w.rpc({ kind: 'Tread', fid: 1, offset: 0n, count: 4096 });
    expect(r.kind === 'Rread' && text(r.data)).toBe('root:$6$HOSTHASH:19000:0:99999:7:::\n');
  });

  it('L-hard 2.9 – 7.0: Rlerror ENOTDIR (intermediate opened O_DIRECTORY|O_NOFOLLOW)', () => {
    for (const v of ['2.9', '7.0']) {
      const { walk } = run('local', v);
      expect(errnoOf(walk), v).toBe(20);
    }
  });

  it('L-hard ≥ 7.1: Rwalk with 1 qid, then Tlopen ENOENT (no new fid)', () => {
    const { w, walk } = run('local', '7.2');
    expect(walk.kind === 'Rwalk' && walk.wqids.length).toBe(1);
    expect(errnoOf(w.rpc({ kind: 'Tlopen', fid: 1, flags: O_RDONLY }))).toBe(2);
  });

  it('P < 7.1: Rlerror ENOENT; the chroot makes esc the export root', () => {
    for (const v of ['2.6', '5.0', '7.0']) {
      const { walk } = run('proxy', v);
      expect(errnoOf(walk), v).toBe(2);
    }
  });

  it('P 7.2: Rwalk 1 qid then ENOENT; proxy bytes as scenarios.md lists them', () => {
    const { w, walk } = run('proxy', '7.2');
    expect(walk.kind === 'Rwalk' && walk.wqids.length).toBe(1);
    expect(errnoOf(w.rpc({ kind: 'Tlopen', fid: 1, flags: O_RDONLY }))).toBe(2);
    const frames = proxyFrames(w);
    const reqs = frames.filter((f) => f.direction === 'request').map((f) => hex(f.bytes));
    expect(reqs).toContain('060000001200000000000000000000000100' + '2f' + '0500' + '2f2f657363');
    const escEtc = '080000000c0000000a002f2f6573632f65746300';
    const i = frames.findIndex((f) => hex(f.bytes) === escEtc);
    expect(i).toBeGreaterThan(0);
    expect(hex(frames[i + 1]!.bytes)).toBe('0100000004000000feffffff');
    // The walk's own sequence: start fid "/", then "//esc", then "//esc/etc".
    const lstats = reqs.filter((h) => h.startsWith('08000000'));
    expect(lstats.slice(-3)).toEqual(['08000000040000000200' + '2f00', '08000000080000000600' + '2f2f65736300', escEtc]);
    expect(w.hostRead('/etc/shadow')).toContain('HOSTHASH');
  });
});

describe('open/symlink-final-component', () => {
  const setup = (driver: Driver, version: string) => {
    const w = world({ driver, version, record: true });
    w.attach();
    expect(w.rpc({ kind: 'Tsymlink', fid: 0, name: 'pw', symtgt: '/etc/shadow', gid: 0 }).kind).toBe('Rsymlink');
    const wk = w.rpc({ kind: 'Twalk', fid: 0, newfid: 2, wnames: ['pw'] });
    expect(wk.kind === 'Rwalk' && wk.wqids[0]!.type).toBe(0x02);
    return w;
  };

  it('L-naive: Tlopen → ELOOP (open(rpath, flags|O_NOFOLLOW): 2.x local_open protects the last component)', () => {
    const w = setup('local', '2.8');
    expect(errnoOf(w.rpc({ kind: 'Tlopen', fid: 2, flags: O_RDONLY }))).toBe(40);
  });
  it('L-naive: Tsetattr MODE follows → host /etc/shadow becomes 0666', () => {
    const w = setup('local', '2.8');
    expect(w.rpc({ kind: 'Tsetattr', fid: 2, valid: 0x1, mode: 0o666, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n }).kind).toBe('Rsetattr');
    const st = w.kernel.stat(w.kernel.init, '/etc/shadow');
    expect(st.ok && (st.value.mode & 0o7777)).toBe(0o666);
  });
  it('L-naive: Tsetattr SIZE follows → host /etc/shadow emptied', () => {
    const w = setup('local', '2.8');
    expect(w.rpc({ kind: 'Tsetattr', fid: 2, valid: 0x8, mode: 0, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n }).kind).toBe('Rsetattr');
    expect(w.hostRead('/etc/shadow')).toBe('');
  });
  it('L-hard: Tlopen ELOOP, chmod ELOOP, truncate ELOOP; host untouched', () => {
    const w = setup('local', '7.2');
    expect(errnoOf(w.rpc({ kind: 'Tlopen', fid: 2, flags: O_RDONLY }))).toBe(40);
    expect(errnoOf(w.rpc({ kind: 'Tsetattr', fid: 2, valid: 0x1, mode: 0o666, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n }))).toBe(40);
    expect(errnoOf(w.rpc({ kind: 'Tsetattr', fid: 2, valid: 0x8, mode: 0, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n }))).toBe(40);
    expect(w.hostRead('/etc/shadow')).toContain('HOSTHASH');
  });
  it('P: Tlopen ENOENT via T_OPEN "//pw\\0" 0 → feffffff; chmod and truncate ENOENT', () => {
    for (const v of ['2.6', '7.2']) {
      const w = setup('proxy', v);
      expect(errnoOf(w.rpc({ kind: 'Tlopen', fid: 2, flags: O_RDONLY })), v).toBe(2);
      const fr = proxyFrames(w);
      const open = fr.findIndex((f) => hex(f.bytes) === '020000000b0000000500' + '2f2f707700' + '00000000');
      expect(open, v).toBeGreaterThan(0);
      expect(hex(fr[open + 1]!.bytes)).toBe('feffffff');
      expect(errnoOf(w.rpc({ kind: 'Tsetattr', fid: 2, valid: 0x1, mode: 0o666, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n }))).toBe(2);
      expect(errnoOf(w.rpc({ kind: 'Tsetattr', fid: 2, valid: 0x8, mode: 0, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n }))).toBe(2);
      expect(w.hostRead('/etc/shadow')).toContain('HOSTHASH');
    }
  });
  it('every driver: Treadlink returns the raw target', () => {
    for (const [d, v] of [['local', '2.8'], ['local', '7.2'], ['proxy', '7.2']] as const) {
      const w = setup(d, v);
      const r = w.rpc({ kind: 'Treadlink', fid: 2 });
      expect(r.kind === 'Rreadlink' && r.target, `${d} ${v}`).toBe('/etc/shadow');
    }
  });
});

describe('create/through-dangling-symlink', () => {
  const O_WRONLY_TRUNC = 0o1 | 0o1000;
  const setup = (driver: Driver, version: string) => {
    const w = world({ driver, version, record: true });
    w.attach();
    expect(w.rpc({ kind: 'Tsymlink', fid: 0, name: 'drop', symtgt: '/etc/cron.d/evil', gid: 0 }).kind).toBe('Rsymlink');
    expect(w.rpc({ kind: 'Twalk', fid: 0, newfid: 3, wnames: [] }).kind).toBe('Rwalk');
    return w;
  };
  const create = (w: ReturnType<typeof world>, flags = O_WRONLY_TRUNC) =>
    w.rpc({ kind: 'Tlcreate', fid: 3, name: 'drop', flags, mode: 0o644, gid: 0 });

  it('L-naive: ELOOP — open2 adds O_NOFOLLOW (real 2.x code; scenarios.md expects an escape here)', () => {
    const w = setup('local', '2.8');
    expect(errnoOf(create(w))).toBe(40);
    expect(w.hostRead('/etc/cron.d/evil')).toBeUndefined();
  });
  it('L-hard: ELOOP; host untouched', () => {
    const w = setup('local', '7.2');
    expect(errnoOf(create(w))).toBe(40);
    expect(w.hostRead('/etc/cron.d/evil')).toBeUndefined();
  });
  it('P: ENOENT from T_CREATE "//drop" flags 0x241 (the link resolves inside the chroot)', () => {
    const w = setup('proxy', '7.2');
    expect(errnoOf(create(w))).toBe(2);
    const fr = proxyFrames(w);
    const c = fr.find((f) => f.requestType === 'T_CREATE' && f.direction === 'request')!;
    // path "//drop" (no NUL), flags O_WRONLY|O_CREAT|O_TRUNC, mode 0644, uid 0, gid 0
    expect(hex(c.bytes)).toBe('03000000' + '18000000' + '0600' + '2f2f64726f70' + '41020000' + 'a4010000' + '00000000' + '00000000');
    expect(w.hostRead('/etc/cron.d/evil')).toBeUndefined();
  });
  it('P with the target directory inside the export: the file is created inside the export', () => {
    const w = world({ driver: 'proxy', version: '7.2', extra: [{ path: 'etc', type: 'dir', mode: 0o755, uid: 0, gid: 0 }, { path: 'etc/cron.d', type: 'dir', mode: 0o755, uid: 0, gid: 0 }] });
    w.attach();
    w.rpc({ kind: 'Tsymlink', fid: 0, name: 'drop', symtgt: '/etc/cron.d/evil', gid: 0 });
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 3, wnames: [] });
    expect(create(w).kind).toBe('Rlcreate');
    expect(w.rpc({ kind: 'Twrite', fid: 3, offset: 0n, data: new TextEncoder().encode('x\n') }).kind).toBe('Rwrite');
    expect(w.hostRead('/srv/export/etc/cron.d/evil')).toBe('x\n');
    expect(w.hostRead('/etc/cron.d/evil')).toBeUndefined();
  });
  it('any driver with O_EXCL: EEXIST', () => {
    for (const [d, v] of [['local', '2.8'], ['local', '7.2'], ['proxy', '7.2']] as const) {
      const w = setup(d, v);
      expect(errnoOf(create(w, O_WRONLY_TRUNC | 0o100 | 0o200)), `${d} ${v}`).toBe(17);
    }
  });
});

describe('race/swap-dir-for-symlink (host actor between check and use)', () => {
  const extra = [
    { path: 'd', type: 'dir' as const, mode: 0o755, uid: 0, gid: 0 },
    { path: 'd/passwd', type: 'file' as const, mode: 0o644, uid: 0, gid: 0, content: 'decoy\n' },
  ];
  const race = (driver: Driver, version: string, target = '/etc') => {
    const w = world({ driver, version, extra });
    w.attach();
    const wk = w.rpc({ kind: 'Twalk', fid: 0, newfid: 4, wnames: ['d', 'passwd'] });
    expect(wk.kind).toBe('Rwalk');
    // H: mv /srv/export/d /srv/export/d.old; ln -s /etc /srv/export/d (as root on the host).
    const k = w.kernel;
    expect(k.rename(k.init, '/srv/export/d', '/srv/export/d.old').ok).toBe(true);
    expect(k.symlink(k.init, target, '/srv/export/d').ok).toBe(true);
    const o = w.rpc({ kind: 'Tlopen', fid: 4, flags: O_RDONLY });
    return { w, o };
  };
  it('L-naive: the use reads host /etc/passwd', () => {
    const { w, o } = race('local', '2.8');
    expect(o.kind).toBe('Rlopen');
    const r = w.rpc({ kind: 'Tread', fid: 4, offset: 0n, count: 100 });
    expect(r.kind === 'Rread' && text(r.data)).toBe('root:x:0:0:root:/root:/bin/bash\n');
  });
  it('L-hard: ENOTDIR (the lstat before the open opens d with O_DIRECTORY|O_NOFOLLOW)', () => {
    expect(errnoOf(race('local', '7.2').o)).toBe(20);
  });
  it('P: ENOENT (d -> /etc resolves to the export\'s own etc/, which does not exist)', () => {
    expect(errnoOf(race('proxy', '7.2').o)).toBe(2);
  });
  it('P: confusion inside the export remains: d -> /pub names a different file than was checked', () => {
    const { w, o } = (() => {
      const w = world({ driver: 'proxy', version: '7.2', extra: [...extra, { path: 'pub/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'other\n' }] });
      w.attach();
      w.rpc({ kind: 'Twalk', fid: 0, newfid: 4, wnames: ['d', 'passwd'] });
      w.kernel.rename(w.kernel.init, '/srv/export/d', '/srv/export/d.old');
      w.kernel.symlink(w.kernel.init, '/pub', '/srv/export/d');
      return { w, o: w.rpc({ kind: 'Tlopen', fid: 4, flags: O_RDONLY }) };
    })();
    expect(o.kind).toBe('Rlopen');
    const r = w.rpc({ kind: 'Tread', fid: 4, offset: 0n, count: 100 });
    expect(r.kind === 'Rread' && text(r.data)).toBe('other\n');
  });
  it('race/stale-fid-after-unlink: single guest, L-naive escapes, P does not', () => {
    for (const [d, v, esc] of [['local', '2.8', true], ['local', '7.2', false], ['proxy', '7.2', false]] as const) {
      const w = world({ driver: d, version: v, extra });
      w.attach();
      expect(w.rpc({ kind: 'Twalk', fid: 0, newfid: 5, wnames: ['d', 'passwd'] }).kind).toBe('Rwalk');
      expect(w.rpc({ kind: 'Twalk', fid: 0, newfid: 6, wnames: ['d'] }).kind).toBe('Rwalk');
      expect(w.rpc({ kind: 'Tunlinkat', dirfid: 6, name: 'passwd', flags: 0 }).kind).toBe('Runlinkat');
      expect(w.rpc({ kind: 'Tunlinkat', dirfid: 0, name: 'd', flags: 0x200 }).kind).toBe('Runlinkat');
      expect(w.rpc({ kind: 'Tsymlink', fid: 0, name: 'd', symtgt: '/etc', gid: 0 }).kind).toBe('Rsymlink');
      const o = w.rpc({ kind: 'Tlopen', fid: 5, flags: O_RDONLY });
      if (esc) {
        expect(o.kind, `${d} ${v}`).toBe('Rlopen');
        const r = w.rpc({ kind: 'Tread', fid: 5, offset: 0n, count: 100 });
        expect(r.kind === 'Rread' && text(r.data)).toContain('root:x:0:0');
      } else {
        expect(o.kind, `${d} ${v}`).toBe('Rlerror');
      }
    }
  });
});

describe('walk/dotdot-from-root (CVE-2016-7116)', () => {
  const walk = (driver: Driver, version: string, names: string[]) => {
    const w = world({ driver, version, record: true });
    w.attach();
    return { w, r: w.rpc({ kind: 'Twalk', fid: 0, newfid: 6, wnames: names }) };
  };
  it('L-naive < 2.7: `..` reaches host /srv, secret.txt is read', () => {
    const { w, r } = walk('local', '2.6', ['..', 'secret.txt']);
    expect(r.kind === 'Rwalk' && r.wqids.length).toBe(2);
    expect(w.rpc({ kind: 'Tlopen', fid: 6, flags: O_RDONLY }).kind).toBe('Rlopen');
    const rd = w.rpc({ kind: 'Tread', fid: 6, offset: 0n, count: 100 });
    expect(rd.kind === 'Rread' && text(rd.data)).toBe('HOST-SECRET\n');
  });
  it('L-naive 2.7–2.8 and L-hard < 7.1: Rlerror ENOENT; ≥ 7.1: Rwalk with the root qid, then ENOENT', () => {
    for (const v of ['2.8', '2.9', '7.0']) expect(errnoOf(walk('local', v, ['..', 'secret.txt']).r), v).toBe(2);
    const { w, r } = walk('local', '7.2', ['..', 'secret.txt']);
    expect(r.kind === 'Rwalk' && r.wqids.length).toBe(1);
    const root = w.rpc({ kind: 'Tgetattr', fid: 0, request_mask: 0x7ffn });
    expect(r.kind === 'Rwalk' && root.kind === 'Rgetattr' && r.wqids[0]!.path).toBe(root.kind === 'Rgetattr' ? root.qid.path : -1n);
    expect(errnoOf(w.rpc({ kind: 'Tlopen', fid: 6, flags: O_RDONLY }))).toBe(2);
  });
  it('P < 2.7: T_LSTAT "//..\\0" (the chroot keeps it at the root), then "//../secret.txt\\0" → ENOENT', () => {
    const { w, r } = walk('proxy', '2.6', ['..', 'secret.txt']);
    expect(errnoOf(r)).toBe(2);
    const reqs = proxyFrames(w).filter((f) => f.direction === 'request').map((f) => hex(f.bytes));
    expect(reqs).toContain('08000000070000000500' + '2f2f2e2e00');
    expect(reqs).toContain('08000000120000001000' + '2f2f2e2e2f7365637265742e74787400');
  });
  it('P ≥ 2.7: the `..` step sends no proxy request', () => {
    const { w, r } = walk('proxy', '7.2', ['..', 'secret.txt']);
    expect(r.kind === 'Rwalk' && r.wqids.length).toBe(1);
    const reqs = proxyFrames(w).filter((f) => f.direction === 'request').map((f) => hex(f.bytes));
    expect(reqs.some((h) => h.includes('2e2e'))).toBe(false);
    expect(reqs).toContain('080000000f0000000d00' + '2f2f7365637265742e74787400');
  });
  it('walk/slash-in-name: ≥ 2.7 ENOENT before any driver call; < 2.7 L-naive escapes, P ENOENT', () => {
    for (const [d, v] of [['local', '7.2'], ['proxy', '7.2'], ['local', '2.8']] as const) {
      const { w, r } = walk(d, v, ['../secret.txt']);
      expect(errnoOf(r), `${d} ${v}`).toBe(2);
      if (d === 'proxy') expect(proxyFrames(w).filter((f) => f.direction === 'request').every((f) => !hex(f.bytes).includes('2e2e'))).toBe(true);
    }
    const n = walk('local', '2.6', ['../secret.txt']);
    expect(n.r.kind).toBe('Rwalk');
    expect(errnoOf(walk('proxy', '2.6', ['../secret.txt']).r)).toBe(2);
  });
  it('walk/dotdot-from-subdir: ["pub", "..", ".."] ends at the root in every 2.7+ driver', () => {
    for (const [d, v] of [['local', '2.8'], ['local', '7.2'], ['proxy', '7.2']] as const) {
      const { w, r } = walk(d, v, ['pub', '..', '..']);
      expect(r.kind, `${d} ${v}`).toBe('Rwalk');
      const root = w.rpc({ kind: 'Tgetattr', fid: 0, request_mask: 0x7ffn });
      const six = w.rpc({ kind: 'Tgetattr', fid: 6, request_mask: 0x7ffn });
      expect(six.kind === 'Rgetattr' && root.kind === 'Rgetattr' && six.qid.path === root.qid.path, `${d} ${v}`).toBe(true);
    }
  });
});
