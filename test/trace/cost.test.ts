// Modelled virtual time (sim/trace/cost.ts): timestamps grow with each event by its modelled cost,
// deterministically, so a replay gives the same timestamps and a 9P round trip through the helper
// lasts longer than the syscalls inside it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../sim/scenario/index.ts';
import { ScenarioRun } from '../../sim/scenario/run.ts';
import { MODELLED_COST_NS, modelledCostNs } from '../../sim/trace/cost.ts';
import type { P9Event, TraceEvent } from '../../sim/trace/event.ts';

function trace(): readonly TraceEvent[] {
  const s = parseScenario(readFileSync('public/presets/walk--symlink-escape.json', 'utf8'));
  const run = new ScenarioRun(s);
  run.runAll();
  return run.recorder.events;
}

describe('modelled virtual time', () => {
  it('each event starts when the previous one ended (t + cost), from 0', () => {
    const ev = trace();
    expect(ev[0]!.t).toBe(0);
    for (let i = 1; i < ev.length; i++) expect(ev[i]!.t).toBe(ev[i - 1]!.t + modelledCostNs(ev[i - 1]!));
    expect(new Set(ev.map((e) => e.t)).size).toBeGreaterThan(ev.length / 2);
  });
  it('is the same on every run', () => {
    expect(trace().map((e) => e.t)).toEqual(trace().map((e) => e.t));
  });
  it('a 9P request is answered after the proxy frames and syscalls it caused', () => {
    const ev = trace();
    const walk = ev.find((e): e is P9Event => e.kind === 'p9' && e.msgType === 'Twalk')!;
    const reply = ev.find((e): e is P9Event => e.kind === 'p9' && e.replyTo === walk.id)!;
    const inside = ev.filter((e) => e.id > walk.id && e.id < reply.id);
    expect(inside.some((e) => e.kind === 'proxy')).toBe(true);
    expect(reply.t - walk.t).toBe(inside.reduce((n, e) => n + modelledCostNs(e), modelledCostNs(walk)));
    expect(reply.t - walk.t).toBeGreaterThan(MODELLED_COST_NS.p9Message);
  });
});
