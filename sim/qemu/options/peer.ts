// What sits behind a proxy fsdev's `sock_fd=N` or `socket=PATH` when the 9p device is realized, and
// what the host has at a `local` export path. QEMU only touches these at realize (proxy-protocol.md
// §12.4, real-helper.md §3.1): one T_LSTAT "/\0", whose answer must be a directory.
//
// The peers are the setups of fixtures/qemu-7.2/fsdev-probe.json:
//   helper           every sock_fd and socket reaches a live virtfs-proxy-helper serving a directory (default)
//   relay            a recording relay in front of such a helper (behaves as `helper`)
//   socket_helper    a `-s` helper listening at each socket path; no fd is open
//   none             nothing listens; no fd is open
//   regular_file_fd  the fds are open on regular files (sendmsg fails → `share path N does not exist`)
//   fake_enoent      a fake peer answers the T_LSTAT with T_ERROR -ENOENT (`01000000 04000000 feffffff`)
//   fake_not_dir     a fake peer answers with the stat of a regular file (real-helper.md §5)
//   fake_short       a fake peer answers `00000000 03000000 616263`: QEMU asserts and aborts (real-helper.md §5)
//   fake_silent      a fake peer never answers: realize blocks forever (QMP greets, query-status never answers)

export const PEERS = ['helper', 'relay', 'socket_helper', 'none', 'regular_file_fd', 'fake_enoent', 'fake_not_dir', 'fake_short', 'fake_silent'] as const;
export type Peer = (typeof PEERS)[number];

/**
 * Peers per fd / socket path, for a launch plan that knows exactly what it passed (e.g. the helper's
 * socketpair end at fd 4 and nothing else). Unlisted fds/paths get `otherFds` / `otherSockets`
 * (default `none`). A plain Peer applies to every fd and every socket path.
 */
export interface PeerMap {
  fds?: Record<number, Peer>;
  sockets?: Record<string, Peer>;
  otherFds?: Peer;
  otherSockets?: Peer;
}
export type PeerSpec = Peer | PeerMap;

export function peerForFd(spec: PeerSpec, fd: number): Peer {
  return typeof spec === 'string' ? spec : spec.fds?.[fd] ?? spec.otherFds ?? 'none';
}

export function peerForSocket(spec: PeerSpec, path: string): Peer {
  return typeof spec === 'string' ? spec : spec.sockets?.[path] ?? spec.otherSockets ?? 'none';
}

/** What QEMU sees when it realizes a proxy device. */
export type RootLstat = 'dir' | 'not_dir' | 'error' | 'short_reply' | 'no_reply';

/** The T_LSTAT "/" outcome over an fd (7.2 v9fs_request → proxy_lstat). */
export function lstatOverFd(peer: Peer): RootLstat {
  switch (peer) {
    case 'helper':
    case 'relay':
      return 'dir';
    case 'fake_not_dir':
      return 'not_dir';
    case 'fake_short':
      return 'short_reply';
    case 'fake_silent':
      return 'no_reply';
    default:
      return 'error'; // not open (EBADF), a regular file (ENOTSOCK), or T_ERROR -ENOENT: all "does not exist"
  }
}

/** Whether `connect(PATH)` finds a listener: a `-s` helper accepts one connection and QEMU unlinks the path. */
export function socketListens(peer: Peer): boolean {
  return peer !== 'none' && peer !== 'regular_file_fd';
}

/** The host as the `local` driver sees it: what `open(path, O_DIRECTORY)` would meet. */
export type HostPathKind = 'dir' | 'file' | 'missing';
export type HostLookup = (path: string) => HostPathKind;

/** Default host: every export path exists and is a directory (the libvirt oracle's paths must start). */
export const EVERY_PATH_IS_A_DIRECTORY: HostLookup = () => 'dir';

/** A host from a table, e.g. `{ '/srv/export': 'dir' }`; anything else is missing. */
export function hostFromTable(table: Record<string, HostPathKind>): HostLookup {
  return (path) => table[path] ?? 'missing';
}
