// Malformed and random 9P input never throws out of the transport: every submit answers replied,
// blocked or dropped; after a virtio_error the device drops everything (fast-check, fixed seed).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { world } from './world.ts';
import { encodeMessage } from '../../sim/p9/codec.ts';

const valid = [
  encodeMessage({ kind: 'Twalk', tag: 1, fid: 0, newfid: 1, wnames: ['hello.txt', 'pub'] }),
  encodeMessage({ kind: 'Tlcreate', tag: 2, fid: 1, name: 'x', flags: 2, mode: 0o644, gid: 0 }),
  encodeMessage({ kind: 'Tsetattr', tag: 3, fid: 1, valid: 0xff, mode: 0o777, uid: 1, gid: 1, size: 3n, atime_sec: 1n, atime_nsec: 2n, mtime_sec: 3n, mtime_nsec: 4n }),
  encodeMessage({ kind: 'Txattrcreate', tag: 4, fid: 1, name: 'user.a', attr_size: 3n, flags: 0 }),
  encodeMessage({ kind: 'Treaddir', tag: 5, fid: 0, offset: 0n, count: 100 }),
];

const mutated = fc.tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(64), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(80))
  .map(([m, flips, cut]) => {
    const b = m.slice(0, Math.max(0, m.length - (cut % (m.length + 1))));
    for (const [i, v] of flips) if (b.length) b[i % b.length] = v;
    return b;
  });

describe('transport fuzz', () => {
  for (const driver of ['proxy', 'local'] as const) {
    it(`${driver}: random and mutated messages never throw; once dropped, always dropped`, () => {
      fc.assert(fc.property(fc.array(fc.oneof(mutated, fc.uint8Array({ maxLength: 40 })), { minLength: 1, maxLength: 15 }), (msgs) => {
        const w = world({ driver, version: '7.2' });
        w.attach();
        const t = w.lab.transport();
        let dropped = false;
        for (const m of msgs) {
          const r = t.submit(m);
          expect(['replied', 'blocked', 'dropped']).toContain(r.state);
          if (dropped) expect(r.state).toBe('dropped');
          if (r.state === 'dropped') dropped = true;
        }
      }), { seed: 0x5eed, numRuns: 150 });
    });
  }
});
