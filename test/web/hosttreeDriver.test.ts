// Host edits through the scenario driver (web/lib/wasi/driver.ts) over the real in-page handler
// (web/lib/sim/handle.ts, the worker's code): kept across a restart, and replayed when the watchdog
// replaces a stuck worker — the host comes back with the same edits, in the same order.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ScenarioDriver, type DriverOutcome } from '../../web/lib/wasi/driver.ts';
import { handleSimRequest } from '../../web/lib/sim/handle.ts';
import type { SimTransport } from '../../web/lib/sim/client.ts';
import type { SimReply, SimRequest } from '../../web/lib/sim/protocol.ts';
import type { ScenarioSnapshot } from '../../web/lib/sim/scenarioSession.ts';
import { presetInputs } from '../../web/lib/presets/presets.ts';

const presetJson = readFileSync(new URL('../../public/presets/walk--symlink-escape.json', import.meta.url), 'utf8');
const inputs = presetInputs(JSON.parse(presetJson), 'walk--symlink-escape.json');
const enc = (s: string) => new TextEncoder().encode(s);

/** The handler in this realm; replies to guest command `slow` arrive only after 5 s (a busy worker). */
class Transport implements SimTransport {
  readonly where = 'page' as const;
  #listeners: ((r: SimReply) => void)[] = [];
  constructor(readonly slow: string) {}
  post(req: SimRequest): void {
    const delay = req.kind === 'guest-exec' && req.line === this.slow ? 5000 : 0;
    void handleSimRequest(req).then((r) => setTimeout(() => { for (const l of this.#listeners) l(r); }, delay));
  }
  onReply(listener: (r: SimReply) => void): void { this.#listeners.push(listener); }
  dispose(): void { this.#listeners = []; }
}

function snap(o: DriverOutcome): ScenarioSnapshot {
  if (o.reply.kind !== 'scenario' || !o.reply.result.ok) throw new Error(JSON.stringify(o.reply).slice(0, 300));
  return o.reply.result.snapshot;
}
const hostFile = (s: ScenarioSnapshot, p: string) => s.host.find((n) => n.path === p);

describe('host edits through the driver', () => {
  it('survive a restart and a watchdog replay; host-read returns the bytes', async () => {
    const d = new ScenarioDriver(() => new Transport('cat /mnt/notes.txt'), { budgetMs: 300 });
    let s = snap(await d.send({ kind: 'scenario-open', presetJson, inputs }));
    s = snap(await d.send({ kind: 'host-edit', session: s.session, edit: { op: 'write', path: '/srv/export/notes.txt', content: enc('note\n') } }));
    s = snap(await d.send({ kind: 'scenario-restart', session: s.session }));
    expect(hostFile(s, 'srv/export/notes.txt')).toMatchObject({ size: 5 });
    s = snap(await d.send({ kind: 'host-edit', session: s.session, edit: { op: 'mkdir', path: '/srv/export/sub' } }));
    const refused = await d.send({ kind: 'host-edit', session: s.session, edit: { op: 'mkdir', path: '/srv/export/sub' } });
    expect(refused.reply).toMatchObject({ kind: 'scenario', result: { ok: false, message: 'mkdir /srv/export/sub: mkdir: EEXIST (File exists)' } });
    const out = await d.send({ kind: 'guest-exec', session: s.session, line: 'cat /mnt/notes.txt' });
    expect(out.stopped).toContain('replaying its 4 earlier actions');
    const after = snap(out);
    expect(hostFile(after, 'srv/export/notes.txt')).toMatchObject({ size: 5, mode: 0o644 });
    expect(hostFile(after, 'srv/export/sub')).toMatchObject({ type: 'dir', mode: 0o755 });
    const read = await d.send({ kind: 'host-read', session: after.session, path: '/srv/export/notes.txt' });
    expect(read.reply).toMatchObject({ kind: 'host-file', result: { ok: true, bytes: enc('note\n') } });
    // The guest sees the edit through the proxy helper.
    const cat = snap(await d.send({ kind: 'guest-exec', session: after.session, line: 'ls /mnt' }));
    expect(cat.terminal.at(-1)!.stdout).toContain('notes.txt');
    d.dispose();
  });
});
