// Scenario files in and out of the playground (issue 5 §7). Export: the scenario as it runs now —
// the preset's file with the domain XML, era, variant and QEMU version currently in the playground
// (the same merge scenarioSession.openScenario does), so opening the exported file reproduces the
// run. Import: checked with sim/scenario's own parser (parseScenario), whose issues carry a JSON
// pointer (RFC 6901) or, for JSON syntax errors, line:col; nothing in the app changes unless the
// whole file is valid. No DOM here (the download/file picker is ScenarioFile.svelte).
import { parseScenario, ScenarioError, formatIssue, type ScenarioIssue } from '../../../sim/scenario/index.ts';
import type { PlaygroundInputs } from '../state/inputs.ts';
import type { HostEdit } from '../hosttree/hostEdit.ts';
import { bytesToBase64 } from '../wasi/base64.ts';

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
 * (the session applies them after the launch; a tree entry exists before it — the same files for
 * the guest, which only sees the export after the launch anyway). A write keeps an existing entry's
 * mode and owner (O_TRUNC does); a new file is 0644 root:root, a new directory 0755 (umask 022). A
 * delete of something the tree does not create (the lab's own files) cannot be said in a tree: it
 * is listed in `lost`.
 */
export function withHostEdits(tree: readonly Entry[], edits: readonly HostEdit[]): { tree: Entry[]; lost: string[] } {
  let out = [...tree];
  const lost: string[] = [];
  for (const e of edits) {
    if (e.op === 'delete') {
      const had = out.some((x) => x.path === e.path);
      out = out.filter((x) => x.path !== e.path && !x.path.startsWith(`${e.path}/`));
      if (!had) lost.push(`delete ${e.path}`);
    } else if (e.op === 'mkdir') {
      out.push({ path: e.path, type: 'dir', mode: 0o755, uid: 0, gid: 0 });
    } else {
      let text: string | null = null;
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(e.content); } catch { /* binary: content_b64 */ }
      const body = text !== null ? { content: text } : { content_b64: bytesToBase64(e.content) };
      const i = out.findIndex((x) => x.path === e.path);
      if (i >= 0) {
        const { content: _c, content_b64: _b, ...keep } = out[i]!;
        out[i] = { ...keep, ...body } as Entry;
      } else out.push({ path: e.path, type: 'file', mode: 0o644, uid: 0, gid: 0, ...body });
    }
  }
  return { tree: out, lost };
}

/** The scenario as it runs now, as the text of a scenario file (2-space JSON, final newline). */
export function exportScenario(presetRaw: string, inputs: PlaygroundInputs, edits: readonly HostEdit[] = []): string {
  return exportScenarioWithEdits(presetRaw, inputs, edits).text;
}

/** exportScenario, with the edits a tree could not express (`lost`), for the page to say so. */
export function exportScenarioWithEdits(presetRaw: string, inputs: PlaygroundInputs, edits: readonly HostEdit[]): { text: string; lost: string[] } {
  const raw = JSON.parse(presetRaw) as Record<string, unknown>;
  const host = raw['host'] as { tree?: Entry[] } | undefined;
  const folded = host && Array.isArray(host.tree) && edits.length ? withHostEdits(host.tree, edits) : null;
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
