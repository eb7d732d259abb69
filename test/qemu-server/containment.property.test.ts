// Property (issue 4 §1 tests): no sequence of 9P requests under proxy or hardened local touches a
// host inode outside the export (no device nodes involved), while naive local is shown to escape.
// "Touch" = a change of any inode outside /srv/export (content, metadata, atime, new entries), host
// secret bytes reaching the guest, or QEMU/the helper holding an fd on something outside the export.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { world, type Driver } from './world.ts';
import { dumpTree } from '../../sim/host/tree.ts';
import type { P9Message } from '../../sim/p9/messages.ts';

const NAMES = ['a', 'esc', 'up', '..', 'etc', 'shadow', 'secret.txt', 'hello.txt', 'pub', 'passwd', 'cron.d'];
const TARGETS = ['/', '/etc', '..', '../..', '../../..', '/etc/shadow', '/etc/cron.d/x', 'hello.txt', '/srv', '../secret.txt'];
const SECRETS = ['HOSTHASH', 'HOST-SECRET', 'root:x:0:0'];
const FIDS = [0, 1, 2, 3];

type Op =
  | { op: 'walk'; fid: number; newfid: number; names: string[] }
  | { op: 'symlink'; fid: number; name: string; target: string }
  | { op: 'mkdir' | 'mkfifo'; fid: number; name: string }
  | { op: 'lcreate'; fid: number; name: string; flags: number }
  | { op: 'lopen'; fid: number; flags: number }
  | { op: 'read' | 'readlink' | 'getattr' | 'statfs' | 'clunk' | 'remove'; fid: number }
  | { op: 'write'; fid: number }
  | { op: 'chmod'; fid: number; mode: number }
  | { op: 'truncate'; fid: number }
  | { op: 'chown'; fid: number }
  | { op: 'utime'; fid: number }
  | { op: 'rename'; fid: number; name: string; newdir: number; newname: string }
  | { op: 'unlink'; fid: number; name: string }
  | { op: 'link'; dfid: number; fid: number; name: string }
  | { op: 'xattr'; fid: number; newfid: number }
  | { op: 'hostSwap'; name: string; target: string }
  /** What an attacker does: plant a symlink, walk through or onto it, then use the fid. */
  | { op: 'attack'; target: string; suffix: string[]; action: 'read' | 'readdir' | 'chmod' | 'truncate' | 'create' | 'write' };

const fid = fc.constantFrom(...FIDS);
const name = fc.constantFrom(...NAMES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('walk' as const), fid, newfid: fc.constantFrom(1, 2, 3), names: fc.array(name, { minLength: 0, maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('symlink' as const), fid, name, target: fc.constantFrom(...TARGETS) }) },
  fc.record({ op: fc.constantFrom('mkdir' as const, 'mkfifo' as const), fid, name }),
  fc.record({ op: fc.constant('lcreate' as const), fid, name, flags: fc.constantFrom(0o1, 0o2, 0o1 | 0o1000, 0o2 | 0o200) }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('lopen' as const), fid, flags: fc.constantFrom(0, 1, 2, 0o1001, 0o4000) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('read' as const, 'readlink' as const, 'getattr' as const, 'statfs' as const, 'clunk' as const, 'remove' as const), fid }) },
  fc.record({ op: fc.constant('write' as const), fid }),
  fc.record({ op: fc.constant('chmod' as const), fid, mode: fc.constantFrom(0o666, 0o4755, 0) }),
  fc.record({ op: fc.constantFrom('truncate' as const, 'chown' as const, 'utime' as const), fid }),
  fc.record({ op: fc.constant('rename' as const), fid, name, newdir: fid, newname: name }),
  fc.record({ op: fc.constant('unlink' as const), fid, name }),
  fc.record({ op: fc.constant('link' as const), dfid: fid, fid, name }),
  fc.record({ op: fc.constant('xattr' as const), fid, newfid: fc.constantFrom(1, 2, 3) }),
  fc.record({ op: fc.constant('hostSwap' as const), name: fc.constantFrom('a', 'pub', 'esc'), target: fc.constantFrom('/etc', '/srv', '/') }),
  { weight: 4, arbitrary: fc.record({
    op: fc.constant('attack' as const),
    target: fc.constantFrom(...TARGETS),
    suffix: fc.array(fc.constantFrom('etc', 'shadow', 'passwd', 'secret.txt', '..', 'cron.d'), { maxLength: 2 }),
    action: fc.constantFrom('read' as const, 'readdir' as const, 'chmod' as const, 'truncate' as const, 'create' as const, 'write' as const),
  }) },
);

const enc = (s: string) => new TextEncoder().encode(s);
type Req = P9Message extends infer M ? (M extends unknown ? Omit<M, 'tag'> : never) : never;
const noSet = { mode: 0, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n };

function request(o: Op): Req | undefined {
  switch (o.op) {
    case 'walk': return { kind: 'Twalk', fid: o.fid, newfid: o.newfid, wnames: o.names };
    case 'symlink': return { kind: 'Tsymlink', fid: o.fid, name: o.name, symtgt: o.target, gid: 0 };
    case 'mkdir': return { kind: 'Tmkdir', dfid: o.fid, name: o.name, mode: 0o40755, gid: 0 };
    case 'mkfifo': return { kind: 'Tmknod', dfid: o.fid, name: o.name, mode: 0o10644, major: 0, minor: 0, gid: 0 };
    case 'lcreate': return { kind: 'Tlcreate', fid: o.fid, name: o.name, flags: o.flags, mode: 0o644, gid: 0 };
    case 'lopen': return { kind: 'Tlopen', fid: o.fid, flags: o.flags };
    case 'read': return { kind: 'Tread', fid: o.fid, offset: 0n, count: 4096 };
    case 'readlink': return { kind: 'Treadlink', fid: o.fid };
    case 'getattr': return { kind: 'Tgetattr', fid: o.fid, request_mask: 0x3fffn };
    case 'statfs': return { kind: 'Tstatfs', fid: o.fid };
    case 'clunk': return { kind: 'Tclunk', fid: o.fid };
    case 'remove': return { kind: 'Tremove', fid: o.fid };
    case 'write': return { kind: 'Twrite', fid: o.fid, offset: 0n, data: enc('pwned\n') };
    case 'chmod': return { kind: 'Tsetattr', fid: o.fid, valid: 0x1, ...noSet, mode: o.mode };
    case 'truncate': return { kind: 'Tsetattr', fid: o.fid, valid: 0x8, ...noSet };
    case 'chown': return { kind: 'Tsetattr', fid: o.fid, valid: 0x2 | 0x4, ...noSet, uid: 1000, gid: 1000 };
    case 'utime': return { kind: 'Tsetattr', fid: o.fid, valid: 0x10 | 0x20 | 0x80 | 0x100, ...noSet, atime_sec: 5n, mtime_sec: 5n };
    case 'rename': return { kind: 'Trenameat', olddirfid: o.fid, oldname: o.name, newdirfid: o.newdir, newname: o.newname };
    case 'unlink': return { kind: 'Tunlinkat', dirfid: o.fid, name: o.name, flags: 0 };
    case 'link': return { kind: 'Tlink', dfid: o.dfid, fid: o.fid, name: o.name };
    case 'xattr': return { kind: 'Txattrwalk', fid: o.fid, newfid: o.newfid, name: '' };
    case 'hostSwap':
    case 'attack':
      return undefined;
  }
}

/** The 9P requests of an `attack` step (fid 9 is the attacker's scratch fid). */
function attackRequests(o: Extract<Op, { op: 'attack' }>, n: number): Req[] {
  const link = `x${n}`;
  const reqs: Req[] = [
    { kind: 'Tclunk', fid: 9 },
    { kind: 'Tsymlink', fid: 0, name: link, symtgt: o.target, gid: 0 },
    { kind: 'Twalk', fid: 0, newfid: 9, wnames: [link, ...o.suffix] },
  ];
  switch (o.action) {
    case 'read': reqs.push({ kind: 'Tlopen', fid: 9, flags: 0 }, { kind: 'Tread', fid: 9, offset: 0n, count: 4096 }); break;
    case 'readdir': reqs.push({ kind: 'Tlopen', fid: 9, flags: 0 }, { kind: 'Treaddir', fid: 9, offset: 0n, count: 4096 }); break;
    case 'chmod': reqs.push({ kind: 'Tsetattr', fid: 9, valid: 0x1, ...noSet, mode: 0o666 }); break;
    case 'truncate': reqs.push({ kind: 'Tsetattr', fid: 9, valid: 0x8, ...noSet }); break;
    case 'create': reqs.push({ kind: 'Tlcreate', fid: 9, name: 'evil', flags: 0o1, mode: 0o644, gid: 0 }); break;
    case 'write': reqs.push({ kind: 'Tlopen', fid: 9, flags: 0o1 }, { kind: 'Twrite', fid: 9, offset: 0n, data: enc('pwned\n') }); break;
  }
  return reqs;
}

function outside(w: ReturnType<typeof world>): string {
  return JSON.stringify(
    dumpTree(w.kernel, '/').filter((n) => !(n.path === 'srv/export' || n.path.startsWith('srv/export/') || n.path === 'dev/null')),
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
  );
}

/** Run a sequence; return the first containment violation, or undefined. */
function violation(driver: Driver, version: string, ops: Op[]): string | undefined {
  const w = world({ driver, version, extra: [{ path: 'a', type: 'dir', mode: 0o755, uid: 0, gid: 0 }, { path: 'a/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'decoy\n' }] });
  w.attach();
  const before = outside(w);
  const t = w.lab.transport();
  let tag = 1;
  let n = 0;
  const steps: { o: Op; req: Req | undefined }[] = [];
  for (const o of ops) {
    if (o.op === 'attack') for (const req of attackRequests(o, n++)) steps.push({ o, req });
    else steps.push({ o, req: request(o) });
  }
  for (const { o, req } of steps) {
    if (!req) {
      // The host actor (root, inside the export): swap a directory for a symlink between two requests.
      const p = `/srv/export/${o.op === 'hostSwap' ? o.name : ''}`;
      w.kernel.rename(w.kernel.init, p, `${p}.old`);
      w.kernel.symlink(w.kernel.init, o.op === 'hostSwap' ? o.target : '/', p);
      continue;
    }
    const ex = t.submit(encode({ ...req, tag: tag++ } as P9Message));
    if (ex.state !== 'replied') return undefined; // a FIFO open may park: nothing more to check on this path
    const m = ex.message;
    const data = m.kind === 'Rread' ? new TextDecoder().decode(m.data) : m.kind === 'Rreaddir' ? m.entries.map((e) => e.name).join('/') : '';
    if (m.kind === 'Rreaddir' && ['shadow', 'cron.d', 'secret.txt'].some((x) => data.split('/').includes(x))) return `guest listed a host directory after ${JSON.stringify(o)}`;
    for (const s of SECRETS) if (data.includes(s)) return `guest read host secret ${s} after ${JSON.stringify(o)}`;
    for (const f of w.kernel.listOpenFds()) {
      if (!/^(qemu|virtfs-proxy)/.test(f.comm)) continue;
      if (f.kind === 'socket' || f.kind === 'pipe' || f.path === '/dev/null') continue;
      if (!(f.path === '/srv/export' || f.path.startsWith('/srv/export/'))) return `${f.comm} holds fd ${f.fd} on ${f.path} after ${JSON.stringify(o)}`;
    }
    if (outside(w) !== before) return `host outside the export changed after ${JSON.stringify(o)}`;
  }
  return undefined;
}

import { encodeMessage as encode } from '../../sim/p9/codec.ts';

describe('containment property', () => {
  for (const [driver, version] of [['proxy', '7.2'], ['proxy', '2.6'], ['local', '7.2'], ['local', '2.9']] as const) {
    it(`${driver} ${version}: no request sequence touches the host outside the export`, () => {
      fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 12 }), (ops) => {
        const v = violation(driver, version, ops);
        if (v) throw new Error(v);
      }), { seed: 0x9b7e, numRuns: 120 });
    });
  }

  it('naive local (2.8) escapes: fast-check finds a counterexample', () => {
    const r = fc.check(fc.property(fc.array(opArb, { minLength: 1, maxLength: 12 }), (ops) => violation('local', '2.8', ops) === undefined), { seed: 0x9b7e, numRuns: 400 });
    expect(r.failed).toBe(true);
  });

  it('naive local (2.8): the scenarios.md escape sequence is a violation; the same sequence is contained under proxy and hardened local', () => {
    const ops: Op[] = [
      { op: 'symlink', fid: 0, name: 'esc', target: '/' },
      { op: 'walk', fid: 0, newfid: 1, names: ['esc', 'etc', 'shadow'] },
      { op: 'lopen', fid: 1, flags: 0 },
      { op: 'read', fid: 1 },
    ];
    expect(violation('local', '2.8', ops)).toMatch(/HOSTHASH|holds fd/);
    expect(violation('local', '7.2', ops)).toBeUndefined();
    expect(violation('proxy', '7.2', ops)).toBeUndefined();
  });
});
