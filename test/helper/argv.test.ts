// The helper's command line against the recorded `cli` session (real-helper.md §4) and glibc getopt
// semantics. Cases whose outcome depends on the kernel (lstat of -p, socket setup) are replayed with a
// simulated host in test/conformance.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHelperArgv } from '../../sim/helper/argv.ts';
import { atoi, getoptLong } from '../../sim/helper/getopt.ts';
import { usageText } from '../../sim/helper/messages.ts';
import type { Suite } from '../../sim/helper/conformance/suite.ts';

const suite = JSON.parse(readFileSync('/work/shared/vectors/proxy-conformance-public.json', 'utf8')) as Suite;
const cli = suite.sessions.find((s) => s.kind === 'cli')!;
const PROG = '/usr/lib/qemu/virtfs-proxy-helper';

describe('recorded cli runs that fail before touching the filesystem', () => {
  const early = cli.cli_runs!.filter((r) => r.returncode !== 0 && !/invalid path|not directory/.test(r.stderr));
  it('covers the usage/validation cases of the suite', () => expect(early.length).toBeGreaterThanOrEqual(7));
  for (const run of early) {
    it(`${run.argv.slice(1).join(' ') || '(no args)'} → ${run.returncode}`, () => {
      const r = parseHelperArgv(run.argv);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.status).toBe(run.returncode);
      expect(r.stderr).toBe(run.stderr);
    });
  }
});

describe('getopt_long semantics (glibc 2.36)', () => {
  it('invalid short option and unrecognized long option texts (real-helper.md §4)', () => {
    expect(parseHelperArgv([PROG, '-V'])).toEqual({ ok: false, status: 1, stderr: `${PROG}: invalid option -- 'V'\n` + usageText('virtfs-proxy-helper') });
    expect(parseHelperArgv([PROG, '--version'])).toMatchObject({ status: 1, stderr: expect.stringMatching(/^\/usr\/lib\/qemu\/virtfs-proxy-helper: unrecognized option '--version'\n/) });
  });
  it('missing arguments', () => {
    expect(parseHelperArgv([PROG, '-n', '-p'])).toMatchObject({ status: 1, stderr: expect.stringMatching(/^.*: option requires an argument -- 'p'\n/) });
    expect(parseHelperArgv([PROG, '--path'])).toMatchObject({ status: 1, stderr: expect.stringMatching(/: option '--path' requires an argument\n/) });
    expect(parseHelperArgv([PROG, '--nodaemon=1'])).toMatchObject({ status: 1, stderr: expect.stringMatching(/: option '--nodaemon' doesn't allow an argument\n/) });
  });
  it('clusters, attached arguments, --opt=value, unique prefixes and permutation', () => {
    const r = parseHelperArgv([PROG, 'operand', '-np/export', '--so=/tmp/s', '--u', '1000', '--gid=1000']);
    expect(r).toMatchObject({ ok: true, options: { path: '/export', nodaemon: true, socket: '/tmp/s', uid: 1000, gid: 1000, fd: -1 } });
    expect(parseHelperArgv([PROG, '-p', '/e', '--', '-f', '3'])).toMatchObject({ ok: false, status: 255 });
  });
  it('-h and -? print usage and exit 1 (no help exit 0, §11.1)', () => {
    expect(parseHelperArgv([PROG, '-?'])).toEqual({ ok: false, status: 1, stderr: usageText('virtfs-proxy-helper') });
    expect(parseHelperArgv([PROG, '-p', '/e', '-f', '3', '-h'])).toMatchObject({ status: 1 });
  });
  it('-f -1 counts as not given; -f abc is fd 0 (§11.2)', () => {
    expect(parseHelperArgv([PROG, '-p', '/e', '-f', '-1'])).toMatchObject({ ok: false, status: 255 });
    expect(parseHelperArgv([PROG, '-p', '/e', '-f', 'abc'])).toMatchObject({ ok: true, options: { fd: 0 } });
  });
  it('1.x usage printed argv[0] instead of its basename', () => {
    expect(parseHelperArgv(['./x/helper', '-h'], { basenameInUsage: false })).toMatchObject({ stderr: usageText('./x/helper') });
  });
  it('yields events in argv order', () => {
    expect([...getoptLong(['p', '-nf', '3', '-x'], 'nf:', [])]).toEqual([
      { kind: 'option', opt: 'n' }, { kind: 'option', opt: 'f', arg: '3' }, { kind: 'error', message: "p: invalid option -- 'x'\n" },
    ]);
  });
});

describe('atoi', () => {
  it('behaves like (int)strtol', () => {
    expect(atoi('3')).toBe(3);
    expect(atoi('  -12x')).toBe(-12);
    expect(atoi('abc')).toBe(0);
    expect(atoi('4294967296')).toBe(0);
    expect(atoi('99999999999999999999')).toBe(-1);
    expect(atoi('+7')).toBe(7);
  });
});
