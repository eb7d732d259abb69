// libvirt's error classes, printed the way `virsh` prints them after `error: `.
//
// Source: libvirt.md §1.3 (virterror formats). The INTERNAL_ERROR prefix had no colon up to v1.1.0
// ("internal error msg"); commit a88430744 (v1.1.1, 2013-07-24) added it, so 9.0 prints
// "internal error: msg".

import type { Era } from './era.ts';

export type VirErrorCode =
  | 'CONFIG_UNSUPPORTED'
  | 'INTERNAL_ERROR'
  | 'XML_ERROR'
  | 'NO_SOURCE'
  | 'NO_TARGET'
  | 'OVERFLOW'
  | 'INVALID_ARG'
  | 'NO_NAME'
  | 'OPERATION_INVALID'
  /** Not a libvirt error: the document is not well-formed XML (libxml2 would refuse it). */
  | 'XML_SYNTAX'
  /** Not a libvirt error: the input uses something virtfs-lab does not model. */
  | 'NOT_MODELLED';

/** Where in the XML the error points: the attribute or element that caused it (UTF-16 offsets). */
export interface XmlSpan {
  from: number;
  to: number;
}

export class LibvirtError extends Error {
  static readonly code = 'LibvirtError' as const;
  readonly code = LibvirtError.code;
  constructor(
    readonly virCode: VirErrorCode,
    /** The message text without the class prefix. */
    readonly detail: string,
    readonly span?: XmlSpan,
  ) {
    super(detail);
  }

  /** The text as `virsh` prints it after `error: ` in the given era. */
  format(era: Era): string {
    return formatVirError(this.virCode, this.detail, era);
  }
}

export function formatVirError(code: VirErrorCode, detail: string, era: Era): string {
  switch (code) {
    case 'CONFIG_UNSUPPORTED':
      return `unsupported configuration: ${detail}`;
    case 'INTERNAL_ERROR':
      return era === '0.10.2' ? `internal error ${detail}` : `internal error: ${detail}`;
    case 'XML_ERROR':
      return `XML error: ${detail}`;
    case 'NO_SOURCE':
    case 'NO_TARGET': {
      // VIR_ERR_NO_SOURCE / NO_TARGET: "missing … information for device %s". Without a detail 0.10.2
      // prints the short form (libvirt.md §1.3); 9.0 prints "… for device" (observed with virsh 9.0).
      const what = code === 'NO_SOURCE' ? 'source' : 'target';
      if (detail) return `missing ${what} information for device ${detail}`;
      return era === '0.10.2' ? `missing ${what} information` : `missing ${what} information for device`;
    }
    case 'OVERFLOW':
      return `numerical overflow: ${detail}`;
    case 'INVALID_ARG':
      return `invalid argument: ${detail}`;
    case 'NO_NAME':
      return detail ? `missing name information in ${detail}` : 'missing name information';
    case 'OPERATION_INVALID':
      return `Requested operation is not valid: ${detail}`;
    case 'XML_SYNTAX':
      return detail;
    case 'NOT_MODELLED':
      return `virtfs-lab: ${detail}`;
  }
}
