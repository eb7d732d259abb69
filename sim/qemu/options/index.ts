// Public entry points of the QEMU option model: does this QEMU command line start, and if not, what
// exactly does QEMU print? (issue 2 §3–4; proxy-protocol.md §12, real-helper.md §5.)
import { qemuVersion } from '../versions.ts';
import { runCommandLine, type QemuRun } from './command-line.ts';
import { UnknownPeerError } from './errors.ts';
import { EVERY_PATH_IS_A_DIRECTORY, PEERS, type HostLookup, type PeerSpec } from './peer.ts';

export interface QemuCheckOptions {
  /** "7.2", "7.2.22", "8.1", … (sim/qemu/versions.ts). */
  version: string;
  /** What answers on sock_fd/socket at realize (peer.ts): one Peer for all, or a PeerMap. Default `helper`. */
  peer?: PeerSpec;
  /** The host as the `local` driver sees it. Default: every export path is an existing directory. */
  host?: HostLookup;
  /** Virtual wall clock for `-msg timestamp=on` prefixes (ISO 8601, microseconds, UTC). */
  clockIso?: () => string;
}

export interface QemuVerdict {
  starts: boolean;
  exitCode: number | null;
  stderr: string;
}

/** The default virtual time printed by `-msg timestamp=on` (deterministic; pass clockIso for another). */
export const DEFAULT_VIRTUAL_TIME = '2012-06-01T00:00:00.000000Z';

/** Run the model and return everything it knows (fsdevs, devices, stdout, signal, hang). */
export function runQemuCommandLine(args: readonly string[], opts: QemuCheckOptions): QemuRun {
  const v = qemuVersion(opts.version);
  const peer = opts.peer ?? 'helper';
  const named = typeof peer === 'string' ? [peer] : [...Object.values(peer.fds ?? {}), ...Object.values(peer.sockets ?? {}), peer.otherFds, peer.otherSockets];
  for (const p of named) if (p !== undefined && !(PEERS as readonly string[]).includes(p)) throw new UnknownPeerError({ peer: p, known: PEERS });
  return runCommandLine(args, v, { peer, host: opts.host ?? EVERY_PATH_IS_A_DIRECTORY, unlinkedSockets: new Set(), deviceIds: new Set() }, opts.clockIso ?? (() => DEFAULT_VIRTUAL_TIME));
}

/**
 * The verdict of one QEMU version on a command line (the words after the program name): it starts
 * (`exitCode: null`), or exits with its exact stderr. A hang or a SIGABRT is `starts: false, exitCode: null`.
 */
export function checkQemuCommandLine(
  args: string[],
  opts: { version: string; peer?: 'helper' | 'socket_helper' | 'none' | PeerSpec; host?: HostLookup; clockIso?: () => string },
): QemuVerdict {
  const r = runQemuCommandLine(args, opts);
  return { starts: r.starts, exitCode: r.exitCode, stderr: r.stderr };
}

export type { QemuRun } from './command-line.ts';
export type { FsDriverEntry, FsDriverName } from './fsdev.ts';
export { V9FS } from './fsdev.ts';
export type { RealizedDevice } from './virtio-9p.ts';
export { PEERS, hostFromTable, EVERY_PATH_IS_A_DIRECTORY } from './peer.ts';
export type { Peer, PeerMap, PeerSpec, HostLookup, HostPathKind } from './peer.ts';
export { QemuNotModelledError, UnknownPeerError } from './errors.ts';
export { optsHelp, ninePDeviceHelp } from './help.ts';
export { fsdevOptsList, virtfsOptsList } from './fsdev-opts.ts';
export { parseQemuOpts } from './qemu-opts.ts';
