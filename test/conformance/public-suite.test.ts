// The recorded public suite (vectors/proxy-conformance-public.json, QEMU 7.2.22 helper) replayed
// against the simulated helper: every non-quirk step must pass, with fs_dependent fields compared
// (the simulator models ext4 and tmpfs) and with them masked; the quirk sessions pass too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replaySuite } from '../../sim/helper/conformance/replay.ts';
import { compareStep, fromHex } from '../../sim/helper/conformance/compare.ts';
import { validateSuite, SuiteFormatError, type Suite } from '../../sim/helper/conformance/suite.ts';
import { main } from '../../cli/main.ts';

const PUBLIC = '/work/shared/vectors/proxy-conformance-public.json';
const suite = validateSuite(JSON.parse(readFileSync(PUBLIC, 'utf8'))) as Suite;
const wireSteps = suite.sessions.filter((s) => (s.kind ?? 'wire') === 'wire').reduce((n, s) => n + s.steps.length, 0);
const cliRuns = suite.sessions.filter((s) => s.kind === 'cli').reduce((n, s) => n + (s.cli_runs?.length ?? 0), 0);
const quirkSteps = suite.sessions.reduce((n, s) => n + s.steps.filter((st) => s.quirk !== undefined || st.quirk !== undefined).length, 0);

describe('public conformance suite', () => {
  it('has the documented shape (393 wire steps)', () => {
    expect(wireSteps).toBe(393);
  });

  it('passes 100 % of non-quirk steps with fs_dependent fields compared', () => {
    const r = replaySuite(suite);
    const failed = r.outcomes.filter((o) => o.status === 'failed');
    expect(failed).toEqual([]);
    expect(r.passed).toBe(wireSteps + cliRuns - quirkSteps);
    expect(r.skipped).toBe(quirkSteps);
  });

  it('passes under fs_dependent masks as well', () => {
    const r = replaySuite(suite, { maskFsDependent: true });
    expect(r.failed).toBe(0);
  });

  it('reproduces the quirk sessions (cap quirk SIGABRT, FIFO blocking, daemon mode) byte for byte', () => {
    const r = replaySuite(suite, { includeQuirks: true });
    expect(r.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    expect(r.passed).toBe(wireSteps + cliRuns);
    // and every session's `end`: exit status after close, total stderr (PID/time normalised), the
    // daemon's syslog messages with their <26> priority and the parent's exit 0
    expect(r.ends.filter((e) => !e.ok)).toEqual([]);
    expect(r.ends).toHaveLength(suite.sessions.filter((s) => (s.kind ?? 'wire') === 'wire').length);
  });

  it('detects a wrong reply and names the first differing field', () => {
    const basic = suite.sessions.find((s) => s.id === 'basic_fd')!;
    const mutated: Suite = JSON.parse(JSON.stringify({ ...suite, sessions: [basic] }));
    const step = mutated.sessions[0]!.steps.find((s) => s.id === 'lstat_file')!;
    // flip the st_uid byte (offset 8 + 28)
    const b = fromHex(step.response_hex);
    b[36] ^= 1;
    step.response_hex = Buffer.from(b).toString('hex');
    const r = replaySuite(mutated);
    expect(r.failed).toBe(1);
    expect(r.outcomes.find((o) => o.status === 'failed')).toMatchObject({ id: 'lstat_file', field: 'st_uid' });
  });

  it('compares unordered xattr lists as multisets and masks volatile fields only', () => {
    const st = suite.sessions.find((s) => s.id === 'basic_fd')!.steps.find((s) => s.id === 'llistxattr_after_set')!;
    const names = ['user.empty', 'user.short', 'user.test', 'user.new'].map((n) => Buffer.from(n + '\0'));
    const body = Buffer.concat(names);
    const reordered = Buffer.concat([fromHex(st.response_hex).subarray(0, 10), body]);
    const act = { reader: 'framed' as const, response: new Uint8Array(reordered), recvStatus: null, fdReceived: false, helperAlive: true };
    expect(compareStep(st, act, { maskFsDependent: false }).pass).toBe(true);
    reordered[12] ^= 0x20;
    expect(compareStep(st, { ...act, response: new Uint8Array(reordered) }, { maskFsDependent: false })).toMatchObject({ pass: false, field: 'xattr_names' });
  });

  it('reports format errors with a JSON pointer', () => {
    expect(() => validateSuite({ format: 'proxy-conformance/1', sessions: [{ id: 'x', helper_argv: [], export_root: {}, tree: [], steps: [{ id: 's', request_hex: 'zz', response_hex: '', reader: 'fd' }] }] }))
      .toThrow(SuiteFormatError);
    try {
      validateSuite({ format: 'proxy-conformance/1', sessions: [{ id: 'x', helper_argv: [], export_root: {}, tree: [], steps: [{ id: 's', request_hex: 'zz', response_hex: '', reader: 'fd' }] }] });
    } catch (e) {
      expect((e as SuiteFormatError).data.pointer).toBe('/sessions/0/steps/0/request_hex');
    }
  });
});

describe('virtfs-lab conformance (CLI)', () => {
  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const o = process.stdout.write.bind(process.stdout);
    const e = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => { out.push(s); return true; }) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => { err.push(s); return true; }) as typeof process.stderr.write;
    try {
      return { code: await main(['conformance', ...args]), out: out.join(''), err: err.join('') };
    } finally {
      process.stdout.write = o;
      process.stderr.write = e;
    }
  }

  it('prints N passed, N failed and exits 0 on the public suite', async () => {
    const r = await run([PUBLIC]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${wireSteps + cliRuns - quirkSteps} passed, 0 failed`, 'm'));
  });

  it('--json --include-quirks', async () => {
    const r = await run([PUBLIC, '--json', '--include-quirks']);
    expect(JSON.parse(r.out)).toEqual({ passed: wireSteps + cliRuns, failed: 0, skipped: 0, failures: [] });
  });

  it('exits 1 with one line per failing step', async () => {
    const bad: Suite = JSON.parse(readFileSync(PUBLIC, 'utf8'));
    bad.sessions = bad.sessions.filter((s) => s.id === 'tmpfs');
    bad.sessions[0]!.steps[0]!.response_hex = '00000000080000000100000000000000';
    const path = `${process.env.TMPDIR ?? '/tmp'}/vlab-bad-suite-${process.pid}.json`;
    (await import('node:fs')).writeFileSync(path, JSON.stringify(bad));
    const r = await run([path, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.failed).toBe(1);
    expect(j.failures[0]).toMatchObject({ id: 'tmpfs/getversion_file', field: 'generation', expected: '00000000080000000100000000000000', actual: '00000000080000000000000000000000' });
    (await import('node:fs')).unlinkSync(path);
  });

  it('rejects bad input with a location and status 2', async () => {
    const path = `${process.env.TMPDIR ?? '/tmp'}/vlab-badjson-${process.pid}.json`;
    (await import('node:fs')).writeFileSync(path, '{\n  "format": "proxy-conformance/1",\n  "sessions": [,]\n}');
    const r = await run([path]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/:3:\d+: /);
    (await import('node:fs')).unlinkSync(path);
    expect((await run([])).code).toBe(2);
    expect((await run(['--bogus'])).err).toMatch(/unknown option '--bogus'/);
  });
});

describe('any suite in the format (robustness)', () => {
  const basicFd = suite.sessions.find((s) => s.id === 'basic_fd')!;
  it('a session that cannot be set up fails its steps with a reason instead of aborting', () => {
    const broken = JSON.parse(JSON.stringify(basicFd));
    broken.id = 'broken';
    broken.tree = [{ path: 'a/b', type: 'file', mode: 420, uid: 0, gid: 0 }]; // parent never defined
    broken.steps = broken.steps.slice(0, 3);
    const r = replaySuite({ ...suite, sessions: [broken, suite.sessions.find((s) => s.id === 'tmpfs')!] });
    expect(r.outcomes.filter((o) => o.session === 'broken').map((o) => o.status)).toEqual(['failed', 'failed', 'failed']);
    expect(r.outcomes.find((o) => o.session === 'broken')!.reason).toMatch(/replay error: .*parent/);
    expect(r.outcomes.filter((o) => o.session === 'tmpfs').every((o) => o.status === 'passed')).toBe(true);
  });

  it('a cli run expecting "socket already exists" gets a stale socket at its -s path, whatever the name', () => {
    const cli = JSON.parse(JSON.stringify(suite.sessions.find((s) => s.kind === 'cli')!));
    cli.cli_runs = [{ argv: ['/usr/lib/qemu/virtfs-proxy-helper', '-n', '-p', 'EXPORT', '--socket=BASE/stale', '-u', '0', '-g', '0'], returncode: 0, stderr: 'Started\nsocket already exists\nDone\n' }];
    const r = replaySuite({ ...suite, sessions: [cli] });
    expect(r.outcomes).toMatchObject([{ status: 'passed' }]);
  });

  it('wire steps replay over a named socket as well as over fd (basic_socket)', () => {
    const r = replaySuite(suite, { filter: (s) => s.id === 'basic_socket' });
    expect(r.failed).toBe(0);
    expect(r.passed).toBeGreaterThan(150);
  });
});
