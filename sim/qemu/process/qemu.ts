// QEMU as a process on the simulated host: option parsing and the start/exit verdict come from
// sim/qemu/options (the exact texts per version); then each virtio-9p device is realized for real —
// driver init (proxy: the socket fd or connect+unlink of socket=PATH; local: open the export root)
// and the `T_LSTAT "/\0"` / lstat of the root that must be a directory (real-helper.md §3.1,
// proxy-protocol.md §12.4). When the real exchange disagrees with what the option model assumed
// (dead helper, regular file, stuck peer), the model is asked again with the facts, so the stderr
// text stays the model's (one source of truth for QEMU's words).
import type { Kernel } from '../../host/kernel.ts';
import type { Process } from '../../host/process.ts';
import { isDir, isReg, AF_UNIX, SOCK_STREAM } from '../../host/constants.ts';
import { bstrToBytes, textToBstr } from '../../host/bytes.ts';
import { qemuVersion, type QemuVersion } from '../versions.ts';
import { runQemuCommandLine, V9FS, type QemuRun, type PeerMap, type Peer, type HostLookup, type FsDriverEntry, type RealizedDevice } from '../options/index.ts';
import type { QemuTraceSink } from '../server/trace-sink.ts';
import { NULL_TRACE } from '../server/trace-sink.ts';
import { Virtio9pTransport, type RunOthers, type P9Transport } from '../server/transport.ts';
import type { V9fsState } from '../server/state.ts';
import { FidTable } from '../server/fid.ts';
import type { FileOperations, SecurityModel } from '../fsdev/file-ops.ts';
import { ProxyDriver } from '../fsdev/proxy/driver.ts';
import { QemuAbortError } from '../fsdev/proxy/client.ts';
import { HardenedLocalDriver } from '../fsdev/local/hardened.ts';
import { NaiveLocalDriver } from '../fsdev/local/naive.ts';
import { KernelLibc } from './kernel-libc.ts';
import type { Libc } from './libc.ts';

export interface QemuStartOptions {
  kernel: Kernel;
  /** QEMU's task: forked by the launcher with the fds it inherits and its credentials set. */
  task: Process;
  version: string;
  /** The words after the program name. */
  args: readonly string[];
  trace?: QemuTraceSink;
  /** Lets the other processes (the helper) run while QEMU waits on them. */
  runOthers?: RunOthers;
}

export interface QemuDevice {
  readonly mountTag: string;
  readonly fsdevId: string;
  readonly driver: FileOperations;
  readonly state: V9fsState;
  readonly transport: P9Transport;
}

export type QemuStatus = 'running' | 'exited' | 'aborted' | 'hung';

export class QemuProcess {
  readonly v: QemuVersion;
  readonly libc: Libc;
  readonly trace: QemuTraceSink;
  stderr = '';
  status: QemuStatus = 'running';
  exitCode: number | null = null;
  run: QemuRun | undefined;
  readonly devices: QemuDevice[] = [];

  constructor(private readonly o: QemuStartOptions) {
    this.v = qemuVersion(o.version);
    this.libc = new KernelLibc(o.kernel, o.task);
    this.trace = o.trace ?? NULL_TRACE;
  }

  get pid(): number {
    return this.o.task.pid;
  }

  /** The verdict in the shape sim/qemu/options and the libvirt layer use. */
  get verdict(): { starts: boolean; exitCode: number | null; stderr: string } {
    return { starts: this.status === 'running', exitCode: this.exitCode, stderr: this.stderr };
  }

  transport(mountTag?: string): P9Transport {
    const d = mountTag === undefined ? this.devices[0] : this.devices.find((x) => x.mountTag === mountTag);
    if (!d) throw new Error(mountTag === undefined ? 'QEMU has no 9p device' : `QEMU has no 9p device with mount_tag '${mountTag}'`);
    return d.transport;
  }

  private writeStderr(line: string): void {
    this.stderr += line.endsWith('\n') ? line : `${line}\n`;
  }

  /** What sits behind each fd QEMU inherited, for the option model's realize (peer.ts). */
  private peersFromFds(): PeerMap {
    const fds: Record<number, Peer> = {};
    for (const [fd, e] of this.o.task.files.entries()) {
      if (e.file.kind === 'socket') fds[fd] = 'helper';
      else if (e.file.kind === 'regular') fds[fd] = 'regular_file_fd';
    }
    return { fds, otherFds: 'none', otherSockets: 'socket_helper' };
  }

  private hostLookup(): HostLookup {
    return (path: string) => {
      const r = this.o.kernel.stat(this.o.task, bstrToBytes(textToBstr(path)));
      if (!r.ok) return 'missing';
      return isDir(r.value.mode) ? 'dir' : 'file';
    };
  }

  private finish(r: QemuRun): void {
    this.run = r;
    this.stderr = r.stderr;
    if (r.starts) { this.status = 'running'; return; }
    if (r.signal === 'SIGABRT') { this.status = 'aborted'; this.o.kernel.exit(this.o.task, 128 + 6); return; }
    if (r.hung) { this.status = 'hung'; return; }
    this.status = 'exited';
    this.exitCode = r.exitCode;
    this.o.kernel.exit(this.o.task, r.exitCode ?? 1);
  }

  /** qemu_init up to a running machine (or its exit). */
  start(): this {
    let peers = this.peersFromFds();
    const host = this.hostLookup();
    let r = runQemuCommandLine(this.o.args, { version: this.o.version, peer: peers, host });
    if (!r.starts) { this.finish(r); return this; }
    // Realize the devices for real, in the model's order.
    const drivers = new Map<string, FileOperations>();
    for (const dev of r.devices) {
      const fse = r.fsdevs.find((f) => f.id === dev.fsdev)!;
      const outcome = this.realize(dev, fse, drivers);
      if (outcome.kind === 'ok') continue;
      if (outcome.kind === 'abort') {
        // The client already printed glibc's assert line to QEMU's stderr.
        this.status = 'aborted';
        this.o.kernel.exit(this.o.task, 128 + 6);
        this.trace.note('qemu:abort', 'QEMU aborted during device realize (SIGABRT)', 'real-helper.md §5');
        return this;
      }
      // Tell the model what really happened behind this fd/socket and let it word the failure.
      peers = { ...peers, fds: { ...peers.fds } };
      const peer: Peer = outcome.kind === 'hang' ? 'fake_silent' : outcome.kind === 'not_dir' ? 'fake_not_dir' : 'fake_enoent';
      if (dev.proxy?.mode === 'sock_fd') peers.fds![dev.proxy.fd] = peer;
      else if (dev.proxy?.mode === 'socket') peers = { ...peers, sockets: { ...(peers.sockets ?? {}), [dev.proxy.path]: outcome.kind === 'connect' ? 'none' : peer } };
      r = runQemuCommandLine(this.o.args, { version: this.o.version, peer: peers, host });
      this.devices.length = 0;
      this.finish(r);
      if (r.starts) {
        // The model could not express this failure: report it in QEMU's realize wording.
        this.writeStderr(`qemu-system-x86_64: share path ${fse.path} does not exist`);
        this.status = 'exited';
        this.exitCode = 1;
      }
      return this;
    }
    this.finish(r);
    return this;
  }

  private makeDriver(fse: FsDriverEntry, sockfd: number): FileOperations {
    const flags = fse.exportFlags | fse.droppedFlags;
    const common = {
      libc: this.libc,
      features: this.v.features,
      trace: this.trace,
      stderr: (l: string) => this.writeStderr(l),
      readonly: (flags & V9FS.RDONLY) !== 0,
      writeoutImmediate: (flags & V9FS.IMMEDIATE_WRITEOUT) !== 0,
    };
    if (fse.driver === 'proxy') return new ProxyDriver({ ...common, sockfd });
    const sm: SecurityModel = fse.exportFlags & V9FS.SM_MAPPED ? 'mapped-xattr'
      : fse.exportFlags & V9FS.SM_MAPPED_FILE ? 'mapped-file'
      : fse.exportFlags & V9FS.SM_NONE ? 'none' : 'passthrough';
    const lo = {
      ...common,
      root: textToBstr(fse.path ?? ''),
      securityModel: sm,
      fmode: fse.fmode,
      dmode: fse.dmode,
      // CVE-2017-7493 fix "9pfs: local: forbid client access to metadata", QEMU 2.10 (scenarios.md §5).
      metadataNamesRefused: this.v.major > 2 || (this.v.major === 2 && this.v.minor >= 10),
      oPathExempt: oPathExempt(this.v),
    };
    return this.v.features.localHardened ? new HardenedLocalDriver(lo) : new NaiveLocalDriver(lo);
  }

  private realize(dev: RealizedDevice, fse: FsDriverEntry, drivers: Map<string, FileOperations>):
    { kind: 'ok' } | { kind: 'abort'; line: string } | { kind: 'hang' } | { kind: 'not_dir' } | { kind: 'error' } | { kind: 'connect' } {
    let driver = drivers.get(fse.id);
    if (!driver) {
      let sockfd = -1;
      if (dev.proxy?.mode === 'sock_fd') sockfd = dev.proxy.fd;
      else if (dev.proxy?.mode === 'socket') {
        // connect_namedsocket: socket, connect, then unlink "for security reasons" (§12.4).
        const s = this.o.kernel.socket(this.o.task, AF_UNIX, SOCK_STREAM, 0);
        if (!s.ok) return { kind: 'connect' };
        const path = bstrToBytes(textToBstr(dev.proxy.path));
        const c = this.o.kernel.connect(this.o.task, s.value, path);
        if (!c.ok) { this.o.kernel.close(this.o.task, s.value); return { kind: 'connect' }; }
        this.o.kernel.unlink(this.o.task, path);
        sockfd = s.value;
      }
      driver = this.makeDriver(fse, sockfd);
      drivers.set(fse.id, driver);
    }
    const state: V9fsState = {
      tag: dev.mountTag,
      driver,
      features: this.v.features,
      qv: this.v,
      fids: new FidTable(),
      msize: 8192,
      trace: this.trace,
      stderr: (l) => this.writeStderr(l),
      reportedOnce: new Set(),
    };
    const runOthers = this.o.runOthers ?? (() => false);
    const transport = new Virtio9pTransport(state, runOthers);
    transport.onAbort = () => {
      this.status = 'aborted';
      if (this.o.task.state !== 'exited') this.o.kernel.exit(this.o.task, 128 + 6);
    };
    // v9fs_device_realize_common: init, then name_to_path("/") + lstat: must be a directory.
    const co = (function* () {
      const init = yield* driver.init();
      if (!init.ok) return { kind: 'error' as const };
      const root = driver.nameToPath(null, '/');
      if (!root.ok) return { kind: 'error' as const };
      const st = yield* driver.lstat(root.value);
      if (!st.ok) return { kind: 'error' as const };
      state.devId = st.value.dev;
      return isDir(st.value.mode) ? { kind: 'ok' as const } : { kind: 'not_dir' as const };
    })();
    try {
      for (;;) {
        const n = co.next();
        if (n.done) {
          if (n.value.kind === 'ok') this.devices.push({ mountTag: dev.mountTag, fsdevId: fse.id, driver, state, transport });
          return n.value;
        }
        // Realize runs on QEMU's main thread: it waits until the peer answers (or forever).
        if (!this.trace.withCause(n.value.cause, () => runOthers())) return { kind: 'hang' };
      }
    } catch (e) {
      if (e instanceof QemuAbortError) return { kind: 'abort', line: e.stderrLine };
      throw e;
    }
  }
}

export function startQemu(o: QemuStartOptions): QemuProcess {
  return new QemuProcess(o).start();
}

export { isReg };

/**
 * The O_PATH exemption of the CVE-2023-2861 check (see LocalDriverOptions.oPathExempt): 9.2, and the
 * 9.1.3 stable backport. NOT in Debian's 7.2.22: observed with the real binary (real-qemu.test.ts,
 * Tmknod of a FIFO under passthrough answers ENXIO), so no 7.2.x carries it in the model.
 */
export function oPathExempt(v: QemuVersion): boolean {
  const n = v.major * 10000 + v.minor * 100 + v.micro;
  return n >= 90200 || (n >= 90103 && n < 90200);
}
