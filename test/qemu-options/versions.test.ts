import { describe, expect, it } from 'vitest';
import { MODELLED_QEMU_VERSIONS, UnknownQemuVersionError, modelledQemuVersions, qemuVersion } from '../../sim/qemu/versions.ts';

describe('QEMU versions and feature flags (DESIGN.md §3, proxy-protocol.md §15)', () => {
  it('models the proxy driver from 1.1 to 9.1 only', () => {
    const withProxy = modelledQemuVersions().filter((v) => v.features.proxyDriver).map((v) => v.id);
    expect(withProxy).toEqual(['1.1', '1.2', '2.6', '2.8', '2.9', '4.0', '4.1', '5.0', '5.1', '6.0', '7.1', '7.2', '8.1', '9.1']);
    expect(qemuVersion('9.2').features.proxyOptionKeys).toBe(true); // removal left qemu-fsdev-opts.c alone (§12.3)
    expect(qemuVersion('1.0').features.proxyOptionKeys).toBe(false);
  });

  it('puts each boundary where the docs put it', () => {
    const f = (v: string) => qemuVersion(v).features;
    expect([f('4.0').perDriverOptionValidation, f('4.1').perDriverOptionValidation]).toEqual([false, true]);
    expect([f('4.1').optionTableNullTerminatorBug, f('5.0').optionTableNullTerminatorBug, f('5.1').optionTableNullTerminatorBug]).toEqual([true, true, false]);
    expect([f('4.1').proxyExportFlagsEffective, f('5.0').proxyExportFlagsEffective]).toEqual([false, true]);
    expect([f('2.6').dotdotAtRootFixed, f('2.8').dotdotAtRootFixed]).toEqual([false, true]);
    expect([f('2.8').localHardened, f('2.9').localHardened]).toEqual([false, true]);
    expect([f('7.0').partialRwalk, f('7.1').partialRwalk]).toEqual([false, true]);
    expect([f('7.2.0').cve2023_2861Fix, f('7.2.4').cve2023_2861Fix, f('7.2').cve2023_2861Fix, f('8.0').cve2023_2861Fix, f('8.1').cve2023_2861Fix])
      .toEqual([false, true, true, false, true]);
    expect([f('7.2').proxyDeprecationWarning, f('8.1').proxyDeprecationWarning, f('9.1').proxyDeprecationWarning, f('9.2').proxyDeprecationWarning])
      .toEqual([false, true, true, false]);
    expect([f('1.2').proxyParseOptsEra, f('2.9').proxyParseOptsEra, f('7.2').proxyParseOptsEra]).toEqual(['1.x-fprintf', '2.x-error_report', 'final-error_setg']);
    expect([f('0.12').helpTextEra, f('1.0').helpTextEra, f('1.2').helpTextEra, f('5.0').helpTextEra, f('7.2').helpTextEra, f('9.2').helpTextEra])
      .toEqual(['none', 'local-only', 'combined', 'per-driver-readonly', 'per-driver-readonly-on', 'no-proxy']);
  });

  it('reads 7.2 as the recorded Debian 7.2.22 binary and accepts full version strings', () => {
    const v = qemuVersion('7.2');
    expect(v.micro).toBe(22);
    expect(v.label).toContain('7.2.22');
    expect(qemuVersion('QEMU 7.2.22').id).toBe('7.2.22');
    expect(MODELLED_QEMU_VERSIONS).toContain('9.2');
  });

  it('rejects what is not a version, with a stable code', () => {
    expect(() => qemuVersion('seven')).toThrow(UnknownQemuVersionError);
    expect(() => qemuVersion('0.11')).toThrow(expect.objectContaining({ code: 'UnknownQemuVersion' }));
  });
});
