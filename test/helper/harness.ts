// A small client for tests: a simulated host with the recorded basic tree, a helper started with argv,
// and request/reply helpers over the client end of the socketpair.
import { readFileSync } from 'node:fs';
import { AF_UNIX, MSG_DONTWAIT, SOCK_STREAM } from '../../sim/host/constants.ts';
import { sessionHost } from '../../sim/helper/conformance/replay.ts';
import type { Session, Suite } from '../../sim/helper/conformance/suite.ts';
import { launchHelper, type LaunchedHelper } from '../../sim/helper/launch.ts';
import type { HelperConfig } from '../../sim/helper/helper.ts';
import type { Kernel } from '../../sim/host/kernel.ts';
import type { Process } from '../../sim/host/process.ts';

export const suite = JSON.parse(readFileSync('/work/shared/vectors/proxy-conformance-public.json', 'utf8')) as Suite;
export const basic = suite.sessions.find((s) => s.id === 'basic_fd')!;

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

export interface Client {
  k: Kernel;
  launcher: Process;
  h: LaunchedHelper;
  fd: number;
  stderr: () => string;
  export: string;
  /** Write bytes, let the helper run, return everything that arrived (and any fds). */
  send(bytes: Uint8Array): { reply: Uint8Array; fds: number[]; status: 'quiet' | 'eof' | string };
  close(): void;
}

export function startFd(opts: HelperConfig & { session?: Session; argv?: (fd: number, exp: string) => string[]; syslog?: (l: string) => void } = {}): Client {
  const s = opts.session ?? basic;
  const { k, launcher, paths } = sessionHost(s);
  const sp = k.socketpair(launcher, AF_UNIX, SOCK_STREAM);
  if (!sp.ok) throw new Error(sp.errno);
  const [mine, theirs] = sp.value;
  let err = '';
  const argv = opts.argv ? opts.argv(theirs, paths.export) : ['/usr/lib/qemu/virtfs-proxy-helper', '-n', '-p', paths.export, '-f', String(theirs)];
  const h = launchHelper(k, { ...opts, parent: launcher, argv, keepFds: [0, 1, 2, theirs], stderr: (t) => { err += t; }, syslog: opts.syslog });
  k.close(launcher, theirs);
  return {
    k, launcher, h, fd: mine, export: paths.export, stderr: () => err,
    send(bytes) {
      if (bytes.length) {
        const w = k.write(launcher, mine, bytes);
        if (!w.ok) throw new Error(`write: ${w.errno}`);
      }
      h.helper.run();
      const parts: number[] = [];
      const fds: number[] = [];
      let status: string;
      for (;;) {
        const r = k.recvmsg(launcher, mine, 65536, { flags: MSG_DONTWAIT });
        if (!r.ok) { status = r.errno === 'EAGAIN' ? 'quiet' : `recv-error:${r.errno}`; break; }
        if (r.value.data.length === 0) { status = 'eof'; break; }
        parts.push(...r.value.data);
        fds.push(...r.value.fds);
      }
      return { reply: Uint8Array.from(parts), fds, status };
    },
    close() {
      k.close(launcher, mine);
      h.helper.run();
    },
  };
}
