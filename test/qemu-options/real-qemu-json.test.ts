// `-device {…}` goes through QEMU's own JSON reader (sim/qemu/options/qemu-json.ts). Each input below is
// given to the model and, where Debian's QEMU 7.2 is installed (always in CI), to the real program with
// `-machine none` (no PCI bus, so even a well-formed 9p device fails fast): stderr must agree.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkQemuCommandLine } from '../../sim/qemu/options/index.ts';
import { qobjectFromJson, QFloat } from '../../sim/qemu/options/qemu-json.ts';
import { REAL, assertPresent, haveReal } from '../support/real-components.ts';

const INPUTS = [
  '{', '{"a"', '{"a":', '{"a":1', '{"a":1,', '{"a" 1}', '{1:2}', '{"a":1,"a":2}', '{"a":[1 2]}', '{"a":[1,]}', '{"a":@}',
  '{"a":tru}', '{"a":1} x', '{"a":1}{}', "{'a':1}", '{"a":"\\x"}', '{"a":01}', '{"a":"é"}', '{ }', '{,}', '{"a":-}',
  '{"a":1.}', '{"a":1e}', '{"a":-x}', '{"a":1e+}', '{"a":-01}', '{"a":00}', '{"a":1.5.}', '{"a":1.5e-3}', '{"a":True}', '{"driver":"virtio-9p-pci","a":1}', '{"driver":"virtio-9p-pci\\u0021"}',
  '{"driver":"virtio-9p-pcix"}', '{"driver":7}', '{"a":"\\\'"}', '{"a":[]}', '{"a":{"b":{}}}',
];
const ARGS = (json: string) => ['-nodefaults', '-display', 'none', '-S', '-machine', 'none', '-device', json];

describe('qemu-json: values', () => {
  it('keeps ints and floats apart (QNum int vs double) and accepts single quotes', () => {
    const r = qobjectFromJson(`{'a':1,"b":1.0,"c":[true,null],"d":"\\u00e9\\n"}`);
    expect(r.ok).toBe(true);
    const v = (r as { value: Record<string, unknown> }).value;
    expect(v['a']).toBe(1);
    expect(v['b']).toBeInstanceOf(QFloat);
    expect(v['c']).toEqual([true, null]);
    expect(v['d']).toBe('é\n');
  });
});

describe.skipIf(!haveReal(REAL.qemu))('qemu-json error texts vs the real QEMU 7.2', () => {
  for (const json of INPUTS) {
    it(json, () => {
      assertPresent(REAL.qemu);
      const real = spawnSync(REAL.qemu.path, ARGS(json), { encoding: 'utf8', timeout: 10_000 });
      expect(real.status, `real QEMU did not exit by itself: ${real.signal}`).not.toBeNull();
      const model = checkQemuCommandLine(ARGS(json), { version: '7.2' });
      expect({ exitCode: model.exitCode, stderr: model.stderr }).toEqual({ exitCode: real.status, stderr: real.stderr });
    });
  }
});
