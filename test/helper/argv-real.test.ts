// Differential: the simulated getopt/validation against the real QEMU 7.2.22 helper, for command
// lines that fail before the helper touches the filesystem (so they are safe to run anywhere).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseHelperArgv } from '../../sim/helper/argv.ts';
import { REAL, assertPresent, haveReal } from '../support/real-components.ts';

const CASES: string[][] = [
  [], ['-h'], ['-?'], ['--help'], ['--version'], ['-V'], ['-n', '-p'], ['--path'], ['--nodaemon=1'],
  ['--so=/x', '-n'], ['-x', '-p'], ['--=x'], ['-'], ['-np'], ['-n', '-p', '/nonexistent-dir', '-s', '/tmp/s'],
  ['-n', '-p', '/x', '-s', '/tmp/s', '-u', '0'], ['-n', '-p', '/x', '-s', '/tmp/s', '-f', '3', '-u', '0', '-g', '0'],
  ['-p', '/x', '-f', '-1'], ['--f', '3'], ['--fd'], ['-f'], ['-u', '-g'], ['--uid=1', '--gid'], ['-nh'], ['-hn'],
  ['operand', '-p', '/x'], ['-p', '/x', '--', '-f', '3'], ['--pa=/x', '--no', '--so', 's'],
];

describe.skipIf(!haveReal(REAL.helper))('argv handling vs the real helper', () => {
  for (const args of CASES) {
    it(`virtfs-proxy-helper ${args.join(' ')}`, () => {
      assertPresent(REAL.helper);
      const real = spawnSync(REAL.helper.path, args, { encoding: 'utf8', timeout: 5000 });
      const sim = parseHelperArgv([REAL.helper.path, ...args]);
      expect(sim.ok).toBe(false);
      if (sim.ok) return;
      expect({ status: sim.status, stderr: sim.stderr }).toEqual({ status: real.status, stderr: real.stderr });
    });
  }
});
