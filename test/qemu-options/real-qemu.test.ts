// Differential test against the REAL QEMU 7.2 (Debian's qemu-system-x86_64) with REAL
// virtfs-proxy-helpers behind the fds and socket paths (real-helper.md §3, §10): seeded random
// command lines — valid and invalid -fsdev / -virtfs / -device virtio-9p-pci combinations — are
// started for real (QMP query-status = started) and by the model; starts / exit status / exact
// stderr must agree. Runs as root (the helper chroots); outside CI it is skipped when a program is
// missing. Seed: VLAB_QEMU_SEED (default 2012), count: VLAB_QEMU_CASES (default 48).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQemuCommandLine, type HostPathKind, type PeerMap } from '../../sim/qemu/options/index.ts';
import { REAL, assertPresent, haveReal, isRoot } from '../support/real-components.ts';

const SEED = Number(process.env.VLAB_QEMU_SEED ?? 2012);
const COUNT = Number(process.env.VLAB_QEMU_CASES ?? 48);
const SHIM = new URL('./real-qemu-run.py', import.meta.url).pathname;

/** mulberry32: a small seeded PRNG (the test must be reproducible from its seed). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  name: string;
  args: string[];
  fds: Record<string, 'helper' | 'file'>;
  sockets: Record<string, 'helper'>;
  peer: PeerMap;
  host: Record<string, HostPathKind>;
  qmp: string;
  dir: string;
}

function generate(rnd: () => number, i: number, base: string): Case {
  const pick = <T,>(xs: readonly (readonly [number, T])[]): T => {
    const total = xs.reduce((s, [w]) => s + w, 0);
    let r = rnd() * total;
    for (const [w, x] of xs) { if ((r -= w) < 0) return x; }
    return xs[xs.length - 1]![1];
  };
  const chance = (p: number): boolean => rnd() < p;
  const dir = join(base, `c${i}`);
  const exportDir = join(base, 'export');
  const file = join(base, 'file.txt');
  const liveSock = join(dir, 'h.sock');
  const qmp = join(dir, 'qmp.sock');
  const machine = pick([[80, 'pc,accel=tcg'], [10, 'none'], [6, 'q35,accel=tcg'], [4, 'type=pc,accel=tcg']] as const);
  const args = ['-nodefaults', '-display', 'none', '-machine', machine, '-S'];
  if (chance(0.2)) args.push('-msg', 'timestamp=on');
  const fsIds: string[] = [];
  const tail: string[] = [];
  let usesLiveSock = false;
  let usesCommaSock = false;
  const commaSock = join(dir, 'h,x.sock');
  const nFs = chance(0.75) ? 1 : 2;
  for (let k = 0; k < nFs; k++) {
    const driver = pick([[62, 'proxy'], [24, 'local'], [4, 'bogus'], [4, 'synth'], [3, 'proxyX'], [3, '']] as const);
    const parts: string[] = [];
    if (driver === 'proxy' || driver === 'proxyX') {
      const t = pick([[44, 'sock_fd=3'], [14, 'live'], [7, 'sock_fd=4'], [7, 'sock_fd=99'], [4, 'sock_fd=-1'], [3, 'sock_fd=abc'],
        [2, 'sock_fd='], [5, `socket=${join(dir, 'missing.sock')}`], [3, `socket=${join(dir, 'y'.repeat(110))}`], [3, 'both'], [3, 'neither'],
        [3, 'sock_fd=0x3'], [2, 'sock_fd=99999999999999999999'], [2, 'sock_fd= 3'], [2, 'sock_fd=3 '], [2, 'sock_fd=03'],
        [2, 'sock_fd=08'], [2, 'sock_fd=+3'], [2, 'sock_fd=-0'], [3, 'comma'], [2, `socket=`]] as const);
      if (t === 'live') { parts.push(`socket=${liveSock}`); usesLiveSock = true; }
      else if (t === 'comma') { parts.push(`socket=${commaSock.replaceAll(',', ',,')}`); usesCommaSock = true; }
      else if (t === 'both') parts.push('sock_fd=3', `socket=${liveSock}`);
      else if (t !== 'neither') parts.push(t);
    } else if (driver === 'local') {
      parts.push(`path=${pick([[8, exportDir], [1, join(dir, 'nonexistent')], [1, file]] as const)}`);
      const sm = pick([[3, 'passthrough'], [3, 'mapped'], [2, 'mapped-file'], [2, 'none'], [1, 'bogus'], [1, '']] as const);
      if (sm) parts.push(`security_model=${sm}`);
    }
    const extras = [['readonly', 'readonly=on', 'readonly=off', 'readonly=yes', 'readonly=bogus', 'noreadonly', 'readonly=n', 'readonly='],
      ['help', '?', 'id=a,,b', 'sock_fd=3,sock_fd=99', 'multidevs=warn', 'fmode=0777777', 'writeout='],
      ['writeout=immediate', 'writeout=bogus'], ['path=/x'], ['security_model=none'], ['fmode=0600', 'dmode=0700'],
      ['multidevs=remap', 'multidevs=bogus'], ['foo=bar'], ['throttling.bps-total=1000']];
    for (const e of extras) if (chance(0.07)) parts.push(e[Math.floor(rnd() * e.length)]!);
    const id = pick([[85, `fs${k}`], [5, ''], [4, '0bad'], [6, 'dup']] as const);
    const idPart = id === '' ? [] : [`id=${id === 'dup' ? 'fs0' : id}`];
    fsIds.push(id === 'dup' ? 'fs0' : id);
    const viaVirtfs = chance(0.28);
    if (viaVirtfs) {
      const tag = pick([[8, `tag${k}`], [1, ''], [1, 'm'.repeat(32)]] as const);
      const p = [...(driver ? [driver] : []), ...(chance(0.3) ? idPart : []), ...(tag === '' ? [] : [`mount_tag=${tag}`]), ...parts];
      tail.push('-virtfs', p.join(','));
    } else {
      const first = driver === '' ? [] : chance(0.1) ? [`fsdriver=${driver}`] : [driver];
      const p = [...first, ...idPart, ...parts];
      if (chance(0.3)) p.splice(first.length, p.length - first.length, ...p.slice(first.length).reverse());
      tail.push(chance(0.05) ? '--fsdev' : '-fsdev', p.join(','));
      const nDev = chance(0.9) ? 1 : chance(0.5) ? 0 : 2;
      for (let d = 0; d < nDev; d++) {
        const ref = pick([[90, fsIds[k]!], [4, ''], [3, 'nope']] as const);
        const tag = pick([[80, `tag${k}${d}`], [5, ''], [4, 'a'.repeat(31)], [4, 'b'.repeat(32)], [3, 'none'], [2, 'é'.repeat(16)], [2, `${'é'.repeat(15)}a`]] as const);
        const model = pick([[88, 'virtio-9p-pci'], [4, 'virtio-9p'], [4, 'virtio-9p-pci-non-transitional'], [2, 'virtio-9p-device'], [2, 'virtio-9p-pcix']] as const);
        const props: [string, string][] = [];
        if (ref) props.push(['fsdev', ref]);
        if (tag !== 'none') props.push(['mount_tag', tag]);
        if (chance(0.05)) props.push(['foo', 'bar']);
        if (chance(0.04)) props.push(['x', '1'], ['y', '2']);
        if (chance(0.04)) props.push([pick([[1, 'aer'], [1, 'vectors'], [1, 'virtio-backend'], [1, 'event_idx']] as const), pick([[1, 'on'], [1, 'maybe'], [1, '3'], [1, '-1'], [1, '0x10']] as const)]);
        if (chance(0.15)) props.push(['bus', chance(0.8) ? 'pci.0' : 'pci.1']);
        if (chance(0.03)) props.push(['help', 'on']);
        const devId = chance(0.1) ? 'dev' : `dev${k}${d}`;
        if (chance(0.3)) {
          // JSON values are typed: numbers and booleans sometimes, to hit the strict JSON property checks.
          const typed = props.filter(([a]) => a !== 'help').map(([a, b]): [string, unknown] =>
            [a, /^-?\d+$/.test(b) && chance(0.5) ? Number(b) : b === 'on' && chance(0.5) ? true : a === 'mount_tag' && chance(0.05) ? 7 : b]);
          const idEntry: [string, unknown][] = chance(0.05) ? [['id', 5]] : [['id', devId]];
          tail.push('-device', JSON.stringify(Object.fromEntries([['driver', model], ...idEntry, ...typed])));
        } else {
          const kv = props.map(([a, b]) => (a === 'help' ? 'help' : `${a}=${b}`));
          tail.push('-device', [model, ...(chance(0.3) ? [`id=${devId}`] : []), ...kv].join(','));
        }
      }
    }
  }
  args.push(...tail, '-qmp', `unix:${qmp},server=on,wait=off`);
  return {
    name: `#${i}`, args, qmp, dir,
    fds: { 3: 'helper', 4: 'file' },
    sockets: { ...(usesLiveSock ? { [liveSock]: 'helper' as const } : {}), ...(usesCommaSock ? { [commaSock]: 'helper' as const } : {}) },
    // What the model is told: exactly what the shim wires up.
    peer: {
      fds: { 3: 'helper', 4: 'regular_file_fd' }, otherFds: 'none', otherSockets: 'none',
      sockets: { ...(usesLiveSock ? { [liveSock]: 'socket_helper' as const } : {}), ...(usesCommaSock ? { [commaSock]: 'socket_helper' as const } : {}) },
    },
    host: { [exportDir]: 'dir', [file]: 'file' },
  };
}

interface RealVerdict { starts: boolean; exitCode: number | null; signal: string | null; hung: boolean; stderr: string; helperStderr: string[] }

function runReal(c: Case, base: string): Promise<RealVerdict> {
  return new Promise((resolve, reject) => {
    const p = spawn(REAL.python3.path, [SHIM], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`shim failed for ${c.name} (${code}): ${err}`));
      resolve(JSON.parse(out) as RealVerdict);
    });
    p.stdin.end(JSON.stringify({
      qemu: REAL.qemu.path, helper: REAL.helper.path, args: c.args, qmp: c.qmp, export: join(base, 'export'),
      file: join(base, 'file.txt'), fds: c.fds, sockets: c.sockets, timeout: 8,
    }));
  });
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z /gm;

const canRun = haveReal(REAL.qemu) && haveReal(REAL.helper) && haveReal(REAL.python3);

describe.skipIf(!canRun)(`real QEMU 7.2 vs the model: ${COUNT} seeded command lines (seed ${SEED})`, () => {
  const base = mkdtempSync(join(tmpdir(), 'vlq-'));
  const rnd = prng(SEED);
  const cases = Array.from({ length: COUNT }, (_, i) => generate(rnd, i, base));
  const real = new Map<string, RealVerdict>();

  beforeAll(async () => {
    assertPresent(REAL.qemu);
    assertPresent(REAL.helper);
    assertPresent(REAL.python3);
    if (!isRoot()) throw new Error('this test runs the real virtfs-proxy-helper, which needs root (chroot)');
    mkdirSync(join(base, 'export'));
    writeFileSync(join(base, 'file.txt'), 'not a directory\n');
    for (const c of cases) mkdirSync(c.dir);
    const queue = [...cases];
    const worker = async (): Promise<void> => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        // A shim failure fails that case's test (with the reason), not the whole file.
        real.set(c.name, await runReal(c, base).catch((e: Error) => ({ shimError: e.message }) as unknown as RealVerdict));
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    // VLAB_QEMU_DUMP=file: keep what the real QEMU said, for reading (not compared).
    if (process.env.VLAB_QEMU_DUMP) writeFileSync(process.env.VLAB_QEMU_DUMP, JSON.stringify(cases.map((c) => ({ args: c.args, real: real.get(c.name) })), null, 1));
  }, 120_000); // ~10 s for the default 48 cases; headroom for a loaded CI machine

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('covers starts and failures of every phase', () => {
    const verdicts = [...real.values()];
    expect(verdicts.filter((v) => v.starts).length).toBeGreaterThan(COUNT / 10);
    expect(verdicts.filter((v) => v.exitCode === 1).length).toBeGreaterThan(COUNT / 4);
  });

  for (const c of cases) {
    it(`${c.name} ${c.args.slice(6, -2).join(' ')}`, () => {
      const r = real.get(c.name)!;
      expect((r as unknown as { shimError?: string }).shimError).toBeUndefined();
      const m = runQemuCommandLine(c.args, { version: '7.2', peer: c.peer, host: (p) => c.host[p] ?? 'missing', clockIso: () => 'TIMESTAMP' });
      expect({ starts: m.starts, exitCode: m.exitCode, signal: m.signal ?? null, hung: m.hung ?? false, stderr: m.stderr.replaceAll('TIMESTAMP ', '<ts> ') })
        .toEqual({ starts: r.starts, exitCode: r.exitCode, signal: r.signal, hung: r.hung, stderr: r.stderr.replace(TIMESTAMP, '<ts> ') });
    });
  }
});
