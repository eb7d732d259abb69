// The parsed `<filesystem>` element (libvirt's virDomainFSDef), shared by both eras.
// Field names follow libvirt's struct (libvirt.md §1.1 for 2012, §6.1 for 9.0).

import type { XmlSpan } from '../errors.ts';

/** virDomainFS: 0.10.2 has mount…bind; 9.0 adds `volume`. */
export type FsType = 'mount' | 'block' | 'file' | 'template' | 'ram' | 'bind' | 'volume';
/** virDomainFSDriverType: 0.10.2 default/path/handle (+ `proxy` with the patch); 9.0 adds loop…virtiofs. */
export type FsDriverType = 'default' | 'path' | 'handle' | 'proxy' | 'loop' | 'nbd' | 'ploop' | 'virtiofs';
export type FsAccessMode = 'passthrough' | 'mapped' | 'squash';
export type FsWrpolicy = 'default' | 'immediate';
/** 9.0 only (v6.3.0 multidevs, virtio-(non-)transitional models). */
export type FsModel = 'default' | 'virtio' | 'virtio-transitional' | 'virtio-non-transitional';
export type FsMultidevs = 'default' | 'remap' | 'forbid' | 'warn';

export interface PciAddress {
  type: 'pci';
  domain: number;
  bus: number;
  slot: number;
  function: number;
  multifunction?: 'on' | 'off';
}

/** Offsets of the XML text each field came from, for diagnostics and argv ↔ XML highlighting. */
export interface FsSpans {
  element: XmlSpan;
  type?: XmlSpan;
  accessmode?: XmlSpan;
  model?: XmlSpan;
  multidevs?: XmlSpan;
  fmode?: XmlSpan;
  dmode?: XmlSpan;
  driver?: XmlSpan;
  driverType?: XmlSpan;
  wrpolicy?: XmlSpan;
  queue?: XmlSpan;
  source?: XmlSpan;
  /** The attribute holding the source (dir/file/dev/name/usage/socket). */
  src?: XmlSpan;
  sock?: XmlSpan;
  target?: XmlSpan;
  dst?: XmlSpan;
  readonly?: XmlSpan;
  address?: XmlSpan;
  alias?: XmlSpan;
  boot?: XmlSpan;
}

export interface FsDef {
  /** Position among the domain's `<filesystem>` elements (document order, from 0). */
  index: number;
  type: FsType;
  fsdriver: FsDriverType;
  accessmode: FsAccessMode;
  /** Whether `accessmode` was written (9.0 formats a hidden default differently; the argv does not care). */
  accessmodeExplicit: boolean;
  wrpolicy: FsWrpolicy;
  model: FsModel;
  multidevs: FsMultidevs;
  /** 9.0: octal permission masks for `mapped` (v6.10.0); 0 = unset. */
  fmode: number;
  dmode: number;
  /** `<driver format>` (9.0; LXC loop/nbd only). */
  format?: string;
  /** `<driver queue>` (9.0; virtiofs queue size). */
  queue?: number;
  /** Source: dir (mount/bind), file, dev, name (template); undefined for ram. */
  src?: string;
  /** 9.0: `<source socket>` of an externally started virtiofsd. */
  sock?: string;
  /** RAM filesystems: usage in KiB. */
  usage?: number;
  /** `<target dir>`: for QEMU the 9p mount tag. */
  dst?: string;
  readonly: boolean;
  spaceHardLimit: number;
  spaceSoftLimit: number;
  /** User alias (`<alias name='ua-…'/>`, 9.0 only keeps the `ua-` ones). */
  userAlias?: string;
  address?: PciAddress;
  bootIndex?: number;
  spans: FsSpans;
}
