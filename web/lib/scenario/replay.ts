// A share link's session action (web/lib/share/sessionShare.ts) as the simulator request that
// carries it out on an open scenario session — the same requests the panel's buttons, the guest
// terminal, the host-tree editor and the upload button send.
import type { SimRequest } from '../sim/protocol.ts';
import { bytesOf, hostEditOf, type SessionAction } from '../share/sessionShare.ts';

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
