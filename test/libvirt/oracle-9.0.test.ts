// Every recorded libvirt 9.0 case (fixtures/libvirt-9.0-oracle: virsh domxml-to-native with an embed
// root on Debian 12): the whole command line word for word, or the exact `error:` line and status.
import { describe, expect, it } from 'vitest';
import { planLaunch } from '../../sim/libvirt/index.ts';
import { fixture, fixtureNames, shellSplit, splitEnv } from './support.ts';

const cases = fixtureNames('libvirt-9.0-oracle').filter((n) => n.endsWith('.xml')).map((n) => n.slice(0, -4));

describe('fixtures/libvirt-9.0-oracle', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(23));
  for (const name of cases) {
    it(name, () => {
      const xml = fixture('libvirt-9.0-oracle', `${name}.xml`);
      const rc = Number(fixture('libvirt-9.0-oracle', `${name}.rc`).trim());
      const r = planLaunch(xml, { era: '9.0', variant: 'as-posted', host: 'domxml-to-native', embedRoot: 'EMBED_ROOT' });
      if (rc === 0) {
        if (!r.ok) throw new Error(r.error.message);
        const expected = splitEnv(shellSplit(fixture('libvirt-9.0-oracle', `${name}.argv`)));
        expect(r.env).toEqual(expected.env);
        expect(r.qemu).toEqual(expected.argv);
      } else {
        expect(name).toMatch(/-ERR$/);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(`error: ${r.error.message}`).toBe(fixture('libvirt-9.0-oracle', `${name}.error`).trim());
      }
    });
  }
});
