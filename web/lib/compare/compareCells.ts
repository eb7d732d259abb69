// Compare mode (issue 5 §3): every matrix cell of a preset (a driver/QEMU-version row of
// scenarios.md — L-naive, L-hard, P …) run with sim/scenario checkCell, reduced to what the page shows
// side by side: each script line's exit status and a short stdout/stderr, the host checks of the
// cell, a verdict (did host data outside the export reach the guest?) and the expectation check.
// Runs in the simulation worker (web/lib/sim/handle.ts); plain structured-cloneable data out.
import { parseScenario, checkCell, checkHost, applyCell, ScenarioRun, ScenarioError, type MatrixCell, type Scenario, type TreeEntry } from '../../../sim/scenario/index.ts';
import { dumpTree, type TreeNode } from '../../../sim/host/tree.ts';
import { GUEST_ROOT_TREE } from '../../../sim/guest/machine.ts';

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
  /** A host file outside the export showed up in the guest's output, or was changed (paths named). */
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
  /** What changed on the host outside the export during the run, e.g. "/etc/shadow mode 0640 → 0666". */
  hostChanges: string[];
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
 * content a guest could only know by escaping. The evidence searched for is the first line of the
 * file (trimmed, at least 4 characters) that the guest could NOT know legitimately: a line that also
 * occurs in the guest's own files (GUEST_ROOT_TREE, the scenario's guest tree) or in the export is
 * not evidence — the host's `/etc/group` starts with `root:x:0:`, which is in every passwd line, so
 * a guest reading its own /etc/passwd must not count as reading the host's /etc/group. A file with
 * no such line is not searched for.
 */
export function hostSecrets(s: Scenario): { path: string; needle: string }[] {
  const known: string[] = [];
  for (const e of [...GUEST_ROOT_TREE, ...(s.guest.tree as TreeEntry[])]) if (e.content !== undefined) known.push(e.content);
  for (const e of s.host.tree as TreeEntry[]) if (under(e.path, s.host.export) && e.content !== undefined) known.push(e.content);
  const legit = (line: string) => known.some((k) => k.includes(line));
  const out: { path: string; needle: string }[] = [];
  for (const e of s.host.tree as TreeEntry[]) {
    if (e.type !== 'file' && e.type !== 'chardev' && e.type !== 'blockdev') continue;
    if (under(e.path, s.host.export) || e.content === undefined) continue;
    const needle = e.content.split('\n').map((l) => l.trim()).find((l) => l.length >= 4 && !legit(l));
    if (needle !== undefined) out.push({ path: e.path, needle });
  }
  return out;
}

/**
 * The verdict of one cell: host data outside the export in the guest's own output (host-actor lines
 * excluded: the host may read its files), or host objects outside the export changed by the run.
 */
export function verdictOf(error: string | null, lines: readonly CompareLine[], secrets: readonly { path: string; needle: string }[], changes: readonly { path: string; what: string }[] = []): CompareVerdict {
  if (error !== null) return { kind: 'refused', text: `refused: ${error.split('\n')[0]}` };
  const seen = secrets.filter((sec) => lines.some((l) => l.actor === 'guest' && l.stdout.includes(sec.needle)));
  const parts = [...(seen.length > 0 ? [`host ${seen.map((s) => s.path).join(', ')} read`] : []), ...changes.map((c) => `host ${c.path} ${c.what}`)];
  const paths = [...new Set([...seen.map((s) => s.path), ...changes.map((c) => c.path)])];
  if (parts.length > 0) return { kind: 'escaped', text: `escaped: ${parts.join('; ')}`, paths };
  return { kind: 'contained', text: 'contained: the host outside the export was neither read nor changed' };
}

/** The host outside the export, by absolute path: what a change there would show in (atime excluded: reads set it). */
function hostOutside(run: ScenarioRun, exportDir: string): Map<string, TreeNode> {
  const m = new Map<string, TreeNode>();
  for (const n of dumpTree(run.host, '/', { maxEntries: 20000 })) {
    const path = `/${n.path}`;
    if (n.path !== '' && !under(path, exportDir)) m.set(path, n);
  }
  return m;
}

const oct = (n: number) => `0${n.toString(8)}`;

/**
 * What changed outside the export between two dumps. ASSUMPTION: a preset's host-actor lines change
 * only the export (true of every shipped preset: the racers' mv/ln and `echo x >` all work in
 * /srv/export), so a change outside it was made through QEMU or the helper on the guest's behalf.
 */
export function hostChanges(before: Map<string, TreeNode>, after: Map<string, TreeNode>): { path: string; what: string }[] {
  const out: { path: string; what: string }[] = [];
  for (const [path, a] of after) {
    const b = before.get(path);
    if (!b) { out.push({ path, what: `created (${a.type})` }); continue; }
    const d: string[] = [];
    if (a.type !== b.type) d.push(`type ${b.type} → ${a.type}`);
    if (a.mode !== b.mode) d.push(`mode ${oct(b.mode)} → ${oct(a.mode)}`);
    if (a.uid !== b.uid || a.gid !== b.gid) d.push(`owner ${b.uid}:${b.gid} → ${a.uid}:${a.gid}`);
    if (a.size !== b.size) d.push(`size ${b.size} → ${a.size}`);
    else if (a.type === 'file' && (a.mtime.sec !== b.mtime.sec || a.mtime.nsec !== b.mtime.nsec)) d.push('written');
    if (a.nlink !== b.nlink && a.type !== 'dir') d.push(`nlink ${b.nlink} → ${a.nlink}`);
    if (a.target !== b.target) d.push(`target ${b.target} → ${a.target}`);
    if (d.length) out.push({ path, what: d.join(', ') });
  }
  for (const path of before.keys()) if (!after.has(path)) out.push({ path, what: 'removed' });
  return out;
}

function compareCell(s: Scenario, cell: MatrixCell, secrets: { path: string; needle: string }[]): CompareCell {
  // The host before the script: a second run, constructed but not stepped (runs are deterministic,
  // so it is the state checkCell's run started its script from, launch included).
  const fresh = new ScenarioRun(applyCell(s, cell));
  const before = fresh.ok ? hostOutside(fresh, s.host.export) : new Map<string, TreeNode>();
  const { run, outcome, problems } = checkCell(s, cell);
  const changes = outcome.ok ? hostChanges(before, hostOutside(run, s.host.export)) : [];
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
    hostChanges: changes.map((c) => `${c.path} ${c.what}`), verdict: verdictOf(error, full, secrets, changes), problems,
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
