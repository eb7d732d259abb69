// The racer between any two host syscalls (TOCTTOU, scenarios.md race/swap-dir-for-symlink): over
// EVERY placement of the swap inside one guest `cat`, the naive local driver leaks the host file at
// some placement; the hardened driver and the proxy helper never do.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/validate.ts';
import { applyCell, exploreRace, ScenarioRun } from '../../sim/scenario/run.ts';

const s = parseScenario(readFileSync('public/presets/race--swap-dir-for-symlink-shell.json', 'utf8'));
const HOST_PASSWD = 'root:x:0:0:root:/root:/bin/bash\n';

describe('racer placement over every host syscall', () => {
  for (const [driver, qemu, leaks] of [['local', '2.8', true], ['local', '7.2', false], ['proxy', '7.2', false]] as const) {
    it(`${driver} ${qemu}: ${leaks ? 'some placement leaks the host /etc/passwd' : 'no placement reaches the host /etc/passwd'}`, () => {
      const runs = exploreRace(applyCell(s, { label: '', driver, qemu }));
      expect(runs.length).toBeGreaterThan(10);
      const outs = runs.map((r) => r.results[2]!);
      const leaked = runs.filter((r) => r.results[2]!.stdout === HOST_PASSWD).map((r) => r.after);
      expect(leaked.length > 0).toBe(leaks);
      // Before the walk the guest resolves the new symlink itself (its own /etc); after the open, the decoy.
      expect(outs[0]!.stdout).toContain('guest root');
      expect(outs[outs.length - 1]!.stdout).toBe('decoy\n');
    });
  }
});

describe('step, run-to and replay', () => {
  it('steps line by line and replays to the same state', () => {
    const cellScenario = applyCell(s, s.matrix![0]!);
    const run = new ScenarioRun(cellScenario);
    expect(run.ok).toBe(true);
    run.runTo(2);
    expect(run.scheduler!.results[2]).toMatchObject({ exit: 0, stdout: HOST_PASSWD });
    expect(run.step()).toBe(false);
    const again = run.replay();
    const a = again.runAll();
    const b = run.outcome();
    expect(a.ok && b.ok && a.results.map((r) => r.stdout)).toEqual(b.ok && b.results.map((r) => r.stdout));
    expect(again.hostSyscalls).toBe(run.hostSyscalls);
  });
});

describe('trace of a race', () => {
  it("the racer's commands appear as host processes between two syscalls of QEMU's walk and open", () => {
    const run = new ScenarioRun(applyCell(s, s.matrix![0]!));
    const r = run.runAll();
    expect(r.ok).toBe(true);
    const ev = r.trace;
    const note = ev.findIndex((e) => e.kind === 'note' && e.label === 'race:racer-runs');
    const mv = ev.findIndex((e) => e.kind === 'process' && e.action === 'start' && e.comm === 'mv');
    expect(note).toBeGreaterThan(0);
    expect(mv).toBe(note + 1);
    const rename = ev.find((e) => e.kind === 'syscall' && e.name === 'renameat2')!;
    expect(rename.cause).toBe(ev[mv]!.id);
    // QEMU's syscalls before and after the racer (the check and the use).
    const before = ev.slice(0, note).filter((e) => e.kind === 'syscall' && e.lane === 'qemu').pop();
    const after = ev.slice(note).find((e) => e.kind === 'syscall' && e.lane === 'qemu');
    expect(before && before.kind === 'syscall' && before.args.path).toBe('/srv/export///d/passwd');
    // The use after the swap: the same name, now through the racer's symlink — another inode (the
    // host's /etc/passwd), which is the whole TOCTTOU (scenarios.md race/swap-dir-for-symlink).
    if (!before || before.kind !== 'syscall' || !after || after.kind !== 'syscall') throw new Error('no check/use syscalls around the racer');
    expect(after.name).toBe('newfstatat');
    expect(after.args.path).toBe(before.args.path);
    const ino = (e: typeof after) => (e.result as { ino: number }).ino;
    expect(ino(after)).not.toBe(ino(before));
  });
});
