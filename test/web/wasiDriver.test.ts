// The scenario driver (web/lib/wasi/driver.ts) over the real in-page handler (web/lib/sim/handle.ts,
// the code the worker runs): the shipped programs come over real HTTP from public/guests, uploads
// survive restarts, and the wall-time watchdog replaces the transport and replays the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { ScenarioDriver, type DriverOutcome } from '../../web/lib/wasi/driver.ts';
import { handleSimRequest } from '../../web/lib/sim/handle.ts';
import type { SimTransport } from '../../web/lib/sim/client.ts';
import type { SimReply, SimRequest } from '../../web/lib/sim/protocol.ts';
import { TRACE_PAGE, type ScenarioSnapshot } from '../../web/lib/sim/scenarioSession.ts';
import { presetInputs } from '../../web/lib/presets/presets.ts';
import { fetchShippedGuests } from '../../web/lib/wasi/shippedGuests.ts';
import { shippedGuestPrograms } from '../../cli/guest-programs.ts';

const PUBLIC = new URL('../../public/', import.meta.url);
const presetJson = readFileSync(new URL('presets/walk--symlink-escape.json', PUBLIC), 'utf8');
const inputs = presetInputs(JSON.parse(presetJson), 'walk--symlink-escape.json');
const spin = new Uint8Array(readFileSync(new URL('../test/wasi/programs/spin.wasm', PUBLIC)));

let server: Server;
let base = '';
const served: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    served.push(req.url ?? '');
    try { res.end(readFileSync(new URL(`.${req.url}`, PUBLIC))); } catch { res.statusCode = 404; res.end(); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/guests/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The worker's handler, called in this realm (what web/lib/sim/transports.ts PageTransport does; that file needs DOM types). */
class PageTransport implements SimTransport {
  readonly where = 'page' as const;
  #listeners: ((r: SimReply) => void)[] = [];
  post(req: SimRequest): void { void handleSimRequest(req).then((r) => { for (const l of this.#listeners) l(r); }); }
  onReply(listener: (r: SimReply) => void): void { this.#listeners.push(listener); }
  dispose(): void { this.#listeners = []; }
}

/** The in-page transport, whose replies to one command line arrive only after `delayMs`: a worker busy that long. */
class SlowFor implements SimTransport {
  readonly where = 'page' as const;
  readonly inner = new PageTransport();
  disposed = false;
  constructor(readonly line: string, readonly delayMs: number) {}
  post(req: SimRequest): void { this.inner.post(req); }
  onReply(listener: (r: SimReply) => void): void {
    const slow = new Set<number>();
    const origPost = this.inner.post.bind(this.inner);
    this.inner.post = (req) => { if (req.kind === 'guest-exec' && req.line === this.line) slow.add(req.id); origPost(req); };
    this.inner.onReply((r) => {
      if (this.disposed) return;
      if (slow.has(r.id)) setTimeout(() => { if (!this.disposed) listener(r); }, this.delayMs);
      else listener(r);
    });
  }
  dispose(): void { this.disposed = true; this.inner.dispose(); }
}

const snap = (o: DriverOutcome): ScenarioSnapshot => {
  if (o.reply.kind !== 'scenario' || !o.reply.result.ok) throw new Error(`not a snapshot: ${JSON.stringify(o.reply).slice(0, 300)}`);
  return o.reply.result.snapshot;
};

describe('fetchShippedGuests', () => {
  it('gives the playground the same /guests entries as `virtfs-lab run` (cli/guest-programs.ts)', async () => {
    expect(await fetchShippedGuests(base)).toEqual(shippedGuestPrograms());
  });
  it('a missing program is a located error, and a later call retries', async () => {
    const missing = `${base.replace(/guests\/$/, '')}nowhere/`;
    await expect(fetchShippedGuests(missing)).rejects.toThrow(/could not load the shipped guest program http:\/\/127\.0\.0\.1:\d+\/nowhere\/\w+\.wasm: HTTP 404/);
    const n = served.length;
    await expect(fetchShippedGuests(missing)).rejects.toThrow('HTTP 404');
    expect(served.length).toBeGreaterThan(n);
  });
});

describe('ScenarioDriver', () => {
  it('opens with the shipped programs fetched over HTTP; ls.wasm runs over proxy; WASI calls are traced', async () => {
    const d = new ScenarioDriver(() => new PageTransport(), { guestsBase: base, budgetMs: 60_000 });
    const s = snap(await d.send({ kind: 'scenario-open', presetJson, inputs }));
    expect(served).toContain('/guests/ls.wasm');
    const r = snap(await d.send({ kind: 'guest-exec', session: s.session, line: 'run /guests/ls.wasm /mnt' }));
    const t = r.terminal.at(-1)!;
    expect(t.exit).toBe(0);
    expect(t.stdout).toContain('hello.txt');
    const opens = r.trace.filter((e) => e.kind === 'guest-call' && e.api === 'wasi' && e.name === 'path_open');
    expect(opens.length).toBeGreaterThan(0);
    // fd_readdir on the mount caused a Treaddir (recorded as caused by the WASI call).
    const byId = new Map(r.trace.map((e) => [e.id, e]));
    const causedByWasi = (e: (typeof r.trace)[number], name: string): boolean => {
      for (let c: number | null | undefined = e.cause; c != null; c = byId.get(c)?.cause) { const p = byId.get(c); if (p?.kind === 'guest-call' && p.api === 'wasi' && p.name === name) return true; }
      return false;
    };
    expect(r.trace.some((e) => e.kind === 'p9' && e.msgType === 'Treaddir' && causedByWasi(e, 'fd_readdir'))).toBe(true);
    // …and down to the helper: proxy frames on the helper's socket caused (through 9P) by WASI calls.
    expect(r.trace.some((e) => e.kind === 'proxy' && causedByWasi(e, 'fd_readdir'))).toBe(true);
    expect(r.trace.some((e) => e.kind === 'proxy' && causedByWasi(e, 'path_filestat_get'))).toBe(true);
    d.dispose();
  });

  it('a command that records more than a page of trace arrives in pages; the page holds the whole trace, in order', async () => {
    const posted: string[] = [];
    class Counting extends PageTransport { override post(req: SimRequest): void { posted.push(req.kind); super.post(req); } }
    const d = new ScenarioDriver(() => new Counting(), { guestsBase: base, budgetMs: 60_000 });
    const s = snap(await d.send({ kind: 'scenario-open', presetJson, inputs }));
    const line = Array.from({ length: 400 }, () => 'stat /mnt/hello.txt').join('; ');
    const r = snap(await d.send({ kind: 'guest-exec', session: s.session, line }));
    expect(r.traceTotal).toBe(r.trace.length);
    expect(r.trace.length).toBeGreaterThan(TRACE_PAGE + s.trace.length);
    expect(r.trace.map((e) => e.id)).toEqual(Array.from({ length: r.trace.length }, (_, i) => i + 1));
    expect(posted.filter((k) => k === 'trace-page').length).toBe(Math.ceil((r.trace.length - s.trace.length) / TRACE_PAGE) - 1);
    // The next reply goes on from there (only its own new events travel).
    const next = snap(await d.send({ kind: 'guest-exec', session: s.session, line: 'ls /mnt' }));
    expect(next.trace.slice(0, r.trace.length)).toEqual(r.trace);
    expect(next.trace.length).toBeGreaterThan(r.trace.length);
    d.dispose();
  });

  it("the journal is the session a link carries: a restart keeps only the edits and uploads before it", async () => {
    const d = new ScenarioDriver(() => new PageTransport(), { guestsBase: base, budgetMs: 60_000 });
    const s = snap(await d.send({ kind: 'scenario-open', presetJson, inputs }));
    await d.send({ kind: 'scenario-step', session: s.session });
    await d.send({ kind: 'host-edit', session: s.session, edit: { op: 'mkdir', path: '/srv/export/d' } });
    await d.send({ kind: 'guest-exec', session: s.session, line: 'ls /mnt' });
    await d.send({ kind: 'host-read', session: s.session, path: '/srv/export/hello.txt' }); // a look: not journaled
    expect(d.actions.map((c) => c.kind)).toEqual(['scenario-step', 'host-edit', 'guest-exec']);
    const r = snap(await d.send({ kind: 'scenario-restart', session: s.session }));
    expect(d.actions.map((c) => c.kind)).toEqual(['host-edit', 'scenario-restart']);
    await d.send({ kind: 'guest-exec', session: r.session, line: 'ls /mnt' });
    expect(d.actions.map((c) => c.kind)).toEqual(['host-edit', 'scenario-restart', 'guest-exec']);
    // A refused command is not part of the session.
    await d.send({ kind: 'host-edit', session: r.session, edit: { op: 'mkdir', path: '/srv/export/d' } });
    expect(d.actions).toHaveLength(3);
    d.dispose();
  });

  it('an upload is runnable, and is still there after a restart and after a new open', async () => {
    const d = new ScenarioDriver(() => new PageTransport(), { guestsBase: base, budgetMs: 60_000 });
    let s = snap(await d.send({ kind: 'scenario-open', presetJson, inputs }));
    s = snap(await d.send({ kind: 'guest-upload', session: s.session, name: 'spin.wasm', bytes: spin }));
    s = snap(await d.send({ kind: 'guest-exec', session: s.session, line: 'run /guests/spin.wasm' }));
    expect(s.terminal.at(-1)!.exit).toBe(152);
    expect(s.terminal.at(-1)!.stderr).toContain('stopped: CPU limit');
    s = snap(await d.send({ kind: 'scenario-restart', session: s.session }));
    expect(s.terminal).toEqual([]);
    s = snap(await d.send({ kind: 'guest-exec', session: s.session, line: 'ls -l /guests/spin.wasm' }));
    expect(s.terminal.at(-1)!.stdout).toMatch(/^-rwxr-xr-x 1 root root 258 /);
    s = snap(await d.send({ kind: 'scenario-open', presetJson, inputs }));
    s = snap(await d.send({ kind: 'guest-exec', session: s.session, line: 'ls /guests' }));
    expect(s.terminal.at(-1)!.stdout).toContain('spin.wasm');
    d.dispose();
  });

  it('a bad upload is refused by the worker too, and the session goes on', async () => {
    const d = new ScenarioDriver(() => new PageTransport(), { guestsBase: base, budgetMs: 60_000 });
    const s = snap(await d.send({ kind: 'scenario-open', presetJson, inputs }));
    const bad = await d.send({ kind: 'guest-upload', session: s.session, name: 'x.wasm', bytes: new TextEncoder().encode('#!/bin/sh\n') });
    expect(bad.reply.kind === 'scenario' && !bad.reply.result.ok && bad.reply.result.message).toContain('not a WebAssembly module');
    expect(snap(await d.send({ kind: 'guest-exec', session: s.session, line: 'ls /guests' })).terminal.at(-1)!.stdout).not.toContain('x.wasm');
    d.dispose();
  });

  it('past the wall-time budget: the transport is replaced and the journal replayed to the same state', async () => {
    const made: SlowFor[] = [];
    const d = new ScenarioDriver(() => { const t = new SlowFor('cat /mnt/hello.txt', 5000); made.push(t); return t; }, { guestsBase: base, budgetMs: 300 });
    let s = snap(await d.send({ kind: 'scenario-open', presetJson, inputs }));
    s = snap(await d.send({ kind: 'scenario-step', session: s.session }));
    s = snap(await d.send({ kind: 'guest-upload', session: s.session, name: 'spin.wasm', bytes: spin }));
    const before = snap(await d.send({ kind: 'guest-exec', session: s.session, line: 'ls /mnt' }));
    const out = await d.send({ kind: 'guest-exec', session: before.session, line: 'cat /mnt/hello.txt' });
    expect(out.stopped).toContain('`cat /mnt/hello.txt` was still running after 0.3 s');
    expect(out.stopped).toContain('replaying its 4 earlier actions');
    expect(made).toHaveLength(2);
    expect(made[0]!.disposed).toBe(true);
    expect(d.stops).toBe(1);
    const after = snap(out);
    // Deterministic replay: the same results, terminal and trace as before the stopped command.
    expect(after.session).not.toBe(before.session);
    expect(after.results).toEqual(before.results);
    // In a browser each worker is a fresh realm; here both transports share one, and sim/host's
    // UnixSocket.nextId is a static counter, so socket ids in the trace differ by a constant
    // (reported: a replay in the same realm is not byte-identical). Everything else is equal.
    const socketIds = (t: unknown) => JSON.parse(JSON.stringify(t, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)).replace(/socket:\[\d+\]/g, 'socket:[N]'));
    expect(socketIds(after.trace)).toEqual(socketIds(before.trace));
    expect(after.trace.length).toBe(before.trace.length);
    expect(after.terminal.slice(0, -1)).toEqual(before.terminal);
    expect(after.terminal.at(-1)).toMatchObject({ command: 'cat /mnt/hello.txt', exit: null });
    expect(after.terminal.at(-1)!.stderr).toContain('stopped after 0.3 s of wall time');
    // The session goes on in the new transport; the stopped line keeps its place in the terminal.
    const next = snap(await d.send({ kind: 'guest-exec', session: after.session, line: 'run /guests/spin.wasm' }));
    expect(next.terminal.map((t) => t.command)).toEqual(['ls /mnt', 'cat /mnt/hello.txt', 'run /guests/spin.wasm']);
    expect(next.terminal.at(-1)!.exit).toBe(152);
    d.dispose();
  });
});
