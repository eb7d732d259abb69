// Share links: the whole playground state in the URL fragment, so a link needs no server and never
// rots (ui-anchors.md: the Svelte playground's gzip+base64url hash, Compiler Explorer's versioned
// state with a fall-through migration chain).
//
//   #s=<version>.<base64url(deflate-raw(UTF-8 JSON))>       e.g.  #s=2.q1YqSs3JT…
//
// The version says how to read the JSON; older versions are migrated step by step to the current one
// (v1 → v2 …), so old links keep working. Decoding is defensive: a link is untrusted input (anyone can
// craft one), so every step has a size limit, every field is type-checked, and a bad link yields a
// typed ShareLinkError with a located message — the page then shows that message and the default
// state. Nothing from a link is ever interpreted as HTML or code.
import { Deflate, Inflate, strFromU8, strToU8 } from 'fflate';
import { readSessionShare, SessionShareError, type SessionShare } from './sessionShare.ts';
import type { TraceSelection } from '../trace/traceView.svelte.ts';

export type Era = '0.10.2' | '9.0';
export type Variant = 'as-posted' | 'corrected';
export type PaneLayout = 'columns' | 'rows';

/** The current format (v3). */
export interface ShareState {
  xml: string;
  era: Era;
  variant: Variant;
  qemuVersion: string;
  view: { layout: PaneLayout; split: number; tab: RightTab };
  /**
   * The preset whose scenario the link runs: an id from public/presets/index.json, or `file:NAME`
   * for a scenario file the user imported — then `scenario` carries that file's text.
   */
  preset?: string;
  /** v3: an imported scenario file (its name and text), checked by sim/scenario when the link opens. */
  scenario?: { file: string; raw: string };
  /** v3: what the user did in the scenario session (sessionShare.ts), replayed when the link opens. */
  session?: SessionShare;
  /** v3: the selected event and the filter of each trace view. */
  selection?: { trace?: TraceSelection; scenario?: TraceSelection };
}

/**
 * The right pane's tab. `view.tab` and `preset` were added within v2 as optional keys (absent: 'plan',
 * no preset), so v2 links made before them stay valid; 'scenario' needs a preset.
 */
export type RightTab = 'plan' | 'trace' | 'scenario';
const PRESET_ID_RE = /^[a-z0-9][a-z0-9._/-]{0,80}$/;
/** An imported scenario's id (scenarioFile.ts): `file:` and the file's name. */
const FILE_ID_RE = /^file:[^\0/\\]{1,255}$/;

export const SHARE_FORMAT_VERSION = 3;
export const DEFAULT_VIEW: ShareState['view'] = { layout: 'columns', split: 0.5, tab: 'plan' };

/**
 * Limits: far above any real domain XML, far below what could hurt the page. A link with a session
 * that uploaded a program can be long: Chromium takes URLs up to 2 MiB, so that is the bound.
 */
export const MAX_FRAGMENT_CHARS = 2_000_000;
export const MAX_JSON_BYTES = 8 << 20;
/** scenarioFile.ts MAX_SCENARIO_BYTES: the largest scenario file the page imports. */
export const MAX_SCENARIO_CHARS = 4 << 20;
export const MAX_XML_CHARS = 512 * 1024;

export type ShareLinkErrorCode =
  | 'bad-prefix' | 'unsupported-version' | 'too-large' | 'bad-base64' | 'bad-deflate' | 'bad-json' | 'bad-field';

export class ShareLinkError extends Error {
  static readonly code = 'ShareLinkError' as const;
  readonly code = ShareLinkError.code;
  constructor(readonly data: { reason: ShareLinkErrorCode; detail: string }) {
    super(`This share link cannot be opened: ${data.detail}`);
  }
}

const fail = (reason: ShareLinkErrorCode, detail: string): never => {
  throw new ShareLinkError({ reason, detail });
};

// ---------------------------------------------------------------------------------------- base64url

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** RFC 4648 §5 alphabet, no `=` padding (some chat apps mangle links ending in `=`; ui-anchors.md). */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += B64[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** Strict decoder: reports the offset of the first character outside the alphabet. */
export function fromBase64Url(text: string, offsetInFragment = 0): Uint8Array {
  if (text.length % 4 === 1) fail('bad-base64', `the data has an impossible length (${text.length} characters); the link was probably cut off`);
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = B64_INDEX.get(text[i]!);
    if (v === undefined) fail('bad-base64', `unexpected character ${JSON.stringify(text[i])} at offset ${offsetInFragment + i} of the link fragment`);
    acc = (acc << 6) | v!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------ deflate-raw

function deflate(bytes: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  const d = new Deflate({ level: 9 }, (chunk) => chunks.push(chunk));
  d.push(bytes, true);
  return concat(chunks);
}

/** Inflate with an output limit: fed in small slices so a "zip bomb" link is stopped early. */
function inflateLimited(bytes: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const inf = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > limit) fail('too-large', `the state inflates to more than ${limit} bytes`);
    chunks.push(chunk);
    if (final) done = true;
  });
  try {
    const SLICE = 256; // ≤ ~264 KB of output per push at deflate's maximum ratio
    for (let i = 0; i < bytes.length; i += SLICE) inf.push(bytes.subarray(i, i + SLICE), i + SLICE >= bytes.length);
    if (bytes.length === 0) inf.push(bytes, true);
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    fail('bad-deflate', `the compressed data is corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!done) fail('bad-deflate', 'the compressed data ends early; the link was probably cut off');
  return concat(chunks);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

// --------------------------------------------------------------------------- versions & migrations

/**
 * v1: the first format — the launch-plan inputs only: `{ xml, era, variant, qemu }`.
 * v2: adds `view` (pane layout and split) and spells the version key `qemuVersion` like PlanOptions.
 * v3: adds the scenario session (the user's actions), an imported scenario file and the trace
 *     selections. A page that reads only v2 says the link is newer instead of silently dropping them.
 * Each migration takes the previous version's validated object to the next version's shape.
 */
interface ShareStateV1 { xml: string; era: Era; variant: Variant; qemu: string }

const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  1: (v1) => ({ xml: v1['xml'], era: v1['era'], variant: v1['variant'], qemuVersion: v1['qemu'], view: { ...DEFAULT_VIEW } }),
  // v3 only adds optional keys (scenario, session, selection): a v2 state is a v3 state as it is.
  2: (v2) => v2,
};

// ---------------------------------------------------------------------------------------- validate

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('bad-field', `${path} must be an object`);
  return v as Record<string, unknown>;
}
function str(o: Record<string, unknown>, key: string, path: string, max: number): string {
  const v = o[key];
  if (typeof v !== 'string') fail('bad-field', `${path}.${key} must be a string`);
  if ((v as string).length > max) fail('too-large', `${path}.${key} is longer than ${max} characters`);
  return v as string;
}
function oneOf<T extends string>(o: Record<string, unknown>, key: string, path: string, allowed: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail('bad-field', `${path}.${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  return v as T;
}
const VERSION_RE = /^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/;
function qemuVersionField(o: Record<string, unknown>, key: string, path: string): string {
  const v = str(o, key, path, 16);
  if (!VERSION_RE.test(v)) fail('bad-field', `${path}.${key} must look like 7.2 or 7.2.22, got ${JSON.stringify(v)}`);
  return v;
}

function validateV1(raw: unknown): ShareStateV1 {
  const o = obj(raw, 'state');
  return {
    xml: str(o, 'xml', 'state', MAX_XML_CHARS),
    era: oneOf(o, 'era', 'state', ['0.10.2', '9.0'] as const),
    variant: oneOf(o, 'variant', 'state', ['as-posted', 'corrected'] as const),
    qemu: qemuVersionField(o, 'qemu', 'state'),
  };
}

function validateView(o: Record<string, unknown>): ShareState['view'] {
  const view = obj(o['view'], 'state.view');
  const split = view['split'];
  if (typeof split !== 'number' || !Number.isFinite(split) || split < 0.15 || split > 0.85) {
    fail('bad-field', `state.view.split must be a number between 0.15 and 0.85, got ${JSON.stringify(split)}`);
  }
  return {
    layout: oneOf(view, 'layout', 'state.view', ['columns', 'rows'] as const),
    split: split as number,
    tab: view['tab'] === undefined ? 'plan' : oneOf(view, 'tab', 'state.view', ['plan', 'trace', 'scenario'] as const),
  };
}

/** The four launch-plan inputs, at the top level of a state or in `session.opened`. */
function validateInputs(o: Record<string, unknown>, path: string): { xml: string; era: Era; variant: Variant; qemuVersion: string } {
  return {
    xml: str(o, 'xml', path, MAX_XML_CHARS),
    era: oneOf(o, 'era', path, ['0.10.2', '9.0'] as const),
    variant: oneOf(o, 'variant', path, ['as-posted', 'corrected'] as const),
    qemuVersion: qemuVersionField(o, 'qemuVersion', path),
  };
}

function validateV2(raw: unknown): ShareState {
  const o = obj(raw, 'state');
  return { ...validateInputs(o, 'state'), view: validateView(o), ...presetField(o, false) };
}

function validateV3(raw: unknown): ShareState {
  const o = obj(raw, 'state');
  const scenario = scenarioField(o);
  const out: ShareState = { ...validateInputs(o, 'state'), view: validateView(o), ...presetField(o, !!scenario) };
  if (scenario) {
    if (out.preset !== `file:${scenario.file}`) fail('bad-field', `state.preset must be "file:${scenario.file}" for the imported scenario in state.scenario`);
    out.scenario = scenario;
  }
  if (o['session'] !== undefined) {
    if (out.preset === undefined) fail('bad-field', 'state.session needs state.preset (the scenario it was run on)');
    try {
      out.session = readSessionShare(o['session'], 'state.session', (x, path) => validateInputs(x, path));
    } catch (e) {
      if (e instanceof SessionShareError) fail('bad-field', e.message);
      throw e;
    }
  }
  if (o['selection'] !== undefined) {
    const sel = obj(o['selection'], 'state.selection');
    const picked: NonNullable<ShareState['selection']> = {};
    for (const key of ['trace', 'scenario'] as const) if (sel[key] !== undefined) picked[key] = selectionField(sel[key], `state.selection.${key}`);
    out.selection = picked;
  }
  return out;
}

function selectionField(raw: unknown, path: string): TraceSelection {
  const o = obj(raw, path);
  const ev = o['event'];
  if (ev !== null && (typeof ev !== 'number' || !Number.isInteger(ev) || ev < 1 || ev > 1e9)) {
    fail('bad-field', `${path}.event must be an event id (a positive integer) or null, got ${JSON.stringify(ev)?.slice(0, 20)}`);
  }
  return { event: ev as number | null, filter: str(o, 'filter', path, 1000) };
}

function scenarioField(o: Record<string, unknown>): ShareState['scenario'] {
  if (o['scenario'] === undefined) return undefined;
  const sc = obj(o['scenario'], 'state.scenario');
  const file = str(sc, 'file', 'state.scenario', 255);
  if (file === '' || /[\0/\\]/.test(file)) fail('bad-field', `state.scenario.file must be a file name, got ${JSON.stringify(file.slice(0, 40))}`);
  return { file, raw: str(sc, 'raw', 'state.scenario', MAX_SCENARIO_CHARS) };
}

function presetField(o: Record<string, unknown>, imported: boolean): { preset?: string } {
  if (o['preset'] === undefined) return {};
  const id = str(o, 'preset', 'state', 261);
  if (imported ? !FILE_ID_RE.test(id) : !PRESET_ID_RE.test(id)) {
    fail('bad-field', `state.preset must be a preset id such as "walk/symlink-escape"${imported ? ' or "file:NAME"' : ''}, got ${JSON.stringify(id.slice(0, 40))}`);
  }
  return { preset: id };
}

const VALIDATORS: Record<number, (raw: unknown) => object> = { 1: validateV1, 2: validateV2, 3: validateV3 };

// -------------------------------------------------------------------------------------- public API

const PREFIX = 's=';

/** The fragment (without `#`) for a state, in the current format. */
export function encodeShareFragment(state: ShareState): string {
  const json = JSON.stringify({
    xml: state.xml, era: state.era, variant: state.variant, qemuVersion: state.qemuVersion, view: state.view,
    ...(state.preset !== undefined ? { preset: state.preset } : {}),
    ...(state.scenario !== undefined ? { scenario: state.scenario } : {}),
    ...(state.session !== undefined ? { session: state.session } : {}),
    ...(state.selection !== undefined ? { selection: state.selection } : {}),
  });
  return `${PREFIX}${SHARE_FORMAT_VERSION}.${toBase64Url(deflate(strToU8(json)))}`;
}

/** Encode an arbitrary JSON value as a given format version (for tests and for writing old links). */
export function encodeRawFragment(version: number, value: unknown): string {
  return `${PREFIX}${version}.${toBase64Url(deflate(strToU8(JSON.stringify(value))))}`;
}

/**
 * Read a fragment (with or without the leading `#`). Returns null when the fragment is not a share
 * link at all (empty, or another app's anchor); throws ShareLinkError when it is one but is unusable.
 */
export function decodeShareFragment(fragment: string): ShareState | null {
  const f = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (f === '' || !f.startsWith(PREFIX)) return null;
  if (f.length > MAX_FRAGMENT_CHARS) fail('too-large', `the link is ${f.length} characters long (the limit is ${MAX_FRAGMENT_CHARS})`);
  const body = f.slice(PREFIX.length);
  const dot = body.indexOf('.');
  const versionText = dot === -1 ? body : body.slice(0, dot);
  if (dot === -1 || !/^\d{1,4}$/.test(versionText)) {
    fail('bad-prefix', `expected "#s=<version>.<data>", the version is ${JSON.stringify(versionText.slice(0, 12))}`);
  }
  const version = Number(versionText);
  if (!(version in VALIDATORS)) {
    fail('unsupported-version', version > SHARE_FORMAT_VERSION
      ? `it was made by a newer virtfs-lab (format ${version}; this page reads formats 1 to ${SHARE_FORMAT_VERSION})`
      : `format ${version} does not exist (this page reads formats 1 to ${SHARE_FORMAT_VERSION})`);
  }
  const dataOffset = PREFIX.length + dot + 1;
  const bytes = inflateLimited(fromBase64Url(body.slice(dot + 1), dataOffset), MAX_JSON_BYTES);
  let text: string;
  try {
    text = strFromU8(bytes);
  } catch {
    return fail('bad-json', 'the state is not valid UTF-8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail('bad-json', `the state is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  // Validate in the link's own version, then migrate forward one version at a time.
  let state: Record<string, unknown> = VALIDATORS[version]!(raw) as unknown as Record<string, unknown>;
  for (let v = version; v < SHARE_FORMAT_VERSION; v++) state = MIGRATIONS[v]!(state);
  return validateV3(state);
}
