// The device table: a device node is only its rdev, so every node with the same rdev reads the same
// device (DESIGN.md §2; scenarios.md `mknod/host-device`: chroot does not contain device numbers).
import { makedev } from './constants.ts';
import type { Prng } from './prng.ts';

export type DeviceKind =
  /** Reads EOF, swallows writes (/dev/null). */
  | 'null'
  /** Reads zeros, swallows writes (/dev/zero). */
  | 'zero'
  /** Reads zeros, writes fail with ENOSPC (/dev/full). */
  | 'full'
  /** Reads seeded pseudo-random bytes (/dev/urandom; deterministic here). */
  | 'random'
  /** Reads and writes a fixed-size content (a disk, e.g. 8:0 /dev/sda). */
  | 'data';

export interface DeviceSpec {
  kind: DeviceKind;
  /** Display name, e.g. 'null' or 'sda'. */
  name: string;
  /** For 'data': the device's bytes (shared by every node and open). */
  content?: Uint8Array;
  /** For 'data': whether writes are accepted (a read-only disk answers EROFS... here EPERM-free EIO). */
  writable?: boolean;
  block?: boolean;
}

export const devKey = (rdev: bigint, block: boolean): string => `${block ? 'b' : 'c'}${rdev.toString()}`;

/** The character devices every Linux host has (Documentation/admin-guide/devices.txt, major 1). */
export function defaultDevices(): Map<string, DeviceSpec> {
  const m = new Map<string, DeviceSpec>();
  m.set(devKey(makedev(1, 3), false), { kind: 'null', name: 'null' });
  m.set(devKey(makedev(1, 5), false), { kind: 'zero', name: 'zero' });
  m.set(devKey(makedev(1, 7), false), { kind: 'full', name: 'full' });
  m.set(devKey(makedev(1, 8), false), { kind: 'random', name: 'random' });
  m.set(devKey(makedev(1, 9), false), { kind: 'random', name: 'urandom' });
  return m;
}

export function deviceRead(spec: DeviceSpec, pos: number, len: number, prng: Prng): Uint8Array {
  switch (spec.kind) {
    case 'null':
      return new Uint8Array(0);
    case 'zero':
    case 'full':
      return new Uint8Array(len);
    case 'random': {
      const out = new Uint8Array(len);
      for (let i = 0; i < len; i += 4) {
        const v = prng.nextU32();
        for (let k = 0; k < 4 && i + k < len; k++) out[i + k] = (v >>> (8 * k)) & 0xff;
      }
      return out;
    }
    case 'data': {
      const c = spec.content ?? new Uint8Array(0);
      return c.slice(Math.min(pos, c.length), Math.min(pos + len, c.length));
    }
  }
}
