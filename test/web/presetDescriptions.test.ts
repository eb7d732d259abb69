// @vitest-environment happy-dom
// Every shipped preset explains itself to a learner (issue 5 §4): its `description` says what the
// guest does and what each cell of its matrix lets through, so it must name every driver kind and
// QEMU version the matrix runs and every errno the matrix expects a reply to carry. The
// "About this scenario" block (web/lib/scenario/PresetAbout.svelte) shows it from the scenario
// file's text, and tolerates imported files without a description.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '@testing-library/svelte';
import PresetAbout from '../../web/lib/scenario/PresetAbout.svelte';

// Relative to the repository root (vitest's cwd): happy-dom's URL cannot name files.
const DIR = 'public/presets';
interface Cell { label: string; driver: string; qemu: string; results?: { stdoutIncludes?: string }[] }
interface PresetFile { id: string; description?: string; source?: string; matrix: Cell[] }
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { presets: { id: string; file: string }[] };
const presets = index.presets.map((e) => {
  const raw = readFileSync(join(DIR, e.file), 'utf8');
  return { raw, p: JSON.parse(raw) as PresetFile };
});

/** Sentences: split after . ! ? (maybe closed by a quote or bracket) before a capital, quote or bracket. */
const sentences = (t: string): string[] => t.split(/(?<=[.!?]["')]?)\s+(?=[A-Z"(<`])/);
/** `v` as a version number, not part of a longer one ("7.2" matches "7.2" and "7.2.22", not "17.2"). */
const mentionsVersion = (t: string, v: string): boolean => new RegExp(`(^|[^0-9.])${v.replace(/\./g, '\\.')}(?![0-9])`).test(t);

/** What a learner's description of `p` lacks (empty when it is complete). */
function problems(p: PresetFile): string[] {
  const d = p.description ?? '';
  const out: string[] = [];
  if (d.length < 120 || d.length > 750) out.push(`${d.length} characters, not 120–750`);
  if (d !== d.trim()) out.push('leading or trailing white space');
  const n = sentences(d).length;
  if (n < 2 || n > 5) out.push(`${n} sentences, not 2–5`);
  const kinds = new Set(p.matrix.map((c) => c.driver));
  for (const k of kinds) if (k !== 'local' && k !== 'proxy') out.push(`unknown driver kind ${k}`);
  if (kinds.has('local') && !/\blocal\b/.test(d)) out.push('the local driver is not named');
  if (kinds.has('proxy') && !/\b(proxy|helper)\b/.test(d)) out.push('the proxy helper is not named');
  for (const v of new Set(p.matrix.map((c) => c.qemu))) if (!mentionsVersion(d, v)) out.push(`QEMU ${v} is not named`);
  const errnos = new Set(p.matrix.flatMap((c) => (c.results ?? []).map((r) => /Rlerror (E[A-Z]+)/.exec(r.stdoutIncludes ?? '')?.[1] ?? '')));
  for (const e of errnos) if (e && !new RegExp(`\\b${e}\\b`).test(d)) out.push(`${e} is not named`);
  return out;
}

describe('preset descriptions for learners', () => {
  it('covers every preset of the index (30)', () => {
    expect(presets.length).toBeGreaterThanOrEqual(30);
  });

  for (const { p } of presets) {
    it(`${p.id}: says what every driver and QEMU version of its matrix does, in 2–5 sentences`, () => {
      expect(problems(p), p.description).toEqual([]);
    });
  }

  it('refuses the terse, the empty and the incomplete', () => {
    const walk = presets.find(({ p }) => p.id === 'walk/symlink-escape')!.p;
    // The description this preset had before (no versions, no errnos).
    const old = 'A raw 9P client creates esc -> / in the export and walks esc/etc/shadow. The naive local driver follows the link on the host; the hardened driver and the chrooted proxy helper do not.';
    expect(problems({ ...walk, description: old })).toEqual(['QEMU 2.8 is not named', 'QEMU 2.9 is not named', 'QEMU 7.2 is not named', 'ENOTDIR is not named', 'ENOENT is not named']);
    expect(problems({ ...walk, description: '' })).toContain('0 characters, not 120–750');
    expect(problems({ ...walk, description: walk.description!.replace(/\bproxy |\bhelper\b/g, '') })).toContain('the proxy helper is not named');
    expect(problems({ ...walk, description: walk.description!.replace(/\blocal\b/g, 'in-QEMU') })).toContain('the local driver is not named');
    expect(mentionsVersion('QEMU 7.2.22', '7.2')).toBe(true);
    expect(mentionsVersion('QEMU 17.2', '7.2')).toBe(false);
    expect(mentionsVersion('QEMU 7.20', '7.2')).toBe(false);
    expect(sentences('One (2.8). Two "x". Three? Four!')).toHaveLength(4);
  });
});

describe('PresetAbout', () => {
  const walk = presets.find(({ p }) => p.id === 'walk/symlink-escape')!;
  it('shows the description and the source of a shipped preset, unfolded', () => {
    const { getByTestId, container } = render(PresetAbout, { props: { raw: walk.raw } });
    const details = getByTestId('preset-about');
    expect(details.tagName).toBe('DETAILS');
    expect(details.hasAttribute('open')).toBe(true);
    expect(container.querySelector('summary')!.textContent).toBe('About this scenario');
    expect(getByTestId('preset-description').textContent).toBe(walk.p.description);
    expect(container.querySelector('cite')!.textContent).toBe(walk.p.source);
  });

  it('shows text between backticks as code, never as HTML', () => {
    const raw = JSON.stringify({ description: 'Run `ls -l /srv/export` then <b>look</b>; a lone ` stays.', source: 's' });
    const { getByTestId } = render(PresetAbout, { props: { raw } });
    const p = getByTestId('preset-description');
    expect(p.querySelectorAll('code')).toHaveLength(0); // odd number of backticks: all text
    expect(p.querySelector('b')).toBeNull();
    expect(p.textContent).toBe('Run `ls -l /srv/export` then <b>look</b>; a lone ` stays.');
    const two = render(PresetAbout, { props: { raw: JSON.stringify({ description: 'Run `cat /mnt/sh` and `stat`.' }) } });
    expect([...two.container.querySelector('[data-testid="preset-description"]')!.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['cat /mnt/sh', 'stat']);
    expect(two.container.querySelector('[data-testid="preset-description"]')!.textContent).toBe('Run cat /mnt/sh and stat.');
  });

  it('tolerates an imported file without a description', () => {
    const { getByTestId, container } = render(PresetAbout, { props: { raw: JSON.stringify({ version: 1, title: 't', source: 'my notes' }) } });
    expect(getByTestId('preset-about').textContent).toContain('This scenario file has no description.');
    expect(container.querySelector('cite')!.textContent).toBe('my notes');
  });

  it('shows nothing when there is nothing to say or the text is not a JSON object', () => {
    for (const raw of [JSON.stringify({ version: 1, description: '  ' }), '{not json', '[1]', 'null']) {
      const { container } = render(PresetAbout, { props: { raw } });
      expect(container.querySelector('[data-testid="preset-about"]'), raw).toBeNull();
    }
  });

  it('can start folded', () => {
    const { getByTestId } = render(PresetAbout, { props: { raw: walk.raw, open: false } });
    expect(getByTestId('preset-about').hasAttribute('open')).toBe(false);
  });
});
