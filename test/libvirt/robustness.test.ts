// The editor calls planLaunch on every keystroke: whatever the text, it must return a result (never
// throw), and every diagnostic must point inside the text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOMAIN_XML, planLaunch, type Era, type Variant } from '../../sim/libvirt/index.ts';
import { fixture } from './support.ts';

const BASES = [DEFAULT_DOMAIN_XML, fixture('libvirt-9.0-oracle', '45-virtio-with-disk-and-net.xml'), fixture('libvirt-xml2argv', 'v0.10.2', 'qemuxml2argv-fs9p.xml')];

describe('planLaunch on edited text', () => {
  it('never throws; diagnostics stay inside the text', () => {
    fc.assert(fc.property(
      fc.constantFrom(...BASES), fc.nat(), fc.nat(), fc.string({ maxLength: 12 }),
      fc.constantFrom<Era>('0.10.2', '9.0'), fc.constantFrom<Variant>('as-posted', 'corrected'),
      (base, a, b, insert, era, variant) => {
        const i = a % (base.length + 1);
        const j = i + (b % 20);
        const xml = base.slice(0, i) + insert + base.slice(Math.min(j, base.length));
        const r = planLaunch(xml, { era, variant });
        for (const d of r.diagnostics) {
          expect(d.from).toBeGreaterThanOrEqual(0);
          expect(d.to).toBeLessThanOrEqual(xml.length);
          expect(d.from).toBeLessThanOrEqual(d.to);
          expect(d.line).toBeGreaterThanOrEqual(1);
        }
        if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0);
      },
    ), { numRuns: 600, seed: 2012 });
  });
});
