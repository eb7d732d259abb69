// virtfs-lab conformance SUITE.json [--json] [--include-quirks] [--mask-fs-dependent] [--helper-version V]
// Replays a proxy-conformance/1 suite (vectors/FORMAT.md) against the simulated virtfs-proxy-helper.
// Prints one line per failing step (id, first differing field, expected and actual hex), then
// `N passed, N failed`; --json prints {"passed","failed","skipped","failures":[{id,expected,actual,field}]}.
// Exit 0 only if every non-quirk step passes; 1 if any fails; 2 for usage, file or format errors.
import { readFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { replaySuite } from '../../sim/helper/conformance/replay.ts';
import { SuiteFormatError, validateSuite } from '../../sim/helper/conformance/suite.ts';

const USAGE = 'usage: virtfs-lab conformance SUITE.json [--json] [--include-quirks] [--mask-fs-dependent] [--helper-version V]\n';

/**
 * Offset of the first JSON syntax error (Node 20's JSON.parse messages do not always carry one):
 * a small recursive-descent scan over the RFC 8259 grammar.
 */
function jsonErrorOffset(s: string): number {
  let i = 0;
  const ws = () => { while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++; };
  const fail = (): never => { throw i; };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++; ws();
      if (s[i] === '}') { i++; return; }
      for (;;) {
        ws(); if (s[i] !== '"') fail(); str(); ws();
        if (s[i] !== ':') fail(); i++; value(); ws();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === '}') { i++; return; }
        fail();
      }
    } else if (c === '[') {
      i++; ws();
      if (s[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === ']') { i++; return; }
        fail();
      }
    } else if (c === '"') str();
    else if (c !== undefined && /[-0-9]/.test(c)) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i));
      if (!m) fail();
      i += m![0].length;
    } else {
      for (const lit of ['true', 'false', 'null']) if (s.startsWith(lit, i)) { i += lit.length; return; }
      fail();
    }
  };
  const str = (): void => {
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\') i++;
      else if (s.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= s.length) fail();
    i++;
  };
  try {
    value(); ws();
    if (i < s.length) return i;
    return -1;
  } catch (pos) {
    return pos as number;
  }
}

/** "line:col: message" for a JSON syntax error. */
function jsonErrorLocation(text: string, e: Error): string {
  const pos = jsonErrorOffset(text);
  if (pos < 0) return ` ${e.message}`;
  const before = text.slice(0, pos).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}: invalid JSON (${e.message})`;
}

export const command: Command = async (argv) => {
  let file: string | undefined;
  let json = false;
  let includeQuirks = false;
  let maskFsDependent = false;
  let version: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--include-quirks') includeQuirks = true;
    else if (a === '--mask-fs-dependent') maskFsDependent = true;
    else if (a === '--helper-version') {
      version = argv[++i];
      if (!version) { process.stderr.write(`virtfs-lab conformance: --helper-version needs a value\n${USAGE}`); return 2; }
    } else if (a === '--help' || a === '-h') { process.stdout.write(USAGE); return 0; }
    else if (a.startsWith('-')) { process.stderr.write(`virtfs-lab conformance: unknown option '${a}' (argument ${i + 1})\n${USAGE}`); return 2; }
    else if (file === undefined) file = a;
    else { process.stderr.write(`virtfs-lab conformance: unexpected '${a}' (argument ${i + 1}); one suite at a time\n${USAGE}`); return 2; }
  }
  if (!file) { process.stderr.write(`virtfs-lab conformance: no suite given\n${USAGE}`); return 2; }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`virtfs-lab conformance: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  let suite;
  try {
    suite = validateSuite(JSON.parse(text));
  } catch (e) {
    if (e instanceof SuiteFormatError) process.stderr.write(`virtfs-lab conformance: ${file}: ${e.message}\n`);
    else process.stderr.write(`virtfs-lab conformance: ${file}:${jsonErrorLocation(text, e as Error)}\n`);
    return 2;
  }
  const report = replaySuite(suite, { includeQuirks, maskFsDependent, version });
  const failures = report.outcomes.filter((o) => o.status === 'failed');
  if (json) {
    process.stdout.write(`${JSON.stringify({
      passed: report.passed,
      failed: report.failed,
      skipped: report.skipped,
      failures: failures.map((f) => ({ id: `${f.session}/${f.id}`, expected: f.expected ?? '', actual: f.actual ?? '', field: f.field ?? f.reason ?? '' })),
    })}\n`);
  } else {
    for (const f of failures) {
      process.stdout.write(`FAIL ${f.session}/${f.id}: ${f.field ?? f.reason ?? 'mismatch'}\n  expected ${f.expected || '(nothing)'}\n  actual   ${f.actual || '(nothing)'}\n`);
    }
    for (const e of report.ends.filter((x) => !x.ok)) process.stdout.write(`note: ${e.session}: after close: ${e.mismatch}\n`);
    process.stdout.write(`${report.passed} passed, ${report.failed} failed${report.skipped ? ` (${report.skipped} quirk steps skipped)` : ''}\n`);
  }
  return report.failed === 0 ? 0 : 1;
};
