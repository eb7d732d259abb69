// Starting the helper the way a launcher (libvirt, the conformance recorder) does: fork the launcher,
// keep only the fds the helper should inherit (fd mode: one end of a socketpair at its number), exec
// virtfs-proxy-helper with argv. The helper runs as root with the launcher's full capabilities.
import type { Kernel } from '../host/kernel.ts';
import type { Process } from '../host/process.ts';
import { VirtfsProxyHelper, type HelperConfig } from './helper.ts';
import { helperBehaviour } from './behaviour.ts';
import { KernelHelperOs } from './kernel-os.ts';

/** TASK_COMM_LEN 16: /proc/PID/comm of the helper is its name cut to 15 bytes. */
export const HELPER_COMM = 'virtfs-proxy-he';

export interface LaunchOptions extends HelperConfig {
  /** The process that forks the helper (its fds, cwd, root and credentials are inherited). */
  parent: Process;
  argv: readonly string[];
  /** Descriptors the helper keeps (everything else is closed, as CLOEXEC would). Default [0, 1, 2]. */
  keepFds?: readonly number[];
  /** Receives the helper's stderr text while it runs in the foreground. */
  stderr?: (text: string) => void;
  /** A syslogd on /dev/log; without one, daemon-mode log lines are lost (real-helper.md §2). */
  syslog?: (line: string) => void;
  /** Run main() right away (default true): it stops at accept/read/FIFO sleeps or at exit. */
  run?: boolean;
}

export interface LaunchedHelper {
  helper: VirtfsProxyHelper;
  os: KernelHelperOs;
  /** PID of the process the launcher started (the daemon parent, in daemon mode). */
  pid: number;
}

export function launchHelper(kernel: Kernel, o: LaunchOptions): LaunchedHelper {
  const proc = kernel.fork(o.parent, HELPER_COMM);
  const keep = new Set(o.keepFds ?? [0, 1, 2]);
  for (const [fd] of proc.files.entries()) if (!keep.has(fd)) kernel.close(proc, fd);
  const b = helperBehaviour(o.version ?? '7.2.22');
  const os = new KernelHelperOs(kernel, proc, { rcuThread: b.rcuThread, stderr: o.stderr, syslog: o.syslog });
  const helper = new VirtfsProxyHelper(os, o.argv, o);
  if (o.run ?? true) helper.run();
  return { helper, os, pid: proc.pid };
}
