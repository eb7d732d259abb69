// @vitest-environment happy-dom
// Step-through by event (web/lib/stepper): the step functions over a real scenario trace, the
// Stepper bar as a component (buttons, lane jumps, arrow keys, scrubber), the standalone SVG export,
// and the compare view as a component.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import { parseScenario, runScenario } from '../../sim/scenario/index.ts';
import type { TraceEvent } from '../../sim/trace/event.ts';
import { atIndex, stepBy, stepToLane } from '../../web/lib/stepper/step.ts';
import { sequenceSvg } from '../../web/lib/stepper/sequenceSvg.ts';
import Stepper from '../../web/lib/stepper/Stepper.svelte';
import CompareView from '../../web/lib/compare/CompareView.svelte';
import { compareCells, type Comparison } from '../../web/lib/compare/compareCells.ts';

const raw = readFileSync(resolve(__dirname, '../../public/presets/walk--symlink-escape.json'), 'utf8') // happy-dom's import.meta.url is not file:;
const events: readonly TraceEvent[] = runScenario(parseScenario(JSON.parse(raw))).trace;
// The cli tsconfig (which typechecks test/) has no DOM lib: happy-dom's parser, typed as much as used.
interface XmlNode { tagName: string; textContent: string | null; getAttribute(n: string): string | null }
const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(s: string, type: string): { documentElement: XmlNode; querySelector(q: string): XmlNode | null; querySelectorAll(q: string): { length: number } } } };
const firstOf = (lane: string, after = -1) => events.findIndex((e, i) => i > after && e.lane === lane);

describe('step functions', () => {
  it('the trace has events in every lane the stepper offers', () => {
    for (const l of ['libvirt', 'guest', 'qemu', 'helper', 'host']) expect(firstOf(l)).toBeGreaterThanOrEqual(0);
  });
  it('next/previous are clamped; with nothing selected, next is the first and previous the last', () => {
    expect(stepBy(events, null, 1)).toBe(events[0]!.id);
    expect(stepBy(events, null, -1)).toBe(events.at(-1)!.id);
    expect(stepBy(events, events[3]!.id, 1)).toBe(events[4]!.id);
    expect(stepBy(events, events[0]!.id, -1)).toBe(events[0]!.id);
    expect(stepBy(events, events.at(-1)!.id, 1)).toBe(events.at(-1)!.id);
    expect(stepBy([], null, 1)).toBeNull();
  });
  it('run to the next event of a lane, and back; null past the last', () => {
    const h = firstOf('helper');
    expect(stepToLane(events, null, 'helper')).toBe(events[h]!.id);
    const h2 = firstOf('helper', h);
    expect(stepToLane(events, events[h]!.id, 'helper')).toBe(events[h2]!.id);
    expect(stepToLane(events, events[h2]!.id, 'helper', -1)).toBe(events[h]!.id);
    const lastHelper = events.map((e) => e.lane).lastIndexOf('helper');
    expect(stepToLane(events, events[lastHelper]!.id, 'helper')).toBeNull();
  });
  it('the scrubber index maps to the event at that index, clamped', () => {
    expect(atIndex(events, 5)).toBe(events[5]!.id);
    expect(atIndex(events, 1e9)).toBe(events.at(-1)!.id);
    expect(atIndex(events, Number.NaN)).toBeNull();
  });
});

describe('Stepper component', () => {
  function setup(selected: number | null = null) {
    const picked: number[] = [];
    const r = render(Stepper, { props: { events, selectedId: selected, onselect: (id: number) => picked.push(id) } });
    return { ...r, picked };
  }
  it('buttons step and jump to a lane; the position says where the selection is', async () => {
    const { getByTestId, picked } = setup(events[2]!.id);
    expect(getByTestId('step-position').textContent).toBe(`3 / ${events.length}`);
    await fireEvent.click(getByTestId('step-next'));
    await fireEvent.click(getByTestId('step-prev'));
    const lane = getByTestId('step-lane') as unknown as { value: string };
    lane.value = 'host';
    await fireEvent.change(getByTestId('step-lane'));
    expect(getByTestId('step-lane-next').textContent).toBe('host ▶');
    await fireEvent.click(getByTestId('step-lane-next'));
    expect(picked).toEqual([events[3]!.id, events[1]!.id, events[firstOf('host', 2)]!.id]);
  });
  it('arrow keys on the bar step; Shift jumps by lane (default lane: helper)', async () => {
    const { getByTestId, picked } = setup(null);
    await fireEvent.keyDown(getByTestId('step-next'), { key: 'ArrowRight' });
    await fireEvent.keyDown(getByTestId('step-next'), { key: 'ArrowRight', shiftKey: true });
    await fireEvent.keyDown(getByTestId('step-next'), { key: 'ArrowLeft' });
    expect(picked).toEqual([events[0]!.id, events[firstOf('helper')]!.id, events.at(-1)!.id]);
  });
  it('the scrubber selects the event at its index', async () => {
    const { getByTestId, picked } = setup(null);
    const range = getByTestId('step-scrubber') as unknown as { value: string; max: string };
    expect(range.max).toBe(String(events.length - 1));
    range.value = '7';
    await fireEvent.input(getByTestId('step-scrubber'));
    expect(picked).toEqual([events[7]!.id]);
  });
  it('says so when a lane has no later event', async () => {
    const lastHelper = events.map((e) => e.lane).lastIndexOf('helper');
    const { getByTestId, picked } = setup(events[lastHelper]!.id);
    await fireEvent.click(getByTestId('step-lane-next'));
    expect(picked).toEqual([]);
    expect(getByTestId('step-position').textContent).toBe('no later helper event');
  });
});

describe('SVG export', () => {
  it('is a standalone SVG document with every event, parseable, deterministic', () => {
    const svg = sequenceSvg(events, { title: 'walk <escape> & co' });
    expect(sequenceSvg(events, { title: 'walk <escape> & co' })).toBe(svg);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const root = doc.documentElement;
    expect(root.tagName.toLowerCase()).toBe('svg');
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(doc.querySelectorAll('g[data-id]').length).toBe(events.length);
    expect(doc.querySelector('title')!.textContent).toBe('walk <escape> & co');
    // Standalone: styles inline, no CSS variables, no external references.
    expect(svg).not.toMatch(/var\(--|href=|<style/);
    expect(svg).toContain('Twalk');
  });
});

describe('CompareView component', () => {
  it('one cell per matrix row with verdict and ✓, each cell reachable by Tab', () => {
    const r = compareCells(raw);
    if (!r.ok) throw new Error(r.message);
    const { getAllByTestId, getByTestId } = render(CompareView, { props: { comparison: r.comparison as Comparison } });
    const cells = getAllByTestId('compare-cell');
    expect(cells.map((c) => c.getAttribute('data-verdict'))).toEqual(['escaped', 'contained', 'contained', 'contained', 'contained']);
    expect(cells.every((c) => c.getAttribute('tabindex') === '0' && c.getAttribute('data-expected') === 'yes')).toBe(true);
    expect(cells[0]!.getAttribute('aria-label')).toBe('L-naive (QEMU 2.8, root): escaped: host /etc/shadow read; as expected');
    expect(getByTestId('compare-view').textContent).toContain(r.comparison.description);
    expect(cells[1]!.textContent).toContain('exit 1');
  });
});
