// Per-call overhead of the WASI bridge (issue 6): the same N calls made by a real wasm32-wasi
// program through browser_wasi_shim + our fds, against the guest-kernel syscalls they become, made
// directly from TypeScript. Run: npx tsx scripts/bench-wasi.ts (also part of `npm run bench`).
import { readFileSync } from 'node:fs';
import { Kernel, O_CREAT, O_RDONLY, O_WRONLY, AT_SYMLINK_NOFOLLOW, AT_FDCWD, unwrap } from '../sim/host/index.ts';
import { runWasi } from '../sim/wasi/index.ts';

const N = 20_000;
const k = new Kernel({ rootFs: 'ext4' });
const p = k.spawn({ comm: 'bench' });
unwrap(k.mkdir(p, '/mnt', 0o755));
unwrap(k.mkdir(p, '/mnt/dir', 0o755));
const fd = unwrap(k.open(p, '/mnt/dir/file', O_CREAT | O_WRONLY, 0o644));
unwrap(k.write(p, fd, new Uint8Array([65])));
unwrap(k.close(p, fd));
const prog = readFileSync('test/wasi/programs/calls.wasm');

function wasi(mode: string, path?: string): number {
  const args = ['calls', mode, String(N), ...(path ? [path] : [])];
  runWasi({ kernel: k, proc: p }, prog, { args }); // warm-up (JIT)
  const t0 = performance.now();
  const r = runWasi({ kernel: k, proc: p }, prog, { args });
  const ms = performance.now() - t0;
  if (r.exit !== 0) throw new Error(`calls ${mode} failed: ${new TextDecoder().decode(r.stderr)}`);
  return (ms * 1000) / N;
}

function direct(fn: () => void): number {
  for (let i = 0; i < 2000; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fn();
  return ((performance.now() - t0) * 1000) / N;
}

const clockUs = wasi('clock');
const statUs = wasi('stat', '/mnt/dir/file');
const statDirect = direct(() => { unwrap(k.fstatat(p, AT_FDCWD, '/mnt/dir/file', AT_SYMLINK_NOFOLLOW)); });
const rfd = unwrap(k.open(p, '/mnt/dir/file', O_RDONLY));
const readUs = wasi('read', '/mnt/dir/file');
const readDirect = direct(() => { unwrap(k.pread(p, rfd, 1, 0)); });

const row = (name: string, viaWasi: number, kernel: number | null) =>
  console.log(`  ${name.padEnd(34)} ${viaWasi.toFixed(2).padStart(8)} µs/call` + (kernel === null ? '' : `   kernel alone ${kernel.toFixed(2).padStart(6)} µs   bridge overhead ${(viaWasi - kernel).toFixed(2)} µs (${(viaWasi / kernel).toFixed(1)}×)`));
console.log(`WASI bridge, ${N} calls each (wasm32-wasi program → browser_wasi_shim → our fds → guest kernel):`);
row('clock_time_get (no kernel call)', clockUs, null);
row('stat /mnt/dir/file (3 components)', statUs, statDirect);
row('pread 1 byte', readUs, readDirect);
