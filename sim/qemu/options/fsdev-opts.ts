// The `fsdev` and `virtfs` option lists (fsdev/qemu-fsdev-opts.c) per version. Key sets follow the
// `-fsdev proxy,help` / `-virtfs proxy,help` output of 7.2.22 (fixtures/qemu-7.2/fsdev-help.txt) and
// the help texts of older versions (fixtures/qemu-help): 1.0 has no socket/sock_fd (proxy-protocol.md
// §12.3); throttling.* came with 2.9, fmode/dmode with 2.10, multidevs with 4.2 (versions.ts).
// The 9.2 removal of proxy did not touch this file, so socket/sock_fd still parse there (§12.3).
import type { QemuFeatures } from '../versions.ts';
import type { OptDesc, QemuOptsList } from './qemu-opts.ts';

/** THROTTLE_OPTS (include/qemu/throttle-options.h), with the help texts 7.2 prints. */
const THROTTLE: readonly OptDesc[] = [
  ['bps-total', 'limit total bytes per second'],
  ['bps-read', 'limit read bytes per second'],
  ['bps-write', 'limit write bytes per second'],
  ['iops-total', 'limit total I/O operations per second'],
  ['iops-read', 'limit read operations per second'],
  ['iops-write', 'limit write operations per second'],
  ['bps-total-max', 'total bytes burst'],
  ['bps-read-max', 'total bytes read burst'],
  ['bps-write-max', 'total bytes write burst'],
  ['iops-total-max', 'I/O operations burst'],
  ['iops-read-max', 'I/O operations read burst'],
  ['iops-write-max', 'I/O operations write burst'],
  ['bps-total-max-length', 'length of the bps-total-max burst period, in seconds'],
  ['bps-read-max-length', 'length of the bps-read-max burst period, in seconds'],
  ['bps-write-max-length', 'length of the bps-write-max burst period, in seconds'],
  ['iops-total-max-length', 'length of the iops-total-max burst period, in seconds'],
  ['iops-read-max-length', 'length of the iops-read-max burst period, in seconds'],
  ['iops-write-max-length', 'length of the iops-write-max burst period, in seconds'],
  ['iops-size', 'when limiting by iops max size of an I/O in bytes'],
].map(([n, help]) => ({ name: `throttling.${n}`, type: 'number' as const, help }));

export const THROTTLING_KEYS: readonly string[] = THROTTLE.map((d) => d.name);

function common(f: QemuFeatures, virtfs: boolean): OptDesc[] {
  const d: OptDesc[] = [
    { name: 'fsdriver', type: 'string' },
    { name: 'path', type: 'string' },
    { name: 'security_model', type: 'string' },
    { name: 'writeout', type: 'string' },
    { name: 'readonly', type: 'bool' },
  ];
  if (f.proxyOptionKeys) d.push({ name: 'socket', type: 'string' }, { name: 'sock_fd', type: 'number' });
  if (f.fmodeDmodeKeys) d.push({ name: 'fmode', type: 'number' }, { name: 'dmode', type: 'number' });
  if (f.multidevsKey) d.push({ name: 'multidevs', type: 'string' });
  if (virtfs) d.push({ name: 'mount_tag', type: 'string' });
  else if (f.throttlingKeys) d.push(...THROTTLE);
  return d;
}

/** `-fsdev`: implied key `fsdriver` (proxy-protocol.md §12.1). */
export function fsdevOptsList(f: QemuFeatures): QemuOptsList {
  return { name: 'fsdev', impliedOptName: 'fsdriver', desc: common(f, false) };
}

/** `-virtfs`: the fsdev keys (without throttling) plus `mount_tag`. */
export function virtfsOptsList(f: QemuFeatures): QemuOptsList {
  return { name: 'virtfs', impliedOptName: 'fsdriver', desc: common(f, true) };
}
