// qemu_fsdev_add (fsdev/qemu-fsdev.c) and the drivers' parse_opts callbacks, per version: what turns
// an `-fsdev` QemuOpts into an FsDriverEntry, or into the error QEMU exits with.
// Order (7.2, proxy-protocol.md §12.3): id → [8.1+: proxy deprecation warning] → driver lookup →
// [4.1+: per-driver allowed options] → writeout/readonly flags → driver parse_opts.
import type { QemuFeatures } from '../versions.ts';
import type { QemuOpts } from './qemu-opts.ts';
import { THROTTLING_KEYS } from './fsdev-opts.ts';

/** Export flags (fsdev/file-op-9p.h). */
export const V9FS = {
  IMMEDIATE_WRITEOUT: 0x1,
  PATHNAME_FSCONTEXT: 0x2,
  SM_PASSTHROUGH: 0x8,
  SM_MAPPED: 0x10,
  SM_NONE: 0x20,
  RDONLY: 0x40,
  PROXY_SOCK_FD: 0x80,
  PROXY_SOCK_NAME: 0x100,
  SM_MAPPED_FILE: 0x200,
  REMAP_INODES: 0x400,
  FORBID_MULTIDEVS: 0x800,
} as const;

export type FsDriverName = 'local' | 'handle' | 'synth' | 'proxy';

/** FsDriverEntry: what the 9p device finds under the fsdev id. */
export interface FsDriverEntry {
  id: string;
  driver: FsDriverName;
  /** local/handle: the export path; proxy: the socket path or the sock_fd *string* (atoi'd at init). */
  path?: string;
  exportFlags: number;
  fmode?: number;
  dmode?: number;
  /** Flags the user asked for that the driver then dropped (proxy before 5.0: `=` instead of `|=`, §12.2). */
  droppedFlags: number;
}

/** A failure of qemu_fsdev_add: `report` says how it reached stderr in that version. */
export interface FsdevError {
  message: string;
  hint?: string;
  /** 'error': error_report/error_setg with the `-fsdev …: ` location; 'bare': 1.x fprintf(stderr) without prefix. */
  report: 'error' | 'bare';
}

export interface FsdevAddResult {
  entry?: FsDriverEntry;
  error?: FsdevError;
  warnings: string[];
}

const COMMON = ['id', 'fsdriver', 'readonly'];

/** The drivers a version registers (FsDrivers[]), with the allowed options of 4.1+ (aee7f3ecd8b7). */
function drivers(f: QemuFeatures): { name: FsDriverName; allowed: string[] }[] {
  const list: { name: FsDriverName; allowed: string[] }[] = [
    { name: 'local', allowed: [...COMMON, 'path', 'security_model', 'writeout', 'fmode', 'dmode', 'multidevs', ...THROTTLING_KEYS] },
  ];
  if (f.handleDriver) list.push({ name: 'handle', allowed: [...COMMON, 'path', 'security_model', 'writeout'] });
  list.push({ name: 'synth', allowed: [...COMMON] });
  if (f.proxyDriver) list.push({ name: 'proxy', allowed: [...COMMON, 'socket', 'sock_fd', 'writeout'] });
  return list;
}

const SM_HINT = 'Valid options are: security_model=[passthrough|mapped-xattr|mapped-file|none]\n';
const MULTIDEVS_HINT = 'Valid options are: multidevs=[remap|forbid|warn]\n';

/** 1.x printed fsdev errors with fprintf(stderr) (no program/option prefix); later ones via Error. */
function fail(f: QemuFeatures, message: string, hint?: string): FsdevError {
  return { message, hint, report: f.proxyParseOptsEra === '1.x-fprintf' ? 'bare' : 'error' };
}

export function qemuFsdevAdd(opts: QemuOpts, f: QemuFeatures): FsdevAddResult {
  const warnings: string[] = [];
  const id = opts.id;
  const fsdriver = opts.get('fsdriver');
  const writeout = opts.get('writeout');
  const ro = opts.getBool('readonly', false);
  if (id === undefined) return { error: fail(f, 'fsdev: No id specified'), warnings };
  // 8.1: the warning precedes the lookup and uses strncmp(…, "proxy", 5), so `proxyX` warns too (§12.3).
  if (f.proxyDeprecationWarning && fsdriver !== undefined && fsdriver.startsWith('proxy')) {
    warnings.push("'-fsdev proxy' and '-virtfs proxy' are deprecated, use 'local' instead of 'proxy, or consider deploying virtiofsd as alternative to 9p");
  }
  if (fsdriver === undefined) return { error: fail(f, 'fsdev: No fsdriver specified'), warnings };
  const drv = drivers(f).find((d) => d.name === fsdriver);
  if (!drv) return { error: fail(f, `fsdev: fsdriver ${fsdriver} not found`), warnings };
  if (f.perDriverOptionValidation) {
    // qemu_opt_foreach(opts, validate_opt): in the order given, duplicates included.
    for (const o of opts.opts) {
      if (!drv.allowed.includes(o.name)) return { error: fail(f, `'${o.name}' is invalid for fsdriver '${drv.name}'`), warnings };
    }
  }
  const entry: FsDriverEntry = { id, driver: drv.name, exportFlags: 0, droppedFlags: 0 };
  // Only the exact string "immediate" sets the flag; anything else is accepted silently (observed 7.2.22: writeout=bogus starts).
  if (writeout === 'immediate') entry.exportFlags |= V9FS.IMMEDIATE_WRITEOUT;
  if (ro) entry.exportFlags |= V9FS.RDONLY;
  const err = parseOpts[drv.name](opts, entry, f);
  if (err) return { error: err, warnings };
  return { entry, warnings };
}

type ParseOpts = (opts: QemuOpts, fse: FsDriverEntry, f: QemuFeatures) => FsdevError | undefined;

const parseOpts: Record<FsDriverName, ParseOpts> = {
  // local_parse_opts (hw/9pfs/9p-local.c, 7.2). Texts observed on 7.2.22 (fixtures/qemu-7.2/fsdev-error-matrix.txt
  // and real-helper.md §5); versions before 7.2 are given the same texts (their wording is not modelled).
  local(opts, fse, f) {
    const sm = opts.get('security_model');
    const path = opts.get('path');
    const multidevs = opts.get('multidevs');
    if (sm === undefined) return fail(f, 'security_model property not set', SM_HINT);
    const models: Record<string, number> = { passthrough: V9FS.SM_PASSTHROUGH, mapped: V9FS.SM_MAPPED, none: V9FS.SM_NONE };
    if (f.localMappedVariants) { models['mapped-xattr'] = V9FS.SM_MAPPED; models['mapped-file'] = V9FS.SM_MAPPED_FILE; }
    const flag = models[sm];
    if (flag === undefined) return fail(f, `invalid security_model property '${sm}'`, SM_HINT);
    fse.exportFlags |= flag;
    if (multidevs !== undefined) {
      if (multidevs === 'remap') fse.exportFlags = (fse.exportFlags & ~V9FS.FORBID_MULTIDEVS) | V9FS.REMAP_INODES;
      else if (multidevs === 'forbid') fse.exportFlags = (fse.exportFlags & ~V9FS.REMAP_INODES) | V9FS.FORBID_MULTIDEVS;
      else if (multidevs === 'warn') fse.exportFlags &= ~(V9FS.FORBID_MULTIDEVS | V9FS.REMAP_INODES);
      else return fail(f, `invalid multidevs property '${multidevs}'`, MULTIDEVS_HINT);
    }
    if (path === undefined) return fail(f, 'path property not set');
    // fsdev_throttle_parse_opts/throttle_is_valid are not modelled: throttling values are only type-checked.
    if (fse.exportFlags & (V9FS.SM_MAPPED | V9FS.SM_MAPPED_FILE)) {
      // SM_LOCAL_MODE_BITS 0600, SM_LOCAL_DIR_MODE_BITS 0700, masked with 0777 (observed: fmode=0777777 starts).
      fse.fmode = Number((opts.find('fmode')?.num ?? 0o600n) & 0o777n);
      fse.dmode = Number((opts.find('dmode')?.num ?? 0o700n) & 0o777n);
    } else if (f.fmodeDmodeKeys) {
      if (opts.find('fmode')) return fail(f, 'fmode is only valid for mapped security modes');
      if (opts.find('dmode')) return fail(f, 'dmode is only valid for mapped security modes');
    }
    fse.path = path;
    return undefined;
  },
  // handle_parse_opts (hw/9pfs/9p-handle.c, 1.x–3.1; removed in 4.0). Texts from the sources, not run.
  handle(opts, fse, f) {
    if (opts.get('security_model') !== undefined) return fail(f, 'Invalid argument security_model specified with handle fsdriver');
    const path = opts.get('path');
    if (path === undefined) return fail(f, 'fsdev: No path specified');
    fse.path = path;
    return undefined;
  },
  synth() {
    return undefined;
  },
  // proxy_parse_opts (hw/9pfs/9p-proxy.c; proxy-protocol.md §12.2). The final texts carry a hint that
  // the command-line path drops (observed on 7.2.22: one line only).
  proxy(opts, fse, f) {
    const socket = opts.get('socket');
    const sockFd = opts.get('sock_fd');
    const era = f.proxyParseOptsEra;
    if (socket === undefined && sockFd === undefined) {
      return fail(f, era === 'final-error_setg' ? 'both socket and sock_fd properties are missing'
        : era === '2.x-error_report' ? 'Must specify either socket or sock_fd' : 'socket and sock_fd none of the option specified');
    }
    if (socket !== undefined && sockFd !== undefined) {
      return fail(f, era === 'final-error_setg' ? 'both socket and sock_fd properties are set' : 'Both socket and sock_fd options specified');
    }
    const modeFlag = socket !== undefined ? V9FS.PROXY_SOCK_NAME : V9FS.PROXY_SOCK_FD;
    if (f.proxyExportFlagsEffective) {
      fse.exportFlags |= modeFlag;
    } else {
      // Before 5.0 (`659f1953281b`): `fs->export_flags = …` wipes writeout/readonly — reproduced, not fixed.
      fse.droppedFlags = fse.exportFlags;
      fse.exportFlags = modeFlag;
    }
    // The sock_fd is a NUMBER option, yet the driver keeps the *string* and atoi()s it at init (§12.1).
    fse.path = socket ?? sockFd;
    return undefined;
  },
};
