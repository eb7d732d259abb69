import { describe, it, expect } from 'vitest';
import { world, errnoOf, text, show } from './world.ts';

describe('first path: attach / walk / getattr / lopen / read', () => {
  for (const driver of ['proxy', 'local'] as const) {
    it(`${driver} on QEMU 7.2 serves hello.txt`, () => {
      const w = world({ driver, version: '7.2' });
      expect(w.lab.qemu.status, w.lab.qemu.stderr).toBe('running');
      const a = w.attach();
      expect(a.kind).toBe('Rattach');
      const wk = w.rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] });
      expect(wk.kind).toBe('Rwalk');
      const ga = w.rpc({ kind: 'Tgetattr', fid: 1, request_mask: 0x3fffn });
      expect(ga.kind).toBe('Rgetattr');
      if (ga.kind === 'Rgetattr') {
        expect(ga.mode).toBe(0o100644);
        expect(ga.size).toBe(6n);
      }
      const o = w.rpc({ kind: 'Tlopen', fid: 1, flags: 0 });
      expect(o.kind, show(o)).toBe('Rlopen');
      const r = w.rpc({ kind: 'Tread', fid: 1, offset: 0n, count: 4096 });
      expect(r.kind).toBe('Rread');
      if (r.kind === 'Rread') expect(text(r.data)).toBe('hello\n');
      expect(errnoOf(w.rpc({ kind: 'Twalk', fid: 0, newfid: 2, wnames: ['nope'] }))).toBe(2);
    });
  }
});
