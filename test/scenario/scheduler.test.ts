import { describe, expect, it } from 'vitest';
import { Kernel, unwrap } from '../../sim/host/index.ts';
import { KernelOs } from '../../sim/shell/kernel-os.ts';
import { Shell } from '../../sim/shell/shell.ts';
import { Scheduler } from '../../sim/scenario/scheduler.ts';
import { classifyLine } from '../../sim/scenario/script.ts';

function world() {
  const k = new Kernel({ rootFs: 'ext4' });
  unwrap(k.mkdir(k.init, '/tmp', 0o1777));
  const a = new Shell(new KernelOs(k, k.spawn({ comm: 'bash' }), { machine: 'a' }));
  const b = new Shell(new KernelOs(k, k.spawn({ comm: 'bash' }), { machine: 'b' }));
  return { k, actors: { guest: a, host: b, racer: b } };
}

describe('scheduler', () => {
  it('classifies script lines by actor', () => {
    expect(classifyLine('host: ls /srv', 0)).toEqual({ index: 0, actor: 'host', text: 'ls /srv', background: false });
    expect(classifyLine('racer: host: mv a b', 1)).toMatchObject({ actor: 'racer', text: 'mv a b' });
    expect(classifyLine('9p lopen 2 0 &', 2)).toMatchObject({ actor: 'guest', background: true });
    expect(classifyLine("echo 'oops", 3).syntaxError).toMatch(/unterminated/);
  });

  it('parks a job blocked in a FIFO open and resumes it when another actor opens the writer side', () => {
    const { actors } = world();
    const lines = ['host: mkfifo /tmp/p', 'cat /tmp/p &', 'ls /tmp', 'host: echo hi > /tmp/p'].map(classifyLine);
    const s = new Scheduler(lines, actors);
    s.step(); s.step();
    expect(s.blocked).toEqual([{ index: 1, what: 'fifo-open-reader: /tmp/p' }]);
    s.runAll();
    expect(s.results[1]).toMatchObject({ exit: 0, stdout: 'hi\n', blocked: 'fifo-open-reader: /tmp/p' });
    expect(s.results[2]).toMatchObject({ exit: 0, stdout: 'p\n' });
    expect(s.results[3]).toMatchObject({ exit: 0 });
    expect(s.results[1]!.finishedAt).toBe(4);
  });

  it('defers a line whose terminal is busy with a blocked foreground command', () => {
    const { actors } = world();
    const lines = ['host: mkfifo /tmp/p', 'cat /tmp/p', 'echo after', 'host: echo x > /tmp/p'].map(classifyLine);
    const s = new Scheduler(lines, actors);
    s.runAll();
    const kinds = s.events.map((e) => `${e.kind}:${e.line.index}`);
    expect(kinds).toEqual(['start:0', 'finish:0', 'start:1', 'park:1', 'defer:2', 'start:3', 'finish:3', 'finish:1', 'start:2', 'finish:2']);
    expect(s.results.map((r) => r?.exit)).toEqual([0, 0, 0, 0]);
  });

  it('reports lines that never start because their terminal stayed blocked', () => {
    const { actors } = world();
    const s = new Scheduler(['host: mkfifo /tmp/p', 'cat /tmp/p', 'echo never'].map(classifyLine), actors);
    s.runAll();
    expect(s.results[1]).toMatchObject({ exit: null, blocked: 'fifo-open-reader: /tmp/p' });
    expect(s.results[2]).toMatchObject({ exit: null, blocked: "not started: guest's terminal stayed blocked" });
  });

  it('replays deterministically', () => {
    const run = () => {
      const { actors } = world();
      const s = new Scheduler(['host: mkfifo /tmp/p', 'cat /tmp/p &', 'host: echo hi > /tmp/p', 'ls -l /tmp'].map(classifyLine), actors);
      s.runAll();
      return JSON.stringify(s.results);
    };
    expect(run()).toBe(run());
  });
});
