// The copy buttons' command lines must give back exactly the argv words when a real POSIX shell
// (/bin/sh, Debian's dash) parses them: checked by running the shell, not by comparing strings.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { shellCommandLine, shellQuoteWord } from '../../web/lib/plan/shellQuote.ts';
import { argvLines } from '../../web/lib/plan/argvLines.ts';

/** Let /bin/sh parse `line` as the arguments of printf and return the words it saw. */
function wordsSeenBySh(line: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuoteWord', () => {
  it('leaves words without shell metacharacters alone', () => {
    expect(shellQuoteWord('-fsdev')).toBe('-fsdev');
    expect(shellQuoteWord('proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest')).toBe('proxy,id=fsdev-fs0,sock_fd=25,path=/export/to/guest');
  });
  it('single-quotes JSON -device values and the empty word', () => {
    expect(shellQuoteWord('{"driver":"virtio-9p-pci","id":"fs0"}')).toBe(`'{"driver":"virtio-9p-pci","id":"fs0"}'`);
    expect(shellQuoteWord('')).toBe("''");
    expect(shellQuoteWord("it's")).toBe(`'it'\\''s'`);
  });
  it('round-trips arbitrary words through /bin/sh (200 seeded runs)', () => {
    const word = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\0'));
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
      expect(wordsSeenBySh(words.map(shellQuoteWord).join(' '))).toEqual(words);
    }), { numRuns: 200, seed: 20120806 });
  });
});

describe('shellCommandLine', () => {
  it('keeps leading NAME= assignments unquoted so the shell still treats them as environment', () => {
    const line = shellCommandLine(['LC_ALL=C', 'HOME=/var/lib/my dir', 'sh', '-c', 'printf %s "$HOME"']);
    expect(line).toBe(`LC_ALL=C HOME='/var/lib/my dir' sh -c 'printf %s "$HOME"'`);
    expect(execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' })).toBe('/var/lib/my dir');
  });
  it('quotes a NAME=value word that comes after the program like any other word', () => {
    expect(shellCommandLine(['/usr/bin/env', 'A=b c'])).toBe(`/usr/bin/env 'A=b c'`);
  });
});

describe('argvLines', () => {
  it('puts the environment, the program and each option with its value on separate lines', () => {
    const argv = ['LC_ALL=C', 'PATH=/bin', '/usr/bin/qemu', '-S', '-M', 'pc', '-fsdev', 'proxy,id=fsdev-fs0,sock_fd=25', '-device', 'virtio-9p-pci'];
    expect(argvLines(argv)).toEqual([
      { kind: 'env', words: [0, 1] },
      { kind: 'program', words: [2] },
      { kind: 'option', words: [3] },
      { kind: 'option', words: [4, 5] },
      { kind: 'option', words: [6, 7] },
      { kind: 'option', words: [8, 9] },
    ]);
  });
  it('handles the helper argv (no environment) and covers every word exactly once', () => {
    const argv = ['/usr/bin/virtfs-proxy-helper', '-f', '24', '-p', '/export/to/guest'];
    const lines = argvLines(argv);
    expect(lines.map((l) => l.words.map((i) => argv[i]).join(' '))).toEqual(['/usr/bin/virtfs-proxy-helper', '-f 24', '-p /export/to/guest']);
    expect(argvLines([])).toEqual([]);
  });
});
