// Compare mode, step-through by event and the SVG export (issue 5 §3, §4), on walk/symlink-escape:
// the naive local driver escapes to the host's /etc/shadow, the hardened one and the proxy helper do
// not (scenarios.md §3). Everything with the keyboard where the page offers it.
import { readFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import { axeViolations, openPresetScenario } from './support.ts';

test('compare shows the matrix cells with different outcomes, each as the preset expects', async ({ page }) => {
  await openPresetScenario(page, 'walk/symlink-escape');
  const toggle = page.getByTestId('compare-toggle');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const view = page.getByTestId('compare-view');
  const cells = view.getByTestId('compare-cell');
  await expect(cells).toHaveCount(5, { timeout: 20_000 });
  const { description } = JSON.parse(await readFile('public/presets/walk--symlink-escape.json', 'utf8')) as { description: string };
  await expect(view).toContainText(description);
  await expect(cells.nth(0)).toHaveAttribute('data-verdict', 'escaped');
  await expect(cells.nth(0).getByTestId('compare-verdict')).toHaveText('escaped: host /etc/shadow read');
  await expect(cells.nth(0)).toContainText('root:$6$HOSTHASH');
  for (const i of [1, 2, 3, 4]) await expect(cells.nth(i)).toHaveAttribute('data-verdict', 'contained');
  await expect(view.locator('[data-expected="no"]')).toHaveCount(0);
  await expect(cells.nth(1)).toContainText('L-hard (QEMU 2.9)');
  await expect(cells.nth(3)).toContainText('P (QEMU 2.8)');
  // Each cell is a Tab stop that names its verdict.
  await cells.nth(0).focus();
  await page.keyboard.press('Tab');
  await expect(cells.nth(1)).toBeFocused();
  await expect(cells.nth(1)).toHaveAttribute('aria-label', 'L-hard (QEMU 2.9): contained: the host outside the export was neither read nor changed; as expected');
  // Verdict colours and the ✓/✗ lines pass axe-core in both themes.
  expect(await axeViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await axeViolations(page)).toEqual([]);
  // Back to the live run.
  await toggle.click();
  await expect(view).toHaveCount(0);
  await expect(page.getByTestId('scenario-script')).toBeVisible();
});

test('step through the trace by event with the keyboard; export the sequence diagram as SVG', async ({ page }) => {
  await openPresetScenario(page, 'walk/symlink-escape');
  const panel = page.getByTestId('scenario-panel');
  await panel.getByTestId('scenario-run').click();
  await expect(panel.getByTestId('scenario-script').locator('li[data-status="pending"]')).toHaveCount(0);
  const table = panel.getByTestId('trace-table');
  const selected = table.locator('.row.sel');
  const pos = panel.getByTestId('step-position');
  const total = Number((await pos.textContent())!.split('/ ')[1]);
  expect(total).toBeGreaterThan(10);

  // ▶ then → → on the bar: events 1, 2, 3; ← back to 2. Same keys, same selection, every time.
  await panel.getByTestId('step-next').focus();
  await page.keyboard.press('Enter');
  await expect(pos).toHaveText(`1 / ${total}`);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(pos).toHaveText(`2 / ${total}`);
  await expect(selected).toHaveAttribute('data-id', '2');
  // Shift+→: the next event of the chosen lane (helper by default); it is scrolled into view.
  await page.keyboard.press('Shift+ArrowRight');
  await expect(selected).toHaveCount(1);
  await expect(selected.locator('.lane')).toHaveText('helper');
  const helperId = await selected.getAttribute('data-id');
  await expect(panel.getByTestId('trace-sequence').locator(`g.ev.sel[data-id="${helperId}"]`)).toHaveCount(1);
  // The scrubber: End selects the last event, and the table scrolls to it.
  await panel.getByTestId('step-scrubber').focus();
  await page.keyboard.press('End');
  await expect(pos).toHaveText(`${total} / ${total}`);
  await expect(selected).toBeVisible();
  // Reset: back to the first event (the ⏮ button, or Home on the bar).
  await panel.getByTestId('step-reset').click();
  await expect(pos).toHaveText(`1 / ${total}`);
  await expect(selected).toHaveAttribute('data-id', '1');
  await panel.getByTestId('step-next').focus();
  await page.keyboard.press('End');
  await expect(pos).toHaveText(`${total} / ${total}`);
  await page.keyboard.press('Home');
  await expect(pos).toHaveText(`1 / ${total}`);

  const t0 = Date.now();
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-svg').click()]);
  expect(download.suggestedFilename()).toBe('virtfs-lab-sequence.svg');
  const svg = await readFile((await download.path())!, 'utf8');
  console.log(`SVG export of ${total} events: ${svg.length} bytes, ${Date.now() - t0} ms to download`);
  const parsed = await page.evaluate(`(() => {
    const d = new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml');
    return { root: d.documentElement.localName, ns: d.documentElement.namespaceURI, errors: d.getElementsByTagName('parsererror').length, rows: d.querySelectorAll('g[data-id]').length };
  })()`);
  expect(parsed).toEqual({ root: 'svg', ns: 'http://www.w3.org/2000/svg', errors: 0, rows: total });
});
