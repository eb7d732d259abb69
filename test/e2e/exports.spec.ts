// Exports downloaded from the playground and parsed back (issue 5 §7): a preset run as a scenario,
// then the trace as pcapng (read by Debian's tshark: the 9P2000.L traffic is a TCP stream on port 564),
// JSON (imported with sim/trace's validating importer), text, Mermaid and SVG.
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { importJson } from '../../sim/trace/json.ts';
import { REAL, assertPresent, haveReal } from '../support/real-components.ts';
import { openPresetScenario } from './support.ts';

async function download(page: Page, button: string): Promise<string> {
  const panel = page.getByTestId('scenario-panel');
  const [dl] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: button, exact: true }).first().click()]);
  const path = await dl.path();
  expect(path).toBeTruthy();
  return path!;
}

test('walk/symlink-escape: the trace exported as pcapng, JSON, text, Mermaid and SVG parses back', async ({ page }) => {
  test.skip(!haveReal(REAL.tshark), 'tshark is needed to read the pcapng');
  assertPresent(REAL.tshark);
  await openPresetScenario(page, 'walk/symlink-escape');
  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-script').locator('li[data-status="pending"]')).toHaveCount(0);

  // pcapng → tshark decodes 9P on TCP/564: the guest's Tsymlink and Twalk are there with their fids.
  const pcap = await download(page, 'pcapng');
  const fields = execFileSync('tshark', ['-r', pcap, '-Y', '9p', '-T', 'fields', '-e', '9p.msgtype', '-e', '9p.fid'], { encoding: 'utf8' });
  const lines = fields.trim().split('\n');
  console.log(`pcapng: tshark decoded ${lines.length} 9P messages`);
  expect(lines.some((l) => l.startsWith('16\t'))).toBe(true); // Tsymlink = 16
  expect(lines.some((l) => l.startsWith('110\t'))).toBe(true); // Twalk = 110
  const malformed = execFileSync('tshark', ['-r', pcap, '-Y', '_ws.malformed'], { encoding: 'utf8' });
  expect(malformed.trim()).toBe('');

  // JSON → the validating importer gives the same story back.
  const json = await download(page, 'JSON');
  const { events } = importJson(readFileSync(json, 'utf8'));
  expect(events.some((e) => e.kind === 'p9' && e.msgType === 'Twalk')).toBe(true);
  expect(events.some((e) => e.kind === 'proxy' && e.requestType === 'T_LSTAT')).toBe(true);

  // The readable text trace: one line per event, indented by cause (the CLI's --trace text).
  const text = readFileSync(await download(page, 'Text'), 'utf8');
  expect(text).toMatch(/guest → qemu +Twalk tag=\d+ fid=0 newfid=1 wnames=\["esc", "etc", "shadow"\]/);

  // Mermaid and SVG.
  expect(readFileSync(await download(page, 'Mermaid'), 'utf8')).toMatch(/^sequenceDiagram\n/);
  const svg = readFileSync(await download(page, 'SVG'), 'utf8');
  expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
  // Parsed by Chromium's own XML parser (a string expression: this spec compiles without the DOM lib).
  const parsed = await page.evaluate(`new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml').getElementsByTagName('parsererror').length`);
  expect(parsed).toBe(0);
});
