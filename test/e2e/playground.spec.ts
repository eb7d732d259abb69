// The issue-5 frame around the launch plan: share links (round trip, old formats, hostile links),
// keyboard shortcuts and the `?` overlay, themes, resizable panes, layouts from 1280×720 to
// 2560×1440, and accessibility (axe-core) in both themes.
import { test, expect, type Page } from '@playwright/test';
import { deflateSync, strToU8 } from 'fflate';
import { PROXY_XML, axeViolations, getXml, inPage, openPresetScenario, setXml, waitForPlayground, watchErrors } from './support.ts';

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
/** A share fragment built by hand (what a hostile or old link looks like), not by the page's code. */
function fragment(version: number, value: unknown): string {
  return `#s=${version}.${b64url(deflateSync(strToU8(JSON.stringify(value))))}`;
}

async function currentFragment(page: Page): Promise<string> {
  await expect.poll(() => inPage<string>(page, 'location.hash')).toMatch(/^#s=3\./);
  return inPage<string>(page, 'location.hash');
}

test.describe('share links', () => {
  test('the state travels in the URL fragment and comes back in a new tab', async ({ page, context }) => {
    await page.goto('./');
    await waitForPlayground(page);
    const xml = PROXY_XML.replace('/export/to/guest', '/srv/shared, with a comma');
    await setXml(page, xml);
    await page.getByTestId('variant-picker').selectOption('corrected');
    await page.getByTestId('qemu-picker').selectOption('5.0');
    await page.getByTestId('share-button').click();
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:4176\/#s=3\.[A-Za-z0-9_-]+$/);
    expect(link).toBe(page.url());
    await page.keyboard.press('Escape');

    const other = await context.newPage();
    const errors = watchErrors(other);
    await other.goto(link);
    await waitForPlayground(other);
    expect(await getXml(other)).toBe(xml);
    await expect(other.getByTestId('variant-picker')).toHaveValue('corrected');
    await expect(other.getByTestId('qemu-picker')).toHaveValue('5.0');
    await expect(other.getByTestId('argv-helper')).toContainText('/srv/shared, with a comma');
    expect(errors).toEqual([]);
  });

  test('a version-1 link (the first format) still opens', async ({ page }) => {
    await page.goto(`./${fragment(1, { xml: PROXY_XML, era: '0.10.2', variant: 'corrected', qemu: '4.0' })}`);
    await waitForPlayground(page);
    await expect(page.getByTestId('qemu-picker')).toHaveValue('4.0');
    await expect(page.getByTestId('variant-picker')).toHaveValue('corrected');
    expect(await getXml(page)).toBe(PROXY_XML);
    await expect(page.getByTestId('link-error')).toHaveCount(0);
  });

  const hostile: [string, string, RegExp][] = [
    ['garbage', '#s=2.AAAA$AAA', /unexpected character "\$" at offset 8 of the link fragment/],
    ['future format', '#s=9.AAAA', /newer virtfs-lab \(format 9/],
    ['cut off', fragment(2, { xml: PROXY_XML, era: '9.0', variant: 'as-posted', qemuVersion: '7.2', view: { layout: 'columns', split: 0.5 } }).slice(0, -20), /cut off|corrupt/],
    ['wrong field', fragment(2, { xml: '<x/>', era: '<img src=x onerror="window.__pwned=1">', variant: 'as-posted', qemuVersion: '7.2', view: { layout: 'columns', split: 0.5 } }), /state\.era must be one of/],
  ];
  for (const [name, frag, message] of hostile) {
    test(`a malformed link (${name}) shows a clear message and the default state`, async ({ page }) => {
      const errors = watchErrors(page);
      await page.goto(`./${frag}`);
      await waitForPlayground(page);
      await expect(page.getByTestId('link-error')).toContainText(message);
      await expect(page.getByTestId('link-error')).toContainText('Showing the default state instead.');
      await expect(page.getByTestId('era-picker')).toHaveValue('0.10.2');
      expect(await getXml(page)).toContain('<filesystem');
      expect(await inPage(page, 'window.__pwned')).toBeUndefined();
      // The broken link is left in the address bar until the user changes something.
      expect(new URL(page.url()).hash).toBe(new URL(`http://x/${frag}`).hash);
      expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    });
  }

  test('markup and script in a link are shown as text, never run', async ({ page }) => {
    const xml = `<domain><!-- </textarea><script>window.__pwned=1</script> --><name><img src=x onerror="window.__pwned=2"></name></domain>`;
    await page.goto(`./${fragment(2, { xml, era: '0.10.2', variant: 'as-posted', qemuVersion: '7.2', view: { layout: 'rows', split: 0.4 } })}`);
    await expect(page.locator('[data-testid="xml-editor"][data-editor-ready="true"]')).toBeVisible();
    expect(await getXml(page)).toBe(xml);
    await expect(page.locator('script:not([src]):not([type])')).toHaveCount(0);
    await expect(page.locator('img')).toHaveCount(0);
    expect(await inPage(page, 'window.__pwned')).toBeUndefined();
    await expect(page.getByTestId('pane-separator')).toHaveAttribute('aria-orientation', 'horizontal');
  });

  test('pasting another link into the same tab loads it', async ({ page }) => {
    await page.goto('./');
    await waitForPlayground(page);
    await page.evaluate((f) => { (globalThis as unknown as { location: { hash: string } }).location.hash = f; }, fragment(2, { xml: PROXY_XML, era: '9.0', variant: 'as-posted', qemuVersion: '7.2', view: { layout: 'columns', split: 0.3 } }));
    await expect(page.getByTestId('era-picker')).toHaveValue('9.0');
    await expect(page.getByTestId('pane-separator')).toHaveAttribute('aria-valuenow', '30');
  });
});

test.describe('keyboard and themes', () => {
  test('? opens the shortcuts overlay, Escape closes it; t cycles the theme; l changes the layout', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('./');
    await waitForPlayground(page);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    const dialog = page.getByTestId('shortcuts-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    const theme = () => inPage<string>(page, 'document.documentElement.dataset.theme');
    expect(await theme()).toBe('light'); // system
    await page.keyboard.press('t'); // → light (explicit)
    await page.keyboard.press('t'); // → dark
    expect(await theme()).toBe('dark');
    await page.keyboard.press('t'); // → system (light here)
    expect(await theme()).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark'); // system preference followed live

    const sep = page.getByTestId('pane-separator');
    await expect(sep).toHaveAttribute('aria-orientation', 'vertical');
    await page.keyboard.press('l');
    await expect(sep).toHaveAttribute('aria-orientation', 'horizontal');
  });

  test('shortcuts never eat characters typed into the editor', async ({ page }) => {
    await page.goto('./');
    await waitForPlayground(page);
    await setXml(page, 'tl?ep');
    expect(await getXml(page)).toBe('tl?ep');
    await expect(page.getByTestId('shortcuts-dialog')).toBeHidden();
  });

  test('the pane separator resizes with the keyboard and the pointer', async ({ page }) => {
    await page.goto('./');
    await waitForPlayground(page);
    const sep = page.getByTestId('pane-separator');
    await sep.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect(sep).toHaveAttribute('aria-valuenow', '60');
    await page.keyboard.press('Home');
    await expect(sep).toHaveAttribute('aria-valuenow', '15');
    const box = (await sep.boundingBox())!;
    await page.mouse.move(box.x + 3, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(page.viewportSize()!.width * 0.7, box.y + 100, { steps: 5 });
    await page.mouse.up();
    const now = Number(await sep.getAttribute('aria-valuenow'));
    expect(now).toBeGreaterThanOrEqual(68);
    expect(now).toBeLessThanOrEqual(72);
    await expect.poll(() => currentFragment(page)).toMatch(/^#s=3\./); // the layout is part of the state
  });
});

test.describe('layout and accessibility', () => {
  for (const [w, h] of [[1280, 720], [1920, 1080], [2560, 1440]] as const) {
    test(`no layout break at ${w}×${h}, light and dark (screenshots kept)`, async ({ page }, info) => {
      await page.setViewportSize({ width: w, height: h });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto('./');
        await waitForPlayground(page);
        await setXml(page, PROXY_XML);
        await expect(page.getByTestId('argv-qemu')).toContainText('sock_fd=25');
        const overflow = await inPage(page, `({
          x: document.documentElement.scrollWidth - window.innerWidth,
          y: document.documentElement.scrollHeight - window.innerHeight,
        })`);
        expect(overflow).toEqual({ x: 0, y: 0 });
        // Header on one line at every size: the panes start right under it.
        const header = (await page.locator('header.topbar').boundingBox())!;
        expect(header.height).toBeLessThan(60);
        for (const id of ['xml-editor', 'argv-qemu', 'argv-helper']) {
          const box = (await page.getByTestId(id).boundingBox())!;
          expect(box.x + box.width).toBeLessThanOrEqual(w + 0.5);
        }
        await page.screenshot({ path: info.outputPath(`playground-${w}x${h}-${scheme}.png`) });
        await page.screenshot({ path: `test-results/screenshots/playground-${w}x${h}-${scheme}.png` });
      }
    });
  }

  for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
    test(`the scenario view at ${w}×${h}: a preset stepped, its trace selected, light and dark (screenshots kept)`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await openPresetScenario(page, 'walk/symlink-escape');
        const panel = page.getByTestId('scenario-panel');
        await panel.getByTestId('scenario-run').click();
        await expect(panel.getByTestId('scenario-script').locator('li[data-status="pending"]')).toHaveCount(0);
        await panel.getByTestId('trace-filter').fill('lane:helper');
        await expect(panel.locator('#trace-filter-status')).toHaveText(/^(\d+) of (?!\1 )\d+ events$/);
        await page.waitForTimeout(300); // the table settles (virtua) before a row is picked
        await panel.getByTestId('trace-table').locator('.row').first().click();
        await expect(panel.getByTestId('event-detail')).toContainText('helper');
        // The acting process's credentials and capabilities, by name (the helper starts as root, all caps).
        await expect(panel.getByTestId('event-creds')).toContainText(/^uid \d+\/\d+\/\d+\/\d+ · gid /);
        await expect(panel.getByTestId('event-caps')).toContainText(/effective (all|none|[a-z_,]+) 0x[0-9a-f]{16}/);
        const overflow = await inPage(page, `({
          x: document.documentElement.scrollWidth - window.innerWidth,
          y: document.documentElement.scrollHeight - window.innerHeight,
        })`);
        expect(overflow).toEqual({ x: 0, y: 0 });
        // Every part of the scenario view has room: script, terminal, diagram, table, detail.
        for (const id of ['scenario-script', 'guest-terminal', 'trace-sequence', 'trace-table', 'event-detail']) {
          const box = (await panel.getByTestId(id).boundingBox())!;
          expect(box.height, id).toBeGreaterThan(20);
          expect(box.x + box.width, id).toBeLessThanOrEqual(w + 0.5);
        }
        await page.screenshot({ path: `test-results/screenshots/scenario-${w}x${h}-${scheme}.png` });
      }
    });
  }

  for (const scheme of ['light', 'dark'] as const) {
    test(`axe-core finds no violations (${scheme} theme, plan and dialogs)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('./');
      await waitForPlayground(page);
      await setXml(page, PROXY_XML);
      await expect(page.getByTestId('argv-qemu')).toContainText('sock_fd=25');
      expect(await axeViolations(page)).toEqual([]);
      // With an XML error shown (banner, diagnostics, stale plan).
      await setXml(page, PROXY_XML.replace('</domain>', ''));
      await expect(page.getByTestId('plan-error')).toBeVisible();
      await page.locator('[data-testid="pane-separator"]').focus();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByTestId('share-button').click();
      await expect(page.getByTestId('share-dialog')).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      // The trace tab with an event selected (table, diagram, fields and bytes).
      await setXml(page, PROXY_XML);
      await page.getByTestId('variant-picker').selectOption('corrected');
      await page.getByTestId('tab-trace').click();
      await page.getByTestId('trace-filter').fill('kind:proxy');
      await page.getByTestId('trace-table').locator('.row').first().click();
      await expect(page.getByTestId('hex-view')).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      // The scenario tab: script, guest terminal (xterm.js), trace.
      await page.getByTestId('preset-list').selectOption('walk/symlink-escape');
      await page.getByTestId('tab-scenario').click();
      await page.getByTestId('scenario-run').click();
      await expect(page.getByTestId('guest-terminal')).toHaveAttribute('data-ready', 'true');
      expect(await axeViolations(page)).toEqual([]);
    });
  }
});
