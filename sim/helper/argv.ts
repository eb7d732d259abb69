// The helper's command line: getopt_long with "p:nh?f:s:u:g:" and six long options, then the checks
// main() makes before daemonising (proxy-protocol.md §11.1–11.2; real-helper.md §4; suite `cli`).
// The lstat() of the export path needs the kernel and lives in process.ts.
import { atoi, getoptLong, gnuBasename, type LongOption } from './getopt.ts';
import { MSG, usageText } from './messages.ts';

export const HELPER_OPTSTRING = 'p:nh?f:s:u:g:';

export const HELPER_LONGOPTS: readonly LongOption[] = [
  { name: 'fd', hasArg: 'required', val: 'f' },
  { name: 'path', hasArg: 'required', val: 'p' },
  { name: 'nodaemon', hasArg: 'no', val: 'n' },
  { name: 'socket', hasArg: 'required', val: 's' },
  { name: 'uid', hasArg: 'required', val: 'u' },
  { name: 'gid', hasArg: 'required', val: 'g' },
];

export interface HelperOptions {
  /** -p: the export directory (as given; resolved by the kernel later). */
  path: string;
  /** -n: stay in the foreground and log to stderr. */
  nodaemon: boolean;
  /** -f N after atoi; -1 = "not given" (so `-f -1` counts as absent, §11.2). */
  fd: number;
  /** -s FILE. */
  socket?: string;
  /** -u / -g after atoi, as the C uid_t/gid_t: -1 (0xffffffff) = not given. */
  uid: number;
  gid: number;
}

export type ArgvResult =
  | { ok: true; options: HelperOptions; stderr: string }
  | { ok: false; status: number; stderr: string };

/**
 * Parses argv like the helper's main() up to (not including) the lstat of -p. `usageProg` decides the
 * usage line's program name: basename since 2.x, argv[0] in 1.x (§11.1).
 */
export function parseHelperArgv(argv: readonly string[], opts: { basenameInUsage?: boolean } = {}): ArgvResult {
  const argv0 = argv[0] ?? 'virtfs-proxy-helper';
  const usage = usageText(opts.basenameInUsage === false ? argv0 : gnuBasename(argv0));
  let stderr = '';
  let path: string | undefined;
  let socket: string | undefined;
  let nodaemon = false;
  let fd = -1;
  let uid = -1;
  let gid = -1;
  for (const ev of getoptLong(argv, HELPER_OPTSTRING, HELPER_LONGOPTS)) {
    if (ev.kind === 'error') {
      // getopt printed its message and returned '?': usage, exit(EXIT_FAILURE).
      return { ok: false, status: 1, stderr: stderr + ev.message + usage };
    }
    switch (ev.opt) {
      case 'p': path = ev.arg!; break;
      case 'n': nodaemon = true; break;
      case 'f': fd = atoi(ev.arg!); break;
      case 's': socket = ev.arg!; break;
      case 'u': uid = atoi(ev.arg!); break;
      case 'g': gid = atoi(ev.arg!); break;
      default: // 'h', '?' (the literal -? option): usage, exit 1 — there is no help exit 0 (§11.1)
        return { ok: false, status: 1, stderr: stderr + usage };
    }
  }
  if ((socket === undefined && fd === -1) || path === undefined) {
    // `return -1` from main → exit status 255 (§11.2)
    return { ok: false, status: 255, stderr: stderr + MSG.noSocketOrPath + usage };
  }
  if (socket !== undefined && fd !== -1) {
    return { ok: false, status: 1, stderr: stderr + MSG.bothSocketAndFd + usage };
  }
  if (socket !== undefined && (uid === -1 || gid === -1)) {
    return { ok: false, status: 1, stderr: stderr + MSG.ownerNotSpecified + usage };
  }
  return { ok: true, options: { path, nodaemon, fd, socket, uid: uid >>> 0, gid: gid >>> 0 }, stderr };
}
