// Golden tests: the model's verdicts for QEMU 7.2 must equal what Debian's qemu-system-x86_64 7.2.22
// printed (fixtures/qemu-7.2/*, recorded from the real program; never edited).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkQemuCommandLine, hostFromTable, runQemuCommandLine, QemuNotModelledError, type Peer } from '../../sim/qemu/options/index.ts';

const FIX = '/work/shared/fixtures/qemu-7.2';

interface ProbeCase { name: string; setup: string; argv: string[]; outcome: string; returncode: number; stderr: string }
const probe = JSON.parse(readFileSync(`${FIX}/fsdev-probe.json`, 'utf8')) as { cases: ProbeCase[] };

/** The probe's setups name the peer QEMU met (fsdev-probe.json `about`). */
const PEER_OF_SETUP: Record<string, Peer> = {
  helper: 'helper', relay: 'relay', socket_helper: 'socket_helper', none: 'none',
  regular_file_fd: 'regular_file_fd', fake_enoent: 'fake_enoent', fake_silent: 'fake_silent',
};

describe('fixtures/qemu-7.2/fsdev-probe.json: every case', () => {
  it('has the cases this test expects', () => {
    expect(probe.cases.length).toBe(28);
    for (const c of probe.cases) expect(PEER_OF_SETUP[c.setup], c.setup).toBeDefined();
  });
  for (const c of probe.cases) {
    it(`${c.name} (${c.setup}) → ${c.outcome}`, () => {
      const got = runQemuCommandLine(c.argv.slice(1), { version: '7.2', peer: PEER_OF_SETUP[c.setup] });
      expect(got.stderr).toBe(c.stderr);
      if (c.outcome === 'started') {
        expect([got.starts, got.exitCode]).toEqual([true, null]);
      } else if (c.outcome === 'hung') {
        expect([got.starts, got.exitCode, got.hung]).toEqual([false, null, true]);
      } else {
        const m = /^exit\((\d+)\)$/.exec(c.outcome);
        expect(m, c.outcome).not.toBeNull();
        expect([got.starts, got.exitCode]).toEqual([false, Number(m![1])]);
        expect(c.returncode).toBe(Number(m![1]));
      }
    });
  }
});

/** `$ cmd…` / output lines / `[exit N]` blocks; the commands are plain space-separated words. */
function parseMatrix(text: string): { args: string[]; stderr: string; exit: number }[] {
  const out: { args: string[]; stderr: string; exit: number }[] = [];
  for (const block of text.split(/\n(?=\$ )/)) {
    const lines = block.trimEnd().split('\n');
    const cmd = lines[0]!.replace(/^\$ /, '').split(' ');
    expect(cmd[0]).toBe('qemu-system-x86_64');
    const last = lines[lines.length - 1]!;
    const m = /^\[exit (\d+)\]$/.exec(last);
    expect(m, last).not.toBeNull();
    const body = lines.slice(1, -1).filter((l) => l !== 'qemu-system-x86_64: (accepted: still running after 3 s, killed by timeout)');
    out.push({ args: cmd.slice(1), stderr: body.map((l) => `${l}\n`).join(''), exit: Number(m![1]) });
  }
  return out;
}

describe('fixtures/qemu-7.2/fsdev-error-matrix.txt: every case', () => {
  const cases = parseMatrix(readFileSync(`${FIX}/fsdev-error-matrix.txt`, 'utf8'));
  // The matrix ran without a helper; /srv/export existed, /nonexistent/dir did not.
  const host = hostFromTable({ '/srv/export': 'dir' });
  it('has the cases this test expects', () => expect(cases.length).toBe(18));
  for (const c of cases) {
    it(c.args.join(' '), () => {
      const got = checkQemuCommandLine(c.args, { version: '7.2', peer: 'none', host });
      expect(got.stderr).toBe(c.stderr);
      if (c.exit === 124) expect([got.starts, got.exitCode]).toEqual([true, null]);
      else expect([got.starts, got.exitCode]).toEqual([false, c.exit]);
    });
  }
});

describe('fixtures/qemu-7.2/fsdev-help.txt', () => {
  const text = readFileSync(`${FIX}/fsdev-help.txt`, 'utf8');
  const blocks = text.split(/\n\n\n(?=\$ )/).map((b) => {
    const [cmd, rc, ...rest] = b.split('\n');
    return { args: cmd!.replace(/^\$ /, '').split(' ').slice(1), rc: Number(/\(rc=(\d+)\)/.exec(rc!)![1]), output: `${rest.join('\n').replace(/\n+$/, '')}\n` };
  });
  it('has the blocks this test expects', () => expect(blocks.length).toBe(7));
  for (const b of blocks) {
    it(b.args.join(' '), () => {
      if (b.args.includes('help') && b.args[b.args.length - 2] === '-device') {
        // `-device help` lists every device model (the fixture keeps only the 9p lines): not modelled.
        expect(() => runQemuCommandLine(b.args, { version: '7.2' })).toThrow(QemuNotModelledError);
        return;
      }
      const got = runQemuCommandLine(b.args, { version: '7.2' });
      expect(got.stdout + got.stderr).toBe(b.output);
      expect(got.starts).toBe(false);
      expect(got.exitCode).toBe(b.rc);
    });
  }
});
