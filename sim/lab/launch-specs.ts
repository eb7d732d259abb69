// Command lines for the common setups (scenarios.md §2 drivers): what a (corrected) libvirt would
// run, without going through domain XML. `launchFromPlan` (plan.ts) takes a real libvirt plan.
import type { LaunchSpec } from './lab.ts';
import { DEBIAN_EMULATOR, DEBIAN_HELPER } from './lab.ts';

export interface ProxySpecOptions {
  exportPath: string;
  mountTag?: string;
  readonly?: boolean;
  /** The helper in the foreground (-n: stderr visible) instead of daemonised as libvirt starts it. */
  foreground?: boolean;
  helperFd?: number;
  qemuFd?: number;
}

const BASE = ['-nodefaults', '-display', 'none', '-machine', 'pc,accel=tcg', '-S'];

/** P: `virtfs-proxy-helper -f A -p EXPORT` + `-fsdev proxy,id=fsdev-fs0,sock_fd=B` (scenarios.md §2). */
export function proxySpec(o: ProxySpecOptions): LaunchSpec {
  const helperFd = o.helperFd ?? 3;
  const qemuFd = o.qemuFd ?? 4;
  return {
    socketpair: { helperFd, qemuFd },
    helper: [DEBIAN_HELPER, ...(o.foreground ? ['-n'] : []), '-f', String(helperFd), '-p', o.exportPath],
    qemu: [DEBIAN_EMULATOR, ...BASE, '-fsdev', `proxy,id=fsdev-fs0,sock_fd=${qemuFd}${o.readonly ? ',readonly=on' : ''}`,
      '-device', `virtio-9p-pci,id=fs0,fsdev=fsdev-fs0,mount_tag=${o.mountTag ?? 'tag'}`],
  };
}

export interface LocalSpecOptions {
  exportPath: string;
  securityModel?: 'passthrough' | 'mapped-xattr' | 'mapped-file' | 'none' | 'mapped';
  mountTag?: string;
  readonly?: boolean;
}

/** L-naive / L-hard: `-fsdev local,security_model=…,path=EXPORT` (which one depends on the version). */
export function localSpec(o: LocalSpecOptions): LaunchSpec {
  return {
    qemu: [DEBIAN_EMULATOR, ...BASE, '-fsdev', `local,id=fsdev-fs0,path=${o.exportPath},security_model=${o.securityModel ?? 'passthrough'}${o.readonly ? ',readonly=on' : ''}`,
      '-device', `virtio-9p-pci,id=fs0,fsdev=fsdev-fs0,mount_tag=${o.mountTag ?? 'tag'}`],
  };
}
