// A share link's session action (web/lib/share/sessionShare.ts) and the simulator request that
// carries it out on an open scenario session — the same requests the panel's buttons, the guest
// terminal, the host-tree editor and the upload button send — both ways: actionOf writes the
// driver's journal into a link, commandOf replays a link's actions.
import type { SimRequest } from '../sim/protocol.ts';
import { bytesOf, hostEditOf, shareHostEdit, type SessionAction } from '../share/sessionShare.ts';
import { bytesToBase64 } from '../wasi/base64.ts';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type SessionCommand = Extract<WithoutId<SimRequest>, { kind: 'scenario-step' | 'scenario-run' | 'scenario-restart' | 'guest-exec' | 'guest-complete' | 'guest-upload' | 'host-edit' }>;

export function commandOf(a: SessionAction, session: number): SessionCommand {
  switch (a.do) {
    case 'step': return { kind: 'scenario-step', session };
    case 'run': return { kind: 'scenario-run', session };
    case 'restart': return { kind: 'scenario-restart', session };
    case 'exec': return { kind: 'guest-exec', session, line: a.line };
    case 'complete': return { kind: 'guest-complete', session, line: a.line };
    case 'edit': return { kind: 'host-edit', session, edit: hostEditOf(a.edit) };
    case 'upload': return { kind: 'guest-upload', session, name: a.name, bytes: bytesOf(a.wasm_b64) };
  }
}

/** An uploaded program's base64, made once per upload (a link is re-encoded after every action). */
const wasmB64 = new WeakMap<Uint8Array, string>();

export function actionOf(c: SessionCommand): SessionAction {
  switch (c.kind) {
    case 'scenario-step': return { do: 'step' };
    case 'scenario-run': return { do: 'run' };
    case 'scenario-restart': return { do: 'restart' };
    case 'guest-exec': return { do: 'exec', line: c.line };
    case 'guest-complete': return { do: 'complete', line: c.line };
    case 'host-edit': return { do: 'edit', edit: shareHostEdit(c.edit) };
    case 'guest-upload': {
      let b64 = wasmB64.get(c.bytes);
      if (b64 === undefined) wasmB64.set(c.bytes, (b64 = bytesToBase64(c.bytes)));
      return { do: 'upload', name: c.name, wasm_b64: b64 };
    }
  }
}
