// Issue 5: every preset runs in the playground and shows its expected outcome. The list is the one
// the page loads (public/presets/index.json), read here too, so a new preset is tested without
// editing this file. Per preset, in Debian's Chromium against the production build:
//  (a) the live scenario (Scenario tab) with the preset's own XML and versions: run to the end, no
//      line left pending, no crash; or, where the preset's own configuration is refused at launch
//      (a matrix cell of that configuration says launch: "refused"), the refusal shown instead;
//  (b) compare mode: one cell per matrix entry, in order, none "not as expected" (the ✓/✗ of
//      sim/scenario checkCell, web/lib/compare/compareCells.ts).
// One test per preset, so each has the whole 60 s budget. Timings are printed, never asserted.
import { readFileSync } from 'node:fs';
import { test, expect, type Locator } from '@playwright/test';
import { waitForPlayground, watchErrors } from './support.ts';

interface IndexEntry { id: string; title: string; file: string }
interface ExpectLine { line: number; exit?: number; blocked?: boolean }
interface Cell {
  label: string;
  driver: 'local' | 'proxy';
  qemu: string;
  era?: string;
  variant?: string;
  race?: unknown;
  launch?: 'ok' | 'refused';
  errorIncludes?: string;
  results?: ExpectLine[];
}
interface PresetFile {
  id: string;
  domain: string;
  era: string;
  variant?: string;
  qemu: string;
  race?: unknown;
  guest: { script: string[] };
  matrix: Cell[];
}

const PRESETS = new URL('../../public/presets/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', PRESETS), 'utf8')) as { presets: IndexEntry[] };
const load = (e: IndexEntry) => JSON.parse(readFileSync(new URL(e.file, PRESETS), 'utf8')) as PresetFile;

/**
 * The matrix cell that describes the preset's own configuration (what the Scenario tab runs): the
 * driver of the domain's first <filesystem> (proxy, else the local driver), its QEMU version, and
 * the cell's era/variant where it names one (sim/scenario applyCell: a cell inherits the rest).
 */
function ownCell(p: PresetFile): Cell | undefined {
  const fs = /<filesystem[\s>][\s\S]*?<\/filesystem>/.exec(p.domain)?.[0] ?? '';
  const driver = /<driver\b[^>]*\btype\s*=\s*(['"])proxy\1/.test(fs) ? 'proxy' : 'local';
  const variant = p.variant ?? 'as-posted';
  return p.matrix.find((c) => c.driver === driver && c.qemu === p.qemu && (c.era ?? p.era) === p.era && (c.variant ?? variant) === variant);
}

const sameRace = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

async function text(l: Locator): Promise<string> {
  return ((await l.textContent()) ?? '').trim();
}

test.describe('each preset runs and shows its expected outcome', () => {
  test('the index lists presets, each with a matrix', () => {
    expect(index.presets.length).toBeGreaterThan(0);
    for (const e of index.presets) expect(load(e).matrix.length, e.id).toBeGreaterThan(0);
  });

  for (const entry of index.presets) {
    const preset = load(entry);
    const own = ownCell(preset);
    const refused = own?.launch === 'refused';

    test(`${entry.id}: ${refused ? 'the launch is refused' : 'runs to the end'}; all ${preset.matrix.length} matrix cells as expected`, async ({ page }) => {
      const errors = watchErrors(page);
      const t0 = Date.now();
      await page.goto('./');
      await waitForPlayground(page);
      await page.getByTestId('preset-list').selectOption(entry.id);
      // The preset's versions are in the pickers, then its scenario in its tab.
      await expect(page.getByTestId('qemu-picker')).toHaveValue(preset.qemu);
      await expect(page.getByTestId('era-picker')).toHaveValue(preset.era);
      await page.getByTestId('tab-scenario').click();
      const panel = page.getByTestId('scenario-panel');
      await expect(panel.locator('strong').first()).toHaveText(entry.title);
      const script = panel.getByTestId('scenario-script');
      await expect(script.locator('li')).toHaveCount(preset.guest.script.length, { timeout: 20_000 });
      const tOpen = Date.now();

      // (a) The live run.
      const liveError = panel.getByTestId('scenario-error');
      let refusal: string | null = null;
      if (refused) {
        await expect(liveError).toBeVisible();
        refusal = (await text(liveError)).replace(/^The domain does not start: /, '');
        if (own?.errorIncludes) expect(refusal).toContain(own.errorIncludes);
        await expect(panel.getByTestId('scenario-run')).toBeDisabled();
        await expect(script.locator('li[data-status="pending"]')).toHaveCount(preset.guest.script.length);
      } else {
        await expect(liveError).toHaveCount(0);
        await panel.getByTestId('scenario-run').click();
        await expect(script.locator('li[data-status="pending"]')).toHaveCount(0, { timeout: 30_000 });
        await expect(panel.getByTestId('scenario-run')).toBeDisabled();
        await expect(liveError).toHaveCount(0);
        // Where the live run is exactly the cell's configuration (race included), each line's exit
        // status agrees with the cell's expectation: the Scenario tab and compare mode tell one story.
        if (own && sameRace(own.race, preset.race)) {
          for (const r of own.results ?? []) {
            if (r.exit === undefined) continue;
            await expect(script.locator('li').nth(r.line), `${own.label} line ${r.line}`).toHaveAttribute('data-status', r.exit === 0 ? 'ok' : 'failed');
          }
        }
      }
      // No crash banner, no watchdog stop, no other alert.
      await expect(panel.locator('[role="alert"]')).toHaveCount(0);
      const tRun = Date.now();

      // (b) Compare mode: every matrix cell, in the preset's order, each as the preset expects.
      const toggle = panel.getByTestId('compare-toggle');
      await toggle.click();
      await expect(toggle).toHaveAttribute('aria-pressed', 'true');
      const view = panel.getByTestId('compare-view');
      const cells = view.getByTestId('compare-cell');
      await expect(cells).toHaveCount(preset.matrix.length, { timeout: 40_000 });
      const tCompare = Date.now();
      await expect(panel.locator('[role="alert"]')).toHaveCount(0);
      const verdicts: string[] = [];
      for (const [i, cell] of preset.matrix.entries()) {
        const shown = cells.nth(i);
        await expect(shown.locator('h3')).toHaveText(cell.label);
        // checkCell's mismatches are listed in the cell only when it is not as expected.
        const expected = await shown.getAttribute('data-expected');
        const problems = expected === 'yes' ? '' : await text(shown.locator('.problems'));
        expect(expected, `${cell.label}: ${problems}`).toBe('yes');
        await expect(shown.getByTestId('compare-expect')).toContainText('as the preset expects');
        const verdict = (await shown.getAttribute('data-verdict'))!;
        if (cell.launch === 'refused') expect(verdict, cell.label).toBe('refused');
        else expect(['escaped', 'contained'], cell.label).toContain(verdict);
        verdicts.push(`${cell.label}: ${verdict}`);
        // The cell of the preset's own configuration shows the refusal the live run showed.
        if (cell === own && refusal !== null) expect(await text(shown.locator('pre.stderr'))).toBe(refusal);
      }
      await expect(view.locator('[data-expected="no"]')).toHaveCount(0);
      expect(errors).toEqual([]);
      console.log(`${entry.id}: open ${tOpen - t0} ms, ${refused ? 'refusal shown' : 'run to end'} ${tRun - tOpen} ms, compare of ${preset.matrix.length} cells ${tCompare - tRun} ms; ${verdicts.join('; ')}`);
    });
  }
});
