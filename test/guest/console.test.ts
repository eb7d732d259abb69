import { describe, expect, it } from 'vitest';
import { buildConsoleRequest, formatConsoleReply, parseDotlFlags, parseMode, ConsoleUsageError } from '../../sim/guest/console.ts';
import { decodeMessage, encodeMessage, type P9Message } from '../../sim/p9/index.ts';

describe('raw 9P console: request building', () => {
  it('builds the scenarios.md requests with the right fields', () => {
    expect(buildConsoleRequest(['symlink', '0', 'esc', '/'], 0)).toEqual({ kind: 'Tsymlink', fid: 0, name: 'esc', symtgt: '/', gid: 0 });
    expect(buildConsoleRequest(['walk', '0', '1', 'esc', 'etc', 'shadow'], 0)).toEqual({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['esc', 'etc', 'shadow'] });
    expect(buildConsoleRequest(['walk', '0', '3'], 0)).toEqual({ kind: 'Twalk', fid: 0, newfid: 3, wnames: [] });
    // scenarios.md §4 mknod/host-device: mode S_IFBLK|0600 = 060600, major 8 minor 0
    expect(buildConsoleRequest(['mknod', '0', 'disk', '060600', '8', '0'], 0)).toEqual({ kind: 'Tmknod', dfid: 0, name: 'disk', mode: 0o60600, major: 8, minor: 0, gid: 0 });
    expect(buildConsoleRequest(['mknod', '0', 'disk', 'S_IFBLK|0600', '8', '0', '1000'], 0)).toMatchObject({ mode: 0o60600, gid: 1000 });
    // create/through-dangling-symlink: O_WRONLY|O_TRUNC = 0x201 on the wire (P9_DOTL values)
    expect(buildConsoleRequest(['lcreate', '3', 'drop', 'O_WRONLY|O_TRUNC', '0644'], 42)).toEqual({ kind: 'Tlcreate', fid: 3, name: 'drop', flags: 0o1001, mode: 0o644, gid: 42 });
    expect(buildConsoleRequest(['read', '1', '0', '4096'], 0)).toEqual({ kind: 'Tread', fid: 1, offset: 0n, count: 4096 });
    expect(buildConsoleRequest(['setattr', '2', 'mode=0666'], 0)).toMatchObject({ kind: 'Tsetattr', fid: 2, valid: 1, mode: 0o666 });
    expect(buildConsoleRequest(['setattr', '2', 'mtime=1700000000.5'], 0)).toMatchObject({ valid: 0x20 | 0x100, mtime_sec: 1700000000n, mtime_nsec: 500000000n });
    expect(buildConsoleRequest(['unlinkat', '0', 'd', 'AT_REMOVEDIR'], 0)).toEqual({ kind: 'Tunlinkat', dirfid: 0, name: 'd', flags: 0x200 });
    expect(buildConsoleRequest(['attach', '10', '1000'], 0)).toMatchObject({ kind: 'Tattach', fid: 10, afid: 0xffffffff, n_uname: 1000 });
    const w = buildConsoleRequest(['write', '3', '0', 'a\\nb'], 0);
    expect(w.kind === 'Twrite' && Array.from(w.data)).toEqual([0x61, 0x0a, 0x62]);
  });

  it('every built request encodes as a valid 9P2000.L message', () => {
    const lines = [['lopen', '1', '0'], ['getattr', '1'], ['readlink', '2'], ['clunk', '1'], ['statfs', '0'], ['readdir', '0'], ['mkdir', '0', 'd', '0755'], ['renameat', '0', 'a', '0', 'b'], ['link', '0', '1', 'h'], ['xattrwalk', '1', '5', 'user.x'], ['fsync', '1'], ['remove', '4'], ['rename', '1', '0', 'n']];
    for (const l of lines) {
      const msg = { ...buildConsoleRequest(l, 0), tag: 7 } as P9Message;
      expect(decodeMessage(encodeMessage(msg))).toEqual(msg);
    }
  });

  it('rejects bad input with a clear message', () => {
    expect(() => buildConsoleRequest(['walk', 'x', '1'], 0)).toThrow(new ConsoleUsageError("FID: 'x' is not a number"));
    expect(() => buildConsoleRequest(['frob'], 0)).toThrow(/unknown OP 'frob'/);
    expect(() => parseMode('0999')).toThrow(/neither octal/);
    expect(() => buildConsoleRequest(['walk', '0', '1', ...Array(17).fill('a')], 0)).toThrow(/16 names/);
    expect(parseDotlFlags('O_RDWR|O_CREAT|O_EXCL')).toBe(0o302);
    expect(parseDotlFlags('0x8000')).toBe(0x8000);
  });
});

describe('raw 9P console: reply printing', () => {
  it('prints Rlerror with the errno name and exits 1', () => {
    expect(formatConsoleReply({ kind: 'Rlerror', tag: 1, ecode: 2 })).toEqual({ text: 'Rlerror ENOENT (2): No such file or directory\n', exit: 1 });
  });
  it('prints Rwalk with the number of qids', () => {
    const r = formatConsoleReply({ kind: 'Rwalk', tag: 1, wqids: [{ type: 2, version: 0, path: 12n }] });
    expect(r.exit).toBe(0);
    expect(r.text).toMatch(/^Rwalk nwqid=1 wqids=\[\{type symlink version 0 path 12\}\]\n$/);
  });
  it('prints Rread data', () => {
    expect(formatConsoleReply({ kind: 'Rread', tag: 1, data: Uint8Array.from([104, 105, 10]) }).text).toBe('Rread count=3\nhi\n');
  });
});
