// @vitest-environment happy-dom
// The argv panel as a component: words keep their exact text, pointing at a segment reports the
// segment, arrows move the focus between words (roving tabindex) and Escape clears the pin.
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import ArgvBlock from '../../web/lib/plan/ArgvBlock.svelte';
import { computeHighlight, type HighlightSource } from '../../web/lib/plan/crossHighlight.ts';
import type { WordOrigin } from '../../sim/libvirt/index.ts';

const fsdev = 'proxy,id=fsdev-fs0,sock_fd=25,path=/export';
const argv = ['/usr/bin/qemu-system-x86_64', '-fsdev', fsdev, '-device', '{"driver":"virtio-9p-pci"}'];
const origins: WordOrigin[] = [{ argv: 'qemu', index: 2, start: fsdev.indexOf('path='), end: fsdev.length, from: 100, to: 120 }];

function setup(highlightSource: HighlightSource | null = null) {
  const calls: [HighlightSource | null, string][] = [];
  const highlight = computeHighlight(origins, highlightSource, (_a, i) => argv[i]);
  const r = render(ArgvBlock, {
    props: { argv, env: ['LC_ALL=C', 'HOME=/var/lib/my dir'], name: 'qemu', title: 'QEMU argv', origins, highlight, onpoint: (s: HighlightSource | null, how: string) => calls.push([s, how]) },
  });
  return { ...r, calls };
}

describe('ArgvBlock', () => {
  it('renders every word exactly, one option per line, the environment shell-quoted', () => {
    const { container } = setup();
    const words = [...container.querySelectorAll('button.word')].map((b) => b.textContent);
    expect(words).toEqual(argv);
    expect(container.querySelector('[data-env]')!.textContent).toBe(`LC_ALL=C HOME='/var/lib/my dir'`);
    expect([...container.querySelectorAll('.line.option')].map((l) => l.textContent)).toEqual([`-fsdev ${fsdev}`, '-device {"driver":"virtio-9p-pci"}']);
  });

  it('splits a word at its origins and reports the segment pointed at', async () => {
    const { container, calls } = setup();
    const segs = [...container.querySelectorAll('button.word')[2]!.querySelectorAll('.seg')];
    expect(segs.map((s) => s.textContent)).toEqual(['proxy,id=fsdev-fs0,sock_fd=25,', 'path=/export']);
    await fireEvent.mouseEnter(segs[1]!);
    expect(calls.at(-1)).toEqual([{ kind: 'word', argv: 'qemu', index: 2, start: fsdev.indexOf('path='), end: fsdev.length }, 'hover']);
  });

  it('marks the highlighted part only', () => {
    const { container } = setup({ kind: 'xml', pos: 110 });
    expect([...container.querySelectorAll('.seg.hl')].map((s) => s.textContent)).toEqual(['path=/export']);
  });

  it('arrows move the single tab stop between words; focus pins, Escape clears', async () => {
    const { container, calls } = setup();
    // (This file is type-checked without the DOM lib, hence the structural types.)
    const buttons = () => [...container.querySelectorAll('button.word')] as unknown as { tabIndex: number; focus(): void }[];
    const active = () => (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement;
    expect(buttons().map((b) => b.tabIndex)).toEqual([0, -1, -1, -1, -1]);
    buttons()[0]!.focus();
    await fireEvent.keyDown(buttons()[0] as never, { key: 'ArrowRight' });
    expect(active()).toBe(buttons()[1]);
    expect(buttons().map((b) => b.tabIndex)).toEqual([-1, 0, -1, -1, -1]);
    expect(calls.at(-1)).toEqual([{ kind: 'word', argv: 'qemu', index: 1 }, 'pin']);
    await fireEvent.keyDown(buttons()[1] as never, { key: 'End' });
    expect(active()).toBe(buttons()[4]);
    await fireEvent.keyDown(buttons()[4] as never, { key: 'Escape' });
    expect(calls.at(-1)).toEqual([null, 'pin']);
  });
});
