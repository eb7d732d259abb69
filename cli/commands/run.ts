// virtfs-lab run SCENARIO.json [--cell N|LABEL] [--json] [--trace json|text|mermaid|pcapng --out FILE] [--explore]
// Run a scenario end to end (issue 4 §5): libvirt's launch plan, the host with the scenario's tree,
// helper + QEMU, the guest with the first <filesystem> mounted, the script on the scheduler.
//
// --json prints {"ok":true,"launch":{…},"results":[{"command","exit","stdout","stderr",…}],"trace":[…]}
// or {"ok":false,"error":{"message":…}}. --cell applies one expectation cell of a preset (its driver,
// QEMU version, era, variant) and adds "expect":{"problems":[…]}. --explore runs the scenario once per
// placement of the racer's lines (after host syscall 0, 1, 2, …) and groups the placements by outcome.
// Exit status: 0 when the system launched and the script ran (a failing guest command is part of the
// result, not a failure of run); 1 when libvirt or QEMU refused the launch, the scenario file is
// invalid, or --cell's expectations do not hold; 2 for usage errors.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { ScenarioError } from '../../sim/scenario/errors.ts';
import { parseScenario } from '../../sim/scenario/validate.ts';
import { applyCell, checkResult, checkHost, exploreRace, ScenarioRun } from '../../sim/scenario/run.ts';
import type { MatrixCell, Scenario } from '../../sim/scenario/types.ts';
import { exportJson, exportMermaid, exportPcapng, exportText } from '../../sim/trace/index.ts';
import { shippedGuestPrograms } from '../guest-programs.ts';

const USAGE = 'usage: virtfs-lab run SCENARIO.json [--cell N|LABEL] [--json] [--trace json|text|mermaid|pcapng --out FILE] [--explore]\n';
const FORMATS = ['json', 'text', 'mermaid', 'pcapng'] as const;
type Format = (typeof FORMATS)[number];

function usageError(msg: string): number {
  process.stderr.write(`virtfs-lab run: ${msg}\n${USAGE}`);
  return 2;
}

export const command: Command = async (argv) => {
  let file: string | undefined;
  let json = false;
  let trace: Format | undefined;
  let out: string | undefined;
  let cellArg: string | undefined;
  let explore = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') { json = true; continue; }
    if (a === '--explore') { explore = true; continue; }
    if (a === '--help' || a === '-h') { process.stdout.write(USAGE); return 0; }
    if (a === '--trace' || a === '--out' || a === '--cell') {
      const v = argv[++i];
      if (v === undefined) return usageError(`${a} needs a value`);
      if (a === '--trace') {
        if (!(FORMATS as readonly string[]).includes(v)) return usageError(`unknown trace format '${v}' (argument ${i + 1}); expected ${FORMATS.join('|')}`);
        trace = v as Format;
      } else if (a === '--out') out = v;
      else cellArg = v;
      continue;
    }
    if (a.startsWith('--')) return usageError(`unknown option '${a}' (argument ${i + 1})`);
    if (file !== undefined) return usageError(`unexpected '${a}' (argument ${i + 1}): only one scenario file`);
    file = a;
  }
  if (file === undefined) return usageError('SCENARIO.json is required');
  if (trace && !out) return usageError('--trace needs --out FILE');
  if (out && !trace) return usageError('--out needs --trace FORMAT');

  const fail = (message: string, extra: Record<string, unknown> = {}): number => {
    if (json) process.stdout.write(JSON.stringify({ ok: false, error: { message, ...extra } }, null, 2) + '\n');
    else process.stderr.write(`virtfs-lab run: ${message}\n`);
    return 1;
  };

  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { return fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }
  let scenario: Scenario;
  try {
    scenario = parseScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return fail(`${file}: invalid scenario\n${e.message}`, { issues: e.issues });
    throw e;
  }
  let cell: MatrixCell | undefined;
  if (cellArg !== undefined) {
    const m = scenario.matrix ?? [];
    cell = /^\d+$/.test(cellArg) ? m[Number(cellArg)] : m.find((c) => c.label === cellArg);
    if (!cell) return usageError(`--cell ${cellArg}: no such cell (the scenario has ${m.length}: ${m.map((c, i) => `${i} "${c.label}"`).join(', ') || 'none'})`);
    scenario = applyCell(scenario, cell);
  }

  if (explore) {
    if (!scenario.guest.script.some((l) => /^\s*racer:/.test(l))) return fail('--explore needs racer lines ("racer: host: CMD") in the script');
    const runs = exploreRace(scenario);
    if (runs.length === 0) return fail('the launch was refused; nothing to explore');
    const key = (rs: { actor: string; exit: number | null; stdout: string; stderr: string }[]) => JSON.stringify(rs.filter((r) => r.actor !== 'racer').map((r) => [r.exit, r.stdout, r.stderr]));
    const groups = new Map<string, number[]>();
    for (const r of runs) groups.set(key(r.results), [...(groups.get(key(r.results)) ?? []), r.after]);
    if (json) {
      process.stdout.write(JSON.stringify({ ok: true, placements: runs.length, outcomes: [...groups].map(([k, after]) => ({ after, results: JSON.parse(k).map(([exit, stdout, stderr]: [number | null, string, string]) => ({ exit, stdout, stderr })) })) }, null, 2) + '\n');
    } else {
      process.stdout.write(`${runs.length} placements of the racer (after host syscall 0…${runs.length - 1}), ${groups.size} distinct outcomes:\n`);
      for (const [k, after] of groups) {
        const span = after.length > 6 ? `${after.slice(0, 3).join(', ')} … ${after.slice(-2).join(', ')} (${after.length})` : after.join(', ');
        process.stdout.write(`\n@ ${span}\n`);
        for (const [exit, stdout, stderr] of JSON.parse(k) as [number | null, string, string][]) process.stdout.write(`  [exit ${exit ?? '-'}] ${JSON.stringify(stdout + stderr)}\n`);
      }
    }
    return 0;
  }

  const run = new ScenarioRun(scenario, { guestPrograms: shippedGuestPrograms() });
  const outcome = run.runAll();
  const problems: string[] = [];
  if (cell) {
    if (cell.launch === 'refused') {
      if (outcome.ok) problems.push('launched, expected a refusal');
      else if (cell.errorIncludes && !outcome.error.message.includes(cell.errorIncludes)) problems.push(`error lacks ${JSON.stringify(cell.errorIncludes)}`);
    } else if (!outcome.ok) problems.push(`refused: ${outcome.error.message}`);
    else {
      for (const e of cell.results ?? []) problems.push(...checkResult(outcome.results[e.line], e));
      for (const h of cell.host ?? []) problems.push(...checkHost(run.host, h));
    }
  }

  if (trace && out) {
    const ev = outcome.trace;
    const meta = { scenario: scenario.id ?? scenario.title, qemu: scenario.qemu, era: scenario.era, variant: scenario.variant };
    if (trace === 'pcapng') writeFileSync(out, exportPcapng(ev));
    else writeFileSync(out, trace === 'json' ? exportJson(ev, meta) : trace === 'text' ? exportText(ev) : exportMermaid(ev));
  }

  const traceEvents = JSON.parse(exportJson(outcome.trace)).events as unknown[];
  if (json) {
    const doc = outcome.ok
      ? { ok: true, launch: outcome.launch, results: outcome.results.map(({ command, exit, stdout, stderr, actor, blocked }) => ({ command, exit, stdout, stderr, actor, ...(blocked ? { blocked } : {}) })), ...(cell ? { expect: { cell: cell.label, problems } } : {}), trace: traceEvents }
      : { ok: false, error: outcome.error, ...(outcome.launch ? { launch: outcome.launch } : {}), ...(cell ? { expect: { cell: cell.label, problems } } : {}), trace: traceEvents };
    process.stdout.write(JSON.stringify(doc, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
  } else {
    const w = (s: string) => process.stdout.write(s);
    w(`# ${scenario.title} — QEMU ${scenario.qemu}, libvirt ${scenario.era} (${scenario.variant})\n`);
    if (outcome.launch) {
      if (outcome.launch.helper) w(`helper: ${outcome.launch.helper.join(' ')}\n`);
      w(`qemu:   ${outcome.launch.qemu.join(' ')}\n`);
    }
    if (!outcome.ok) w(`launch refused: ${outcome.error.message}\n`);
    else {
      if (outcome.launch.mountError) w(`${outcome.launch.mountError}\n`);
      for (const r of outcome.results) {
        w(`${r.actor === 'guest' ? 'guest#' : r.actor === 'host' ? 'host#' : 'racer#'} ${r.command}\n${r.stdout}${r.stderr}`);
        w(`[exit ${r.exit ?? '-'}${r.blocked ? `; blocked: ${r.blocked}` : ''}]\n`);
      }
    }
    if (cell) w(problems.length ? `expectations of "${cell.label}" NOT met:\n  ${problems.join('\n  ')}\n` : `expectations of "${cell.label}" met\n`);
  }
  if (!outcome.ok) return 1;
  return problems.length ? 1 : 0;
};
