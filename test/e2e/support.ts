// Helpers for the playground's end-to-end tests (Debian's Chromium, production build; stack.md §6).
import { expect, type Frame, type FrameLocator, type Page } from '@playwright/test';
import { createRequire } from 'node:module';

type Scope = Page | FrameLocator | Frame;

/**
 * The proxy example of libvirt.md §4.3: the first filesystem of a 2012 domain with the default
 * emulator, for which the patch as posted gives helper `/usr/bin/virtfs-proxy-helper -f 24 -p
 * /export/to/guest` and `-fsdev proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest`.
 */
export const PROXY_XML = `<domain type='qemu'>
  <name>fstest</name>
  <memory unit='KiB'>219136</memory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <filesystem type='mount' accessmode='passthrough'>
      <driver type='proxy'/>
      <source dir='/export/to/guest'/>
      <target dir='/import/from/host'/>
    </filesystem>
  </devices>
</domain>
`;

/** Collect console errors and uncaught exceptions; the favicon is shipped, so nothing is filtered. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/**
 * The editor chunk is loaded and the first plan shown. A generous timeout: on a CI machine busy with
 * other suites the lazy CodeMirror chunk can take seconds (speed is measured in budget.spec.ts).
 */
export async function waitForPlayground(scope: Scope): Promise<void> {
  await expect(scope.locator('[data-testid="xml-editor"][data-editor-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(scope.locator('[data-testid="argv-qemu"]')).toBeVisible({ timeout: 20_000 });
}

/** A fresh page with a preset picked from the list and its Scenario tab open (the session opening). */
export async function openPresetScenario(page: Page, presetId: string): Promise<void> {
  await page.goto('./');
  await waitForPlayground(page);
  await page.getByTestId('preset-list').selectOption(presetId);
  await page.getByTestId('tab-scenario').click();
}

/** Type one line into the guest terminal (xterm.js) and press Enter, as a user would. */
export async function typeInTerminal(page: Page, line: string): Promise<void> {
  const term = page.getByTestId('guest-terminal');
  await expect(term).toHaveAttribute('data-ready', 'true');
  await term.locator('.xterm').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

export function editorContent(scope: Scope) {
  return scope.locator('[data-testid="xml-editor"] .cm-content');
}

/** Replace the whole XML the way a user pastes it: focus, select all, insert. */
export async function setXml(page: Page, text: string): Promise<void> {
  await editorContent(page).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** The editor's text as CodeMirror renders it (our documents are short enough to be all rendered). */
export async function getXml(scope: Scope): Promise<string> {
  return editorContent(scope).evaluate((el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent ?? '').join('\n'));
}

/** The argv panel's words, in order, exactly as shown (one element per word button). */
export async function argvWords(scope: Scope, testid: 'argv-qemu' | 'argv-helper'): Promise<string[]> {
  return scope.locator(`[data-testid="${testid}"] button.word`).allTextContents();
}

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

/**
 * Evaluate a JavaScript expression in the page. The test files are type-checked without the DOM lib
 * (cli/tsconfig.json covers test/), so browser-side code is written as expression strings.
 */
export async function inPage<T>(scope: Page | Frame, expression: string): Promise<T> {
  return (await scope.evaluate(expression)) as T;
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/** Run axe-core (injected as a script; @axe-core/playwright needs Node 22) on the page's document. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH });
  return inPage<AxeViolation[]>(page, `axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`);
}
