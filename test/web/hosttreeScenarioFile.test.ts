// @vitest-environment happy-dom
// Scenario file export and import (web/lib/scenariofile): a shipped preset exported with the
// playground's current inputs opens again with the same inputs; broken files are refused with the
// located problems from sim/scenario's parser (line:col for JSON syntax, a JSON pointer otherwise).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, render } from '@testing-library/svelte';
import ScenarioFile from '../../web/lib/scenariofile/ScenarioFile.svelte';
import { exportScenario, exportScenarioWithEdits, importScenario, scenarioFileName, checkScenarioSize, MAX_SCENARIO_BYTES, type ImportedScenario } from '../../web/lib/scenariofile/scenarioFile.ts';
import { presetInputs } from '../../web/lib/presets/presets.ts';
import { openScenario } from '../../web/lib/sim/scenarioSession.ts';

const FILE = 'walk--symlink-escape.json';
const raw = readFileSync(join(process.cwd(), 'public/presets', FILE), 'utf8') // vitest runs from the repo root; happy-dom's import.meta.url is not a file: URL;
const inputs = presetInputs(JSON.parse(raw), FILE);
const enc = (s: string) => new TextEncoder().encode(s);

describe('scenario file export/import', () => {
  it('exports the current inputs and imports them back unchanged', () => {
    const edited = { ...inputs, qemuVersion: '2.8', variant: 'corrected' as const };
    const text = exportScenario(raw, edited);
    expect(text.endsWith('}\n')).toBe(true);
    const r = importScenario('x.scenario.json', enc(text));
    if (!r.ok) throw new Error(r.message);
    expect(r.scenario.inputs).toEqual(edited);
    expect(r.scenario.title).toBe(JSON.parse(raw).title);
    expect(r.scenario.id).toBe('file:x.scenario.json');
    expect(JSON.parse(r.scenario.raw)).toEqual({ ...JSON.parse(raw), qemu: '2.8', variant: 'corrected' });
  });

  it('refuses a JSON syntax error with line:col', () => {
    const r = importScenario('bad.json', enc('{\n  "version": 1,\n  "title": "x",,\n}'));
    expect(r).toMatchObject({ ok: false, code: 'INVALID' });
    expect(!r.ok && r.issues).toEqual([expect.stringMatching(/^bad\.json: scenario 3:16: invalid JSON: /)]);
  });

  it('refuses invalid content with the JSON pointer of each problem', () => {
    const j = JSON.parse(raw);
    j.host.tree[0].mode = 'rw';
    j.bogus = 1;
    const r = importScenario('p.json', enc(JSON.stringify(j)));
    expect(r.ok).toBe(false);
    const issues = !r.ok ? r.issues.join('\n') : '';
    expect(issues).toContain('p.json: scenario /host/tree/0/mode: ');
    expect(issues).toContain("p.json: scenario /bogus: unknown key 'bogus'");
  });

  it('refuses non-UTF-8 and oversized files; names downloads from the title', () => {
    expect(importScenario('b.bin', Uint8Array.of(0xff, 0xfe, 0x00))).toMatchObject({ ok: false, code: 'NOT_TEXT' });
    expect(checkScenarioSize('big.json', MAX_SCENARIO_BYTES + 1)).toMatchObject({ ok: false, code: 'TOO_BIG' });
    expect(checkScenarioSize('ok.json', 10)).toBeNull();
    expect(scenarioFileName('Symlink escape: /srv/export → /')).toBe('symlink-escape-srv-export.scenario.json');
    expect(scenarioFileName('***')).toBe('scenario.scenario.json');
  });
});

describe('host edits in an exported scenario', () => {
  it('are folded into the host tree, so the file opens with them; an unsayable delete is reported', () => {
    const { text, lost } = exportScenarioWithEdits(raw, inputs, [
      { op: 'mkdir', path: '/srv/export/sub' },
      { op: 'write', path: '/srv/export/sub/a.txt', content: enc('a\n') },
      { op: 'write', path: '/srv/export/sub/b.bin', content: Uint8Array.of(0xff, 0) },
      { op: 'write', path: '/etc/shadow', content: enc('x') },
      { op: 'write', path: '/srv/export/gone', content: enc('') },
      { op: 'delete', path: '/srv/export/gone' },
      { op: 'delete', path: '/usr/lib/qemu/virtfs-proxy-helper' },
    ]);
    expect(lost).toEqual(['delete /usr/lib/qemu/virtfs-proxy-helper']);
    const tree = JSON.parse(text).host.tree as { path: string }[];
    expect(tree.find((e) => e.path === '/etc/shadow')).toEqual({ path: '/etc/shadow', type: 'file', mode: 0o640, uid: 0, gid: 42, content: 'x' });
    expect(tree.find((e) => e.path === '/srv/export/sub/b.bin')).toMatchObject({ content_b64: '/wA=' });
    expect(tree.some((e) => e.path === '/srv/export/gone')).toBe(false);
    const opened = openScenario(text, inputs);
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.snapshot.host.find((n) => n.path === 'srv/export/sub/a.txt')).toMatchObject({ type: 'file', size: 2, mode: 0o644 });
    expect(opened.snapshot.host.find((n) => n.path === 'srv/export/sub')).toMatchObject({ type: 'dir', mode: 0o755 });
  });
});

describe('ScenarioFile component', () => {
  it('a broken import shows its located error and calls nothing; a good one is handed over', async () => {
    const got: ImportedScenario[] = [];
    const { getByTestId, queryByTestId } = render(ScenarioFile, { props: { raw, title: 't', inputs, onimport: (s: ImportedScenario) => got.push(s) } });
    const input = getByTestId('scenario-import') as unknown as { files: unknown };
    const pick = async (name: string, text: string) => {
      Object.defineProperty(input, 'files', { configurable: true, value: [new File([text], name, { type: 'application/json' })] });
      await fireEvent.change(input as never);
      await new Promise((r) => setTimeout(r, 20));
    };
    await pick('broken.json', '{"version": 1,');
    expect(getByTestId('scenario-import-error').textContent).toContain('broken.json: scenario 1:15: invalid JSON');
    expect(got).toEqual([]);
    await pick('good.json', exportScenario(raw, inputs));
    expect(queryByTestId('scenario-import-error')).toBeNull();
    expect(got.map((s) => s.inputs)).toEqual([inputs]);
  });
});
