// Creating and realizing a virtio-9p-pci device (qdev_device_add_from_qdict + v9fs_device_realize_common
// + the fsdev driver's init, QEMU 7.2), with the exact texts observed on 7.2.22 (real-helper.md §5,
// fixtures/qemu-7.2/*). Every error is reported with the location of the option that created the
// device: the `-device …` word, or the `-virtfs …` word for the device -virtfs made.
import type { QemuFeatures } from '../versions.ts';
import { V9FS, type FsDriverEntry } from './fsdev.ts';
import { lstatOverFd, peerForFd, peerForSocket, socketListens, type HostLookup, type PeerSpec, type RootLstat } from './peer.ts';
import { VIRTIO_9P_PCI_PROPS } from './virtio-9p-pci-props.ts';
import { utf8Length } from '../../text/utf8.ts';

/** MAX_TAG_LEN - 1 (hw/9pfs/9p.h): 31 bytes (observed: 32 fail, 31 start). */
export const MAX_MOUNT_TAG_BYTES = 31;
/** sizeof(struct sockaddr_un.sun_path). */
const SUN_PATH = 108;

/**
 * Whether `-device NAME` names a device model QEMU knows. Only the 9p family is modelled: any other
 * `virtio-9p…` name is unknown (the 7.2 `-device help` lists exactly the four below plus the alias);
 * names outside the family are assumed valid (they are not modelled).
 */
export function isUnknownNinePModel(driver: string, f: QemuFeatures): boolean {
  return driver.startsWith('virtio-9p') && ninePDeviceType(driver, f) === undefined;
}

/** The 9p device models and their bus (`-device help` on 7.2: virtio-9p-pci alias virtio-9p). */
export function ninePDeviceType(driver: string, f: QemuFeatures): { typename: string; bus: 'PCI' | 'virtio-bus' } | undefined {
  if (driver === 'virtio-9p-pci' || driver === 'virtio-9p') return { typename: 'virtio-9p-pci', bus: 'PCI' };
  if (f.transitionalDeviceNames && (driver === 'virtio-9p-pci-non-transitional' || driver === 'virtio-9p-pci-transitional')) {
    return { typename: driver, bus: 'PCI' };
  }
  if (driver === 'virtio-9p-device') return { typename: driver, bus: 'virtio-bus' };
  return undefined;
}


export interface Machine {
  type: string;
  /** The PCI root bus name, or undefined for machines without PCI (none, isapc, microvm). */
  pciBus?: string;
}

/** -machine TYPE: pc* → pci.0; q35 / pc-q35-* → pcie.0; none/isapc/microvm → no PCI (observed for none). */
export function machineFor(type: string | undefined): Machine {
  const t = type ?? 'pc';
  if (t === 'none' || t === 'isapc' || t === 'microvm') return { type: t };
  if (t === 'q35' || t.startsWith('pc-q35')) return { type: t, pciBus: 'pcie.0' };
  return { type: t, pciBus: 'pci.0' };
}

/** Mutable state shared by all realizes of one run: which socket paths QEMU already connected to (and unlinked). */
export interface RealizeWorld {
  peer: PeerSpec;
  host: HostLookup;
  unlinkedSockets: Set<string>;
  /** Ids of the devices created so far (QOM /machine/peripheral): JSON devices may repeat one. */
  deviceIds: Set<string>;
}

export type RealizeOutcome =
  | { ok: true; device: RealizedDevice }
  | { ok: false; reports: RealizeReport[] }
  | { ok: false; abort: string }
  | { ok: false; hang: true };

/** One stderr line of a failed realize: with the option's location (error_report/Error) or bare (fprintf). */
export interface RealizeReport {
  kind: 'error' | 'bare';
  message: string;
}

export interface RealizedDevice {
  typename: string;
  id?: string;
  fsdev: string;
  mountTag: string;
  /** Proxy devices: how the fsdev reached the helper at realize (one T_LSTAT "/\0" each, §3.1). */
  proxy?: { mode: 'sock_fd'; fd: number } | { mode: 'socket'; path: string };
}


/** C atoi(): optional whitespace and sign, then digits; stops at the first non-digit ("0x4" → 0). */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d*)/.exec(s);
  const n = Number.parseInt(m?.[1] ?? '', 10);
  if (Number.isNaN(n)) return 0;
  return n | 0; // int overflow wraps like the usual glibc strtol-to-int truncation
}

/** glibc's assert() line for the 7.2 client's reply-size check (real-helper.md §5, observed on 7.2.22). */
const SHORT_REPLY_ASSERT = "../../hw/9pfs/9p-proxy.c:241: v9fs_receive_response: Assertion `retval == 8 * 3 + 4 * 3 + 8 * 10' failed.";

/**
 * QDict iteration order (qobject/qdict.c): 512 buckets by tdb_hash(key) % 512, each bucket newest
 * first. object_set_properties_from_keyval walks the device's options in this order, so with two bad
 * properties the one in the lower bucket is reported (observed on 7.2.22: `x=1,y=2` and `y=1,x=2`
 * both report `x`; `foo=1,bar=2` reports `bar`).
 */
export function qdictOrder<T>(entries: readonly (readonly [string, T])[]): [string, T][] {
  const tdbHash = (key: string): number => {
    const bytes = [...key].flatMap((ch) => utf8Bytes(ch));
    let value = Math.imul(0x238f13af, bytes.length) >>> 0;
    bytes.forEach((b, i) => { value = (value + ((b << ((i * 5) % 24)) >>> 0)) >>> 0; });
    return ((Math.imul(1103515243, value) + 12345) >>> 0) % 512;
  };
  // qdict_put on an existing key replaces the value in place; a new key goes to the head of its bucket.
  const dict = new Map<string, T>();
  const order: string[] = [];
  for (const [k, v] of entries) { if (!dict.has(k)) order.push(k); dict.set(k, v); }
  const withIndex = order.map((k, i) => ({ k, i, b: tdbHash(k) }));
  withIndex.sort((a, b) => a.b - b.b || b.i - a.i);
  return withIndex.map(({ k }) => [k, dict.get(k)!]);
}

function utf8Bytes(ch: string): number[] {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) return [c];
  if (c < 0x800) return [0xc0 | (c >> 6), 0x80 | (c & 63)];
  if (c < 0x10000) return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
  return [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
}

const PROP_TYPES: ReadonlyMap<string, string> = new Map(VIRTIO_9P_PCI_PROPS.map((p) => [p[0], p[1]] as const));

/**
 * Setting one property (object_set_properties_from_keyval, 7.2): from a QemuOpts `-device` every value
 * is a string parsed by the keyval visitor; from JSON the value's type must match. Texts observed on
 * 7.2.22. `addr` (a PCI devfn with its own parser and slot conflicts), OnOffAuto values and `romfile` lookup
 * (real 7.2: `failed to find romfile "X"` after the 9p realize) are not modelled.
 */
function propertyError(typename: string, name: string, value: unknown, fromJson: boolean): string | undefined {
  const type = PROP_TYPES.get(name);
  if (type === undefined) return `Property '${typename}.${name}' not found`;
  if (type.startsWith('child<')) return `Property '${typename}.${name}' is not writable`;
  if (type === 'str') return fromJson && typeof value !== 'string' ? `Invalid parameter type for '${name}', expected: string` : undefined;
  if (type === 'bool') {
    if (fromJson) return typeof value === 'boolean' ? undefined : `Invalid parameter type for '${name}', expected: boolean`;
    return ['on', 'yes', 'true', 'y', 'off', 'no', 'false', 'n'].includes(String(value)) ? undefined : `Parameter '${name}' expects 'on' or 'off'`;
  }
  if (type === 'uint32') {
    let n: bigint;
    if (fromJson) {
      // QNum: an int (number/bigint from qemu-json.ts), never a float (QFloat), never a string.
      if (typeof value === 'bigint') n = value < 0n ? (1n << 64n) + value : value;
      else if (typeof value === 'number' && Number.isInteger(value)) n = value < 0 ? (1n << 64n) + BigInt(value) : BigInt(value); // negative ints are accepted "for backward compatibility"
      else return `Parameter '${name}' expects uint64`;
      if (n < 0n || n >= 1n << 64n) return `Parameter '${name}' expects uint64`;
    } else {
      const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(String(value));
      if (!m) return `Parameter '${name}' expects integer`;
      const d = m[2]!;
      const abs = /^0[xX]/.test(d) ? BigInt(d) : d.length > 1 && d[0] === '0' ? BigInt(`0o${d.slice(1)}`) : BigInt(d);
      if (abs >= 1n << 64n) return `Parameter '${name}' expects integer`;
      n = m[1] === '-' && abs !== 0n ? (1n << 64n) - abs : abs;
    }
    return n > 0xffffffffn ? `Parameter '${name}' expects uint32_t` : undefined;
  }
  return undefined;
}

/**
 * Realize one 9p device. `props` are the device's options minus driver/bus/id, as strings (QemuOpts)
 * or JSON values; `bus` the bus= string if any; `deviceIds` the ids of the devices created before it.
 */
export function realizeNineP(
  type: { typename: string; bus: 'PCI' | 'virtio-bus' },
  d: { id?: string; bus?: string; props: [string, unknown][]; fromJson: boolean },
  machine: Machine,
  fsdevs: readonly FsDriverEntry[],
  world: RealizeWorld,
  f: QemuFeatures,
): RealizeOutcome {
  const fail = (message: string): RealizeOutcome => ({ ok: false, reports: [{ kind: 'error', message }] });
  // 1.x virtio_9p_init used fprintf(stderr) + exit(1); later realizes return an Error (NinePRealizeEra).
  const era = f.ninePRealizeEra;
  const nine = (message: string): RealizeOutcome => ({ ok: false, reports: [{ kind: era === '1.x-fprintf' ? 'bare' : 'error', message }] });
  const devName = era === '2.x-9pfs' || era === 'error-prepend' ? '9pfs device' : 'Virtio-9p device';
  // qdev_device_add_from_qdict: bus, then the id, then the properties, then realize (order observed on 7.2.22).
  if (d.bus !== undefined) {
    if (d.bus !== machine.pciBus || type.bus !== 'PCI') return fail(`Bus '${d.bus}' not found`);
  } else if (type.bus === 'virtio-bus' || machine.pciBus === undefined) {
    return fail(`No '${type.bus}' bus found for device '${type.typename}'`);
  }
  if (d.id !== undefined && world.deviceIds.has(d.id)) return fail(`Duplicate device ID '${d.id}'`);
  let fsdevId: string | undefined;
  let tag: string | undefined;
  for (const [name, value] of qdictOrder(d.props)) {
    const e = propertyError(type.typename, name, value, d.fromJson);
    if (e) return fail(e);
    if (name === 'fsdev') fsdevId = String(value);
    if (name === 'mount_tag') tag = String(value);
  }
  // v9fs_device_realize_common (hw/9pfs/9p.c)
  const fse = fsdevs.find((e) => e.id === fsdevId);
  if (!fse) return nine(`${devName} couldn't find fsdev with the id = ${fsdevId ?? 'NULL'}`);
  if (tag === undefined) return nine(`fsdev with id ${fsdevId} needs mount_tag arguments`);
  const tagBytes = utf8Length(tag);
  if (d.id !== undefined) world.deviceIds.add(d.id); // the device object exists from here on, even if realize fails
  if (tagBytes > MAX_MOUNT_TAG_BYTES && era !== '1.x-fprintf') {
    return fail(`mount tag '${tag}' (${tagBytes} bytes) is longer than maximum (${MAX_MOUNT_TAG_BYTES} bytes)`);
  }
  const device: RealizedDevice = { typename: type.typename, id: d.id, fsdev: fse.id, mountTag: tag };
  // A driver init failure: since the Error conversion one prefixed line; before, the driver's own
  // line (fprintf or error_report) and then 9p's "Failed to initialize fs-driver" line.
  const init = (msg: string, driverPrinted = true): RealizeOutcome => {
    if (era === 'error-prepend') return fail(`cannot initialize fsdev '${fse.id}': ${msg}`);
    const kind = era === '1.x-fprintf' ? 'bare' : 'error';
    const who = era === '2.x-9pfs' ? '9pfs' : 'Virtio-9p';
    const last: RealizeReport = { kind, message: `${who} Failed to initialize fs-driver with id:${fse.id} and export path:${fse.path}` };
    return { ok: false, reports: driverPrinted ? [{ kind, message: msg }, last] : [last] };
  };
  let root: RootLstat = 'dir';
  switch (fse.driver) {
    case 'proxy': {
      const path = fse.path ?? '';
      if (fse.exportFlags & V9FS.PROXY_SOCK_NAME) {
        // connect_namedsocket (§12.4): length check, connect, then unlink "for security reasons".
        // 1.1 connect_namedsocket had no length check (strcpy into sun_path): not modelled.
        if (utf8Length(path) >= SUN_PATH) return init(f.modernProxyInitMessages ? 'socket name too long' : 'Socket name too long');
        const peer = peerForSocket(world.peer, path);
        if (path === '' && f.modernProxyInitMessages) {
          // connect() passes sizeof(struct sockaddr_un): an empty sun_path is the *abstract* name of 107 NULs,
          // which nobody listens on → ECONNREFUSED, not ENOENT (observed on 7.2.22 with `socket=`).
          return init(`failed to connect to '': Connection refused`);
        }
        if (path === '' || !socketListens(peer) || world.unlinkedSockets.has(path)) {
          return init(f.modernProxyInitMessages ? `failed to connect to '${path}': No such file or directory`
            : era === '1.x-fprintf' ? 'socket error' : `Failed to connect to ${path}: No such file or directory`);
        }
        world.unlinkedSockets.add(path);
        device.proxy = { mode: 'socket', path };
        root = peer === 'socket_helper' || peer === 'relay' ? 'dir' : lstatOverFd(peer);
      } else {
        const fd = atoi(path);
        if (fd < 0) return init('socket descriptor not initialized');
        device.proxy = { mode: 'sock_fd', fd };
        root = lstatOverFd(peerForFd(world.peer, fd));
      }
      break;
    }
    case 'local': {
      // local_init: open(path, O_DIRECTORY | O_RDONLY) of the export root.
      const kind = world.host(fse.path ?? '');
      if (!f.localHardened) {
        // The naive local driver (< 2.9) opens nothing at init: the root lstat decides.
        root = kind === 'dir' ? 'dir' : kind === 'file' ? 'not_dir' : 'error';
        break;
      }
      // 2.9+: local_init opens the export root; before the Error conversion it printed nothing itself.
      const errno = kind === 'missing' ? 'No such file or directory' : 'Not a directory';
      if (kind !== 'dir') return init(`failed to open '${fse.path}': ${errno}`, era === 'error-prepend');
      break;
    }
    case 'handle':
    case 'synth':
      break;
  }
  // The export root must be a directory; "%s" is fse->path: for proxy the socket path or the fd *string*.
  switch (root) {
    case 'dir':
      return { ok: true, device };
    case 'not_dir':
      return nine(`share path ${fse.path} is not a directory`);
    case 'error':
      return nine(`share path ${fse.path} does not exist`);
    case 'short_reply':
      // Before the 5.x reply-size asserts the short reply's effect is not known: reported as a failed lstat (inferred).
      return f.clientReplySizeAsserts ? { ok: false, abort: SHORT_REPLY_ASSERT } : nine(`share path ${fse.path} does not exist`);
    case 'no_reply':
      return { ok: false, hang: true };
  }
}
