// The host-files panel (web/lib/hosttree) and scenario files (web/lib/scenariofile), issue 5 §1, §7:
// the export directory of walk/symlink-escape in the tree with its owner and mode, keyboard folding,
// who has what open, then export the scenario, re-import it, and import a broken file.
import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { axeViolations, openPresetScenario } from './support.ts';

test('host tree: owner, mode, open fds, keyboard; edits incl. chmod/chown/rename; scenario export, re-import, broken import', async ({ page }) => {
  await openPresetScenario(page, 'walk/symlink-escape');
  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-script').locator('li[data-status="pending"]')).toHaveCount(0);

  await page.getByTestId('show-host-tree').click();
  const tree = page.getByTestId('host-tree').getByRole('tree', { name: 'Host files' });
  const exp = tree.locator('[role=treeitem][data-path="/srv/export"]');
  await expect(exp).toHaveAttribute('aria-expanded', 'true');
  await expect(exp.locator(':scope > .row')).toContainText(/^\s*▾drwx\S+ 0:0 \d+ export\//);
  await expect(tree.locator('[data-path="/srv/export/esc"] > .row')).toContainText('lrwxrwxrwx 0:0 1 esc → /');
  // After the run no fid holds a file open; what stays open is the helper/QEMU socketpair of the
  // launch plan (helper -f 24, QEMU sock_fd=25), comm cut to 15 characters as TASK_COMM_LEN does.
  const also = page.getByTestId('unplaced-fds');
  await expect(also).toContainText(/virtfs-proxy-he\[\d+\] fd 24 socket:\[\d+\]/);
  await expect(also).toContainText(/qemu-system-x86\[\d+\] fd 25 socket:\[\d+\]/);

  // Keyboard: focus the tree's single tab stop, walk down to /srv, fold it with ArrowLeft.
  await tree.locator('[role=treeitem][tabindex="0"]').focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  const srv = tree.locator('[role=treeitem][data-path="/srv"]');
  for (let i = 0; i < 20 && !(await srv.evaluate((e) => e.matches(':focus'))); i++) await page.keyboard.press('ArrowDown');
  await expect(srv).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(srv).toHaveAttribute('aria-expanded', 'false');
  await expect(exp).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(exp).toHaveCount(1);

  // Edit the host as root: write a file, see it in the tree; a refused mkdir keeps the path typed
  // and shows the errno; delete it again.
  await page.getByTestId('host-edit-path').fill('/srv/export/notes.txt');
  await page.getByTestId('host-edit-content').fill('hi\n');
  await page.getByTestId('host-edit-write').click();
  await expect(page.getByTestId('host-edit-message')).toHaveText('wrote /srv/export/notes.txt');
  const notes = tree.locator('[data-path="/srv/export/notes.txt"] > .row');
  await expect(notes).toContainText('-rw-r--r-- 0:0 3 notes.txt');
  await page.getByTestId('host-edit-mkdir').click();
  await expect(page.getByTestId('host-edit-message')).toHaveText('mkdir /srv/export/notes.txt: mkdir: EEXIST (File exists)');
  await expect(page.getByTestId('host-edit-path')).toHaveValue('/srv/export/notes.txt');
  await expect(page.getByTestId('host-edit-content')).toHaveValue('hi\n');
  // Load it back and download it: the bytes written.
  await page.getByTestId('host-edit-content').fill('');
  await page.getByTestId('host-edit-load').click();
  await expect(page.getByTestId('host-edit-content')).toHaveValue('hi\n');
  const [fileDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('host-edit-download').click()]);
  expect(fileDl.suggestedFilename()).toBe('notes.txt');
  expect(await readFile((await fileDl.path())!, 'utf8')).toBe('hi\n');
  // Upload from disk: written next to the path, under its own name.
  await page.getByTestId('host-edit-upload').setInputFiles({ name: 'up.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 255]) });
  await expect(page.getByTestId('host-edit-message')).toHaveText('uploaded /srv/export/up.bin (4 bytes)');
  await expect(tree.locator('[data-path="/srv/export/up.bin"] > .row')).toContainText('-rw-r--r-- 0:0 4 up.bin');
  await page.getByTestId('host-edit-delete').click();
  await expect(page.getByTestId('host-edit-message')).toHaveText('deleted /srv/export/up.bin');
  await page.getByTestId('host-edit-path').fill('/srv/export/notes.txt');
  await page.getByTestId('host-edit-delete').click();
  await expect(page.getByTestId('host-edit-message')).toHaveText('deleted /srv/export/notes.txt');
  await expect(notes).toHaveCount(0);

  // chmod, chown, rename, as a trainer stages an attack: a 0555 directory owned by another uid,
  // then swapped in under a new name. Enter in a field runs that field's edit (not Write file).
  const msg = page.getByTestId('host-edit-message');
  const pathField = page.getByTestId('host-edit-path');
  await pathField.fill('/srv/export/drop');
  await page.getByTestId('host-edit-mkdir').click();
  await expect(msg).toHaveText('made directory /srv/export/drop');
  const drop = tree.locator('[data-path="/srv/export/drop"] > .row');
  await expect(drop).toContainText('drwxr-xr-x 0:0');
  await page.getByTestId('host-edit-mode').fill('555');
  await page.getByTestId('host-edit-mode').press('Enter');
  await expect(msg).toHaveText('chmod 0555 /srv/export/drop');
  await expect(drop).toContainText('dr-xr-xr-x 0:0');
  await page.getByTestId('host-edit-uid').fill('1000');
  await page.getByTestId('host-edit-gid').fill('1000');
  await page.getByTestId('host-edit-chown').click();
  await expect(msg).toHaveText('chown 1000:1000 /srv/export/drop');
  await expect(drop).toContainText('dr-xr-xr-x 1000:1000');
  // A directory moved into itself: the kernel's EINVAL, both names stay typed.
  const toField = page.getByTestId('host-edit-to');
  await toField.fill('/srv/export/drop/in');
  await page.getByTestId('host-edit-rename').click();
  await expect(msg).toHaveText('rename /srv/export/drop to /srv/export/drop/in: rename: EINVAL (Invalid argument)');
  await expect(pathField).toHaveValue('/srv/export/drop');
  await expect(toField).toHaveValue('/srv/export/drop/in');
  await toField.fill('/srv/export/swapped');
  await toField.press('Enter');
  await expect(msg).toHaveText('renamed /srv/export/drop to /srv/export/swapped');
  await expect(tree.locator('[data-path="/srv/export/swapped"] > .row')).toContainText(/dr-xr-xr-x 1000:1000 \d+ swapped\//);
  // Nothing is left at the old name (an Enter that also submitted the form would write a file there).
  await expect(drop).toHaveCount(0);
  await expect(pathField).toHaveValue('/srv/export/swapped');
  expect(await axeViolations(page)).toEqual([]);

  await page.getByTestId('host-edit-path').fill('/srv/export/kept.txt');
  await page.getByTestId('host-edit-content').fill('kept\n');
  await page.getByTestId('host-edit-write').click();
  await expect(page.getByTestId('host-edit-message')).toHaveText('wrote /srv/export/kept.txt');

  // Export: the scenario as it runs, downloaded as JSON. The host edits are in its host tree.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('scenario-export').click()]);
  expect(download.suggestedFilename()).toMatch(/\.scenario\.json$/);
  const exported = await readFile((await download.path())!, 'utf8');
  const json = JSON.parse(exported) as { title: string; qemu: string; host: { tree: { path: string; content?: string }[] } };
  expect(json.host.tree.find((e) => e.path === '/srv/export/kept.txt')).toMatchObject({ content: 'kept\n', mode: 0o644 });
  expect(json.host.tree.some((e) => e.path === '/srv/export/notes.txt' || e.path === '/srv/export/up.bin' || e.path === '/srv/export/drop')).toBe(false);
  expect(json.host.tree.find((e) => e.path === '/srv/export/swapped')).toEqual({ path: '/srv/export/swapped', type: 'dir', mode: 0o555, uid: 1000, gid: 1000 });

  // Re-import it with a changed QEMU version: the playground takes the file's inputs.
  json.title = 'Re-imported symlink escape';
  await page.getByTestId('scenario-import').setInputFiles({ name: 'again.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json, null, 2)) });
  await expect(page.getByTestId('scenario-panel').locator('.toolbar strong')).toHaveText('Re-imported symlink escape');
  await expect(page.getByTestId('scenario-import-error')).toHaveCount(0);
  // A new session of the imported scenario: its script is pending again.
  await page.getByRole('button', { name: 'Script', exact: true }).click();
  await expect(page.getByTestId('scenario-script').locator('li').first()).toHaveAttribute('data-status', 'pending');
  await page.getByTestId('show-host-tree').click();
  await expect(tree.locator('[data-path="/srv/export/kept.txt"] > .row')).toContainText('-rw-r--r-- 0:0 5 kept.txt');
  await expect(tree.locator('[data-path="/srv/export/swapped"] > .row')).toContainText('dr-xr-xr-x 1000:1000');

  // A broken file: located error, the app keeps what it had.
  await page.getByTestId('scenario-import').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "version": 1,\n  "title": 7\n}\n') });
  const err = page.getByTestId('scenario-import-error');
  await expect(err).toContainText('broken.json is not a valid scenario file');
  await expect(err).toContainText('broken.json: scenario /title:');
  await page.getByTestId('scenario-import').setInputFiles({ name: 'syntax.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "version": 1,,\n}') });
  await expect(err).toContainText('syntax.json: scenario 2:16: invalid JSON');
  await expect(page.getByTestId('scenario-panel').locator('.toolbar strong')).toHaveText('Re-imported symlink escape');
});
