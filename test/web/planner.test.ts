// The page's simulation client: request ids, at most one plan in flight, superseded submissions never
// sent, stale replies dropped (style.md §4.2). The transport here answers when the test says so, so
// every interleaving is deterministic; the real transports (worker, in-page) are covered end to end.
import { describe, expect, it } from 'vitest';
import { LatestPlanner, SimClient, type PlanOutcome, type SimTransport } from '../../web/lib/sim/client.ts';
import type { SimReply, SimRequest } from '../../web/lib/sim/protocol.ts';
import type { PlanOptions, PlanResult } from '../../sim/libvirt/index.ts';

class ManualTransport implements SimTransport {
  readonly where = 'page' as const;
  sent: SimRequest[] = [];
  #listener: ((r: SimReply) => void) | null = null;
  post(req: SimRequest): void { this.sent.push(req); }
  onReply(l: (r: SimReply) => void): void { this.#listener = l; }
  answer(reply: SimReply): void { this.#listener?.(reply); }
  dispose(): void {}
}

const opts: PlanOptions = { era: '0.10.2', variant: 'as-posted', qemuVersion: '7.2' };
const failed = (message: string): PlanResult => ({ ok: false, error: { message }, diagnostics: [], notes: [] });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('LatestPlanner', () => {
  it('sends the first submission, skips the overtaken ones, drops the stale reply, reports only the newest', async () => {
    const t = new ManualTransport();
    const outcomes: PlanOutcome[] = [];
    const planner = new LatestPlanner(new SimClient(t), (o) => outcomes.push(o));
    planner.submit('<a/>', opts);
    planner.submit('<b/>', opts);
    planner.submit('<c/>', opts);
    expect(t.sent.map((r) => (r.kind === 'plan' ? r.xml : r.kind))).toEqual(['<a/>']);

    t.answer({ id: t.sent[0]!.id, kind: 'plan', result: failed('for a') });
    await flush();
    expect(outcomes).toEqual([]);
    expect(planner.dropped).toBe(1);
    expect(t.sent.map((r) => (r.kind === 'plan' ? r.xml : r.kind))).toEqual(['<a/>', '<c/>']);

    t.answer({ id: t.sent[1]!.id, kind: 'plan', result: failed('for c') });
    await flush();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ kind: 'plan', xml: '<c/>', result: { ok: false, error: { message: 'for c' } } });
  });

  it('passes a simulator crash through as an outcome, then keeps planning', async () => {
    const t = new ManualTransport();
    const outcomes: PlanOutcome[] = [];
    const planner = new LatestPlanner(new SimClient(t), (o) => outcomes.push(o));
    planner.submit('<x/>', opts);
    t.answer({ id: t.sent[0]!.id, kind: 'crash', message: 'boom' });
    await flush();
    expect(outcomes).toEqual([{ kind: 'crash', xml: '<x/>', opts, message: 'boom' }]);
    planner.submit('<y/>', { ...opts, era: '9.0' });
    expect(t.sent).toHaveLength(2);
    expect(t.sent[1]).toMatchObject({ kind: 'plan', xml: '<y/>', opts: { era: '9.0' } });
  });

  it('ignores replies with unknown ids and gives every request its own id', async () => {
    const t = new ManualTransport();
    const client = new SimClient(t);
    const p1 = client.request({ kind: 'plan', xml: '<one/>', opts });
    const p2 = client.request({ kind: 'plan', xml: '<two/>', opts });
    expect(new Set(t.sent.map((r) => r.id)).size).toBe(2);
    t.answer({ id: 12345, kind: 'plan', result: failed('nobody asked') });
    t.answer({ id: t.sent[1]!.id, kind: 'plan', result: failed('second') });
    t.answer({ id: t.sent[0]!.id, kind: 'plan', result: failed('first') });
    expect(await p1).toMatchObject({ result: { error: { message: 'first' } } });
    expect(await p2).toMatchObject({ result: { error: { message: 'second' } } });
  });

  it('a broken transport fails every pending request as a crash, with its message', async () => {
    const t = new ManualTransport();
    let fail: ((m: string) => void) | null = null;
    (t as SimTransport).onFailure = (l) => { fail = l; };
    const client = new SimClient(t);
    const p = client.request({ kind: 'plan', xml: '<a/>', opts });
    fail!('the simulation worker failed to start');
    expect(await p).toEqual({ id: t.sent[0]!.id, kind: 'crash', message: 'the simulation worker failed to start' });
  });
});
