// Differential test against the REAL libvirt 9.0 (Debian 12's virsh, libvirt.md §7): seeded random
// domain XMLs (test/libvirt/gen-domain.ts) go through `virsh domxml-to-native qemu-argv` with an
// embed root and through planLaunch(era '9.0'); the whole command line (environment included) must
// match word for word, or both must refuse with the same `error:` line.
//
// One real nondeterminism is tolerated and checked: domxml-to-native's tap fds are virsh's lowest
// free descriptors, 4 or 5 from run to run (observed); the test reads the first one from virsh's
// output and passes it to planLaunch as firstFreeFd.
import { beforeAll, describe, expect, it } from 'vitest';
import { planLaunch } from '../../sim/libvirt/index.ts';
import { assertPresent, haveReal, isRoot, REAL } from '../support/real-components.ts';
import { genDomain, prng } from './gen-domain.ts';
import { PROBE_CASES } from './probe-cases.ts';
import { shellSplit, splitEnv } from './support.ts';
import { ensureLibvirtQemuUser, VirshOracle } from './virsh-oracle.ts';

const SEEDS = (process.env.VIRTFS_LAB_DIFF_SEEDS ?? '20121031,12,21,99').split(',').map(Number);
const CASES_PER_SEED = Number(process.env.VIRTFS_LAB_DIFF_CASES ?? 40);

describe.skipIf(!haveReal(REAL.virsh))('libvirt 9.0 differential: generated domains vs virsh domxml-to-native', () => {
  let oracle: VirshOracle;
  beforeAll(() => {
    assertPresent(REAL.virsh);
    if (!isRoot()) throw new Error('the embedded QEMU driver needs root (libvirt.md §7)');
    ensureLibvirtQemuUser();
    oracle = new VirshOracle(REAL.virsh.path);
  }, 120_000);

  /** The real virsh and planLaunch agree on `xml` (same words, or the same error line). */
  function agree(xml: string, where: string): boolean {
    const real = oracle.domxmlToNative(xml);
    if (real.status === 0) {
      const words = splitEnv(shellSplit(real.stdout.trim()));
      const tap = /"type":"tap","fd":"(\d+)"/.exec(real.stdout);
      if (tap) expect([4, 5], where).toContain(Number(tap[1]));
      const sim = planLaunch(xml, { era: '9.0', variant: 'as-posted', host: 'domxml-to-native', embedRoot: oracle.root, firstFreeFd: tap ? Number(tap[1]) : undefined });
      expect(sim.ok ? null : sim.error.message, where).toBeNull();
      if (sim.ok) {
        expect(sim.env, where).toEqual(words.env);
        expect(sim.qemu, where).toEqual(words.argv);
      }
      return true;
    }
    expect(real.errors, where).toMatch(/^error: /);
    const sim = planLaunch(xml, { era: '9.0', variant: 'as-posted', host: 'domxml-to-native', embedRoot: oracle.root });
    expect(sim.ok ? `accepted: ${sim.qemu.join(' ')}` : `error: ${sim.error.message}`, where).toBe(real.errors);
    return false;
  }

  it(`${Object.keys(PROBE_CASES).length} hand-written edge cases (test/libvirt/probe-cases.ts)`, () => {
    for (const [name, xml] of Object.entries(PROBE_CASES)) agree(xml, `${name}:\n${xml}`);
  }, 300_000);

  for (const seed of SEEDS) {
    it(`seed ${seed}: ${CASES_PER_SEED} domains`, () => {
      const rng = prng(seed);
      let accepted = 0;
      let refused = 0;
      for (let i = 0; i < CASES_PER_SEED; i++) {
        const xml = genDomain(rng);
        if (agree(xml, `seed ${seed} case ${i}:\n${xml}`)) accepted++;
        else refused++;
      }
      // The generator must exercise both outcomes, or the comparison says little.
      expect(accepted).toBeGreaterThan(CASES_PER_SEED / 5);
      expect(refused).toBeGreaterThan(CASES_PER_SEED / 10);
    }, 300_000);
  }
});
