// Compare mode (issue 5 §3): every matrix cell of a preset (a driver/QEMU-version row of
// scenarios.md — L-naive, L-hard, P …) run with sim/scenario checkCell, reduced to what the page shows
// side by side: each script line's exit status and a short stdout/stderr, the host checks of the
// cell, a verdict (did host data outside the export reach the guest?) and the expectation check.
// Runs in the simulation worker (web/lib/sim/handle.ts); plain structured-cloneable data out.
import { parseScenario, checkCell, checkHost, ScenarioError, type MatrixCell, type Scenario, type TreeEntry } from '../../../sim/scenario/index.ts';

/** Longest stdout/stderr excerpt shown per line; the full text is one click away in the scenario tab. */
export const EXCERPT_CHARS = 160;

export interface CompareLine {
  index: number;
  actor: string;
  command: string;
  /** null: did not finish (blocked, or never ran). */
  exit: number | null;
  blocked: string | null;
  stdout: string;
  stderr: string;
}

export interface CompareHostCheck { path: string; problems: string[] }

export type CompareVerdict =
  /** A host file outside the export showed up in the guest's output (its path named). */
  | { kind: 'escaped'; text: string; paths: string[] }
  | { kind: 'contained'; text: string }
  /** libvirt or QEMU refused the domain: nothing ran in the guest. */
  | { kind: 'refused'; text: string };

export interface CompareCell {
  label: string;
  driver: 'local' | 'proxy';
  qemu: string;
  note: string | null;
  /** The refusal as virsh shows it, when the domain did not start. */
  error: string | null;
  lines: CompareLine[];
  host: CompareHostCheck[];
  verdict: CompareVerdict;
  /** checkCell's mismatches against the preset's expectation (empty: ✓). */
  problems: string[];
}

export interface Comparison {
  title: string;
  description: string;
  source: string | null;
  cells: CompareCell[];
}

export type CompareReply = { ok: true; comparison: Comparison } | { ok: false; message: string };

export function excerpt(s: string, max = EXCERPT_CHARS): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length - max} more chars)`;
}

const under = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/**
 * The host's secrets for this scenario: files (and devices) of the host tree OUTSIDE the export whose
 * content a guest could only know by escaping. Short contents (< 4 chars) are skipped: too likely
 * to appear in output by chance.
 */
export function hostSecrets(s: Scenario): { path: string; needle: string }[] {
  const out: { path: string; needle: string }[] = [];
  for (const e of s.host.tree as TreeEntry[]) {
    if (e.type !== 'file' && e.type !== 'chardev' && e.type !== 'blockdev') continue;
    if (under(e.path, s.host.export) || e.content === undefined) continue;
    const needle = (e.content.split('\n').find((l) => l.trim() !== '') ?? '').trim();
    if (needle.length >= 4) out.push({ path: e.path, needle });
  }
  return out;
}

/** The verdict of one cell from the guest's own output (host-actor lines excluded: the host may read its files). */
export function verdictOf(error: string | null, lines: readonly CompareLine[], secrets: readonly { path: string; needle: string }[]): CompareVerdict {
  if (error !== null) return { kind: 'refused', text: `refused: ${error.split('\n')[0]}` };
  const seen = secrets.filter((sec) => lines.some((l) => l.actor === 'guest' && l.stdout.includes(sec.needle)));
  if (seen.length > 0) return { kind: 'escaped', text: `escaped: host ${seen.map((s) => s.path).join(', ')} read`, paths: seen.map((s) => s.path) };
  // Only reads are judged here: a write through a link shows in the cell's host checks instead.
  return { kind: 'contained', text: 'contained: no host data outside the export reached the guest' };
}

function compareCell(s: Scenario, cell: MatrixCell, secrets: { path: string; needle: string }[]): CompareCell {
  const { run, outcome, problems } = checkCell(s, cell);
  const error = outcome.ok ? null : outcome.error.message;
  const lines: CompareLine[] = outcome.ok
    ? outcome.results.map((r) => ({ index: r.index, actor: r.actor, command: r.command, exit: r.exit, blocked: r.blocked ?? null, stdout: excerpt(r.stdout), stderr: excerpt(r.stderr) }))
    : [];
  // The cell's host checks, each with its own mismatches (checkCell reports them all in one list).
  const host = outcome.ok ? (cell.host ?? []).map((h) => ({ path: h.path, problems: checkHost(run.host, h) })) : [];
  // The verdict reads the full stdout, not the excerpt: a secret late in a long read still counts.
  const full = outcome.ok ? outcome.results.map((r) => ({ ...r, blocked: r.blocked ?? null })) : [];
  return {
    label: cell.label, driver: cell.driver, qemu: cell.qemu, note: cell.note ?? null, error, lines, host,
    verdict: verdictOf(error, full, secrets), problems,
  };
}

/** Run every matrix cell of a preset file (JSON text). Never throws on a bad preset: a message instead. */
export function compareCells(presetJson: string): CompareReply {
  let s: Scenario;
  try {
    s = parseScenario(JSON.parse(presetJson));
  } catch (e) {
    return { ok: false, message: e instanceof ScenarioError || e instanceof Error ? e.message : String(e) };
  }
  const matrix = s.matrix ?? [];
  if (matrix.length === 0) return { ok: false, message: `preset ${s.id ?? s.title} has no matrix: nothing to compare` };
  const secrets = hostSecrets(s);
  return {
    ok: true,
    comparison: { title: s.title, description: s.description ?? '', source: s.source ?? null, cells: matrix.map((c) => compareCell(s, c, secrets)) },
  };
}
