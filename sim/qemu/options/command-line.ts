// The part of QEMU's qemu_init (softmmu/vl.c, 7.2) that decides whether a command line with 9p
// filesystems starts: the argv loop (option parsing, -virtfs expansion, duplicate ids), help
// requests, fsdev creation (qemu_create_early_backends → fsdev_init_func, in list order), then device
// creation (qemu_create_cli_devices: every QemuOpts -device in order, *then* every JSON -device).
// Each phase stops at its first error with exit status 1 (error_fatal).
import type { QemuVersion } from '../versions.ts';
import { QemuNotModelledError } from './errors.ts';
import { qemuFsdevAdd, type FsDriverEntry } from './fsdev.ts';
import { fsdevOptsList, virtfsOptsList } from './fsdev-opts.ts';
import { ninePDeviceHelp, optsHelp } from './help.ts';
import { EXITING_OPTIONS, optionName, optionTakesArg } from './options-table.ts';
import { qobjectFromJson } from './qemu-json.ts';
import { idWellformed, isHelpOption, parseQemuOpts, QemuOpts, type QemuOptsList } from './qemu-opts.ts';
import { Stderr, type Location } from './report.ts';
import { isUnknownNinePModel, machineFor, ninePDeviceType, realizeNineP, type RealizedDevice, type RealizeWorld } from './virtio-9p.ts';

export interface QemuRun {
  /** QMP would answer `query-status` (real-helper.md §3: the only proof of "started"). */
  starts: boolean;
  /** The exit status if QEMU exited by itself; null while it runs, hangs or died of a signal. */
  exitCode: number | null;
  stderr: string;
  stdout: string;
  /** Killed by a signal (a failed assert → SIGABRT). */
  signal?: 'SIGABRT';
  /** Realize never returns (a silent proxy peer): QMP greets but query-status never answers. */
  hung?: boolean;
  /** The fsdevs created, in order (for the 9P server and the trace). */
  fsdevs: FsDriverEntry[];
  /** The 9p devices realized. */
  devices: RealizedDevice[];
}

const DEVICE_LIST: QemuOptsList = { name: 'device', impliedOptName: 'driver', desc: 'any' };

interface Placed { opts: QemuOpts; loc: Location }
interface JsonDevice { dict: Record<string, unknown>; loc: Location }

class Stop {
  constructor(readonly run: Partial<QemuRun> & { exitCode: number | null }) {}
}

export function runCommandLine(args: readonly string[], v: QemuVersion, world: RealizeWorld, clockIso: () => string): QemuRun {
  const f = v.features;
  const err = new Stderr(clockIso);
  let stdout = '';
  const fsdevList = fsdevOptsList(f);
  const virtfsList = virtfsOptsList(f);
  const fsdevs: Placed[] = [];
  const virtfses: QemuOpts[] = [];
  const devices: Placed[] = [];
  const jsonDevices: JsonDevice[] = [];
  let machineType: string | undefined;
  const fsdevEntries: FsDriverEntry[] = [];
  const realized: RealizedDevice[] = [];

  const exit = (code: number): never => { throw new Stop({ exitCode: code }); };

  const parseNoisily = (list: QemuOptsList, params: string, loc: Location, existing: QemuOpts[]): QemuOpts => {
    const r = parseQemuOpts(list, params, f, { permitAbbrev: true, existing });
    for (const w of r.warnings) err.warn(loc, w.message, w.hint);
    if (r.kind === 'ok') return r.opts;
    if (r.kind === 'help') { stdout += optsHelp(list); return exit(1); }
    err.error(loc, r.error.message, r.error.hint ?? '');
    return exit(1);
  };

  try {
    // ---- the argv loop ----
    for (let i = 0; i < args.length; i++) {
      const word = args[i]!;
      const name = optionName(word);
      if (name === undefined) continue; // a disk image (hda); not modelled further
      const takesArg = optionTakesArg(name);
      const known = takesArg !== undefined
        && !((name === 'fsdev' && !f.fsdevOption) || (name === 'virtfs' && !f.virtfsOption));
      if (!known) { err.error({ option: word }, 'invalid option'); exit(1); }
      if (EXITING_OPTIONS.has(name)) throw new QemuNotModelledError({ argIndex: i, option: word, reason: 'help/version output is not modelled' });
      let arg: string | undefined;
      if (takesArg) {
        if (i + 1 >= args.length) { err.error({ option: word }, 'requires an argument'); exit(1); }
        arg = args[++i]!;
      }
      const loc: Location = { option: word, arg };
      switch (name) {
        case 'fsdev':
          fsdevs.push({ opts: parseNoisily(fsdevList, arg!, loc, fsdevs.map((p) => p.opts)), loc });
          break;
        case 'virtfs':
          expandVirtfs(parseNoisily(virtfsList, arg!, loc, virtfses), loc);
          break;
        case 'device':
          if (arg!.startsWith('{')) {
            jsonDevices.push({ dict: parseDeviceJson(arg!, loc), loc });
          } else {
            devices.push({ opts: parseNoisily(DEVICE_LIST, arg!, loc, devices.map((p) => p.opts)), loc });
          }
          break;
        case 'machine':
        case 'M': {
          // keyval with implied key "type"; accel= and the rest are not interpreted. The last type wins.
          const first = arg!.split(',')[0] ?? '';
          const typed = /(?:^|,)type=([^,]*)/.exec(arg!);
          if (typed) machineType = typed[1];
          else if (!first.includes('=')) machineType = first;
          break;
        }
        case 'set':
        case 'readconfig':
          // `-set GROUP.ID.KEY=VALUE` / `-readconfig FILE` edit or add option groups after parsing (and
          // fail in their own ways: `can't parse`, `there is no chardev "x" defined`): not modelled.
          throw new QemuNotModelledError({ argIndex: i, option: `${word} ${arg}`, reason: `${word} is not modelled` });
        case 'global':
          // `-global virtio-9p-pci.PROP=VALUE` sets a default for every such device: not modelled.
          if (/^virtio-9p/.test(arg!)) throw new QemuNotModelledError({ argIndex: i, option: `${word} ${arg}`, reason: '-global on a 9p device is not modelled' });
          break;
        case 'msg':
          // configure_msg: takes effect for every later report, including this run's fsdev/device errors.
          if (/(?:^|,)timestamp=(on|yes|true|y)(?:,|$)/.test(arg!) || /(?:^|,)timestamp(?:,|$)/.test(arg!)) err.timestamps = true;
          else if (/(?:^|,)timestamp=(off|no|false|n)(?:,|$)/.test(arg!)) err.timestamps = false;
          break;
        default:
          break;
      }
    }

    // ---- qemu_process_help_options: `-device DRIVER,help` prints its properties and exits 0 ----
    for (const { opts, loc } of devices) {
      const driver = opts.get('driver');
      if (driver !== undefined && isHelpOption(driver)) {
        throw new QemuNotModelledError({ argIndex: args.indexOf(loc.arg!), option: `${loc.option} ${loc.arg}`, reason: 'the `-device help` device list is not modelled' });
      }
      if (opts.opts.some((o) => isHelpOption(o.name))) {
        const t = driver === undefined ? undefined : ninePDeviceType(driver, f);
        if (!t || !f.shortFormBooleanWarning) {
          throw new QemuNotModelledError({ argIndex: args.indexOf(loc.arg!), option: `${loc.option} ${loc.arg}`, reason: 'help is modelled only for 9p devices on QEMU ≥ 6.0' });
        }
        stdout += ninePDeviceHelp(t.typename);
        throw new Stop({ exitCode: 0 });
      }
    }

    // ---- fsdev_init_func for each fsdev, in list order ----
    for (const { opts, loc } of fsdevs) {
      const r = qemuFsdevAdd(opts, f);
      for (const w of r.warnings) err.warn(loc, w);
      if (r.error) {
        if (r.error.report === 'bare') err.raw(`${r.error.message}\n${r.error.hint ?? ''}`);
        else err.error(loc, r.error.message, r.error.hint ?? '');
        exit(1);
      }
      fsdevEntries.push(r.entry!);
    }

    // ---- qemu_create_cli_devices: QemuOpts devices, then JSON devices ----
    const machine = machineFor(machineType);
    const create = (driver: unknown, dict: { id?: string; bus?: string; props: [string, unknown][]; fromJson: boolean }, loc: Location): void => {
      if (typeof driver !== 'string') { err.error(loc, "Parameter 'driver' is missing"); exit(1); }
      if (isUnknownNinePModel(driver as string, f)) { err.error(loc, `'${driver}' is not a valid device model name`); exit(1); }
      const t = ninePDeviceType(driver as string, f);
      if (!t) {
        // Other device models are assumed to realize (not modelled); their ids still occupy the namespace.
        if (dict.id !== undefined) {
          if (world.deviceIds.has(dict.id)) { err.error(loc, `Duplicate device ID '${dict.id}'`); exit(1); }
          world.deviceIds.add(dict.id);
        }
        return;
      }
      const r = realizeNineP(t, dict, machine, fsdevEntries, world, f);
      if (r.ok) { realized.push(r.device); return; }
      if ('abort' in r) { err.raw(`qemu-system-x86_64: ${r.abort}\n`); throw new Stop({ exitCode: null, signal: 'SIGABRT' }); }
      if ('hang' in r) throw new Stop({ exitCode: null, hung: true });
      for (const rep of r.reports) {
        if (rep.kind === 'bare') err.raw(`${rep.message}\n`);
        else err.error(loc, rep.message);
      }
      exit(1);
    };
    for (const { opts, loc } of devices) {
      const props: [string, unknown][] = opts.opts.filter((o) => !['driver', 'bus'].includes(o.name)).map((o) => [o.name, o.str]);
      create(opts.get('driver'), { id: opts.id, bus: opts.get('bus'), props, fromJson: false }, loc);
    }
    for (const { dict, loc } of jsonDevices) {
      const props = Object.entries(dict).filter(([k]) => !['driver', 'bus', 'id'].includes(k));
      // qdict_get_try_str: a non-string id or bus is simply absent (observed: `"bus":5` starts).
      const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
      create(dict['driver'], { id: str(dict['id']), bus: str(dict['bus']), props, fromJson: true }, loc);
    }
  } catch (e) {
    if (e instanceof Stop) {
      return { starts: false, stderr: err.text(), stdout, fsdevs: fsdevEntries, devices: realized, ...e.run };
    }
    throw e;
  }
  return { starts: true, exitCode: null, stderr: err.text(), stdout, fsdevs: fsdevEntries, devices: realized };

  // -virtfs (vl.c QEMU_OPTION_virtfs, 7.2): an fsdev with id = id or mount_tag, plus a device; both keep
  // the -virtfs location, so their later errors echo `-virtfs …` (observed: virtfs_machine_none).
  function expandVirtfs(opts: QemuOpts, loc: Location): void {
    virtfses.push(opts);
    const fsdriver = opts.get('fsdriver');
    const tag = opts.get('mount_tag');
    if (fsdriver === undefined || tag === undefined) { err.error(loc, 'Usage: -virtfs fsdriver,mount_tag=tag'); exit(1); }
    const id = opts.id ?? tag!;
    if (!idWellformed(id) || fsdevs.some((p) => p.opts.id === id)) { err.error(loc, `duplicate or invalid fsdev id: ${tag}`); exit(1); }
    const fsdev = new QemuOpts(fsdevList, id);
    const copy = (k: string): void => { const val = opts.get(k); if (val !== undefined) fsdev.set(k, val, f); };
    copy('writeout'); // CONFIG_SYNC_FILE_RANGE: Linux hosts have it
    fsdev.set('fsdriver', fsdriver!, f);
    copy('path');
    copy('security_model');
    copy('socket');
    copy('sock_fd');
    fsdev.set('readonly', opts.getBool('readonly', false) ? 'on' : 'off', f);
    if (f.multidevsKey) copy('multidevs');
    // fmode/dmode are accepted by -virtfs but not copied (observed on 7.2.22: `-virtfs proxy,…,fmode=0600` passes the proxy check).
    fsdevs.push({ opts: fsdev, loc });
    const dev = new QemuOpts(DEVICE_LIST, undefined);
    dev.set('driver', 'virtio-9p-pci', f);
    dev.set('fsdev', id, f);
    dev.set('mount_tag', tag!, f);
    devices.push({ opts: dev, loc });
  }

  function parseDeviceJson(text: string, loc: Location): Record<string, unknown> {
    // vl.c: qobject_from_json(optarg, &error_fatal) for an argument starting with '{' (qemu-json.ts).
    const r = qobjectFromJson(text);
    if (!r.ok) { err.error(loc, r.error); return exit(1); }
    return r.value as Record<string, unknown>;
  }
}

