// The committed WASI guest programs (public/guests/*.wasm) are exactly what their C sources build to
// with Debian's clang 14 + wasi-libc (issue 6 §3): rebuild into a temporary directory and compare.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REAL, assertPresent, haveReal } from '../support/real-components.ts';

const SRC = 'public/guests/src';
const OUT = 'public/guests';

describe.skipIf(!haveReal(REAL.clang))('WASI guest programs', () => {
  it('rebuild byte-identical from their sources', () => {
    assertPresent(REAL.clang);
    const tmp = mkdtempSync(join(tmpdir(), 'guests-'));
    const tmpTests = mkdtempSync(join(tmpdir(), 'guest-tests-'));
    execFileSync('scripts/build-guests.sh', [tmp, tmpTests], { stdio: 'pipe' });
    for (const name of readdirSync('test/wasi/programs').filter((f) => f.endsWith('.c')).map((f) => f.replace(/\.c$/, ''))) {
      const same = Buffer.compare(readFileSync(`test/wasi/programs/${name}.wasm`), readFileSync(join(tmpTests, `${name}.wasm`)));
      expect(same, `test program ${name}.wasm differs from its rebuild`).toBe(0);
    }
    const sources = readdirSync(SRC).filter((f) => f.endsWith('.c')).map((f) => f.replace(/\.c$/, ''));
    expect(sources.length).toBeGreaterThanOrEqual(11);
    for (const name of sources) {
      const committed = readFileSync(join(OUT, `${name}.wasm`));
      const rebuilt = readFileSync(join(tmp, `${name}.wasm`));
      expect(Buffer.compare(committed, rebuilt), `${name}.wasm differs from its rebuild`).toBe(0);
      // A WASI preview1 command: wasm magic + version 1.
      expect([...committed.subarray(0, 8)]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    }
  });
});
