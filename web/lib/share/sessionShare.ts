// What a share link keeps of a scenario session (issue 5 §5: "the whole state … host tree, guest
// script …"): not a snapshot of the simulated machines — a link must stay small and a snapshot would
// pin the simulator's internals — but the user's actions since the scenario was opened, in order:
// steps, runs, restarts, lines typed in the guest terminal, host-tree edits and uploaded programs.
// The simulation is deterministic (sim/scenario: same inputs → same results and trace), so replaying
// the actions on the same scenario and inputs rebuilds exactly that state; the page's watchdog
// (web/lib/wasi/driver.ts) already relies on the same property to restore a stopped worker.
//
// Everything here is untrusted input when it comes from a link: every field is type-checked with a
// located message (`state.session.actions[3].edit.path …`), with limits. No DOM, no Node.
import type { HostEdit } from '../hosttree/hostEdit.ts';
import type { PlaygroundInputs } from '../state/inputs.ts';
import { base64Decode } from '../../../sim/host/base64.ts';
import { bytesToBase64 } from '../wasi/base64.ts';

/** One user action on an open scenario, as the link spells it. */
export type SessionAction =
  | { do: 'step' }
  | { do: 'run' }
  | { do: 'restart' }
  /** A line typed in the guest terminal (the shell, the raw `9p` console or a `host:` line). */
  | { do: 'exec'; line: string }
  /** Tab in the guest terminal: a completion lists a directory through the guest (a traced readdir). */
  | { do: 'complete'; line: string }
  /** A host-tree panel edit (web/lib/hosttree/hostEdit.ts); a write's content as base64. */
  | { do: 'edit'; edit: SharedHostEdit }
  /** A WASI program the user uploaded into /guests (web/lib/wasi/upload.ts). */
  | { do: 'upload'; name: string; wasm_b64: string };

/** A HostEdit as JSON: the same edits, a write's bytes as base64. */
export type SharedHostEdit = Exclude<HostEdit, { op: 'write' }> | { op: 'write'; path: string; content_b64: string };

export interface SessionShare {
  /** The inputs the run was opened with, when they differ from the link's own (a stale run). */
  opened?: PlaygroundInputs;
  actions: SessionAction[];
}

/** Far more than anyone clicks or types in one session, far below what could hurt the page. */
export const MAX_ACTIONS = 5000;
export const MAX_LINE_CHARS = 8192;
export const MAX_PATH_CHARS = 4096;

export class SessionShareError extends Error {
  static readonly code = 'SessionShareError' as const;
  readonly code = SessionShareError.code;
  constructor(readonly where: string, readonly problem: string) {
    super(`${where} ${problem}`);
  }
}

const fail = (where: string, problem: string): never => {
  throw new SessionShareError(where, problem);
};

// ------------------------------------------------------------------------------ page → link (encode)

export function shareHostEdit(e: HostEdit): SharedHostEdit {
  if (e.op === 'write') return { op: 'write', path: e.path, content_b64: bytesToBase64(e.content) };
  return { ...e };
}

export function hostEditOf(e: SharedHostEdit): HostEdit {
  if (e.op === 'write') return { op: 'write', path: e.path, content: bytesOf(e.content_b64) };
  return { ...e };
}

/** The bytes of base64 that readSessionShare has checked. */
export function bytesOf(b64text: string): Uint8Array {
  const r = base64Decode(b64text);
  if (!(r instanceof Uint8Array)) throw new SessionShareError('base64', `has a bad character at offset ${r.badOffset}`);
  return r;
}

// ------------------------------------------------------------------------------ link → page (decode)

function record(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'must be an object');
  return v as Record<string, unknown>;
}
function text(o: Record<string, unknown>, key: string, where: string, max: number): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${where}.${key}`, 'must be a string');
  if ((v as string).length > max) fail(`${where}.${key}`, `is longer than ${max} characters`);
  return v as string;
}
function path(o: Record<string, unknown>, key: string, where: string): string {
  const p = text(o, key, where, MAX_PATH_CHARS);
  if (!p.startsWith('/')) fail(`${where}.${key}`, `must be an absolute path, got ${JSON.stringify(p.slice(0, 40))}`);
  if (p.includes('\0')) fail(`${where}.${key}`, 'contains a NUL byte');
  return p;
}
function int(o: Record<string, unknown>, key: string, where: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(`${where}.${key}`, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)?.slice(0, 20)}`);
  }
  return v as number;
}
const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
function b64(o: Record<string, unknown>, key: string, where: string, maxBytes: number): string {
  const v = text(o, key, where, Math.ceil(maxBytes / 3) * 4);
  if (v.length % 4 !== 0 || !B64_RE.test(v)) fail(`${where}.${key}`, 'is not base64');
  return v;
}

const MAX_EDIT_BYTES = 1 << 20; // hostEdit.ts MAX_EDIT_BYTES: what the panel itself writes
const MAX_WASM_BYTES = 16 << 20; // upload.ts MAX_UPLOAD_BYTES

function hostEdit(raw: unknown, where: string): SharedHostEdit {
  const o = record(raw, where);
  const op = o['op'];
  switch (op) {
    case 'write': return { op, path: path(o, 'path', where), content_b64: b64(o, 'content_b64', where, MAX_EDIT_BYTES) };
    case 'mkdir': case 'delete': return { op, path: path(o, 'path', where) };
    case 'chmod': return { op, path: path(o, 'path', where), mode: int(o, 'mode', where, 0, 0o7777) };
    case 'chown': return { op, path: path(o, 'path', where), uid: int(o, 'uid', where, -1, 0xfffffffe), gid: int(o, 'gid', where, -1, 0xfffffffe) };
    case 'rename': return { op, path: path(o, 'path', where), to: path(o, 'to', where) };
    default: return fail(`${where}.op`, `must be one of "write", "mkdir", "delete", "chmod", "chown", "rename", got ${JSON.stringify(op)?.slice(0, 20)}`);
  }
}

function action(raw: unknown, where: string): SessionAction {
  const o = record(raw, where);
  const what = o['do'];
  switch (what) {
    case 'step': case 'run': case 'restart': return { do: what };
    case 'exec': case 'complete': {
      const line = text(o, 'line', where, MAX_LINE_CHARS);
      if (/[\r\n]/.test(line)) fail(`${where}.line`, 'must be one line');
      return { do: what, line };
    }
    case 'edit': return { do: what, edit: hostEdit(o['edit'], `${where}.edit`) };
    case 'upload': {
      const name = text(o, 'name', where, 64);
      // upload.ts uploadName(): what the page itself gives a program under /guests.
      if (!/^[A-Za-z0-9_+-][A-Za-z0-9._+-]*\.wasm$/.test(name)) fail(`${where}.name`, `must be a program name such as "prog.wasm", got ${JSON.stringify(name)}`);
      return { do: what, name, wasm_b64: b64(o, 'wasm_b64', where, MAX_WASM_BYTES) };
    }
    default: return fail(`${where}.do`, `must be one of "step", "run", "restart", "exec", "complete", "edit", "upload", got ${JSON.stringify(what)?.slice(0, 20)}`);
  }
}

/**
 * A link's session, checked. `inputsOf` checks the `opened` inputs with the share format's own
 * validators (they are the same four fields as the link's top level).
 */
export function readSessionShare(raw: unknown, where: string, inputsOf: (o: Record<string, unknown>, where: string) => PlaygroundInputs): SessionShare {
  const o = record(raw, where);
  const list = o['actions'];
  if (!Array.isArray(list)) fail(`${where}.actions`, 'must be an array');
  if ((list as unknown[]).length > MAX_ACTIONS) fail(`${where}.actions`, `has more than ${MAX_ACTIONS} entries`);
  const actions = (list as unknown[]).map((a, i) => action(a, `${where}.actions[${i}]`));
  return o['opened'] === undefined ? { actions } : { opened: inputsOf(record(o['opened'], `${where}.opened`), `${where}.opened`), actions };
}

// ------------------------------------------------------------------------------------ for messages

/** A short human description of an action, for messages ("exec `ls /mnt`"). */
export function describeAction(a: SessionAction): string {
  switch (a.do) {
    case 'exec': return `the terminal line \`${a.line.length > 60 ? `${a.line.slice(0, 57)}…` : a.line}\``;
    case 'complete': return `the completion of \`${a.line.length > 60 ? `${a.line.slice(0, 57)}…` : a.line}\``;
    case 'edit': return `the host edit ${a.edit.op} ${a.edit.path}`;
    case 'upload': return `the upload of ${a.name}`;
    default: return a.do;
  }
}
