// Embed mode in a cross-origin iframe, as a documentation page would use it: the page comes from a
// second origin (a small server on http://localhost:4177; the playground is on 127.0.0.1:4176), with
// no COOP/COEP anywhere (DESIGN.md §5). Both are loopback addresses: Chromium's Local Network Access
// checks would block a public origin (or a Playwright-fulfilled one) from framing 127.0.0.1.
import { test, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { deflateSync, strToU8 } from 'fflate';
import { PROXY_XML, getXml, inPage, waitForPlayground, watchErrors } from './support.ts';

const DOCS_PORT = 4177;
const DOCS = `http://localhost:${DOCS_PORT}`;
const state = `s=3.${Buffer.from(deflateSync(strToU8(JSON.stringify({
  xml: PROXY_XML, era: '0.10.2', variant: 'as-posted', qemuVersion: '7.2', view: { layout: 'columns', split: 0.5, tab: 'plan' },
})))).toString('base64url')}`;

let docs: Server;
test.beforeAll(async () => {
  docs = createServer((req, res) => {
    const params = new URL(req.url ?? '/', DOCS).searchParams;
    const query = params.get('q') ?? 'embed';
    const src = `http://127.0.0.1:4176/?${query}#${params.get('f') ?? state}`.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Docs</title></head><body><h1>Proxy driver docs</h1>
      <iframe id="pg" title="virtfs-lab" width="1100" height="600" src="${src}"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => docs.listen(DOCS_PORT, '127.0.0.1', resolve));
});
test.afterAll(async () => {
  await new Promise((resolve) => docs.close(resolve));
});

async function docsPageWith(page: Page, query: string, fragment?: string) {
  await page.goto(`${DOCS}/guide.html?q=${encodeURIComponent(query)}${fragment ? `&f=${encodeURIComponent(fragment)}` : ''}`);
  return page.frameLocator('#pg');
}

test('?embed works in a cross-origin iframe with an "open in playground" link carrying the state', async ({ page }) => {
  const errors = watchErrors(page);
  const frame = await docsPageWith(page, 'embed');
  await waitForPlayground(frame);
  expect(await inPage(page, 'window.crossOriginIsolated')).toBe(false);
  // The parent cannot read the frame's location: it really is another origin.
  expect(await inPage(page, `(() => { try { return document.getElementById('pg').contentWindow.location.href; } catch (e) { return e.name; } })()`)).toBe('SecurityError');
  expect(await getXml(frame)).toBe(PROXY_XML);
  await expect(frame.getByTestId('argv-qemu')).toContainText('sock_fd=25');
  await expect(frame.getByText('simulation: Web Worker')).toHaveCount(0); // no status bar in embeds
  await expect(frame.getByTestId('share-button')).toHaveCount(0);

  const open = frame.getByTestId('open-in-playground');
  await expect(open).toHaveAttribute('target', '_blank');
  const href = (await open.getAttribute('href'))!;
  expect(href).toBe(`http://127.0.0.1:4176/#${state}`);
  // Editing in the embed rewrites the link with the new state.
  await frame.locator('.cm-line', { hasText: "<source dir='/export/to/guest'/>" }).click();
  await page.keyboard.press('End');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('-docs');
  await expect(frame.getByTestId('argv-helper')).toContainText('/export/to/guest-docs');
  await expect(open).not.toHaveAttribute('href', href);
  const [tab] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
  await waitForPlayground(tab);
  await expect(tab.getByTestId('argv-helper')).toContainText('/export/to/guest-docs');
  expect(new URL(tab.url()).search).toBe('');
  expect(errors).toEqual([]);
});

test('?embed&view=plan&readonly&theme=dark: one pane, nothing editable, dark', async ({ page }) => {
  const frame = await docsPageWith(page, 'embed&view=plan&readonly&theme=dark');
  await expect(frame.getByTestId('argv-qemu')).toContainText('sock_fd=25');
  await expect(frame.getByTestId('xml-editor')).toHaveCount(0);
  await expect(frame.getByTestId('pane-separator')).toHaveCount(0);
  await expect(frame.getByTestId('era-picker')).toBeDisabled();
  expect(await frame.locator('html').getAttribute('data-theme')).toBe('dark');
});

test('?embed&view=xml&readonly: the XML cannot be changed', async ({ page }) => {
  const frame = await docsPageWith(page, 'embed&view=xml&readonly');
  await expect(frame.locator('[data-testid="xml-editor"][data-editor-ready="true"]')).toBeVisible();
  await expect(frame.locator('.cm-content')).toHaveAttribute('contenteditable', 'false');
  await expect(frame.getByTestId('argv-qemu')).toHaveCount(0);
});

test('bad embed options fall back to the defaults with a visible warning', async ({ page }) => {
  const frame = await docsPageWith(page, 'embed&view=everything&theme=<b>');
  await waitForPlayground(frame);
  await expect(frame.getByText('Embed option ignored: ?view=everything')).toBeVisible();
  await expect(frame.getByText('Embed option ignored: ?theme=<b>')).toBeVisible();
});

test('?embed&autoplay with a preset in the state runs its scenario on load', async ({ page }) => {
  const withPreset = `s=2.${Buffer.from(deflateSync(strToU8(JSON.stringify({
    xml: PROXY_XML.replace('/export/to/guest', '/srv/export').replace('/import/from/host', 'share'),
    era: '0.10.2', variant: 'corrected', qemuVersion: '7.2', view: { layout: 'columns', split: 0.5, tab: 'scenario' }, preset: 'walk/symlink-escape',
  })))).toString('base64url')}`;
  const frame = await docsPageWith(page, 'embed&view=plan&autoplay', withPreset);
  const script = frame.getByTestId('scenario-script');
  await expect(script.locator('li').first()).toHaveAttribute('data-status', 'ok');
  await expect(script.locator('li[data-status="pending"]')).toHaveCount(0);
  await expect(frame.getByTestId('guest-terminal')).toHaveAttribute('data-ready', 'true');
});
