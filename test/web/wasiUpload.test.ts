// Uploads of the user's own WASI programs (web/lib/wasi/upload.ts) and the shipped list
// (web/lib/wasi/shippedGuests.ts), which must stay equal to public/guests/*.wasm.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { checkUpload, checkUploadHead, uploadName, withGuestUploads, addUpload, uploadEntry, MAX_UPLOAD_BYTES } from '../../web/lib/wasi/upload.ts';
import { SHIPPED_GUESTS } from '../../web/lib/wasi/shippedGuests.ts';
import { bytesToBase64 } from '../../web/lib/wasi/base64.ts';
import type { Scenario } from '../../sim/scenario/types.ts';

const HEADER = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0);

describe('shipped guest list', () => {
  it('is exactly the programs in public/guests', () => {
    const files = readdirSync(new URL('../../public/guests/', import.meta.url)).filter((f) => f.endsWith('.wasm')).map((f) => f.slice(0, -5)).sort();
    expect([...SHIPPED_GUESTS]).toEqual(files);
  });
});

describe('checkUpload', () => {
  it('accepts a core module and names it under /guests', () => {
    expect(checkUpload('spin.wasm', HEADER)).toEqual({ ok: true, name: 'spin.wasm', path: '/guests/spin.wasm' });
  });
  it('names: shell-unsafe characters become _, .wasm is added, 64 characters at most', () => {
    expect(uploadName('C:\\Users\\me\\my prog (2).wasm')).toBe('my_prog__2_.wasm');
    expect(uploadName('a.out')).toBe('a.out.wasm');
    expect(uploadName('...')).toBe('program.wasm');
    expect(uploadName(`${'x'.repeat(100)}.wasm`)).toHaveLength(64);
  });
  it('refuses, with the reason and where, empty, non-wasm, component, too big and shipped names', () => {
    expect(checkUpload('e.wasm', new Uint8Array())).toMatchObject({ ok: false, code: 'EMPTY' });
    const text = checkUpload('notes.txt', new TextEncoder().encode('hello world'));
    expect(text).toMatchObject({ ok: false, code: 'NOT_WASM' });
    expect(!text.ok && text.message).toContain('starts with 68 65 6c 6c, not 00 61 73 6d');
    const component = checkUpload('c.wasm', Uint8Array.of(0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0));
    expect(!component.ok && component.message).toContain('version 0d 00 01 00 (offset 4)');
    expect(checkUploadHead('big.wasm', MAX_UPLOAD_BYTES + 1, HEADER)).toMatchObject({ ok: false, code: 'TOO_BIG' });
    expect(checkUploadHead('ok.wasm', MAX_UPLOAD_BYTES, HEADER).ok).toBe(true);
    expect(checkUpload('ls.wasm', HEADER)).toMatchObject({ ok: false, code: 'NAME_TAKEN' });
  });
});

describe('uploads in the guest tree', () => {
  const scenario = { guest: { tree: [{ path: '/etc/motd', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'hi' }] } } as unknown as Scenario;
  it('become content_b64 entries (0755, root), a later one replacing the earlier', () => {
    const a = uploadEntry('p.wasm', HEADER);
    expect(a).toEqual({ path: '/guests/p.wasm', type: 'file', mode: 0o755, uid: 0, gid: 0, content_b64: Buffer.from(HEADER).toString('base64') });
    const b = uploadEntry('p.wasm', Uint8Array.of(...HEADER, 0));
    const list = addUpload([a], b);
    expect(list).toEqual([b]);
    const s = withGuestUploads(scenario, list);
    expect(s.guest.tree.map((e) => e.path)).toEqual(['/etc/motd', '/guests/p.wasm']);
    expect(scenario.guest.tree).toHaveLength(1);
    expect(withGuestUploads(scenario, [])).toBe(scenario);
  });
  it('base64 matches Node over sizes around the 32 KiB chunk', () => {
    for (const n of [0, 1, 2, 3, 0x7fff, 0x8000, 0x8001, 100_000]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 0xff);
      expect(bytesToBase64(b)).toBe(Buffer.from(b).toString('base64'));
    }
  });
});
