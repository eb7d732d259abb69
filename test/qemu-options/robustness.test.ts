// Property test: whatever the command line, every modelled version gives a verdict (or says, with a
// typed error, that it does not model that option) — it never throws anything else, and the verdict is
// self-consistent and deterministic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODELLED_QEMU_VERSIONS } from '../../sim/qemu/versions.ts';
import { PEERS, QemuNotModelledError, runQemuCommandLine } from '../../sim/qemu/options/index.ts';

const WORDS = ['-fsdev', '-virtfs', '-device', '-machine', '-M', '-msg', '-S', '-nodefaults', '--fsdev', '-foo', 'disk.img', '-m', '-qmp'];
const PIECES = ['proxy', 'local', 'synth', 'handle', 'bogus', 'id=f0', 'id=f1', 'id=0x', 'sock_fd=3', 'sock_fd=-1', 'sock_fd=abc', 'socket=/s',
  'socket=', 'path=/x', 'security_model=none', 'security_model=mapped', 'readonly', 'noreadonly', 'readonly=on', 'writeout=immediate',
  'mount_tag=t', 'mount_tag=', 'fsdev=f0', 'fsdev=f1', 'virtio-9p-pci', 'virtio-9p', 'virtio-9p-x', 'help', '?', 'fmode=0600',
  'multidevs=remap', 'bus=pci.0', 'x=1', ',', ',,', '=', 'timestamp=on', 'none', 'pc', 'q35', 'type=none'];
const arg = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((xs) => xs.join(',')),
  fc.json(),
  fc.string(),
);
const argv = fc.array(fc.oneof(fc.constantFrom(...WORDS), arg), { maxLength: 12 });

describe('the option model on arbitrary command lines', () => {
  it('always answers with a consistent verdict or a QemuNotModelledError', () => {
    fc.assert(fc.property(argv, fc.constantFrom(...MODELLED_QEMU_VERSIONS), fc.constantFrom(...PEERS), (args, version, peer) => {
      let r;
      try {
        r = runQemuCommandLine(args, { version, peer });
      } catch (e) {
        if (e instanceof QemuNotModelledError) return;
        throw e;
      }
      if (r.starts) expect(r.exitCode).toBeNull();
      else expect(r.exitCode !== null || r.hung === true || r.signal === 'SIGABRT').toBe(true);
      if (r.exitCode === 1) expect(r.stderr.length + r.stdout.length).toBeGreaterThan(0);
      expect(runQemuCommandLine(args, { version, peer })).toEqual(r);
    }), { numRuns: 3000, seed: 2012 });
  });
});
