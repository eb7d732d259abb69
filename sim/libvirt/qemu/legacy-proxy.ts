// The proxy patch v3's launch of virtfs-proxy-helper, and libvirtd's descriptors around it.
//
// Source: seed-libvirt-proxy-patch.txt (qemuInvokeProxyHelper, the socketpair block of
// qemuBuildCommandLine), libvirt.md §4.3 (plan), §4.4 (defects), §4.5 (corrected variant).

import type { Variant } from '../era.ts';
import type { FsDef } from '../conf/fsdef.ts';
import { ArgvBuilder } from './argv-builder.ts';

export const HELPER = 'virtfs-proxy-helper';

/** glibc dirname(): "/usr/bin/qemu" → "/usr/bin"; "qemu" → "."; "/qemu" → "/". */
export function dirname(path: string): string {
  const p = path.replace(/\/+$/, '');
  if (p === '') return path.startsWith('/') ? '/' : '.';
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  const d = p.slice(0, i).replace(/\/+$/, '');
  return d === '' ? '/' : d;
}

/**
 * libvirtd's descriptor table while the command line is built: socketpair() takes the two lowest
 * free numbers; the helper's end is closed in libvirtd after the spawn (virCommandFree closes fds
 * handed over with virCommandTransferFD), QEMU's end stays open until QEMU is exec'd.
 */
export class LibvirtdFds {
  private open = new Set<number>();
  constructor(readonly firstFree: number) {}
  private lowest(): number {
    let fd = this.firstFree;
    while (this.open.has(fd)) fd++;
    this.open.add(fd);
    return fd;
  }
  socketpair(): [number, number] {
    const a = this.lowest();
    const b = this.lowest();
    return [a, b];
  }
  close(fd: number): void {
    this.open.delete(fd);
  }
}

/** The helper's path as the patch computes it, or the corrected variant's configured directory. */
export function helperPath(variant: Variant, emulator: string, helperDir: string): string {
  const dir = variant === 'as-posted' ? dirname(emulator) : helperDir.replace(/\/+$/, '') || '/';
  return dir === '/' ? `/${HELPER}` : `${dir}/${HELPER}`;
}

/** The helper's argv: `<helper> -f <fd> -p <source>` (as posted: no -n, so it daemonises itself). */
export function helperArgv(path: string, variant: Variant, fd: number, fs: FsDef): ArgvBuilder {
  const b = new ArgvBuilder('helper');
  b.add(path, fs.spans.driverType ?? fs.spans.element);
  if (variant === 'corrected') b.add('-n');
  b.add('-f').add(String(fd)).add('-p').add(fs.src ?? '', fs.spans.src);
  return b;
}

/**
 * Where a QEMU version installs the helper: QEMU 1.1's configure put it among the tools in bindir,
 * next to the emulator (libvirt.md §4.4, "distributions may differ"); the meson build (5.2+,
 * approximate) installs it in libexecdir, which Debian maps to /usr/lib/qemu (real-helper.md §1).
 */
export function defaultHelperLocation(qemu: { major: number; minor: number }, emulator: string): string {
  const meson = qemu.major > 5 || (qemu.major === 5 && qemu.minor >= 2);
  return meson ? `/usr/lib/qemu/${HELPER}` : `${dirname(emulator)}/${HELPER}`;
}
