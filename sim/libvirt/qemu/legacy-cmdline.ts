// qemuBuildCommandLine of libvirt 0.10.2 / 1.0.0 (+ the 2014 tree), for the modelled domain subset,
// with the proxy patch v3 (as posted or corrected) in the filesystem loop.
//
// Sources: libvirt.md §3.4–§3.7 and the fs9p golden files (fixtures/libvirt-xml2argv/v0.10.2, v1.0.0,
// v1.2.8-pre) for the order of options; the seed patch for the proxy block. Words outside the
// filesystems follow the fs9p line; other capability combinations are modelled, not golden-tested.

import { LibvirtError } from '../errors.ts';
import type { LegacyRelease, Variant } from '../era.ts';
import type { CapName } from '../caps/names.ts';
import type { DomainDef } from '../conf/domain.ts';
import type { Note, SocketPair } from '../types.ts';
import { ArgvBuilder } from './argv-builder.ts';
import { buildLegacyFsDevStr, buildLegacyFsStr, legacyPciAddressStr } from './legacy-fs.ts';
import { helperArgv, helperPath, LibvirtdFds } from './legacy-proxy.ts';
import { assignPciSlots } from './pci-slots.ts';

export interface LegacyBuildInput {
  dom: DomainDef;
  caps: Set<CapName>;
  variant: Variant;
  release: LegacyRelease;
  host: 'libvirtd' | 'xml2argv-test';
  emulator: string;
  helperDir: string;
  firstFreeFd: number;
  /** QEMU version numbers, for the corrected variant's readonly/writeout refusal (< 5.0). */
  qemuMajorMinor: { major: number; minor: number };
}

export interface LegacyBuildOutput {
  env: string[];
  qemu: ArgvBuilder;
  helpers: { argv: ArgvBuilder; path: string; alias: string }[];
  socketpairs: SocketPair[];
  notes: Note[];
}

/** Thrown with whatever was already done when the build fails (the patch may have spawned helpers). */
export class LegacyBuildError extends Error {
  constructor(readonly error: LibvirtError, readonly partial: LegacyBuildOutput) {
    super(error.message);
  }
}

/** IDE target name → bus/unit (hda 0/0, hdb 0/1, hdc 1/0, hdd 1/1). */
function ideIndex(dst: string): { bus: number; unit: number } {
  const i = Math.max(0, dst.charCodeAt(2) - 97);
  return { bus: Math.floor(i / 2), unit: i % 2 };
}

const BOOT_CHARS: Record<string, string> = { fd: 'a', hd: 'c', cdrom: 'd', network: 'n' };

export function buildLegacyCommandLine(inp: LegacyBuildInput): LegacyBuildOutput {
  const q = new ArgvBuilder('qemu');
  const out: LegacyBuildOutput = { env: [], qemu: q, helpers: [], socketpairs: [], notes: [] };
  try {
    build(inp, out);
  } catch (e) {
    if (e instanceof LibvirtError) throw new LegacyBuildError(e, out);
    throw e;
  }
  return out;
}

function build(inp: LegacyBuildInput, out: LegacyBuildOutput): void {
  const { dom, caps, variant, release } = inp;
  const q = out.qemu;
  const hasDevice = caps.has('device');

  // Environment (virCommandAddEnvPassCommon; the test harness fixes its own values).
  out.env = inp.host === 'xml2argv-test'
    ? ['LC_ALL=C', 'PATH=/bin', 'HOME=/home/test', 'USER=test', 'LOGNAME=test']
    : ['LC_ALL=C', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'USER=root', 'LOGNAME=root'];
  // The 2014 tree exports QEMU_AUDIO_DRV=none for a domain without graphics (v1.2.8-pre fs9p.args).
  if (release === '1.2.8') out.env.push('QEMU_AUDIO_DRV=none');

  q.add(inp.emulator, dom.emulatorSpan);
  if (caps.has('name')) q.addAll('-name', dom.name);
  q.add('-S');
  q.addAll('-M', dom.machine);
  if (dom.virtType === 'kvm' && caps.has('enable-kvm')) q.add('-enable-kvm');
  else if (dom.virtType === 'qemu' && caps.has('kvm')) q.add('-no-kvm');
  q.addAll('-m', String(Math.floor(dom.memoryKiB / 1024)));
  q.addAll('-smp', String(dom.vcpus));
  if (caps.has('uuid') && dom.uuid) q.addAll('-uuid', dom.uuid);
  q.add('-nographic');
  if (hasDevice) {
    if (caps.has('no-user-config')) q.add('-no-user-config');
    else if (caps.has('nodefconfig')) q.add('-nodefconfig');
    q.add('-nodefaults');
  }
  const monitorPath = inp.host === 'xml2argv-test' ? '/tmp/test-monitor' : `/var/lib/libvirt/qemu/${dom.name}.monitor`;
  if (caps.has('chardev')) {
    q.addAll('-chardev', `socket,id=charmonitor,path=${monitorPath},server,nowait`);
    q.addAll('-mon', `chardev=charmonitor,id=monitor,mode=${caps.has('monitor-json') ? 'control' : 'readline'}`);
  } else {
    q.addAll('-monitor', `unix:${monitorPath},server,nowait`);
  }
  if (caps.has('rtc')) q.addAll('-rtc', 'base=utc');
  if (caps.has('monitor-json') && caps.has('no-shutdown')) q.add('-no-shutdown');
  if (caps.has('no-acpi') && !dom.acpi) q.add('-no-acpi');
  const boot = (dom.bootDevs.length ? dom.bootDevs : ['hd']).map((d) => BOOT_CHARS[d] ?? '').join('');
  q.addAll('-boot', boot);
  const usb = dom.usbModel !== 'none';
  // v1.0.0 moved -usb before the disks (commit 81af5336a, libvirt.md §0).
  if (usb && release !== '0.10.2') q.add('-usb');

  const pci = hasDevice ? assignPciSlots(dom, '0.10.2') : undefined;

  // Disks.
  dom.disks.forEach((d, i) => {
    if (!caps.has('drive')) {
      if (d.bus !== 'ide') throw new LibvirtError('NOT_MODELLED', `a ${d.bus} disk without QEMU_CAPS_DRIVE is not modelled`, d.span);
      q.addAll(`-${d.dst}`, d.src);
      return;
    }
    if (!hasDevice) throw new LibvirtError('NOT_MODELLED', '-drive without QEMU_CAPS_DEVICE is not modelled', d.span);
    const id = d.bus === 'ide' ? `ide${ideIndex(d.dst).bus}-0-${ideIndex(d.dst).unit}` : `virtio-disk${dom.disks.slice(0, i).filter((x) => x.bus === 'virtio').length}`;
    q.addAll('-drive', `file=${d.src},if=none,id=drive-${id}${d.format ? `,format=${d.format}` : ''}`);
    if (d.bus === 'ide') {
      const ix = ideIndex(d.dst);
      q.addAll('-device', `ide-drive,bus=ide.${ix.bus},unit=${ix.unit},drive=drive-${id},id=${id}`);
    } else {
      q.addAll('-device', `virtio-blk-pci${legacyPciAddressStr(pci!.disks[i]!, caps)},drive=drive-${id},id=${id}`);
    }
  });

  // Filesystems (with the patch).
  if (dom.filesystems.length) {
    if (!caps.has('fsdev')) {
      throw new LibvirtError('CONFIG_UNSUPPORTED', 'filesystem passthrough not supported by this QEMU', dom.filesystems[0]!.spans.element);
    }
    const fds = new LibvirtdFds(inp.firstFreeFd);
    dom.filesystems.forEach((fs, i) => {
      const alias = hasDevice ? `fs${i}` : null;
      let qemuSocket = -1;
      if (fs.fsdriver === 'proxy') {
        if (variant === 'corrected') {
          if (!caps.has('fsdev-proxy')) {
            throw new LibvirtError('CONFIG_UNSUPPORTED', 'proxy helper not supported', fs.spans.driverType ?? fs.spans.element);
          }
          const old = inp.qemuMajorMinor.major < 5;
          if (old && (fs.readonly || fs.wrpolicy !== 'default')) {
            throw new LibvirtError('CONFIG_UNSUPPORTED', 'readonly and writeout have no effect with the proxy fsdriver before QEMU 5.0',
              fs.spans.readonly ?? fs.spans.wrpolicy ?? fs.spans.element);
          }
          // Corrected: validate the whole -fsdev string before anything is spawned.
          buildLegacyFsStr(fs, alias, caps, variant, 0);
        }
        // As posted: `if (qemuCapsGet(qemuCaps, QEMU_CAPS_FSDEV_PROXY) < 0)` — a bool is never < 0.
        const [helperFd, qemuFd] = fds.socketpair();
        qemuSocket = qemuFd;
        const path = helperPath(variant, inp.emulator, inp.helperDir);
        out.helpers.push({ argv: helperArgv(path, variant, helperFd, fs), path, alias: alias ?? '(null)' });
        out.socketpairs.push({ alias: alias ?? '(null)', helperFd, qemuFd });
        fds.close(helperFd);
      }
      q.add('-fsdev', fs.spans.element);
      q.add(buildLegacyFsStr(fs, alias, caps, variant, qemuSocket));
      if (hasDevice) {
        q.add('-device', fs.spans.element);
        q.add(buildLegacyFsDevStr(fs, alias, pci!.fs[i], caps));
      }
    });
  }

  // Networks (user mode only).
  dom.nets.forEach((n, i) => {
    const model = n.model ?? 'rtl8139';
    const mac = n.mac ?? `52:54:00:00:00:${(i + 1).toString(16).padStart(2, '0')}`;
    if (caps.has('netdev') && hasDevice) {
      q.addAll('-netdev', `user,id=hostnet${i}`);
      const dev = model === 'virtio' ? 'virtio-net-pci' : model;
      q.addAll('-device', `${dev},netdev=hostnet${i},id=net${i},mac=${mac}${legacyPciAddressStr(pci!.nets[i]!, caps)}`);
    } else {
      q.addAll('-net', `nic,macaddr=${mac},vlan=${i},model=${model}`, '-net', `user,vlan=${i}`);
    }
  });
  if (!dom.nets.length && !hasDevice) q.addAll('-net', 'none');
  if (!hasDevice) q.addAll('-serial', 'none', '-parallel', 'none');
  if (usb && release === '0.10.2') q.add('-usb');
  if (dom.memballoonModel === 'virtio') {
    if (hasDevice) q.addAll('-device', `virtio-balloon-pci,id=balloon0${legacyPciAddressStr(pci!.balloon!, caps)}`);
    else if (caps.has('balloon')) q.addAll('-balloon', 'virtio');
  }
}
