// Issue 5 "usable by keyboard alone" (DESIGN.md §4 "keyboard use"; ui-anchors.md §3: accessibility,
// keyboard-only, M): the main flow walked with page.keyboard ONLY — no click, fill, selectOption or
// focus() after the page has loaded. Each step checks what has the focus and what is shown, so a
// control that cannot be reached or operated without a pointer fails here. The preset is
// walk/symlink-escape (scenarios.md §3).
import { test, expect, type Page } from '@playwright/test';
import { inPage, waitForPlayground, watchErrors } from './support.ts';

/** The focused element, described for assertions and for the log of the walk. */
interface Focused { tag: string; testid: string | null; id: string; label: string | null; role: string | null; inDialog: string | null; inHex: boolean }
const FOCUSED = `(() => {
  const a = document.activeElement;
  if (!a || a === document.body) return { tag: 'BODY', testid: null, id: '', label: null, role: null, inDialog: null, inHex: false };
  return {
    tag: a.tagName, testid: a.getAttribute('data-testid'), id: a.id, label: a.getAttribute('aria-label'),
    role: a.getAttribute('role'), inDialog: a.closest('dialog')?.getAttribute('data-testid') ?? null,
    inHex: a.closest('[data-testid="hex-view"]') !== null,
  };
})()`;
const focused = (page: Page) => inPage<Focused>(page, FOCUSED);
const name = (f: Focused) => f.testid ?? (f.id ? `#${f.id}` : f.label ?? f.tag);

/**
 * Press Tab until the focus is on an element that `want` accepts; the stops passed on the way are
 * returned (the walk is logged). Fails if `max` presses do not get there (unreachable, or a trap).
 */
async function tabUntil(page: Page, want: (f: Focused) => boolean, what: string, max = 40): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    stops.push(name(f));
    if (want(f)) {
      console.log(`Tab ×${i + 1} to ${what}: ${stops.join(' → ')}`);
      return stops;
    }
  }
  throw new Error(`${what} not reached in ${max} Tab presses; the focus went ${stops.join(' → ')}`);
}
const byTestid = (id: string) => (f: Focused) => f.testid === id;

test('usable by keyboard alone: keyboard-only walk through the main flow', async ({ page }) => {
  const errors = watchErrors(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('./');
  await waitForPlayground(page);
  const t0 = Date.now();

  // 1. Tab to the preset list (after the three version pickers) and choose a preset by typing the
  // start of its title: a closed <select> selects by type-ahead and reports the change at once.
  await tabUntil(page, byTestid('preset-list'), 'the preset list', 10);
  await page.keyboard.type('Walking');
  await expect(page.getByTestId('preset-list')).toHaveValue('walk/symlink-escape');
  await expect(page.getByTestId('tab-scenario')).toBeVisible();
  expect((await focused(page)).testid).toBe('preset-list');

  // 2. On to the tab list (one Tab stop: the selected tab), then arrows: plan → trace → scenario.
  await tabUntil(page, (f) => f.role === 'tab', 'the tab list', 12);
  expect((await focused(page)).id).toBe('tab-plan');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-trace')).toBeFocused();
  await expect(page.getByTestId('tab-trace')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  const scenarioTab = page.getByTestId('tab-scenario');
  await expect(scenarioTab).toBeFocused();
  await expect(scenarioTab).toHaveAttribute('aria-selected', 'true');

  // 3. Step: the first script line runs (the guest's symlink esc -> /).
  const script = page.getByTestId('scenario-script');
  const step = page.getByTestId('scenario-step');
  await expect(step).toBeEnabled({ timeout: 20_000 }); // the session is open
  await page.keyboard.press('Tab');
  await expect(step).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(script.locator('li').first()).toHaveAttribute('data-status', 'ok');
  await expect(script.locator('li').first()).toContainText('Rsymlink');
  await expect(script.locator('li').nth(1)).toHaveAttribute('data-status', 'pending');

  // 4. Run to end. While the request runs Step is only aria-disabled, so it keeps the focus.
  await expect(step).toBeEnabled();
  await expect(step).toBeFocused();
  await page.keyboard.press('Tab');
  const run = page.getByTestId('scenario-run');
  await expect(run).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(script.locator('li[data-status="pending"]')).toHaveCount(0);
  await expect(run).toBeDisabled();
  // The script is done: Step and Run are disabled, and the focus went on to Restart (not <body>).
  await expect(page.getByTestId('scenario-restart')).toBeFocused();
  // The proxy helper (QEMU 7.2) keeps the walk inside the export: the open of etc/shadow fails.
  await expect(script.locator('li').nth(2)).toHaveAttribute('data-status', 'failed');
  await expect(script.locator('li').nth(2)).toContainText('Rlerror ENOENT');
  const statusText = page.getByTestId('scenario-panel').locator('[role="status"]').filter({ hasText: 'events' });
  await expect(statusText).toHaveText(/^\d+ of \d+ events$/);

  // 5. Through the panel to the trace filter. On the way the focus enters the guest terminal
  // (xterm.js) and must leave it again with Tab (no keyboard trap).
  const toFilter = await tabUntil(page, byTestid('trace-filter'), 'the trace filter', 20);
  expect(toFilter).toContain('Terminal input');
  expect(toFilter.indexOf('Terminal input')).toBe(toFilter.length - 2);
  // Type a filter: only the 9P messages are listed (each has its wire bytes).
  const all = Number((await statusText.textContent())!.split(' of ')[1]!.split(' ')[0]);
  await page.keyboard.type('kind:p9');
  await expect(page.getByTestId('trace-filter')).toHaveValue('kind:p9');
  await expect(statusText).not.toHaveText(`${all} of ${all} events`);
  const shown = Number((await statusText.textContent())!.split(' of ')[0]);
  expect(shown).toBeGreaterThan(2);

  // 6. On to the event table (a listbox) and select events with the arrow keys: the detail pane
  // and the hex view follow the selection.
  await tabUntil(page, (f) => f.role === 'listbox', 'the trace table', 25);
  const table = page.getByTestId('trace-table');
  const selected = table.locator('.row.sel');
  await expect(selected).toHaveCount(0);
  await page.keyboard.press('ArrowDown');
  await expect(selected).toHaveCount(1);
  await expect(selected).toContainText('Tversion');
  const first = (await selected.getAttribute('data-id'))!;
  const detail = page.getByTestId('event-detail');
  await expect(detail.locator('.title')).toContainText(`#${first} guest · p9`);
  await expect(detail.locator('.summary')).toContainText('Tversion');
  const hex = page.getByTestId('hex-view');
  await expect(hex).toBeVisible();
  await expect(hex.locator('.fields button').first()).toBeVisible();
  await expect(hex.locator('pre.bytes')).toHaveAttribute('aria-label', /^\d+ bytes$/);
  await expect(table.locator('[role="listbox"]')).toHaveAttribute('aria-activedescendant', `ev-${first}`);
  // ↓: the reply (QEMU's lane), its bytes in the hex view; ↑ back; End: the last 9P message.
  await page.keyboard.press('ArrowDown');
  await expect(selected).toContainText('Rversion');
  const second = (await selected.getAttribute('data-id'))!;
  expect(Number(second)).toBeGreaterThan(Number(first));
  await expect(detail.locator('.title')).toContainText(`#${second} qemu · p9`);
  await expect(hex.locator('.fields button').first()).toBeVisible();
  await page.keyboard.press('ArrowUp');
  await expect(selected).toHaveAttribute('data-id', first);
  await page.keyboard.press('End');
  const last = (await selected.getAttribute('data-id'))!;
  await expect(table.locator('.row').last()).toHaveAttribute('data-id', last);
  await expect(detail.locator('.title')).toContainText(`#${last} `);
  await expect(hex).toBeVisible();
  expect((await focused(page)).role).toBe('listbox');
  // The decoded fields are buttons: Tab reaches them, and the focused field's bytes are marked in
  // the dump (field ↔ byte cross-highlighting without a pointer).
  await tabUntil(page, (f) => f.inHex, 'the decoded fields of the selected event', 4);
  const fields = hex.locator('.fields button');
  const marked = hex.locator('pre.bytes .b.m');
  const range = async (i: number) => [Number(await fields.nth(i).getAttribute('data-start')), Number(await fields.nth(i).getAttribute('data-end'))] as const;
  await expect(fields.nth(0)).toBeFocused();
  await expect(fields.nth(0)).toHaveClass(/\bon\b/);
  const [s0, e0] = await range(0);
  await expect(marked).toHaveCount(e0 - s0);
  await page.keyboard.press('Tab');
  await expect(fields.nth(1)).toBeFocused();
  const [s1, e1] = await range(1);
  await expect(marked).toHaveCount(e1 - s1);
  await expect(marked.first()).toHaveAttribute('data-i', String(s1));

  // 7. `?` opens the shortcuts overlay (a modal dialog holding the focus); Escape closes it and the
  // focus comes back to where it was.
  await page.keyboard.press('?');
  const help = page.getByTestId('shortcuts-dialog');
  await expect(help).toBeVisible();
  await expect(help.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeVisible();
  expect((await focused(page)).inDialog).toBe('shortcuts-dialog');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(fields.nth(1)).toBeFocused();

  // 8. `t` cycles the theme: system (light here) → light → dark.
  const theme = () => inPage<string>(page, 'document.documentElement.dataset.theme');
  const themeButton = page.getByTestId('theme-toggle');
  expect(await theme()).toBe('light');
  await expect(themeButton).toHaveAttribute('aria-label', 'Theme: system (light)');
  await page.keyboard.press('t');
  await expect(themeButton).toHaveAttribute('aria-label', 'Theme: light');
  await page.keyboard.press('t');
  await expect(themeButton).toHaveAttribute('aria-label', 'Theme: dark');
  expect(await theme()).toBe('dark');

  // 9. Tab on (past the end of the page and round) to the Share button; Enter opens the dialog with
  // the focus inside it, Escape closes it and gives the focus back to the button.
  await tabUntil(page, byTestid('share-button'), 'the Share button', 60);
  await page.keyboard.press('Enter');
  const share = page.getByTestId('share-dialog');
  await expect(share).toBeVisible();
  expect((await focused(page)).inDialog).toBe('share-dialog');
  await expect(page.getByTestId('share-link')).toHaveValue(/^http:\/\/127\.0\.0\.1:4176\/#s=\d+\.[A-Za-z0-9_-]+$/);
  await page.keyboard.press('Escape');
  await expect(share).toBeHidden();
  await expect(page.getByTestId('share-button')).toBeFocused();
  // The run is still there, with the theme the shortcut chose.
  await expect(script.locator('li[data-status="pending"]')).toHaveCount(0);
  expect(await theme()).toBe('dark');
  console.log(`keyboard-only walk: ${Date.now() - t0} ms after the playground was ready`);
  expect(errors).toEqual([]);
});
