// Presets are files written by the scenario layer (public/presets/); the page validates them like any
// input. The shipped files are checked too: every preset must load into the launch-plan page.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parsePresetIndex, presetCategory, presetInputs, PresetError } from '../../web/lib/presets/presets.ts';

const dir = new URL('../../public/presets/', import.meta.url);

describe('the shipped presets', () => {
  const index = parsePresetIndex(JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')));
  it('has an index with launch presets', () => {
    expect(index.length).toBeGreaterThan(0);
    expect(index.some((p) => presetCategory(p.id) === 'launch')).toBe(true);
  });
  it('every preset gives launch-plan inputs', () => {
    for (const p of index) {
      const inputs = presetInputs(JSON.parse(readFileSync(new URL(p.file, dir), 'utf8')), p.file);
      expect(inputs.xml).toContain('<filesystem');
      expect(['0.10.2', '9.0']).toContain(inputs.era);
    }
  });
});

describe('validation', () => {
  const ok = { version: 1, domain: '<domain/>', era: '0.10.2', variant: 'corrected', qemu: '7.2.0' };
  it('takes domain, era, variant and qemu', () => {
    expect(presetInputs(ok, 'a.json')).toEqual({ xml: '<domain/>', era: '0.10.2', variant: 'corrected', qemuVersion: '7.2.0' });
  });
  it('names the file and the JSON pointer of what is wrong', () => {
    expect(() => presetInputs({ ...ok, era: '8.0' }, 'x.json')).toThrow('preset x.json: /era must be "0.10.2" or "9.0"');
    expect(() => presetInputs({ ...ok, qemu: 'latest' }, 'x.json')).toThrow(/\/qemu must be a QEMU version/);
    expect(() => presetInputs({ ...ok, version: 2 }, 'x.json')).toThrow(/\/version must be 1/);
    expect(() => presetInputs([], 'x.json')).toThrow(PresetError);
  });
  it('refuses index entries that would fetch outside the presets folder', () => {
    const index = (file: string) => ({ format: 'virtfs-lab-presets/1', presets: [{ id: 'a/b', title: 't', file, source: 's' }] });
    expect(parsePresetIndex(index('a--b.json'))[0]!.file).toBe('a--b.json');
    for (const bad of ['../secret.json', 'https://evil.example/x.json', '/etc/passwd', 'a/b.json']) {
      expect(() => parsePresetIndex(index(bad))).toThrow(/\/presets\/0\/file must be a plain file name/);
    }
    expect(() => parsePresetIndex({ format: 'other', presets: [] })).toThrow(/\/format must be/);
  });
});
