// Every shipped preset (public/presets) run through the real simulator, its trace pushed through the
// exporters: one pcapng holding every preset's 9P session as its own TCP stream (channel = preset
// file), dissected by tshark without a malformed message; JSON export → import → export identical;
// the capture read back with importCapture. Catches any layer emitting bytes that are not 9P2000.L.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { specByName } from '../../sim/p9/index.ts';
import { ScenarioRun } from '../../sim/scenario/run.ts';
import { parseScenario } from '../../sim/scenario/validate.ts';
import { exportJson, exportPcapng, importCapture, importJson, type P9Event, type TraceEvent } from '../../sim/trace/index.ts';
import { haveReal, REAL } from '../support/real-components.ts';

const PRESETS = fileURLToPath(new URL('../../public/presets/', import.meta.url));
const files = readdirSync(PRESETS).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
const dir = mkdtempSync(join(tmpdir(), 'virtfs-lab-presets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const traces = files.map((f) => {
  const outcome = new ScenarioRun(parseScenario(readFileSync(join(PRESETS, f), 'utf8'))).runAll();
  return { file: f, events: outcome.trace as readonly TraceEvent[] };
});

describe('preset traces through the exporters', () => {
  it('there are presets, and most talk 9P', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(traces.filter((t) => t.events.some((e) => e.kind === 'p9')).length).toBeGreaterThan(files.length / 2);
  });

  it('JSON: export → import → export is byte-identical for every preset', () => {
    for (const t of traces) {
      const text = exportJson(t.events, { preset: t.file });
      const doc = importJson(text);
      expect(exportJson(doc.events, doc.meta), t.file).toBe(text);
    }
  });

  // All presets in one capture, each preset's 9P session on its own stream, one second apart.
  // Deliberately malformed messages (a raw guest's garbage) are left out: tshark rightly flags them.
  const merged: TraceEvent[] = [];
  traces.forEach((t, i) => {
    for (const e of t.events) if (e.kind === 'p9' && !e.decodeError) merged.push({ ...e, channel: t.file, t: i * 1e9 + e.t - (t.events[0]?.t ?? 0) });
  });
  const pcap = exportPcapng(merged);

  it('importCapture reads every session back, message for message', () => {
    const back = importCapture(pcap).events;
    expect(back.map((e) => Buffer.from(e.bytes).toString('hex'))).toEqual(merged.map((e) => Buffer.from((e as P9Event).bytes).toString('hex')));
  });

  it.skipIf(!haveReal(REAL.tshark))('tshark dissects every 9P message of every preset, none malformed', () => {
    const file = join(dir, 'presets.pcapng');
    writeFileSync(file, pcap);
    const rows = execFileSync(REAL.tshark.path, ['-r', file, '-Y', '9p', '-T', 'fields', '-e', 'frame.comment', '-e', '9p.msgtype', '-e', '9p.tag', '-e', '_ws.col.Info'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n').filter(Boolean).map((l) => l.split('\t'));
    const p9 = merged as P9Event[];
    expect(rows.length).toBe(p9.length);
    rows.forEach(([comment, type, tag, info], i) => {
      expect(comment).toBe(`#${p9[i]!.id} ${p9[i]!.msgType}`);
      expect([Number(type), Number(tag)]).toEqual([specByName(p9[i]!.msgType)!.type, p9[i]!.tag]);
      expect(info, `${p9[i]!.channel} #${p9[i]!.id}`).not.toContain('Malformed');
    });
  });
});
