// A guest syscall whose 9P request parks behind a frozen proxy helper (scenarios.md
// dos/fifo-open-freezes-helper) is parked, then restarted when the reply is in: the restarted
// syscall consumes the recorded replies, so no 9P request is sent twice.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/validate.ts';
import { applyCell, ScenarioRun } from '../../sim/scenario/run.ts';
import type { TraceEvent } from '../../sim/trace/index.ts';

describe('syscall restart after a parked 9P request', () => {
  it('ls /mnt waits on the proxy mutex, then completes with each request sent once', () => {
    const s = parseScenario(readFileSync('public/presets/dos--fifo-open-freezes-helper.json', 'utf8'));
    const run = new ScenarioRun(applyCell(s, s.matrix!.find((c) => c.label === 'P post-fix (QEMU 7.2)')!));
    run.runTo(3);
    // Both the raw Tlopen and the shell's ls are parked while the helper sits in open() of the FIFO.
    expect(run.scheduler!.blocked.map((b) => b.index)).toEqual([2, 3]);
    const r = run.runAll();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.results[3]).toMatchObject({ exit: 0, stdout: 'hello.txt\np\npub\n' });
    const ev = r.trace;
    const exec = ev.find((e) => e.kind === 'guest-call' && e.name === 'execve')!;
    const byId = new Map(ev.map((e) => [e.id, e] as const));
    const under = (e: TraceEvent) => { for (let c = e.cause; c !== null; c = byId.get(c)?.cause ?? null) if (c === exec.id) return true; return false; };
    const reqs = ev.filter((e) => e.kind === 'p9' && e.direction === 'request' && under(e)).map((e) => (e.kind === 'p9' ? e.msgType : ''));
    // opendir + getdents: clone, Tlopen, Treaddir until empty, Tclunk — the parked clone is not re-sent.
    expect(reqs).toEqual(['Twalk', 'Tlopen', 'Treaddir', 'Treaddir', 'Tclunk']);
  });
});
