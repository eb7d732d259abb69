// Help texts QEMU prints to stdout for `-fsdev DRIVER,help`, `-virtfs DRIVER,help` (qemu_opts_print_help,
// 7.2) and `-device virtio-9p-pci,help` (qdev_device_help). Checked against fixtures/qemu-7.2/fsdev-help.txt.
import type { OptDesc, QemuOptsList } from './qemu-opts.ts';
import { VIRTIO_9P_PCI_PROPS } from './virtio-9p-pci-props.ts';

const TYPE_NAMES: Record<OptDesc['type'], string> = { string: 'str', bool: 'bool (on/off)', number: 'num', size: 'size' };

/** C strcmp order on UTF-16 code units (ASCII here), as qsort(…, strcmp) sorts the lines. */
function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function optsHelp(list: QemuOptsList): string {
  if (list.desc === 'any') return '';
  const lines = list.desc.map((d) => {
    const head = `  ${d.name}=<${TYPE_NAMES[d.type]}>`;
    return d.help ? `${head.padEnd(24)} - ${d.help}` : head;
  });
  lines.sort(strcmp);
  return `${list.name} options:\n${lines.map((l) => `${l}\n`).join('')}`;
}

export function ninePDeviceHelp(typename: string): string {
  const lines = VIRTIO_9P_PCI_PROPS.map(([name, type, desc]) => {
    const head = `  ${name}=<${type}>`;
    return desc === null ? head : `${head.padEnd(24)} - ${desc}`;
  });
  return `${typename} options:\n${lines.map((l) => `${l}\n`).join('')}`;
}
