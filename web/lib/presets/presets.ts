// Presets: the scenario files under public/presets/ (format "virtfs-lab-presets/1", written by the
// scenario layer; scenarios.md). The launch-plan page takes from each the part it can show today:
// the domain XML, the libvirt era, the patch variant and the QEMU version. Files are validated like
// any input: a broken preset gives a message, never a half-applied state.
import type { PlaygroundInputs } from '../state/inputs.ts';

export interface PresetEntry { id: string; title: string; file: string; source: string }
export interface Preset extends PresetEntry {
  inputs: PlaygroundInputs;
  /** The scenario file as fetched, for running it (sim/scenario validates it again). */
  raw: string;
}

export class PresetError extends Error {
  static readonly code = 'PresetError' as const;
  readonly code = PresetError.code;
  constructor(readonly data: { file: string; pointer: string; reason: string }) {
    super(`preset ${data.file}: ${data.pointer || '/'} ${data.reason}`);
  }
}

const INDEX_FORMAT = 'virtfs-lab-presets/1';
const FILE_RE = /^[A-Za-z0-9._-]+\.json$/;
const VERSION_RE = /^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parsePresetIndex(json: unknown, file = 'index.json'): PresetEntry[] {
  const err = (pointer: string, reason: string) => new PresetError({ file, pointer, reason });
  if (!isObj(json)) throw err('', 'must be an object');
  if (json['format'] !== INDEX_FORMAT) throw err('/format', `must be "${INDEX_FORMAT}"`);
  const list = json['presets'];
  if (!Array.isArray(list)) throw err('/presets', 'must be an array');
  return list.map((p, i) => {
    if (!isObj(p)) throw err(`/presets/${i}`, 'must be an object');
    for (const k of ['id', 'title', 'file', 'source'] as const) {
      if (typeof p[k] !== 'string') throw err(`/presets/${i}/${k}`, 'must be a string');
    }
    // Only plain file names next to index.json: the index cannot make the page fetch elsewhere.
    if (!FILE_RE.test(p['file'] as string)) throw err(`/presets/${i}/file`, `must be a plain file name, got ${JSON.stringify(p['file'])}`);
    return { id: p['id'] as string, title: p['title'] as string, file: p['file'] as string, source: p['source'] as string };
  });
}

/** The launch-plan inputs of one scenario file (scenario format v1: domain, era, variant, qemu). */
export function presetInputs(json: unknown, file: string): PlaygroundInputs {
  const err = (pointer: string, reason: string) => new PresetError({ file, pointer, reason });
  if (!isObj(json)) throw err('', 'must be an object');
  if (json['version'] !== 1) throw err('/version', `must be 1, got ${JSON.stringify(json['version'])}`);
  const domain = json['domain'];
  if (typeof domain !== 'string') throw err('/domain', 'must be a string (the domain XML)');
  const era = json['era'];
  if (era !== '0.10.2' && era !== '9.0') throw err('/era', 'must be "0.10.2" or "9.0"');
  const variant = json['variant'] ?? 'as-posted';
  if (variant !== 'as-posted' && variant !== 'corrected') throw err('/variant', 'must be "as-posted" or "corrected"');
  const qemu = json['qemu'];
  if (typeof qemu !== 'string' || !VERSION_RE.test(qemu)) throw err('/qemu', 'must be a QEMU version such as "7.2" or "7.2.0"');
  return { xml: domain, era, variant, qemuVersion: qemu };
}

/** The category of a preset id (`walk/symlink-escape` → `walk`), for grouping in the picker. */
export function presetCategory(id: string): string {
  const slash = id.indexOf('/');
  return slash === -1 ? id : id.slice(0, slash);
}

export async function fetchPresetIndex(base: URL): Promise<PresetEntry[]> {
  const res = await fetch(new URL('presets/index.json', base));
  if (!res.ok) throw new PresetError({ file: 'index.json', pointer: '', reason: `could not be loaded (HTTP ${res.status})` });
  return parsePresetIndex(await res.json());
}

export async function fetchPreset(base: URL, entry: PresetEntry): Promise<Preset> {
  const res = await fetch(new URL(`presets/${entry.file}`, base));
  if (!res.ok) throw new PresetError({ file: entry.file, pointer: '', reason: `could not be loaded (HTTP ${res.status})` });
  const raw = await res.text();
  let json: unknown;
  try { json = JSON.parse(raw); } catch { throw new PresetError({ file: entry.file, pointer: '', reason: 'is not valid JSON' }); }
  return { ...entry, inputs: presetInputs(json, entry.file), raw };
}
