// scenarios.md §5: information leaks, proxy quirks, readonly, mapped-file metadata — at the 9P level.
import { describe, it, expect } from 'vitest';
import { world, errnoOf, text, show } from './world.ts';
import type { ProxyEvent, NoteEvent } from '../../sim/trace/event.ts';
import { FS_IOC_GETVERSION } from '../../sim/host/constants.ts';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const GEN = 0x1000n;
const noSet = { mode: 0, uid: 0, gid: 0, size: 0n, atime_sec: 0n, atime_nsec: 0n, mtime_sec: 0n, mtime_nsec: 0n };

function hostGeneration(w: ReturnType<typeof world>, path: string): number {
  const k = w.kernel;
  const fd = k.open(k.init, path, 0, 0);
  if (!fd.ok) throw new Error(fd.errno);
  const g = k.ioctl(k.init, fd.value, FS_IOC_GETVERSION);
  k.close(k.init, fd.value);
  if (!g.ok) throw new Error(g.errno);
  return g.value >>> 0;
}

describe('leak/getversion-high-bits', () => {
  const getattr = (w: ReturnType<typeof world>) => {
    w.attach();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    const r = w.rpc({ kind: 'Tgetattr', fid: 1, request_mask: 0x3fffn });
    if (r.kind !== 'Rgetattr') throw new Error(show(r));
    return r;
  };
  it('L-hard on ext4: the generation, upper 32 bits zero', () => {
    const w = world({ driver: 'local', version: '7.2' });
    const r = getattr(w);
    expect(r.valid & GEN).toBe(GEN);
    expect(r.gen).toBe(BigInt(hostGeneration(w, '/srv/export/hello.txt')));
  });
  it('P on ext4, helper stack garbage mode: low half = generation, high half = helper stack bits (noted)', () => {
    const w = world({ driver: 'proxy', version: '7.2', record: true, lab: { getversionHighHalf: 'stack' } });
    const r = getattr(w);
    expect(r.valid & GEN).toBe(GEN);
    expect(r.gen & 0xffffffffn).toBe(BigInt(hostGeneration(w, '/srv/export/hello.txt')));
    expect(r.gen >> 32n).not.toBe(0n);
    expect(w.recorder!.events.some((e) => e.kind === 'note' && (e as NoteEvent).label === 'leak:getversion-high-bits')).toBe(true);
  });
  it('P on ext4, zero-extended (default): high half 0', () => {
    const w = world({ driver: 'proxy', version: '7.2' });
    expect(getattr(w).gen >> 32n).toBe(0n);
  });
  it('P on tmpfs: 0 (the helper answers 0 without looking at the path)', () => {
    const w = world({ driver: 'proxy', version: '7.2', profile: 'tmpfs' });
    const r = getattr(w);
    expect(r.valid & GEN).toBe(GEN);
    expect(r.gen).toBe(0n);
  });
  it('P: T_GETVERSION only for regular files and directories (a symlink sends nothing)', () => {
    const w = world({ driver: 'proxy', version: '7.2', record: true });
    w.attach();
    w.rpc({ kind: 'Tsymlink', fid: 0, name: 'l', symtgt: 'hello.txt', gid: 0 });
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['l'] });
    const before = w.recorder!.events.filter((e) => e.kind === 'proxy').length;
    const r = w.rpc({ kind: 'Tgetattr', fid: 1, request_mask: 0x3fffn });
    expect(r.kind === 'Rgetattr' && r.valid & GEN).toBe(0n);
    const frames = w.recorder!.events.filter((e): e is ProxyEvent => e.kind === 'proxy').slice(before);
    expect(frames.map((f) => f.requestType)).toEqual(['T_LSTAT', 'T_LSTAT']);
  });
});

describe('quirk/utime-nsec-slot', () => {
  const touchM = (driver: 'proxy' | 'local') => {
    const w = world({ driver, version: '7.2', record: true });
    w.attach();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    // touch -m -d @1700000000.5: valid = MTIME|MTIME_SET
    const r = w.rpc({ kind: 'Tsetattr', fid: 1, valid: 0x20 | 0x100, ...noSet, mtime_sec: 1700000000n, mtime_nsec: 500000000n });
    expect(r.kind).toBe('Rsetattr');
    const st = w.kernel.lstat(w.kernel.init, '/srv/export/hello.txt');
    if (!st.ok) throw new Error(st.errno);
    return { w, st: st.value };
  };
  it('local: mtime set, atime untouched (UTIME_OMIT)', () => {
    const { st } = touchM('local');
    expect(st.mtime).toEqual({ sec: 1700000000, nsec: 500000000 });
    expect(st.atime).toEqual({ sec: 1700000000, nsec: 0 });
  });
  it('proxy: atime also rewritten — atime nsec slot carries mtime nsec, atime sec the uninitialised tv_sec (0 here)', () => {
    const { w, st } = touchM('proxy');
    expect(st.mtime).toEqual({ sec: 1700000000, nsec: 500000000 });
    expect(st.atime).toEqual({ sec: 0, nsec: 500000000 });
    const f = w.recorder!.events.find((e): e is ProxyEvent => e.kind === 'proxy' && e.requestType === 'T_UTIME' && e.direction === 'request')!;
    // "sqqqq": path "//hello.txt\0", atime_sec 0, [mtime nsec], mtime_sec, mtime_nsec
    expect(hex(f.bytes)).toBe('0e000000' + '2e000000' + '0c00' + hex(new TextEncoder().encode('//hello.txt')) + '00'
      + '0000000000000000' + '0065cd1d00000000' + '00f1536500000000' + '0065cd1d00000000');
    expect(w.recorder!.events.some((e) => e.kind === 'note' && (e as NoteEvent).label === 'quirk:utime-nsec-slot')).toBe(true);
  });
});

describe('quirk/statfs-fsid-half', () => {
  const statfs = (driver: 'proxy' | 'local') => {
    const w = world({ driver, version: '7.2' });
    w.attach();
    const r = w.rpc({ kind: 'Tstatfs', fid: 0 });
    if (r.kind !== 'Rstatfs') throw new Error(show(r));
    const host = w.kernel.statfs(w.kernel.init, '/srv/export');
    if (!host.ok) throw new Error(host.errno);
    return { r, host: host.value };
  };
  it('local: fsid = val[0] | val[1] << 32 as the host reports it', () => {
    const { r, host } = statfs('local');
    expect(r.fsid).toBe(BigInt(host.fsid[0] >>> 0) | (BigInt.asUintN(64, BigInt(host.fsid[1]) << 32n)));
    expect(r.type).toBe(0xef53);
  });
  it('proxy: the second half is the upper half of the helper\'s sign-extended word (0 here)', () => {
    const { r, host } = statfs('proxy');
    expect(host.fsid[1]).not.toBe(0);
    expect(r.fsid).toBe(BigInt(host.fsid[0] >>> 0));
  });
});

describe('config/readonly-ignored-before-5.0', () => {
  const O_WRONLY_TRUNC = 0o1 | 0o1000;
  const write = (driver: 'proxy' | 'local', version: string) => {
    const w = world({ driver, version, proxy: { readonly: true }, local: { readonly: true } });
    expect(w.lab.qemu.status, w.lab.qemu.stderr).toBe('running');
    w.attach();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
    const o = w.rpc({ kind: 'Tlopen', fid: 1, flags: O_WRONLY_TRUNC });
    if (o.kind === 'Rlopen') w.rpc({ kind: 'Twrite', fid: 1, offset: 0n, data: new TextEncoder().encode('x\n') });
    return { w, o };
  };
  it('P 1.1 – 4.2: readonly has no effect — hello.txt overwritten', () => {
    for (const v of ['2.6', '4.0']) {
      const { w, o } = write('proxy', v);
      expect(o.kind, v).toBe('Rlopen');
      expect(w.hostRead('/srv/export/hello.txt')).toBe('x\n');
    }
  });
  it('P ≥ 5.0 and local: EROFS, host untouched', () => {
    for (const [d, v] of [['proxy', '5.0'], ['proxy', '7.2'], ['local', '2.8'], ['local', '7.2']] as const) {
      const { w, o } = write(d, v);
      expect(errnoOf(o), `${d} ${v}`).toBe(30);
      expect(w.hostRead('/srv/export/hello.txt')).toBe('hello\n');
      expect(errnoOf(w.rpc({ kind: 'Tmkdir', dfid: 0, name: 'x', mode: 0o755, gid: 0 })), `${d} ${v}`).toBe(30);
    }
  });
});

describe('metadata/mapped-file-forge (CVE-2017-7493)', () => {
  const Q = 64055;
  const extra = [
    { path: 'tool', type: 'file' as const, mode: 0o600, uid: Q, gid: Q, content: '#!/bin/sh\n' },
    { path: '.virtfs_metadata', type: 'dir' as const, mode: 0o700, uid: Q, gid: Q },
    { path: '.virtfs_metadata/tool', type: 'file' as const, mode: 0o600, uid: Q, gid: Q, content: 'virtfs.uid=1000\nvirtfs.gid=1000\nvirtfs.mode=33261\n' },
  ];
  const forge = (version: string) => {
    const w = world({ driver: 'local', version, extra, local: { securityModel: 'mapped-file' }, lab: { qemuUser: { uid: Q, gid: Q } }, prepare: (k) => { k.chown(k.init, '/srv/export', Q, Q); } });
    expect(w.lab.qemu.status, w.lab.qemu.stderr).toBe('running');
    w.attach(1000);
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['tool'] });
    const before = w.rpc({ kind: 'Tgetattr', fid: 1, request_mask: 0x7ffn });
    expect(before.kind === 'Rgetattr' && [before.uid, before.mode]).toEqual([1000, 0o100755]);
    const wk = w.rpc({ kind: 'Twalk', fid: 0, newfid: 2, wnames: ['.virtfs_metadata', 'tool'] });
    return { w, wk };
  };
  it('before the fix (2.8 naive, 2.9 hardened): the guest rewrites the metadata and sees tool as setuid root', () => {
    for (const v of ['2.8', '2.9']) {
      const { w, wk } = forge(v);
      expect(wk.kind, v).toBe('Rwalk');
      expect(w.rpc({ kind: 'Tlopen', fid: 2, flags: 0o1 | 0o1000 }).kind).toBe('Rlopen');
      w.rpc({ kind: 'Twrite', fid: 2, offset: 0n, data: new TextEncoder().encode('virtfs.uid=0\nvirtfs.gid=0\nvirtfs.mode=35309\n') });
      const after = w.rpc({ kind: 'Tgetattr', fid: 1, request_mask: 0x7ffn });
      expect(after.kind === 'Rgetattr' && [after.uid, after.gid, after.mode], v).toEqual([0, 0, 0o104755]);
    }
  });
  it('2.10+: names .virtfs_metadata and .virtfs_metadata_root refused with EINVAL', () => {
    for (const v of ['2.10', '7.2']) {
      const { w, wk } = forge(v);
      expect(errnoOf(wk), v).toBe(22);
      expect(errnoOf(w.rpc({ kind: 'Twalk', fid: 0, newfid: 3, wnames: ['.virtfs_metadata_root'] }))).toBe(22);
      const rd = w.rpc({ kind: 'Tlopen', fid: 0, flags: 0 });
      expect(rd.kind).toBe('Rlopen');
      const dir = w.rpc({ kind: 'Treaddir', fid: 0, offset: 0n, count: 4096 });
      expect(dir.kind === 'Rreaddir' && dir.entries.map((e) => e.name).includes('.virtfs_metadata')).toBe(false);
    }
  });
});

describe('Treaddir through the DIR* on the helper\'s fd', () => {
  it('proxy lists the export with d_off offsets and resumes from an offset', () => {
    const w = world({ driver: 'proxy', version: '7.2', extra: [{ path: 'b.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'b' }] });
    w.attach();
    w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: [] });
    expect(w.rpc({ kind: 'Tlopen', fid: 1, flags: 0 }).kind).toBe('Rlopen');
    const all = w.rpc({ kind: 'Treaddir', fid: 1, offset: 0n, count: 8192 });
    if (all.kind !== 'Rreaddir') throw new Error(show(all));
    const names = all.entries.map((e) => e.name).sort();
    expect(names).toEqual(['.', '..', 'b.txt', 'hello.txt', 'pub']);
    const rest = w.rpc({ kind: 'Treaddir', fid: 1, offset: all.entries[1]!.offset, count: 8192 });
    expect(rest.kind === 'Rreaddir' && rest.entries.map((e) => e.name)).toEqual(all.entries.slice(2).map((e) => e.name));
    const small = w.rpc({ kind: 'Treaddir', fid: 1, offset: 0n, count: 30 });
    expect(small.kind === 'Rreaddir' && small.entries.length).toBe(1);
    const ga = w.rpc({ kind: 'Tgetattr', fid: 0, request_mask: 0x7ffn });
    expect(all.entries.find((e) => e.name === '.')!.qid.path).toBe(ga.kind === 'Rgetattr' ? ga.qid.path : -1n);
    expect(text(new Uint8Array())).toBe('');
  });
});
