// virtfs-lab argv FILE.xml [--era 0.10.2|9.0] [--variant as-posted|corrected]
//                          [--qemu-version V | --qemu-help FILE] [--emulator PATH] [--helper-dir DIR]
//                          [--release 0.10.2|1.0.0|1.2.8] [--host libvirtd|domxml-to-native|xml2argv-test] [--json]
// Domain XML → launch plan (issue 2 §4): socketpairs, helper argv, the whole QEMU command line and
// whether that QEMU starts with it.
//
// Exit status: 0 when libvirt produces a command line AND the simulated QEMU starts with it;
// 1 when libvirt refuses the domain (ok:false) or QEMU would refuse the command line (ok:true with
// verdict.starts false) — a launch that fails is not a success; 2 for usage errors.
import { readFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { formatCommandLine, planLaunch, shellQuote, type Era, type LegacyRelease, type PlanOptions, type Variant } from '../../sim/libvirt/index.ts';
import { qemuVersion as parseQemuVersion, UnknownQemuVersionError } from '../../sim/qemu/versions.ts';

const USAGE = 'usage: virtfs-lab argv FILE.xml [--era 0.10.2|9.0] [--variant as-posted|corrected] '
  + '[--qemu-version V | --qemu-help FILE] [--emulator PATH] [--helper-dir DIR] '
  + '[--release 0.10.2|1.0.0|1.2.8] [--host libvirtd|domxml-to-native|xml2argv-test] [--json]\n';

const ERAS: Era[] = ['0.10.2', '9.0'];
const VARIANTS: Variant[] = ['as-posted', 'corrected'];
const RELEASES: LegacyRelease[] = ['0.10.2', '1.0.0', '1.2.8'];
const HOSTS: NonNullable<PlanOptions['host']>[] = ['libvirtd', 'domxml-to-native', 'xml2argv-test'];

function usageError(msg: string): number {
  process.stderr.write(`virtfs-lab argv: ${msg}\n${USAGE}`);
  return 2;
}

export const command: Command = async (argv) => {
  let file: string | undefined;
  let era: Era = '0.10.2';
  let variant: Variant = 'as-posted';
  let json = false;
  let qemuVersion: string | undefined;
  let qemuHelpFile: string | undefined;
  let emulator: string | undefined;
  let helperDir: string | undefined;
  let legacyRelease: LegacyRelease | undefined;
  let host: PlanOptions['host'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') { json = true; continue; }
    if (a === '--help' || a === '-h') { process.stdout.write(USAGE); return 0; }
    if (a.startsWith('--')) {
      const val = argv[++i];
      if (val === undefined) return usageError(`${a} needs a value`);
      switch (a) {
        case '--era':
          if (!(ERAS as string[]).includes(val)) return usageError(`unknown era '${val}' (argument ${i + 1}); expected ${ERAS.join(' or ')}`);
          era = val as Era; break;
        case '--variant':
          if (!(VARIANTS as string[]).includes(val)) return usageError(`unknown variant '${val}' (argument ${i + 1}); expected ${VARIANTS.join(' or ')}`);
          variant = val as Variant; break;
        case '--qemu-version': qemuVersion = val; break;
        case '--qemu-help': qemuHelpFile = val; break;
        case '--emulator': emulator = val; break;
        case '--helper-dir': helperDir = val; break;
        case '--release':
          if (!(RELEASES as string[]).includes(val)) return usageError(`unknown release '${val}' (argument ${i + 1}); expected ${RELEASES.join(', ')}`);
          legacyRelease = val as LegacyRelease; break;
        case '--host':
          if (!(HOSTS as string[]).includes(val)) return usageError(`unknown host '${val}' (argument ${i + 1}); expected ${HOSTS.join(', ')}`);
          host = val as PlanOptions['host']; break;
        default: return usageError(`unknown option '${a}' (argument ${i})`);
      }
      continue;
    }
    if (file !== undefined) return usageError(`unexpected '${a}' (argument ${i + 1}): only one XML file`);
    file = a;
  }
  if (file === undefined) return usageError('FILE.xml is required');
  if (qemuVersion !== undefined && qemuHelpFile !== undefined) return usageError('--qemu-version and --qemu-help exclude each other');
  if (qemuVersion !== undefined) {
    try { parseQemuVersion(qemuVersion); } catch (e) {
      if (e instanceof UnknownQemuVersionError) return usageError(e.message);
      throw e;
    }
  }
  let xml: string;
  let qemuHelp: string | undefined;
  try {
    xml = readFileSync(file, 'utf8');
    if (qemuHelpFile !== undefined) qemuHelp = readFileSync(qemuHelpFile, 'utf8');
  } catch (e) {
    return usageError((e as Error).message);
  }
  const opts: PlanOptions = { era, variant, qemuVersion, qemuHelp, emulator, helperDir, legacyRelease, host };
  let r;
  try {
    r = planLaunch(xml, opts);
  } catch (e) {
    if (e instanceof UnknownQemuVersionError) return usageError(e.message);
    throw e;
  }
  if (!r.ok) {
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: r.error, notes: r.notes, diagnostics: r.diagnostics })}\n`);
    else {
      const at = r.error.line !== undefined ? `${file}:${r.error.line}:${r.error.column}: ` : '';
      process.stderr.write(`${at}error: ${r.error.message}\n`);
      for (const n of r.notes) process.stderr.write(`  [${n.kind}] ${n.text} (${n.source})\n`);
    }
    return 1;
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({
      ok: true, era: r.era, variant: r.variant, qemuVersion: r.qemuVersion, caps: r.caps,
      socketpairs: r.socketpairs, helper: r.helper, helpers: r.helpers, env: r.env, qemu: r.qemu,
      verdict: r.verdict, notes: r.notes, diagnostics: r.diagnostics,
    })}\n`);
  } else {
    const out: string[] = [];
    out.push(`libvirt ${r.era}${r.era === '0.10.2' ? ` + proxy patch v3 (${r.variant})` : ''}, QEMU ${r.qemuVersion}`);
    out.push(`capabilities: ${r.caps.join(' ')}`);
    for (const s of r.socketpairs) out.push(`socketpair for ${s.alias}: helper fd ${s.helperFd}, QEMU fd ${s.qemuFd}`);
    r.helpers.forEach((h, i) => out.push(`helper${r.helpers.length > 1 ? ` ${i}` : ''}: ${h.map(shellQuote).join(' ')}`));
    if (!r.helpers.length) out.push('helper: none');
    out.push('qemu:');
    out.push(formatCommandLine(r.env, r.qemu));
    const v = r.verdict;
    out.push(`verdict: ${v.starts ? 'QEMU starts' : v.exitCode === null ? 'QEMU does not start (signal or hang)' : `QEMU exits with status ${v.exitCode}`}`);
    if (v.stderr) out.push(v.stderr.replace(/\n$/, '').split('\n').map((l) => `  ${l}`).join('\n'));
    for (const d of r.diagnostics) out.push(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    if (r.notes.length) out.push('notes:');
    for (const n of r.notes) out.push(`  [${n.kind}] ${n.text} (${n.source})`);
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return r.verdict.starts ? 0 : 1;
};
