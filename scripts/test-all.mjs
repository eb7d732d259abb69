#!/usr/bin/env node
// The whole test suite, as CI runs it: type checks, unit/property/differential tests (vitest),
// end-to-end tests (Playwright in Debian's Chromium). Ends with the plain line `N passed, N failed`
// that CI reads (DEVELOPERS.md), computed from the JSON reporters.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const inCI = process.env.CI === 'true' || process.env.CI === '1';
const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
let passed = 0;
let failed = 0;
const problems = [];

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { stdio: 'inherit', env }).status;
}

mkdirSync('test-results', { recursive: true });

// 1. Type checks: sim/ without the DOM lib, the CLI and tests with Node types, web/ with svelte-check.
for (const [name, cmd, args] of [
  ['typecheck sim (no DOM)', 'npx', ['tsc', '-p', 'sim/tsconfig.json']],
  ['typecheck cli+tests', 'npx', ['tsc', '-p', 'cli/tsconfig.json']],
  ['svelte-check web', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error']],
]) {
  if (run(cmd, args) === 0) passed++;
  else { failed++; problems.push(name); }
}

// 2. vitest
const unitJson = 'test-results/unit.json';
rmSync(unitJson, { force: true });
const vitestStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${unitJson}`]);
if (existsSync(unitJson)) {
  const r = JSON.parse(readFileSync(unitJson, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) { failed += r.numFailedTestSuites; problems.push('vitest suites failed to load'); }
} else { failed++; problems.push(`vitest produced no report (status ${vitestStatus})`); }

// 3. Playwright end-to-end tests in Debian's Chromium.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const e2eJson = 'test-results/e2e.json';
rmSync(e2eJson, { force: true });
if (!existsSync(chromium) && !inCI) {
  console.warn(`\n!!! SKIPPING end-to-end tests: ${chromium} not found. Install it with: sudo apt-get install -y chromium`);
} else {
  const s = run('npx', ['playwright', 'test']);
  if (existsSync(e2eJson)) {
    const r = JSON.parse(readFileSync(e2eJson, 'utf8'));
    passed += (r.stats.expected ?? 0) + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected ?? 0;
    if ((r.errors ?? []).length > 0 && (r.stats.unexpected ?? 0) === 0) { failed++; problems.push('playwright reported errors'); }
  } else { failed++; problems.push(`playwright produced no report (status ${s})`); }
}

if (problems.length) console.log(`\nproblems: ${problems.join('; ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
