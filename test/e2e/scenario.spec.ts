// A preset run as a scenario (sim/scenario): step through its script, run it to the end, type in the
// guest terminal (xterm.js), and see the trace of the run. walk/symlink-escape: a guest-made symlink
// to / and a walk through it (scenarios.md §3).
import { test, expect } from '@playwright/test';
import { openPresetScenario, typeInTerminal } from './support.ts';

test('step, run, type in the guest terminal; the trace grows with each', async ({ page }) => {
  await openPresetScenario(page, 'walk/symlink-escape');
  const script = page.getByTestId('scenario-script');
  await expect(script.locator('li')).not.toHaveCount(0);
  await expect(script.locator('li').first()).toHaveAttribute('data-status', 'pending');

  await page.getByTestId('scenario-step').click();
  await expect(script.locator('li').first()).toHaveAttribute('data-status', 'ok');
  await expect(script.locator('li').first()).toContainText('Rsymlink');
  await expect(script.locator('li').nth(1)).toHaveAttribute('data-status', 'pending');

  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-run')).toBeDisabled();
  await expect(script.locator('li[data-status="pending"]')).toHaveCount(0);
  const statusText = page.locator('[data-testid="scenario-panel"] [role="status"]').filter({ hasText: 'events' });
  const events = async () => Number((await statusText.textContent())!.match(/of (\d+) events/)![1]);
  const before = await events();

  const term = page.getByTestId('guest-terminal');
  await expect(term).toHaveAttribute('data-ready', 'true');
  await typeInTerminal(page, 'ls /mnt');
  await expect(term.locator('.xterm-rows')).toContainText('hello.txt');
  await expect.poll(events).toBeGreaterThan(before);
  // The table follows the newest events while nothing is selected.
  const panel = page.getByTestId('scenario-panel');
  await expect(panel.getByTestId('trace-table').locator(`.row[data-id="${await events()}"]`)).toBeVisible();

  // The guest's ls went through 9P to QEMU and the helper: the trace has Treaddir now.
  await page.getByTestId('scenario-panel').getByTestId('trace-filter').fill('type:Treaddir');
  await expect(page.getByTestId('scenario-panel').getByTestId('trace-table').locator('.row').first()).toContainText('Treaddir');

  // The host's files: the guest-made symlink `esc -> /` sits in the export (/srv/export).
  await page.getByTestId('show-host-tree').click();
  const tree = page.getByTestId('host-tree');
  await expect(tree).toContainText('export/');
  await expect(tree.locator('.leaf', { hasText: 'esc' })).toContainText('esc → /');
  await expect(tree.locator('.leaf', { hasText: 'esc' })).toContainText('lrwxrwxrwx 0:0');
  await page.getByRole('button', { name: 'Script', exact: true }).click();

  // Restart is a deterministic replay: the script is pending again and the terminal is cleared.
  await page.getByTestId('scenario-restart').click();
  await expect(script.locator('li').first()).toHaveAttribute('data-status', 'pending');
  await expect(term.locator('.xterm-rows')).not.toContainText('hello.txt');
});

test('editing the XML marks the run stale; restarting uses the new XML', async ({ page }) => {
  await openPresetScenario(page, 'launch/leftover-path-on-qemu-7.2');
  // As posted on 7.2, QEMU refuses the leftover path= and the domain does not start.
  await expect(page.getByTestId('scenario-error')).toContainText("'path' is invalid for fsdriver 'proxy'");
  await page.getByTestId('variant-picker').selectOption('corrected');
  await expect(page.getByTestId('scenario-restart')).toHaveText('Restart with the current XML');
  await page.getByTestId('scenario-restart').click();
  await expect(page.getByTestId('scenario-error')).toHaveCount(0);
  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-script').locator('li').first()).toHaveAttribute('data-status', 'ok');
});

test('a share link carries the preset and the scenario tab', async ({ page, context }) => {
  await openPresetScenario(page, 'mknod/host-device');
  await expect(page.getByTestId('scenario-script').locator('li').first()).toBeVisible();
  await page.getByTestId('share-button').click();
  const link = await page.getByTestId('share-link').inputValue();

  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('tab-scenario')).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByTestId('scenario-panel')).toContainText('A device node made by the guest');
  await expect(other.getByTestId('scenario-script').locator('li').first()).toHaveAttribute('data-status', 'pending');
  await expect(other.getByTestId('link-error')).toHaveCount(0);
});

test('the guest terminal: Tab completes through the guest (a traced readdir), ↑ recalls, Tab on an empty line leaves', async ({ page }) => {
  await openPresetScenario(page, 'walk/symlink-escape');
  const term = page.getByTestId('guest-terminal');
  await expect(term).toHaveAttribute('data-ready', 'true');
  await term.locator('.xterm').click();
  await page.keyboard.type('cat /mnt/hel');
  await page.keyboard.press('Tab');
  await expect(term.locator('.xterm-rows')).toContainText('cat /mnt/hello.txt');
  await page.keyboard.press('Enter');
  await expect(term.locator('.xterm-rows')).toContainText(/hello\s*guest\$/);
  // The completion listed /mnt through 9P: a Treaddir in the scenario's trace.
  const panel = page.getByTestId('scenario-panel');
  await panel.getByTestId('trace-filter').fill('type:Treaddir');
  await expect(panel.getByTestId('trace-table').locator('.row').first()).toContainText('Treaddir');
  await panel.getByTestId('trace-filter').fill('');
  // ↑ brings the command back; Enter runs it again.
  await term.locator('.xterm').click();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect.poll(async () => ((await term.locator('.xterm-rows').textContent()) ?? '').split('cat /mnt/hello.txt').length - 1).toBe(2);
  // On an empty line Tab is not a completion: the focus moves on (no keyboard trap).
  await page.keyboard.press('Tab');
  await expect(term.getByRole('textbox', { name: 'Terminal input' })).not.toBeFocused();
});

test('the trace table follows new events only while it shows the end (scrolled up, it stays put)', async ({ page }) => {
  await openPresetScenario(page, 'walk/symlink-escape');
  const panel = page.getByTestId('scenario-panel');
  await panel.getByTestId('scenario-run').click();
  await expect(panel.getByTestId('scenario-script').locator('li[data-status="pending"]')).toHaveCount(0);
  const table = panel.getByTestId('trace-table');
  const scroller = table.locator('[role="listbox"] > div').first();
  const term = page.getByTestId('guest-terminal');
  const status = panel.locator('[role="status"]').filter({ hasText: 'events' });
  const total = async () => Number((await status.textContent())!.match(/of (\d+) events/)![1]);
  // Following: the newest row is in view.
  await expect(table.locator(`.row[data-id="${await total()}"]`)).toBeVisible();
  // Scrolled to the top, a new command does not pull the view down. (Not within ~150 ms of the last
  // automatic scroll: virtua holds a scrollToIndex target that long while it measures rows.)
  await page.waitForTimeout(500);
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  await expect(table.locator('.row[data-id="1"]')).toBeVisible();
  const before = await total();
  await typeInTerminal(page, 'ls /mnt');
  await expect.poll(total).toBeGreaterThan(before);
  await page.waitForTimeout(300);
  await expect(table.locator('.row[data-id="1"]')).toBeVisible();
  // Back at the end, it follows again.
  await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForTimeout(300);
  const mid = await total();
  await typeInTerminal(page, 'ls /mnt');
  await expect.poll(total).toBeGreaterThan(mid);
  await expect(table.locator(`.row[data-id="${await total()}"]`)).toBeVisible();
});
