// "The same scenario gives the same trace, byte for byte" (DEVELOPERS.md) — also for two runs in one
// JS process, as the playground's restart and replay do: no counter may live outside the kernel.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../sim/scenario/validate.ts';
import { ScenarioRun } from '../../sim/scenario/run.ts';
import { exportJson } from '../../sim/trace/index.ts';

describe('determinism within one process', () => {
  it.each(['walk--symlink-escape.json', 'race--swap-dir-for-symlink.json', 'dos--fifo-open-freezes-helper.json'])('%s: two runs, identical JSON traces', (file) => {
    const s = parseScenario(readFileSync(`public/presets/${file}`, 'utf8'));
    const a = new ScenarioRun(s).runAll();
    const b = new ScenarioRun(s).runAll();
    const ja = exportJson(a.trace);
    expect(ja.length).toBeGreaterThan(1000);
    expect(exportJson(b.trace)).toBe(ja);
  });
});
