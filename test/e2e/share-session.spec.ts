// Share links carry the whole state (issue 5 §5): not only the XML and versions but what the user
// did in the scenario — steps, lines typed in the guest terminal, host-tree edits, uploaded
// programs — and the trace selection. Opening the link rebuilds exactly that state by replaying the
// actions on the deterministic simulator; an imported scenario file travels inside the link.
import { readFile } from 'node:fs/promises';
import { test, expect, type Page } from '@playwright/test';
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { openPresetScenario, typeInTerminal, watchErrors } from './support.ts';

async function scriptStatuses(page: Page): Promise<string[]> {
  return page.getByTestId('scenario-script').locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-status') ?? ''));
}

async function linkOf(page: Page): Promise<string> {
  await page.getByTestId('share-button').click();
  const link = await page.getByTestId('share-link').inputValue();
  await page.keyboard.press('Escape');
  return link;
}

test('a share link rebuilds the session: steps, terminal lines, host edits, an upload and the selected event', async ({ page, context }) => {
  const errors = watchErrors(page);
  await openPresetScenario(page, 'walk/symlink-escape');
  const script = page.getByTestId('scenario-script');
  await expect(script.locator('li').first()).toHaveAttribute('data-status', 'pending');
  await page.getByTestId('scenario-step').click();
  await page.getByTestId('scenario-step').click();
  await expect(script.locator('li').nth(1)).toHaveAttribute('data-status', 'ok');
  const statuses = await scriptStatuses(page);
  expect(statuses.slice(0, 3)).toEqual(['ok', 'ok', 'pending']);

  // A host edit (a file written as the host's root) and a guest line that reads it over 9P.
  await page.getByTestId('show-host-tree').click();
  await page.getByTestId('host-edit-path').fill('/srv/export/shared.txt');
  await page.getByTestId('host-edit-content').fill('from the link\n');
  await page.getByTestId('host-edit-write').click();
  await expect(page.getByTestId('host-edit-message')).toHaveText('wrote /srv/export/shared.txt');
  const term = page.getByTestId('guest-terminal');
  await expect(term).toHaveAttribute('data-ready', 'true');
  await typeInTerminal(page, 'cat /mnt/shared.txt');
  await expect(term.locator('.xterm-rows')).toContainText('from the link');

  // An uploaded WASI program, run from the terminal.
  const wasm = await readFile('public/guests/cat.wasm');
  await page.getByTestId('wasi-upload').setInputFiles({ name: 'mycat.wasm', mimeType: 'application/wasm', buffer: wasm });
  await expect(page.getByTestId('wasi-upload-message')).toContainText('/guests/mycat.wasm');
  await typeInTerminal(page, 'run /guests/mycat.wasm /mnt/shared.txt');
  await expect(term.locator('.xterm-rows')).toContainText('from the link', { timeout: 20_000 });

  // Select an event in the trace (filtered to the helper's lane).
  const panel = page.getByTestId('scenario-panel');
  await panel.getByTestId('trace-filter').fill('lane:helper kind:syscall');
  // The filtered list is in place and the table has stopped following (virtua settles ~150 ms)
  // before a row is picked: a row read earlier can be scrolled out of the virtualised DOM.
  await expect(panel.locator('#trace-filter-status')).toHaveText(/^(\d+) of (?!\1 )\d+ events$/);
  await page.waitForTimeout(300);
  await panel.getByTestId('trace-table').locator('.row').nth(3).click();
  const row = panel.getByTestId('trace-table').locator('.row[aria-selected="true"]');
  await expect(row).toHaveCount(1);
  const eventId = await row.getAttribute('data-id');
  const detail = await panel.getByTestId('event-detail').textContent();
  expect(detail).toContain(`#${eventId}`);

  const terminalText = await term.locator('.xterm-rows').textContent();
  const link = await linkOf(page);
  expect(link).toMatch(/#s=3\./);
  console.log(`share-session: link of ${link.length} characters (with a ${wasm.length}-byte program)`);

  // The link in a fresh tab: the same script state, terminal, host file, selection.
  const other = await context.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(link);
  await expect(other.getByTestId('tab-scenario')).toHaveAttribute('aria-selected', 'true');
  const otherPanel = other.getByTestId('scenario-panel');
  await expect(otherPanel.getByTestId('scenario-script')).toBeVisible({ timeout: 30_000 });
  await expect(other.getByTestId('link-error')).toHaveCount(0);
  await expect(other.getByTestId('session-restore-error')).toHaveCount(0);
  expect(await scriptStatuses(other)).toEqual(statuses);
  const otherTerm = other.getByTestId('guest-terminal');
  await expect(otherTerm).toHaveAttribute('data-ready', 'true');
  await expect(otherTerm.locator('.xterm-rows')).toContainText('run /guests/mycat.wasm /mnt/shared.txt');
  expect(await otherTerm.locator('.xterm-rows').textContent()).toBe(terminalText);
  await expect(otherPanel.getByTestId('trace-filter')).toHaveValue('lane:helper kind:syscall');
  const selected = otherPanel.getByTestId('trace-table').locator('.row[aria-selected="true"]');
  await expect(selected).toHaveAttribute('data-id', eventId!);
  expect(await otherPanel.getByTestId('event-detail').textContent()).toBe(detail);
  await other.getByTestId('show-host-tree').click();
  await expect(other.getByTestId('host-tree').locator('[data-path="/srv/export/shared.txt"] > .row')).toContainText('-rw-r--r-- 0:0 14 shared.txt');

  // Another tab and back: the session is rebuilt, not lost.
  await other.getByRole('tab', { name: 'Launch plan' }).click();
  await other.getByTestId('tab-scenario').click();
  await expect(other.getByTestId('guest-terminal').locator('.xterm-rows')).toContainText('run /guests/mycat.wasm /mnt/shared.txt', { timeout: 30_000 });
  expect(await scriptStatuses(other)).toEqual(statuses);
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

test('an imported scenario file travels inside the link; a link with a broken one says where', async ({ page, context }) => {
  await openPresetScenario(page, 'walk/dotdot-from-root');
  await expect(page.getByTestId('scenario-script').locator('li').first()).toBeVisible();
  // Export the scenario, change its title, import it back: a scenario that no server has.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('scenario-export').click()]);
  const file = JSON.parse(await readFile((await dl.path())!, 'utf8')) as Record<string, unknown>;
  file['title'] = 'My own walk scenario';
  await page.getByTestId('scenario-import').setInputFiles({ name: 'mine.scenario.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByTestId('scenario-panel')).toContainText('My own walk scenario');
  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-script').locator('li[data-status="pending"]')).toHaveCount(0);
  const statuses = await scriptStatuses(page);
  const link = await linkOf(page);

  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('scenario-panel')).toContainText('My own walk scenario');
  await expect(other.getByTestId('link-error')).toHaveCount(0);
  await expect.poll(() => scriptStatuses(other)).toEqual(statuses);

  // The same link with the file broken (no domain): the page says which file and which field, and
  // shows the link's XML and versions.
  const [base, frag] = link.split('#s=3.');
  const state = JSON.parse(strFromU8(inflateSync(Buffer.from(frag!, 'base64url')))) as { scenario: { raw: string } };
  const broken = JSON.parse(state.scenario.raw) as Record<string, unknown>;
  delete broken['domain'];
  state.scenario.raw = JSON.stringify(broken);
  const bad = await context.newPage();
  await bad.goto(`${base}#s=3.${Buffer.from(deflateSync(strToU8(JSON.stringify(state)))).toString('base64url')}`);
  await expect(bad.getByTestId('link-error')).toContainText("The link's scenario file cannot be used: mine.scenario.json is not a valid scenario file");
  await expect(bad.getByTestId('link-error')).toContainText('/domain');
  await expect(bad.getByTestId('argv-qemu')).toBeVisible();
});

test('picking another preset keeps the state it replaces one Back away (session included)', async ({ page }) => {
  await openPresetScenario(page, 'walk/symlink-escape');
  await page.getByTestId('scenario-step').click();
  const term = page.getByTestId('guest-terminal');
  await expect(term).toHaveAttribute('data-ready', 'true');
  await typeInTerminal(page, 'ls /mnt');
  await expect(term.locator('.xterm-rows')).toContainText('hello.txt');
  const statuses = await scriptStatuses(page);

  await page.getByTestId('preset-list').selectOption('mknod/host-device');
  await expect(page.getByTestId('scenario-panel')).toContainText('device node');
  await page.goBack();
  await expect(page.getByTestId('scenario-panel')).toContainText('Walking through a guest-made symlink');
  await expect(page.getByTestId('guest-terminal').locator('.xterm-rows')).toContainText('hello.txt', { timeout: 20_000 });
  await expect.poll(() => scriptStatuses(page)).toEqual(statuses);
  await page.goForward();
  await expect(page.getByTestId('scenario-panel')).toContainText('device node');
});

test('a long shared session shows its rebuild progress and can be stopped; what was rebuilt stays', async ({ page, context }) => {
  await openPresetScenario(page, 'walk/symlink-escape');
  await page.getByTestId('scenario-step').click();
  await expect(page.getByTestId('scenario-script').locator('li').first()).toHaveAttribute('data-status', 'ok');
  const link = await linkOf(page);
  // The same link with 2,000 terminal lines appended (a long session someone shared).
  const [base, frag] = link.split('#s=3.');
  const state = JSON.parse(strFromU8(inflateSync(Buffer.from(frag!, 'base64url')))) as { session: { actions: unknown[] } };
  for (let i = 0; i < 2000; i++) state.session.actions.push({ do: 'exec', line: `stat /mnt/hello.txt` });
  const long = await context.newPage();
  await long.goto(`${base}#s=3.${Buffer.from(deflateSync(strToU8(JSON.stringify(state)))).toString('base64url')}`);
  const progress = long.getByTestId('session-restoring');
  await expect(progress).toContainText(/action \d+ of 2001/);
  await expect.poll(async () => Number(((await progress.textContent()) ?? '').match(/action (\d+) of/)?.[1] ?? 0)).toBeGreaterThan(5);
  await long.getByTestId('session-restore-stop').click();
  const stopped = long.getByTestId('session-restore-error');
  await expect(stopped).toContainText(/stopped after \d+ of 2001 actions/);
  const done = Number((await stopped.textContent())!.match(/after (\d+) of/)![1]);
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(2001);
  // What was rebuilt is shown: the step, and the terminal lines so far.
  await expect(long.getByTestId('scenario-script').locator('li').first()).toHaveAttribute('data-status', 'ok');
  await expect(long.getByTestId('guest-terminal').locator('.xterm-rows')).toContainText('File: /mnt/hello.txt');
});
