#!/usr/bin/env node
// npm run bench — the simulated proxy round trip next to the real helper, same workload, same run.
//
// real: bench/proxy_client.c, compiled here with gcc, starts /usr/lib/qemu/virtfs-proxy-helper on a
//       socketpair and drives the metadata mix (lstat, open + SCM_RIGHTS fd, mkdir, symlink, rename,
//       remove ×2) against a temporary export on the real filesystem.
// sim:  bench/sim-roundtrip.ts, the same mix through encode → simulated helper → simulated kernel →
//       reply → decode, bundled with esbuild (tsx's keepNames wrappers would be measured otherwise).
// Both report wall time and CPU time; on a shared machine the CPU-time rate is the fair comparison.
// Then the two other benches, run through tsx, their output printed after the proxy figures:
//   scripts/bench-trace.ts (100,000 trace events: record time and heap; with --expose-gc for the heap)
//   scripts/bench-wasi.ts  (WASI bridge per-call overhead).
// usage: npm run bench [-- --rounds-real N --rounds-sim N --json --proxy-only]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const roundsReal = opt('--rounds-real', 5000);
const roundsSim = opt('--rounds-sim', 20000);
const json = args.includes('--json');
const HELPER = '/usr/lib/qemu/virtfs-proxy-helper';

const work = mkdtempSync(join(tmpdir(), 'vlab-bench-'));
const result = { workload: 'lstat, open+fd, mkdir, symlink, rename, remove, remove (7 requests per round)' };
try {
  // --- real helper
  if (!existsSync(HELPER)) {
    result.real = { skipped: `${HELPER} not found (apt-get install -y qemu-system-common)` };
  } else if (process.getuid?.() !== 0) {
    result.real = { skipped: 'the real helper needs root (chroot, capabilities)' };
  } else {
    const bin = join(work, 'proxy_client');
    execFileSync('gcc', ['-O2', '-Wall', '-o', bin, join(root, 'bench/proxy_client.c')], { stdio: 'inherit' });
    const exp = join(work, 'export');
    mkdirSync(exp);
    writeFileSync(join(exp, 'file.txt'), 'hello proxy\n');
    const out = execFileSync(bin, [HELPER, exp, String(roundsReal)], { encoding: 'utf8' });
    result.real = JSON.parse(out.trim().split('\n').pop());
  }

  // --- simulated helper
  let simCmd;
  try {
    const esbuild = await import('esbuild');
    const outfile = join(work, 'sim-roundtrip.mjs');
    esbuild.buildSync({ entryPoints: [join(root, 'bench/sim-roundtrip.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error' });
    simCmd = ['node', [outfile, String(roundsSim)]];
  } catch {
    simCmd = [join(root, 'node_modules/.bin/tsx'), [join(root, 'bench/sim-roundtrip.ts'), String(roundsSim)]];
  }
  const sim = spawnSync(simCmd[0], simCmd[1], { encoding: 'utf8', cwd: root });
  if (sim.status !== 0) throw new Error(`simulated bench failed:\n${sim.stderr}`);
  result.sim = JSON.parse(sim.stdout.trim().split('\n').pop());
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (result.real && !result.real.skipped) {
  result.ratio_cpu = result.sim.cpu_rate / result.real.cpu_rate;
  result.ratio_wall = result.sim.rate / result.real.rate;
}
if (json) {
  process.stdout.write(JSON.stringify(result) + '\n');
} else {
  const f = (n) => Math.round(n).toLocaleString('en-US');
  const line = (label, r) => `${label}: ${f(r.requests)} requests, wall ${r.seconds.toFixed(2)} s = ${f(r.rate)} req/s, CPU ${r.cpu_seconds.toFixed(2)} s = ${f(r.cpu_rate)} req/s`;
  console.log(`workload: ${result.workload}`);
  console.log(result.real.skipped ? `real helper: skipped — ${result.real.skipped}` : line('real helper (QEMU 7.2.22, C client over a socketpair)', result.real));
  console.log(line('simulated round trip (encode → helper → kernel → reply → decode)', result.sim));
  if (result.ratio_cpu) {
    console.log(`ratio sim/real: ${result.ratio_cpu.toFixed(1)}× by CPU time, ${result.ratio_wall.toFixed(1)}× by wall time (goal ≥ 20×)`);
  }
}

// --- the other benches (their own output, after the proxy figures; skipped with --proxy-only)
if (!args.includes('--proxy-only')) {
  const tsx = join(root, 'node_modules/.bin/tsx');
  const others = [
    ['trace recorder', ['node', ['--expose-gc', '--import', 'tsx', join(root, 'scripts/bench-trace.ts')]]],
    ['WASI bridge', [tsx, [join(root, 'scripts/bench-wasi.ts')]]],
  ];
  for (const [label, [cmd, argv]] of others) {
    const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: root });
    if (!json) console.log(`\n--- ${label} (${argv[argv.length - 1].slice(root.length + 1)})`);
    process.stdout.write(r.stdout);
    if (r.status !== 0) {
      process.stderr.write(r.stderr);
      process.exitCode = 1;
    }
  }
}
