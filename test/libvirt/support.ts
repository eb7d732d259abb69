// Helpers for the libvirt tests: reading fixtures and splitting recorded command lines into words.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The shared fixtures (real outputs of real programs; never edited), as the other suites use them. */
export const fixturesDir = '/work/shared/fixtures';

export function fixture(...parts: string[]): string {
  return readFileSync(join(fixturesDir, ...parts), 'utf8');
}

export function fixtureNames(...parts: string[]): string[] {
  return readdirSync(join(fixturesDir, ...parts)).sort();
}

/** libvirt's .args files continue lines with backslash-newline; the harness removes them. */
export function joinContinuations(text: string): string {
  return text.replace(/\\\n/g, '').replace(/\n+$/, '');
}

/**
 * Splits a POSIX shell command line into words: blanks separate, '…' is literal, "…" allows \" \\,
 * a backslash outside quotes escapes the next character. Enough for libvirt's output
 * (virBufferEscapeShell) and the .args files.
 */
export function shellSplit(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) { words.push(cur); cur = ''; inWord = false; }
      continue;
    }
    inWord = true;
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) throw new Error(`unterminated ' at ${i}`);
      cur += line.slice(i + 1, j);
      i = j;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) j++;
        cur += line[j];
      }
      i = j;
    } else if (c === '\\') {
      cur += line[++i] ?? '';
    } else {
      cur += c;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Splits words into leading NAME=value environment assignments and the command. */
export function splitEnv(words: string[]): { env: string[]; argv: string[] } {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
  return { env: words.slice(0, i), argv: words.slice(i) };
}
