// `<address type='pci' domain bus slot function [multifunction]/>` for a device.
//
// 0.10.2 (virDomainDevicePCIAddressParseXML): values through virStrToLong_ui base 0 (so `0x07` and
// `7` both work); errors are INTERNAL_ERROR "Cannot parse <address> '%s' attribute".
// 9.0 (virPCIDeviceAddressParseXML via virXMLPropUInt base 0): "Invalid value for attribute '%s' in
// element 'address': '%s'. Expected non-negative integer value" (the virXMLPropUInt form seen on
// `fmode`, observed with virsh 9.0). Non-PCI address types are not modelled.

import { LibvirtError } from '../errors.ts';
import type { Era } from '../era.ts';
import { attr, type XmlElement } from '../xml/tree.ts';
import type { PciAddress } from './fsdef.ts';

function parseUIntBase0(s: string): number | null {
  const t = s.trim();
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(t))) return parseInt(m[1]!, 16);
  if (/^0[0-7]*$/.test(t)) return parseInt(t, 8);
  if (/^[1-9]\d*$/.test(t)) return parseInt(t, 10);
  return null;
}

export function parseDeviceAddress(el: XmlElement, era: Era): PciAddress {
  const type = attr(el, 'type');
  if (!type || type.value !== 'pci') {
    throw new LibvirtError('NOT_MODELLED', `address type '${type?.value ?? ''}' is not modelled (only 'pci')`,
      type ? { from: type.from, to: type.to } : { from: el.from, to: el.startTagTo });
  }
  const out: PciAddress = { type: 'pci', domain: 0, bus: 0, slot: 0, function: 0 };
  for (const key of ['domain', 'bus', 'slot', 'function'] as const) {
    const a = attr(el, key);
    if (!a) continue;
    const v = parseUIntBase0(a.value);
    if (v === null) {
      throw era === '0.10.2'
        ? new LibvirtError('INTERNAL_ERROR', `Cannot parse <address> '${key}' attribute`, { from: a.from, to: a.to })
        : new LibvirtError('XML_ERROR',
          `Invalid value for attribute '${key}' in element 'address': '${a.value}'. Expected non-negative integer value`,
          { from: a.from, to: a.to });
    }
    out[key] = v;
  }
  const mf = attr(el, 'multifunction');
  if (mf) {
    if (mf.value !== 'on' && mf.value !== 'off') {
      throw era === '0.10.2'
        ? new LibvirtError('XML_ERROR', `Unknown value '${mf.value}' for <address> 'multifunction' attribute`, { from: mf.from, to: mf.to })
        : new LibvirtError('XML_ERROR', `Invalid value for attribute 'multifunction' in element 'address': '${mf.value}'.`, { from: mf.from, to: mf.to });
    }
    out.multifunction = mf.value;
  }
  if (out.slot > 0x1f) {
    throw new LibvirtError(era === '0.10.2' ? 'INTERNAL_ERROR' : 'XML_ERROR',
      `Invalid PCI address slot='0x${out.slot.toString(16)}', must be <= 0x1F`, { from: el.from, to: el.startTagTo });
  }
  return out;
}
