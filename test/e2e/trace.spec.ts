// The launch trace: the plan carried out on the simulated host (sim/lab) and shown as a sequence
// diagram, a virtualised table and the selected event's fields beside its bytes.
import { test, expect } from '@playwright/test';
import { PROXY_XML, setXml, waitForPlayground } from './support.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await waitForPlayground(page);
  await setXml(page, PROXY_XML);
});

test('the corrected plan on QEMU 7.2: helper start-up and the realize T_LSTAT, with fields ↔ bytes', async ({ page }) => {
  await page.getByTestId('variant-picker').selectOption('corrected');
  await page.getByTestId('tab-trace').click();
  const table = page.getByTestId('trace-table');
  await expect(table.locator('.row').first()).toBeVisible();
  await expect(page.getByTestId('trace-sequence').locator('g.ev').first()).toBeVisible();
  await expect(page.locator('.caption')).toContainText('QEMU running');

  // The helper chroots into the export (real-helper.md: start-up), then QEMU asks T_LSTAT at realize.
  const filter = page.getByTestId('trace-filter');
  await filter.fill('lane:helper type:chroot');
  await expect(table.locator('.row')).toHaveCount(1);
  await expect(table.locator('.row')).toContainText('chroot');
  await filter.fill('kind:proxy');
  await expect(table.locator('.row').first()).toContainText('T_LSTAT');
  await table.locator('.row').first().click();

  const hex = page.getByTestId('hex-view');
  await expect(hex).toBeVisible();
  const typeField = hex.locator('.fields button', { hasText: 'header.type' });
  await expect(typeField).toContainText('T_LSTAT');
  await typeField.hover();
  // The proxy header is type[4] size[4] (proxy-protocol.md): header.type marks bytes 0..3.
  await expect(hex.locator('.bytes .b.m')).toHaveCount(4);
  expect(await hex.locator('.bytes .b.m').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-i'))))).toEqual([0, 1, 2, 3]);

  // Keyboard: the table's arrows move the selection, and the detail follows.
  await table.locator('[role="listbox"]').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('event-detail')).toContainText('reply to T_LSTAT');
});

test('the plan as posted: the helper exec fails unseen and QEMU refuses path= (libvirt.md §4.4)', async ({ page }) => {
  await page.getByTestId('tab-trace').click();
  const filter = page.getByTestId('trace-filter');
  await filter.fill('kind:note');
  await expect(page.getByTestId('trace-table').locator('.row').first()).toContainText('helper-exec-failed');
  await filter.fill('kind:launch');
  await expect(page.getByTestId('trace-table')).toContainText('qemu-exit');
  await expect(page.locator('.caption')).toContainText('QEMU exited');
});

test('a bad filter names its column and keeps the last result', async ({ page }) => {
  await page.getByTestId('tab-trace').click();
  await expect(page.getByTestId('trace-table').locator('.row').first()).toBeVisible();
  await page.getByTestId('trace-filter').fill('kind:launch');
  const first = await page.getByTestId('trace-table').locator('.row').first().getAttribute('data-id');
  await page.getByTestId('trace-filter').fill('kind:launch lane:nowhere');
  await expect(page.getByRole('status').filter({ hasText: 'filter, column 18' })).toContainText('is not a lane');
  await expect(page.getByTestId('trace-filter')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('trace-table').locator('.row').first()).toHaveAttribute('data-id', first!);
  await expect(page.getByTestId('trace-table').locator('.row').first()).toContainText('launch');
});

test('libvirt 9.0 refuses the proxy driver: no launch, and the tab says why', async ({ page }) => {
  await page.getByTestId('era-picker').selectOption('9.0');
  await page.getByTestId('tab-trace').click();
  await expect(page.getByTestId('trace-none')).toContainText("Invalid value for attribute 'type' in element 'driver': 'proxy'.");
});

test("after the helper's capset, its syscalls show the seven capabilities it kept, by name", async ({ page }) => {
  await page.goto('./');
  await waitForPlayground(page);
  await page.getByTestId('preset-list').selectOption('walk/symlink-escape');
  await page.getByTestId('tab-trace').click();
  const filter = page.getByTestId('trace-filter');
  await filter.fill('lane:helper kind:syscall type:lstat');
  // The first lstat is the start-up check of the export (still root with every capability); the
  // last is the realize T_LSTAT's, inside the chroot after capset.
  await expect(page.getByTestId('trace-table').locator('.row')).toHaveCount(2);
  const row = page.getByTestId('trace-table').locator('.row').last();
  await row.click();
  // QEMU 7.2's helper (libcap-ng): CAP_CHOWN, DAC_OVERRIDE, FOWNER, FSETID, SETGID, SETUID, MKNOD.
  await expect(page.getByTestId('event-caps')).toContainText('effective chown,dac_override,fowner,fsetid,setgid,setuid,mknod 0x00000000080000db');
  await expect(page.getByTestId('event-detail')).toContainText('/srv/export'); // its root: the chroot
});
