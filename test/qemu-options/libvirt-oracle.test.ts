// The QEMU command lines Debian's libvirt 9.0 generated (fixtures/libvirt-9.0-oracle/*.argv) under the
// QEMU 7.2 model: the local-driver lines start (their export paths taken as existing directories);
// libvirt 9.0 still emits `-fsdev handle`, which 7.2 no longer has, and a short-form `,readonly`, which
// 7.2 warns about (both confirmed on the real 7.2.22 with reduced command lines).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runQemuCommandLine } from '../../sim/qemu/options/index.ts';

const DIR = '/work/shared/fixtures/libvirt-9.0-oracle';

/** POSIX shell words of the .argv files: plain words and '…' single-quoted JSON. */
function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new Error(`unterminated quote at offset ${i}`);
      cur += s.slice(i + 1, j);
      i = j;
      inWord = true;
    } else if (ch === ' ' || ch === '\n') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.argv')).sort();

describe('libvirt 9.0 oracle command lines on the QEMU 7.2 model', () => {
  it('finds the oracle files', () => expect(files.length).toBe(12));
  for (const f of files) {
    it(f, () => {
      const words = shellWords(readFileSync(`${DIR}/${f}`, 'utf8'));
      const prog = words.findIndex((w) => w.endsWith('/qemu-system-x86_64'));
      expect(prog).toBeGreaterThan(0);
      const r = runQemuCommandLine(words.slice(prog + 1), { version: '7.2' });
      const handle = words.find((w) => w.startsWith('handle,'));
      if (handle) {
        expect([r.starts, r.exitCode]).toEqual([false, 1]);
        // -msg timestamp=on is the last option, so fsdev creation errors carry the (virtual) timestamp.
        expect(r.stderr).toBe(`2012-06-01T00:00:00.000000Z qemu-system-x86_64: -fsdev ${handle}: fsdev: fsdriver handle not found\n`);
        return;
      }
      expect([r.starts, r.exitCode]).toEqual([true, null]);
      const ro = words.find((w) => w.startsWith('local,') && w.endsWith(',readonly'));
      expect(r.stderr).toBe(ro ? `qemu-system-x86_64: -fsdev ${ro}: warning: short-form boolean option 'readonly' deprecated\nPlease use readonly=on instead\n` : '');
      const fsdevs = words.filter((w, i) => words[i - 1] === '-fsdev').length;
      expect(r.fsdevs.length).toBe(fsdevs);
      expect(r.devices.length).toBeGreaterThanOrEqual(fsdevs);
    });
  }
});
