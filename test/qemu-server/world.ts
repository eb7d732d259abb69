// The host of scenarios.md §2 and a raw 9P2000.L client over a lab transport, for the server tests.
import { Kernel } from '../../sim/host/kernel.ts';
import { loadTree, type TreeEntry } from '../../sim/host/tree.ts';
import { launchLab, type Lab, type LabOptions } from '../../sim/lab/lab.ts';
import { proxySpec, localSpec, type ProxySpecOptions, type LocalSpecOptions } from '../../sim/lab/launch-specs.ts';
import type { P9Message, P9MessageOf, P9MessageName } from '../../sim/p9/messages.ts';
import { encodeMessage, decodeMessage } from '../../sim/p9/codec.ts';
import type { Exchange } from '../../sim/qemu/server/transport.ts';
import { TraceRecorder } from '../../sim/trace/recorder.ts';

const T = { sec: 1_700_000_000, nsec: 0 };
const f = (path: string, mode: number, content: string, uid = 0, gid = 0): TreeEntry => ({ path, type: 'file', mode, uid, gid, content, mtime: T, atime: T });
const d = (path: string, mode: number, uid = 0, gid = 0): TreeEntry => ({ path, type: 'dir', mode, uid, gid, mtime: T, atime: T });

/** scenarios.md §2 "Host tree", plus extra export entries per scenario. */
export function scenarioHost(extraExport: TreeEntry[] = [], profile: 'ext4' | 'tmpfs' = 'ext4'): Kernel {
  const k = new Kernel({ rootFs: profile });
  loadTree(k, '/', [
    d('etc', 0o755),
    f('etc/passwd', 0o644, 'root:x:0:0:root:/root:/bin/bash\n'),
    f('etc/shadow', 0o640, 'root:$6$HOSTHASH:19000:0:99999:7:::\n', 0, 42),
    d('etc/cron.d', 0o755),
    d('root', 0o700),
    d('srv', 0o755),
    f('srv/secret.txt', 0o600, 'HOST-SECRET\n'),
    d('srv/export', 0o755),
    f('srv/export/hello.txt', 0o644, 'hello\n'),
    d('srv/export/pub', 0o777),
    ...extraExport.map((e) => ({ ...e, path: `srv/export/${e.path}` })),
    d('dev', 0o755),
    { path: 'dev/sda', type: 'blockdev', mode: 0o660, uid: 0, gid: 6, rdev_major: 8, rdev_minor: 0 },
  ]);
  k.setDevice(8n << 8n, { kind: 'data', name: 'sda', content: new TextEncoder().encode('HOSTDISK' + '\0'.repeat(504)), block: true });
  return k;
}

export type Driver = 'proxy' | 'local';

/** A request without its tag, typed per message kind (the union distributes over P9Message). */
export type Req = P9Message extends infer M ? (M extends unknown ? Omit<M, 'tag'> : never) : never;

export interface WorldOptions {
  driver: Driver;
  version: string;
  extra?: TreeEntry[];
  profile?: 'ext4' | 'tmpfs';
  proxy?: Partial<ProxySpecOptions>;
  local?: Partial<LocalSpecOptions>;
  lab?: Partial<LabOptions>;
  record?: boolean;
  /** Host changes before launch (e.g. chown the export to the QEMU user). */
  prepare?: (k: Kernel) => void;
}

export interface World {
  kernel: Kernel;
  lab: Lab;
  recorder?: TraceRecorder;
  /** Send one request (tag assigned), expect an immediate reply. */
  rpc<K extends P9MessageName>(msg: Omit<P9MessageOf<K>, 'tag'> & { kind: K }): P9Message;
  /** Submit without requiring completion. */
  submit<K extends P9MessageName>(msg: Omit<P9MessageOf<K>, 'tag'> & { kind: K }): Exchange;
  /** Tversion + Tattach fid 0 (uid). */
  attach(uid?: number): P9Message;
  /** Read a host file as root (the "host effect" column). */
  hostRead(path: string): string | undefined;
}

export function world(o: WorldOptions): World {
  const kernel = scenarioHost(o.extra ?? [], o.profile ?? 'ext4');
  o.prepare?.(kernel);
  const recorder = o.record ? new TraceRecorder() : undefined;
  const spec = o.driver === 'proxy'
    ? proxySpec({ exportPath: '/srv/export', ...o.proxy })
    : localSpec({ exportPath: '/srv/export', ...o.local });
  const lab = launchLab(spec, { kernel, qemuVersion: o.version, recorder, ...o.lab });
  let tag = 1;
  const w: World = {
    kernel,
    lab,
    recorder,
    rpc(msg) {
      const m = { ...msg, tag: tag++ } as P9Message;
      const out = lab.transport().request(encodeMessage(m));
      return decodeMessage(out);
    },
    submit(msg) {
      const m = { ...msg, tag: tag++ } as P9Message;
      return lab.transport().submit(encodeMessage(m));
    },
    attach(uid = 0) {
      w.rpc({ kind: 'Tversion', msize: 8192, version: '9P2000.L' } as never);
      return w.rpc({ kind: 'Tattach', fid: 0, afid: 0xffffffff, uname: '', aname: '', n_uname: uid } as never);
    },
    hostRead(path) {
      const fd = kernel.open(kernel.init, path, 0, 0);
      if (!fd.ok) return undefined;
      const r = kernel.read(kernel.init, fd.value, 65536);
      kernel.close(kernel.init, fd.value);
      return r.ok ? new TextDecoder().decode(r.value) : undefined;
    },
  };
  return w;
}

/** ecode of an Rlerror, or undefined for any other reply. */
export function errnoOf(m: P9Message): number | undefined {
  return m.kind === 'Rlerror' ? m.ecode : undefined;
}

export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** JSON with bigints, for assertion messages. */
export const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? `<${x.length} bytes>` : x));
