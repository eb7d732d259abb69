// Issue 2 §5: the launch-plan page. Edit the domain XML, see the command lines change; invalid XML
// gives a located diagnostic and keeps the text; XML ↔ argv cross-highlighting both ways; copy
// buttons give shell command lines. Runs against the real simulator (sim/libvirt) in its worker.
import { test, expect } from '@playwright/test';
import { PROXY_XML, argvWords, editorContent, getXml, inPage, setXml, waitForPlayground, watchErrors } from './support.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await waitForPlayground(page);
});

test('the page starts with the simulator default domain and a plan, without console errors', async ({ page }) => {
  const errors = watchErrors(page);
  await page.reload();
  await waitForPlayground(page);
  expect(await getXml(page)).toContain('<filesystem');
  expect((await argvWords(page, 'argv-qemu')).length).toBeGreaterThan(1);
  await expect(page.getByText('simulation: Web Worker')).toBeVisible();
  expect(errors).toEqual([]);
});

test('editing the XML changes both command lines; undo brings them back', async ({ page }) => {
  await setXml(page, PROXY_XML);
  const qemu = page.getByTestId('argv-qemu');
  const helper = page.getByTestId('argv-helper');
  // libvirt.md §4.3: the patch as posted, first filesystem, libvirtd's fds 24/25.
  await expect(qemu).toContainText('proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest');
  expect(await argvWords(page, 'argv-helper')).toEqual(['/usr/bin/virtfs-proxy-helper', '-f', '24', '-p', '/export/to/guest']);

  // Type into the source directory: caret to the end of the <source> line, before `'/>`.
  await page.locator('.cm-line', { hasText: "<source dir='/export/to/guest'/>" }).click();
  await page.keyboard.press('End');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('2');
  await expect(qemu).toContainText('sock_fd=25,path=/export/to/guest2');
  await expect(helper).toContainText('-p /export/to/guest2');

  await page.keyboard.press('Control+Z');
  await expect(qemu).toContainText('path=/export/to/guest');
  await expect(qemu).not.toContainText('/export/to/guest2');
  expect(await getXml(page)).toBe(PROXY_XML);
});

test('the era, variant and QEMU pickers re-plan', async ({ page }) => {
  await setXml(page, PROXY_XML);
  await expect(page.getByTestId('argv-qemu')).toContainText('sock_fd=25');
  // The corrected variant drops `path=` for proxy where QEMU rejects it (libvirt.md §4.5).
  await page.getByTestId('variant-picker').selectOption('corrected');
  await expect(page.getByTestId('argv-qemu')).toContainText('proxy,id=fsdev-fs0,sock_fd=');
  await expect(page.getByTestId('argv-qemu')).not.toContainText('sock_fd=25,path=');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-starts', 'true');
  // libvirt 9.0 knows no proxy driver: the real text of libvirt.md §6.1.
  await page.getByTestId('era-picker').selectOption('9.0');
  await expect(page.getByTestId('plan-error')).toContainText("Invalid value for attribute 'type' in element 'driver': 'proxy'.");
  await expect(page.getByTestId('variant-picker')).toBeDisabled();
  // Back to 2012, as posted, on QEMU 7.2: the leftover path= is refused (libvirt.md §5, observed on 7.2.22).
  await page.getByTestId('era-picker').selectOption('0.10.2');
  await page.getByTestId('variant-picker').selectOption('as-posted');
  await page.getByTestId('qemu-picker').selectOption('7.2');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-starts', 'false');
  await expect(page.getByTestId('verdict')).toContainText("'path' is invalid for fsdriver 'proxy'");
  await expect(page.getByTestId('plan-notes').locator('[data-kind="finding"]').first()).toBeVisible();
});

test('invalid XML: a located diagnostic, the text is kept, the last plan stays (stale)', async ({ page }) => {
  await setXml(page, PROXY_XML);
  await expect(page.getByTestId('argv-qemu')).toContainText('sock_fd=25');
  const broken = PROXY_XML.replace("<target dir='/import/from/host'/>", "<target dir='/import/from/host'>");
  await setXml(page, broken);

  const problems = page.getByTestId('xml-diagnostics');
  await expect(problems.locator('li.error')).toHaveCount(1);
  await expect(problems.locator('.where')).toHaveText(/^\d+:\d+$/);
  await expect(page.locator('[data-testid="xml-editor"] .cm-lintRange-error')).toHaveCount(1);
  await expect(page.getByTestId('plan-error')).toContainText(/line \d+/);
  expect(await getXml(page)).toBe(broken); // nothing the user typed is lost
  await expect(page.locator('.plan[data-stale="true"]')).toBeVisible();
  await expect(page.getByTestId('argv-qemu')).toContainText('sock_fd=25');

  // Activating the diagnostic puts the caret at its line.
  const where = (await problems.locator('.where').textContent())!;
  await problems.locator('button').first().click();
  await expect(page.locator('.cm-activeLine')).toHaveCount(1);
  const activeLine = await page.locator('.cm-activeLine').textContent();
  const line = Number(where.split(':')[0]);
  expect(activeLine).toBe(broken.split('\n')[line - 1]);

  // Fixing it brings a fresh plan back.
  await setXml(page, PROXY_XML);
  await expect(problems).toContainText('No problems');
  await expect(page.locator('.plan[data-stale="false"]')).toBeVisible();
});

test('cross-highlighting: argv word → XML attribute, and caret in the XML → argv words', async ({ page }) => {
  await setXml(page, PROXY_XML);
  const helperPath = page.getByTestId('argv-helper').locator('button.word', { hasText: '/export/to/guest' });
  await helperPath.hover();
  const xref = page.locator('[data-testid="xml-editor"] .cm-xref');
  await expect(xref.first()).toBeVisible();
  expect((await xref.allTextContents()).join('')).toContain('/export/to/guest');

  // Reverse: caret inside <target dir=…> marks the mount_tag part of -device.
  await page.mouse.move(0, 0);
  await page.locator('.cm-line', { hasText: "<target dir='/import/from/host'/>" }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  const marked = page.getByTestId('argv-qemu').locator('.seg.hl');
  await expect(marked.first()).toBeVisible();
  expect((await marked.allTextContents()).join(' ')).toContain('/import/from/host');
});

test('cross-highlighting works from the keyboard alone', async ({ page }) => {
  await setXml(page, PROXY_XML);
  // Escape closes a completion popup if one is open; Escape again arms CodeMirror's tab-focus mode.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(editorContent(page)).not.toBeFocused();
  await page.keyboard.press('p'); // shortcut: focus the QEMU command line
  const focused = page.locator('[data-testid="argv-qemu"] button.word:focus');
  await expect(focused).toHaveCount(1);
  // Walk right until a word linked to the XML has the focus; its XML must be highlighted.
  const words = await argvWords(page, 'argv-qemu');
  const target = words.findIndex((w) => w.includes('sock_fd='));
  expect(target).toBeGreaterThan(0);
  for (let i = 0; i < target; i++) await page.keyboard.press('ArrowRight');
  await expect(focused).toContainText('sock_fd=');
  await expect(page.locator('[data-testid="xml-editor"] .cm-xref').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid="xml-editor"] .cm-xref')).toHaveCount(0);
});

test('copy buttons give shell command lines that reproduce the argv', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await setXml(page, PROXY_XML);
  await expect(page.getByTestId('argv-helper')).toContainText('-p /export/to/guest');
  await page.getByTestId('copy-helper').click();
  await expect(page.getByTestId('copy-helper')).toHaveText('Copied');
  expect(await inPage(page, 'navigator.clipboard.readText()')).toBe('/usr/bin/virtfs-proxy-helper -f 24 -p /export/to/guest');

  await page.getByTestId('copy-qemu').click();
  const line = await inPage<string>(page, 'navigator.clipboard.readText()');
  const words = await argvWords(page, 'argv-qemu');
  expect(line).toContain(words[0]!);
  expect(line).toContain('-fsdev proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest');
  // Words with shell metacharacters (JSON -device values in 9.0) arrive single-quoted.
  for (const w of words) if (/[{}"' ]/.test(w)) expect(line).toContain(`'${w.replaceAll("'", `'\\''`)}'`);
});

test('the editor keeps focus order sane: Tab does not trap before the user types', async ({ page }) => {
  await editorContent(page).focus();
  await page.keyboard.press('Tab');
  await expect(editorContent(page)).not.toBeFocused();
});

test('a preset loads its domain and versions; Ctrl+Z in the editor brings the previous XML back', async ({ page }) => {
  await setXml(page, PROXY_XML);
  const presets = page.getByTestId('preset-list');
  await expect(presets.locator('option[value="launch/patch-v3-on-qemu-1.0"]')).toHaveCount(1);
  await presets.selectOption('launch/patch-v3-on-qemu-1.0');
  await expect(page.getByTestId('active-preset')).toContainText('The patch as posted on QEMU 1.0');
  await expect(page.getByTestId('qemu-picker')).toHaveValue('1.0');
  await expect(page.getByTestId('variant-picker')).toHaveValue('as-posted');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-starts', 'false');
  await expect(page.getByTestId('verdict-chip')).toHaveText(/QEMU exits \d+/);
  expect(await getXml(page)).not.toBe(PROXY_XML);

  await editorContent(page).click();
  await page.keyboard.press('Control+Z');
  await expect.poll(() => getXml(page)).toBe(PROXY_XML);
  await expect(page.getByTestId('active-preset')).toHaveCount(0);
});

test('if the simulation worker cannot load, the page runs the simulation itself and says so', async ({ page }) => {
  await page.route(/plan\.worker-[^/]*\.js$/, (route) => route.abort());
  await page.goto('./');
  await waitForPlayground(page);
  await expect(page.getByTestId('sim-where')).toHaveText('simulation: in page');
  await setXml(page, PROXY_XML);
  await expect(page.getByTestId('argv-qemu')).toContainText('proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest');
});
