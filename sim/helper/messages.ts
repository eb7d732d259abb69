// The helper's exact texts (fsdev/virtfs-proxy-helper.c). Observed on QEMU 7.2.22: real-helper.md §4,
// the `cli` session of vectors/proxy-conformance-public.json, proxy-protocol.md §11.1–11.6.

/**
 * usage(): lines 4–5 start with a space and a tab, and "give  access" has two spaces (the C source
 * concatenates "…to give " and " access…"). `%s` is basename(argv[0]) since 2.x; 1.x printed argv[0]
 * (§11.1).
 */
export function usageText(prog: string): string {
  return (
    `usage: ${prog}\n` +
    ' -p|--path <path> 9p path to export\n' +
    ' {-f|--fd <socket-descriptor>} socket file descriptor to be used\n' +
    ' {-s|--socket <socketname> socket file used for communication\n' +
    ' \t-u|--uid <uid> -g|--gid <gid>} - uid:gid combination to give  access to this socket\n' +
    ' \tNote: -s & -f can not be used together\n' +
    ' [-n|--nodaemon] Run as a normal program\n'
  );
}

export const MSG = {
  noSocketOrPath: 'socket, socket descriptor or path not specified\n',
  bothSocketAndFd: 'both named socket and socket descriptor specified\n',
  /** Printed by two fprintf calls in the source; one line on the terminal. */
  ownerNotSpecified: 'owner uid:gid not specified, owner uid:gid specifies who can access the socket file\n',
  invalidPath: (path: string, strerror: string) => `invalid path "${path}" specified, ${strerror}\n`,
  notDirectory: (path: string) => `specified path "${path}" is not directory\n`,
  daemonFailed: 'daemon call failed\n',
  started: 'Started\n',
  done: 'Done\n',
  socketExists: 'socket already exists\n',
  /** `%zu` of sizeof(sun_path) (§11.6 step 2). */
  sunPathTooLong: 'UNIX domain socket path exceeds 108 characters\n',
  /** error_report_once from close_if_special_file (CVE-2023-2861 fix, §5.5) — stderr only, never syslog. */
  specialFile: '9p: broken or compromised client detected; attempt to open special file (i.e. neither regular file, nor directory)\n',
  /** 8.1+: printed first, before option parsing (§11.2). */
  deprecated: "NOTE: The 9p 'proxy' backend is deprecated (since QEMU 8.1) and will be removed in a future version of QEMU!\n",
} as const;

/** do_perror: "%s:%s\n" — the call name and strerror(errno), no space (§11.4). */
export function perrorLine(call: string, strerror: string): string {
  return `${call}:${strerror}\n`;
}

/**
 * GLib's g_malloc failure for a negative size cast to gsize (§5.2; observed
 * `malformed/readlink_negative_size`): g_error → SIGTRAP. PID and wall-clock time vary per run.
 */
export function glibAllocFailure(pid: number, hhmmssmmm: string, bytes: bigint): string {
  return `\n(process:${pid}): GLib-ERROR **: ${hhmmssmmm}: ../../../glib/gmem.c:136: failed to allocate ${bytes} bytes\n`;
}

/**
 * syslog message as a local syslogd receives it, without glibc's timestamp: `<26>` = LOG_DAEMON|LOG_CRIT
 * (do_log ignores its level, §11.4), the openlog tag with LOG_PID, and the text as passed — its trailing
 * newline included (observed: daemon_mode end.syslog_messages "virtfs-proxy-helper[PID]: Started\n",
 * syslog_raw_priority "<26>").
 */
export function syslogLine(pid: number, msg: string): string {
  return `<26>virtfs-proxy-helper[${pid}]: ${msg}`;
}
