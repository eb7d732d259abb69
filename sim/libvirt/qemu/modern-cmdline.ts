// The whole QEMU command line of libvirt 9.0 for the modelled domain subset, in libvirt's order.
//
// Shape taken word for word from fixtures/libvirt-9.0-oracle/*.argv (virsh 9.0 domxml-to-native
// with an embed root, QEMU 7.2.22) and checked by test/libvirt's differential run against the real
// virsh on generated domains. Outside filesystems the modelled devices are: file/block disks on
// ide/virtio, user-mode interfaces (domxml-to-native turns them into tap fds from 5 on), the USB
// controller, the memballoon, memfd/file shared memory.

import { LibvirtError } from '../errors.ts';
import type { CapName } from '../caps/names.ts';
import type { DomainDef } from '../conf/domain.ts';
import { ArgvBuilder } from './argv-builder.ts';
import { buildModern9pDevice, buildModernFsStr, buildVirtiofsDevice, escapeComma, pciAddressProps, validateModernFs } from './modern-fs.ts';
import { assignPciSlots } from './pci-slots.ts';

export interface ModernBuildInput {
  dom: DomainDef;
  caps: Set<CapName>;
  qemu: { major: number; minor: number };
  emulator: string;
  host: 'libvirtd' | 'domxml-to-native' | 'xml2argv-test';
  embedRoot?: string;
  /** The lowest free fd of the process building the line (domxml-to-native's tap fds start there). */
  firstFreeFd?: number;
}

export interface ModernBuildOutput {
  env: string[];
  qemu: ArgvBuilder;
}

/** virDomainDefGetShortName: the name cut to 20 characters. */
function shortName(name: string): string {
  return [...name].slice(0, 20).join('');
}

/** A stable stand-in for the random UUID libvirt generates when <uuid> is missing (FNV-1a of the name). */
export function uuidForName(name: string): string {
  let h = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b];
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    h = h.map((x, i) => Math.imul(x ^ (c + i), 0x01000193) >>> 0);
  }
  const hex = h.map((x) => x.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function buildModernCommandLine(inp: ModernBuildInput): ModernBuildOutput {
  const { dom, caps } = inp;
  if (dom.arch !== 'x86_64') throw new LibvirtError('NOT_MODELLED', `arch '${dom.arch}' is not modelled for libvirt 9.0 (only x86_64)`);
  let machine: string;
  // libvirt's test harness uses fake capabilities without machine aliases: 'pc' stays 'pc'.
  if (inp.host === 'xml2argv-test') machine = dom.machine;
  else if (dom.machine === 'pc') machine = `pc-i440fx-${inp.qemu.major}.${inp.qemu.minor}`;
  else if (/^pc-i440fx-\d+\.\d+$/.test(dom.machine)) machine = dom.machine;
  else throw new LibvirtError('NOT_MODELLED', `machine '${dom.machine}' is not modelled for libvirt 9.0 (only i440fx 'pc')`);

  // Post-parse: addresses first (loop/nbd/ploop fail here), then validation (libvirt.md §6.1).
  const pci = assignPciSlots(dom, '9.0');
  for (const fs of dom.filesystems) validateModernFs(fs, dom, caps);
  // virDomainDefFSValidate, after the devices: duplicate targets are refused among virtiofs
  // filesystems only (observed with virsh 9.0; two 9p filesystems may share a mount tag).
  const vfsTags = new Set<string>();
  for (const fs of dom.filesystems) {
    if (fs.fsdriver !== 'virtiofs' || fs.dst === undefined) continue;
    if (vfsTags.has(fs.dst)) throw new LibvirtError('CONFIG_UNSUPPORTED', `filesystem target '${fs.dst}' specified twice`, fs.spans.dst);
    vfsTags.add(fs.dst);
  }

  const domId = inp.host === 'libvirtd' ? 1 : -1;
  const root = inp.host === 'domxml-to-native' ? `${inp.embedRoot ?? 'EMBED_ROOT'}/lib/qemu` : inp.host === 'xml2argv-test' ? '/tmp/lib' : '/var/lib/libvirt/qemu';
  const domDir = `${root}/domain-${domId}-${shortName(dom.name)}`;
  const ramDir = `${root}/ram/${domId}-${shortName(dom.name)}`;
  // virCommandAddEnvPassCommon passes PATH/USER/LOGNAME from libvirt's own environment: virsh run
  // under `env -i PATH=/usr/bin:/bin` (libvirt.md §7) has no USER/LOGNAME; the test harness sets them.
  const env = inp.host === 'xml2argv-test'
    ? ['LC_ALL=C', 'PATH=/bin', `HOME=${domDir}`, 'USER=test', 'LOGNAME=test']
    : ['LC_ALL=C', inp.host === 'domxml-to-native' ? 'PATH=/usr/bin:/bin' : 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOME=${domDir}`];
  env.push(`XDG_DATA_HOME=${domDir}/.local/share`, `XDG_CACHE_HOME=${domDir}/.cache`, `XDG_CONFIG_HOME=${domDir}/.config`);

  const json = caps.has('device.json');
  const q = new ArgvBuilder('qemu');
  q.add(inp.emulator, dom.emulatorSpan);
  q.addAll('-name', `guest=${escapeComma(dom.name)},debug-threads=on`);
  q.add('-S');
  q.addAll('-object', JSON.stringify({ 'qom-type': 'secret', id: 'masterKey0', format: 'raw', file: `${domDir}/master-key.aes` }));
  q.addAll('-machine', `${machine},usb=off,dump-guest-core=off,memory-backend=pc.ram`);
  q.addAll('-accel', dom.virtType === 'kvm' ? 'kvm' : 'tcg');
  q.addAll('-cpu', 'qemu64');
  const mib = Math.ceil(dom.memoryKiB / 1024);
  q.addAll('-m', String(mib));
  const size = mib * 1048576;
  let backend: Record<string, unknown>;
  if (dom.sharedMemory && dom.memfd) {
    backend = { 'qom-type': 'memory-backend-memfd', id: 'pc.ram', share: true, 'x-use-canonical-path-for-ramblock-id': false, size };
  } else if (dom.sharedMemory) {
    backend = { 'qom-type': 'memory-backend-file', id: 'pc.ram', 'mem-path': `${ramDir}/pc.ram`, share: true, 'x-use-canonical-path-for-ramblock-id': false, size };
  } else if (dom.memfd) {
    backend = { 'qom-type': 'memory-backend-memfd', id: 'pc.ram', 'x-use-canonical-path-for-ramblock-id': false, size };
  } else {
    backend = { 'qom-type': 'memory-backend-ram', id: 'pc.ram', size };
  }
  q.addAll('-object', JSON.stringify(backend));
  q.addAll('-overcommit', 'mem-lock=off');
  q.addAll('-smp', `${dom.vcpus},sockets=${dom.vcpus},cores=1,threads=1`);
  q.addAll('-uuid', dom.uuid ?? uuidForName(dom.name));
  q.addAll('-display', 'none');
  q.add('-no-user-config');
  q.add('-nodefaults');
  q.addAll('-chardev', inp.host === 'domxml-to-native'
    ? `socket,id=charmonitor,path=${escapeComma(`${domDir}/monitor.sock`)},server=on,wait=off`
    // A running daemon pre-opens the monitor socket and passes it (fixtures/…/fs9p.x86_64-latest.args).
    : 'socket,id=charmonitor,fd=1729,server=on,wait=off');
  q.addAll('-mon', 'chardev=charmonitor,id=monitor,mode=control');
  q.addAll('-rtc', 'base=utc');
  q.add('-no-shutdown');
  if (!dom.acpi) q.add('-no-acpi');
  q.addAll('-boot', 'strict=on');
  if (dom.usbModel !== 'none') {
    q.addAll('-device', JSON.stringify({ driver: 'piix3-usb-uhci', id: 'usb', bus: 'pci.0', addr: '0x1.0x2' }));
  }

  // Disks: node names count down (the first disk has the highest number); the first disk boots.
  // <os><boot dev='hd'/> (added by post-parse when nothing sets a boot order) becomes bootindex 1 on
  // the first disk; a per-device <boot order> anywhere disables that (observed with virsh 9.0).
  const perDeviceBoot = dom.filesystems.some((f) => f.bootIndex !== undefined);
  const bootDisk = !perDeviceBoot && (dom.bootDevs.length === 0 || dom.bootDevs.includes('hd')) ? 0 : -1;
  dom.disks.forEach((d, i) => {
    const n = dom.disks.length - i;
    const storage: Record<string, unknown> = { driver: d.type === 'block' ? 'host_device' : 'file', filename: d.src, 'node-name': `libvirt-${n}-storage`, 'auto-read-only': true, discard: 'unmap' };
    q.addAll('-blockdev', JSON.stringify(storage));
    q.addAll('-blockdev', JSON.stringify({ 'node-name': `libvirt-${n}-format`, 'read-only': false, driver: d.format ?? 'raw', file: `libvirt-${n}-storage` }));
    const idx = Math.max(0, d.dst.charCodeAt(2) - 97);
    let dev: Record<string, unknown>;
    if (d.bus === 'ide') {
      dev = { driver: 'ide-hd', bus: `ide.${Math.floor(idx / 2)}`, unit: idx % 2, drive: `libvirt-${n}-format`, id: `ide0-${Math.floor(idx / 2)}-${idx % 2}` };
    } else {
      dev = { driver: 'virtio-blk-pci', ...pciAddressProps(pci.disks[i]!), drive: `libvirt-${n}-format`, id: `virtio-disk${idx}` };
    }
    if (i === bootDisk) dev.bootindex = 1;
    q.addAll('-device', JSON.stringify(dev));
  });

  // qemuAssignDeviceFSAlias: "fs%d" with one more than the highest fsN alias so far; user aliases
  // ("ua-…") do not count (observed: ua-share, then fs0).
  let nextFs = 0;
  dom.filesystems.forEach((fs, i) => {
    const alias = fs.userAlias ?? `fs${nextFs++}`;
    if (fs.fsdriver === 'virtiofs') {
      q.add('-chardev', fs.spans.element);
      q.add(`socket,id=chr-vu-${alias},path=${escapeComma(fs.sock ?? `${domDir}/${alias}-fs.sock`)}`, fs.spans.sock ?? fs.spans.src);
      q.add('-device', fs.spans.element);
      q.add(buildVirtiofsDevice(fs, alias, pci.fs[i]!, json), fs.spans.element);
      return;
    }
    q.add('-fsdev', fs.spans.element);
    q.add(buildModernFsStr(fs, alias));
    q.add('-device', fs.spans.element);
    q.add(buildModern9pDevice(fs, alias, pci.fs[i]!, json), fs.spans.dst);
  });

  dom.nets.forEach((n, i) => {
    // domxml-to-native turns every interface into a tap and opens one descriptor per NIC: the numbers
    // are virsh's lowest free fds — 5 in the recorded oracle (case 45), 4 when virsh is spawned with
    // only stdin/stdout/stderr open (observed in test/libvirt's differential run).
    q.addAll('-netdev', JSON.stringify({ type: 'tap', fd: String((inp.firstFreeFd ?? 5) + i), id: `hostnet${i}` }));
    const model = n.model ?? 'rtl8139';
    const mac = n.mac ?? `52:54:00:00:00:${(i + 1).toString(16).padStart(2, '0')}`;
    q.addAll('-device', JSON.stringify({ driver: model === 'virtio' ? 'virtio-net-pci' : model, netdev: `hostnet${i}`, id: `net${i}`, mac, ...pciAddressProps(pci.nets[i]!) }));
  });
  q.addAll('-audiodev', JSON.stringify({ id: 'audio1', driver: 'none' }));
  if (pci.balloon) q.addAll('-device', JSON.stringify({ driver: 'virtio-balloon-pci', id: 'balloon0', ...pciAddressProps(pci.balloon) }));
  q.addAll('-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny');
  q.addAll('-msg', 'timestamp=on');
  return { env, qemu: q };
}
