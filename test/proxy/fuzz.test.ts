// Fuzzing the wire layer (fast-check, fixed seeds): random and mutated bytes never make a decoder throw
// anything but a located ProxyDecodeError, the frame description never throws, and every request type
// round-trips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeReply, decodeRequest, describeReply, describeRequest, describeRequests, encodeRequest, ProxyDecodeError,
  REQUESTS, type RequestName,
} from '../../sim/proxy/index.ts';

const SEED = 20261127;
const names = Object.keys(REQUESTS) as RequestName[];

const fieldArb = (kind: string) =>
  kind === 's' ? fc.uint8Array({ maxLength: 40 })
    : kind === 'q' ? fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })
      : fc.integer({ min: 0, max: 0xffffffff });

const requestArb = fc.constantFrom(...names).chain((name) =>
  fc.tuple(fc.constant(name), fc.tuple(...REQUESTS[name].fields.map((f) => fieldArb(f.kind)))));

describe('proxy codec fuzzing', () => {
  it('round-trips random requests of every type', () => {
    fc.assert(fc.property(requestArb, ([name, values]) => {
      const args: Record<string, unknown> = {};
      REQUESTS[name].fields.forEach((f, i) => { args[f.name] = values[i]; });
      const bytes = encodeRequest(name, args as never);
      const d = decodeRequest(bytes);
      expect(d.name).toBe(name);
      expect(d.trailing).toBe(0);
      for (const f of REQUESTS[name].fields) expect((d.fields as Record<string, unknown>)[f.name]).toEqual(args[f.name]);
      // every byte of the payload is covered by exactly one described field
      const desc = describeRequest(bytes);
      expect(desc.fields.reduce((n, x) => n + x.length, 0)).toBe(bytes.length);
    }), { seed: SEED, numRuns: 2000 });
  });

  it('random bytes: decoders throw only located ProxyDecodeErrors; describe never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(...names), (b, name) => {
      for (const f of [() => decodeRequest(b), () => decodeReply(name, b), () => decodeReply(name, b, 0)]) {
        try { f(); } catch (e) {
          expect(e).toBeInstanceOf(ProxyDecodeError);
          const d = (e as ProxyDecodeError).data;
          expect(d.offset).toBeGreaterThanOrEqual(0);
          expect(d.need).toBeGreaterThan(d.have);
        }
      }
      const frames = describeRequests(b);
      for (const fr of frames) for (const x of fr.fields) expect(x.offset + x.length).toBeLessThanOrEqual(b.length);
      describeReply(name, b);
    }), { seed: SEED, numRuns: 5000 });
  });

  it('mutated valid frames (flips, truncation, extension) decode or fail at a real offset', () => {
    fc.assert(fc.property(requestArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.integer({ min: -8, max: 8 }), ([name, values], flips, delta) => {
      const args: Record<string, unknown> = {};
      REQUESTS[name].fields.forEach((f, i) => { args[f.name] = values[i]; });
      let b = encodeRequest(name, args as never);
      for (const [pos, v] of flips) b[pos % b.length] = v;
      if (delta < 0) b = b.subarray(0, Math.max(0, b.length + delta));
      else if (delta > 0) b = Uint8Array.from([...b, ...new Array(delta).fill(0x41)]);
      try {
        decodeRequest(b);
      } catch (e) {
        expect(e).toBeInstanceOf(ProxyDecodeError);
        expect((e as ProxyDecodeError).data.offset).toBeLessThanOrEqual(b.length);
      }
    }), { seed: SEED, numRuns: 3000 });
  });
});
