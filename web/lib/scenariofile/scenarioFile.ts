// Scenario files in and out of the playground (issue 5 §7). Export: the scenario as it runs now —
// the preset's file with the domain XML, era, variant and QEMU version currently in the playground
// (the same merge scenarioSession.openScenario does), so opening the exported file reproduces the
// run. Import: checked with sim/scenario's own parser (parseScenario), whose issues carry a JSON
// pointer (RFC 6901) or, for JSON syntax errors, line:col; nothing in the app changes unless the
// whole file is valid. No DOM here (the download/file picker is ScenarioFile.svelte).
import { parseScenario, ScenarioError, formatIssue, type ScenarioIssue } from '../../../sim/scenario/index.ts';
import type { PlaygroundInputs } from '../state/inputs.ts';
import type { HostEdit } from '../hosttree/hostEdit.ts';
import { foldHostEdits } from '../hosttree/foldEdits.ts';

/** Larger than any preset by far; a bigger file is refused unread (the page would stall parsing it). */
export const MAX_SCENARIO_BYTES = 4 << 20;

export interface ImportedScenario {
  /** `file:NAME`: not a shipped preset id, so a share link made from it names no fetchable preset. */
  id: string;
  title: string;
  file: string;
  source: string;
  inputs: PlaygroundInputs;
  raw: string;
}

export type ImportErrorCode = 'TOO_BIG' | 'NOT_TEXT' | 'INVALID';
export type ImportResult = { ok: true; scenario: ImportedScenario } | { ok: false; code: ImportErrorCode; message: string; issues: string[] };

type Entry = Record<string, unknown> & { path: string };

/**
 * The host-tree panel's edits folded into the scenario's host tree, so the file opens with them
 * (web/lib/hosttree/foldEdits.ts: write, mkdir, delete, chmod, chown, rename, each as the kernel did
 * it). What a tree cannot say — an edit of the lab's own files, a chmod through a symlink — is
 * listed in `lost`.
 */
export function withHostEdits(tree: readonly Entry[], edits: readonly HostEdit[], exportDir?: string): { tree: Entry[]; lost: string[] } {
  return foldHostEdits(tree, edits, exportDir);
}

/** The scenario as it runs now, as the text of a scenario file (2-space JSON, final newline). */
export function exportScenario(presetRaw: string, inputs: PlaygroundInputs, edits: readonly HostEdit[] = []): string {
  return exportScenarioWithEdits(presetRaw, inputs, edits).text;
}

/** exportScenario, with the edits a tree could not express (`lost`), for the page to say so. */
export function exportScenarioWithEdits(presetRaw: string, inputs: PlaygroundInputs, edits: readonly HostEdit[]): { text: string; lost: string[] } {
  const raw = JSON.parse(presetRaw) as Record<string, unknown>;
  const host = raw['host'] as { tree?: Entry[]; export?: string } | undefined;
  const folded = host && Array.isArray(host.tree) && edits.length ? withHostEdits(host.tree, edits, typeof host.export === 'string' ? host.export : undefined) : null;
  const merged = { ...raw, ...(folded ? { host: { ...host, tree: folded.tree } } : {}), domain: inputs.xml, era: inputs.era, variant: inputs.variant, qemu: inputs.qemuVersion };
  // What we hand out must open again: the same parser as import (throws ScenarioError otherwise).
  parseScenario(merged as Parameters<typeof parseScenario>[0]);
  return { text: `${JSON.stringify(merged, null, 2)}\n`, lost: folded?.lost ?? [] };
}

/** A download name from the title: `symlink-escape-through-the-export.scenario.json`. */
export function scenarioFileName(title: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return `${slug || 'scenario'}.scenario.json`;
}

/** A file too big to be a scenario, refused from its size alone (before reading it). */
export function checkScenarioSize(fileName: string, size: number): (ImportResult & { ok: false }) | null {
  if (size <= MAX_SCENARIO_BYTES) return null;
  return { ok: false, code: 'TOO_BIG', message: `${fileName}: ${size} bytes is too big for a scenario file (at most ${MAX_SCENARIO_BYTES} bytes)`, issues: [] };
}

/** Check a file the user picked; on success, what the playground loads (inputs and the scenario). */
export function importScenario(fileName: string, bytes: Uint8Array): ImportResult {
  const big = checkScenarioSize(fileName, bytes.length);
  if (big) return big;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, code: 'NOT_TEXT', message: `${fileName}: not UTF-8 text, so not a scenario file (JSON)`, issues: [] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM some editors write; JSON.parse refuses it
  try {
    const s = parseScenario(text);
    const raw = JSON.parse(text) as Record<string, unknown>;
    const source = typeof raw['source'] === 'string' ? raw['source'] : `imported from ${fileName}`;
    return {
      ok: true,
      scenario: { id: `file:${fileName}`, title: s.title, file: fileName, source, raw: text, inputs: { xml: s.domain, era: s.era, variant: s.variant, qemuVersion: s.qemu } },
    };
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const issues = e.issues.map((i: ScenarioIssue) => `${fileName}: ${formatIssue(i)}`);
    return { ok: false, code: 'INVALID', message: `${fileName} is not a valid scenario file (${issues.length} problem${issues.length === 1 ? '' : 's'}); nothing was changed`, issues };
  }
}
