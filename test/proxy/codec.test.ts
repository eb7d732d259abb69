// Codec unit tests against the byte examples of proxy-protocol.md §4.3 (recorded from QEMU 7.2.22's
// helper) and the realize-time request captured from real QEMU (§3.2).
import { describe, expect, it } from 'vitest';
import {
  decodeReply, decodeRequest, describeReply, describeRequest, describeRequests, encodeRequest,
  encodeResponse, encodeStatusReply, encodeFdWord, fidPath, ProxyDecodeError, ProxyEncodeError,
  responsePayload, V9FS_FD_VALID, utf8Decode, utf8Encode,
} from '../../sim/proxy/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('request encoding matches the recorded bytes (§4.3)', () => {
  it('QEMU realize T_LSTAT "/\\0" (fid path, NUL counted)', () => {
    expect(hex(encodeRequest('T_LSTAT', { path: fidPath('/') }))).toBe('08000000040000000200' + '2f00');
  });
  it('basic_fd/open_file_rdonly', () => {
    expect(hex(encodeRequest('T_OPEN', { path: 'file.txt', flags: 0 }))).toBe('020000000e000000080066696c652e74787400000000');
  });
  it('basic_fd/create_new (path first, uid/gid last)', () => {
    expect(hex(encodeRequest('T_CREATE', { path: 'created.txt', flags: 0xc2, mode: 0o640, uid: 0, gid: 0 })))
      .toBe('030000001d0000000b00637265617465642e747874c2000000a00100000000000000000000');
  });
  it('basic_fd/mknod_chr_as_root (uid/gid first, rdev u64)', () => {
    expect(hex(encodeRequest('T_MKNOD', { uid: 0, gid: 0, path: 'null_dev', mode: 0o20666, rdev: 0x103n })))
      .toBe('040000001e000000000000000000000008006e756c6c5f646576b62100000301000000000000');
  });
  it('basic_fd/mkdir_new and the QEMU-style T_MKDIR of §4.3', () => {
    expect(hex(encodeRequest('T_MKDIR', { uid: 0, gid: 0, path: 'newdir', mode: 0o755 })))
      .toBe('0500000014000000000000000000000006006e6577646972ed010000');
    expect(hex(encodeRequest('T_MKDIR', { uid: 1000, gid: 1000, path: '//d', mode: 0o755 })))
      .toBe('0500000011000000e8030000e803000003002f2f64ed010000');
  });
  it('basic_fd/symlink_new, readlink_inside, statfs_root, chown_file, truncate_shrink', () => {
    expect(hex(encodeRequest('T_SYMLINK', { uid: 0, gid: 0, oldpath: 'file.txt', path: 'newlink' })))
      .toBe('060000001b0000000000000000000000080066696c652e74787407006e65776c696e6b');
    expect(hex(encodeRequest('T_READLINK', { path: 'link_inside', size: 4096 })))
      .toBe('09000000110000000b006c696e6b5f696e7369646500100000');
    expect(hex(encodeRequest('T_STATFS', { path: '/' }))).toBe('0a0000000300000001002f');
    expect(hex(encodeRequest('T_CHOWN', { path: 'created.txt', uid: 1000, gid: 1000 })))
      .toBe('0c000000150000000b00637265617465642e747874e8030000e8030000');
    expect(hex(encodeRequest('T_TRUNCATE', { path: 'created.txt', offset: 1n })))
      .toBe('0d000000150000000b00637265617465642e7478740100000000000000');
  });
  it('negative C ints travel as two\'s complement (chown -1, truncate -1)', () => {
    expect(hex(encodeRequest('T_CHOWN', { path: 'created.txt', uid: -1, gid: -1 })))
      .toBe('0c000000150000000b00637265617465642e747874ffffffffffffffff');
    expect(hex(encodeRequest('T_TRUNCATE', { path: 'created.txt', offset: -1n })))
      .toBe('0d000000150000000b00637265617465642e747874ffffffffffffffff');
  });
  it('xattr requests: lgetxattr_size0, llistxattr_value, lsetxattr_new', () => {
    expect(hex(encodeRequest('T_LGETXATTR', { size: 0, path: 'xattr_file', name: 'user.test' })))
      .toBe('110000001b000000000000000a0078617474725f66696c650900757365722e74657374');
    expect(hex(encodeRequest('T_LLISTXATTR', { size: 256, path: 'xattr_file' })))
      .toBe('1200000010000000000100000a0078617474725f66696c65');
    expect(hex(encodeRequest('T_LSETXATTR', { path: 'xattr_file', name: 'user.new', value: 'v1', size: 2, flags: 0 })))
      .toBe('13000000220000000a0078617474725f66696c650800757365722e6e6577020076310200000000000000');
  });
  it('getversion_file and remove_file', () => {
    expect(hex(encodeRequest('T_GETVERSION', { path: 'file.txt' }))).toBe('150000000a000000080066696c652e747874');
    expect(hex(encodeRequest('T_REMOVE', { path: 'hardlink.txt' }))).toBe('100000000e0000000c00686172646c696e6b2e747874');
  });
  it('refuses what the marshaller cannot express', () => {
    expect(() => encodeRequest('T_OPEN', { path: 'x', flags: 2 ** 33 })).toThrow(ProxyEncodeError);
    expect(() => encodeRequest('T_LSTAT', { path: new Uint8Array(65536) })).toThrow(ProxyEncodeError);
    // 65544-byte frame limit (§2.3): two 40000-byte strings cannot fit
    const big = new Uint8Array(40000).fill(0x61);
    try {
      encodeRequest('T_RENAME', { oldpath: big, path: big });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProxyEncodeError);
      expect((e as ProxyEncodeError).data.field).toBe('path');
    }
  });
});

describe('request decoding', () => {
  it('round-trips every request type', () => {
    const d = decodeRequest(encodeRequest('T_UTIME', { path: 'f', atime_sec: 1n, atime_nsec: 2n, mtime_sec: 3n, mtime_nsec: 0x3ffffffen }));
    expect(d.name).toBe('T_UTIME');
    expect(d.fields).toMatchObject({ atime_sec: 1n, mtime_nsec: 0x3ffffffen });
    expect(utf8Decode(d.fields.path as Uint8Array)).toBe('f');
  });
  it('keeps an embedded NUL in the bytes (basic_fd/open_embedded_nul)', () => {
    const d = decodeRequest(unhex('0200000016000000100066696c652e747874006761726261676500000000'));
    expect(hex(d.fields.path as Uint8Array)).toBe('66696c652e7478740067617262616765');
  });
  it('reports a string overrun with field, offset, need and have (malformed/string_overrun_lstat)', () => {
    try {
      decodeRequest(unhex('080000000400000064006162'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProxyDecodeError);
      expect((e as ProxyDecodeError).data).toEqual({ request: 8, requestName: 'T_LSTAT', field: 'path', offset: 10, need: 100, have: 2 });
    }
  });
  it('reports a missing field (malformed/missing_field_chmod_mode)', () => {
    try {
      decodeRequest(unhex('0b0000000a000000080066696c652e747874'));
      expect.unreachable();
    } catch (e) {
      expect((e as ProxyDecodeError).data).toMatchObject({ field: 'mode', offset: 18, need: 4, have: 0 });
    }
  });
  it('reports unknown types, oversize and truncated frames', () => {
    expect(() => decodeRequest(unhex('6300000000000000'))).toThrow(/unknown request type 99 at byte 0/);
    expect(() => decodeRequest(unhex('0800000001000100'))).toThrow(/header.size 65537 at byte 4 exceeds the limit 65536/);
    expect(() => decodeRequest(unhex('08000000'))).toThrow(/header\.size/);
    expect(() => decodeRequest(unhex('0800000014000000080066696c65'))).toThrow(/payload/);
  });
  it('counts trailing payload bytes (malformed/trailing_garbage_chmod)', () => {
    expect(decodeRequest(unhex('0b00000016000000080066696c652e747874a40100004741524241474521')).trailing).toBe(8);
  });
});

describe('replies (§4.2, §9)', () => {
  it('status shapes', () => {
    expect(hex(encodeStatusReply(0))).toBe('000000000400000000000000');
    expect(hex(encodeStatusReply(-17))).toBe('0100000004000000efffffff');
    expect(hex(encodeStatusReply(-105))).toBe('010000000400000097ffffff');
  });
  it('fd words have no header', () => {
    expect(hex(encodeFdWord(V9FS_FD_VALID))).toBe('ffffff7f');
    expect(hex(encodeFdWord(-2))).toBe('feffffff');
  });
  it('responses: readlink, xattr length, empty list, getversion', () => {
    expect(hex(encodeResponse(responsePayload.string('T_READLINK', utf8Encode('file.txt'))))).toBe('000000000a000000080066696c652e747874');
    expect(hex(encodeResponse(responsePayload.u32(5)))).toBe('000000000400000005000000');
    expect(hex(encodeResponse(responsePayload.string('T_LLISTXATTR', new Uint8Array())))).toBe('00000000020000000000');
    expect(hex(encodeResponse(responsePayload.u64(0n)))).toBe('00000000080000000000000000000000');
  });
  it('decodes the observed ext4 root stat (§6.1)', () => {
    const bytes = unhex('00000000 74000000 00fe000000000000 a6c0200000000000 0500000000000000 ed410000 00000000 00000000 0000000000000000 0010000000000000 0010000000000000 0800000000000000 00105e5f00000000 c76b9f0600000000 00f1536500000000 8ed73e0d00000000 0000000000000000 0000000000000000');
    const d = decodeReply('T_LSTAT', bytes);
    expect(d.ok && 'stat' in d && d.stat).toMatchObject({ st_mode: 0o40755, st_nlink: 5n, st_size: 4096n, st_atim_sec: 1600000000n, st_atim_nsec: 111111111n, st_mtim_sec: 1700000000n, st_mtim_nsec: 222222222n });
    expect(hex(encodeResponse(responsePayload.stat((d as unknown as { stat: never }).stat)))).toBe(hex(bytes));
  });
  it('decodes errors of each shape', () => {
    expect(decodeReply('T_OPEN', unhex('faffffff'))).toMatchObject({ shape: 'fd', ok: false, errno: 6 });
    expect(decodeReply('T_LSTAT', unhex('0100000004000000feffffff'))).toMatchObject({ ok: false, errno: 2 });
    expect(decodeReply('T_LGETXATTR', unhex('000000000400000005000000'), 0)).toMatchObject({ ok: true, status: 5 });
    expect(() => decodeReply('T_LSTAT', unhex('0000000003000000616263'))).toThrow(ProxyDecodeError);
  });
});

describe('describe frames (field ↔ byte ranges)', () => {
  it('maps every field of a request to its bytes', () => {
    const f = describeRequest(encodeRequest('T_OPEN', { path: 'file.txt', flags: 0 }));
    expect(f.fields.map((x) => [x.name, x.offset, x.length])).toEqual([
      ['header.type', 0, 4], ['header.size', 4, 4], ['path', 8, 10], ['flags', 18, 4],
    ]);
    expect(f.fields[2]!.display).toBe('"file.txt" (len 8)');
  });
  it('locates the error in a malformed request without throwing', () => {
    const f = describeRequest(unhex('0b0000000a000000080066696c652e747874'));
    expect(f.error).toMatchObject({ field: 'mode', offset: 18 });
    expect(f.fields.map((x) => x.name)).toEqual(['header.type', 'header.size', 'path']);
  });
  it('splits a pipelined write (malformed/pipelined_two_requests)', () => {
    const fs = describeRequests(unhex('080000000a000000080066696c652e74787409000000110000000b006c696e6b5f696e7369646540000000'));
    expect(fs.map((f) => f.typeName)).toEqual(['T_LSTAT', 'T_READLINK']);
  });
  it('describes replies', () => {
    const r = describeReply('T_MKDIR', unhex('0100000004000000efffffff'));
    expect(r.fields.map((x) => x.display)).toEqual(['1 (T_ERROR)', '4', '-17 (EEXIST)']);
  });
});

describe('describe agrees with the recorded suite\'s decoded requests', () => {
  it('field names, lengths, symbolic flags and octal modes of every well-formed request', async () => {
    const { readFileSync } = await import('node:fs');
    const suite = JSON.parse(readFileSync('/work/shared/vectors/proxy-conformance-public.json', 'utf8')) as { sessions: { steps: { request_hex: string; request_wellformed: boolean; request: { fields: { name: string; kind: string; len?: number; symbolic?: string; octal?: string }[]; trailing_bytes?: number } }[] }[] };
    let checked = 0;
    for (const s of suite.sessions) {
      for (const st of s.steps) {
        if (!st.request_wellformed) continue;
        const d = describeRequest(unhex(st.request_hex));
        const fields = d.fields.filter((f) => !f.name.startsWith('header.'));
        expect(fields.map((f) => f.name)).toEqual(st.request.fields.map((f) => f.name));
        st.request.fields.forEach((f, i) => {
          if (f.kind === 's') expect(fields[i]!.length).toBe(2 + f.len!);
          if (f.symbolic !== undefined) expect(fields[i]!.symbolic).toBe(f.symbolic);
          if (f.octal !== undefined) expect(fields[i]!.octal).toBe(f.octal);
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
