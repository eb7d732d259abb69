// Tab completion for the guest terminal, the way bash's default completion works: the first word of
// the line is completed from the command names, any later word as a path — by listing its directory
// with the machine's own syscalls (open O_DIRECTORY + getdents64 + close, like `ls`), so completing
// `/mnt/e` is a real readdir through v9fs, QEMU and the helper, and shows in the trace as such.
// Entries whose type getdents does not say (DT_UNKNOWN) are lstat'ed to know whether they are
// directories, as readline does (it appends '/' to directories).
import { DT_DIR, DT_UNKNOWN, isDir } from '../host/constants.ts';
import { sys, type Job } from './job.ts';
import type { ShellOs } from './os.ts';

export interface Completion {
  /** Where the completed word starts in the line. */
  start: number;
  /** The word as typed. */
  word: string;
  /** Whole-word candidates, sorted; directories end in '/'. */
  candidates: string[];
  /** The listing syscall could not finish (e.g. the helper is frozen): no candidates. */
  blocked?: string;
}

/** The longest common prefix of the candidates (what one Tab inserts). */
export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

export function* completeLine(os: ShellOs, commandNames: Iterable<string>, line: string): Job<Completion> {
  // The word under completion: after the last blank (no quoting: the shell's words are plain here).
  const start = Math.max(line.lastIndexOf(' '), line.lastIndexOf('\t')) + 1;
  const word = line.slice(start);
  const firstWord = line.slice(0, start).trim() === '' || /(;|&&|\|\|)\s*$/.test(line.slice(0, start));
  if (firstWord && !word.includes('/')) {
    return { start, word, candidates: [...new Set(commandNames)].filter((c) => c.startsWith(word)).sort() };
  }
  const slash = word.lastIndexOf('/');
  const dirPart = slash >= 0 ? word.slice(0, slash + 1) : '';
  const base = word.slice(slash + 1);
  const dir = dirPart === '' ? '.' : dirPart;
  // readdir may park (a frozen helper): the completion then reports it instead of waiting.
  const it = sys(os.readdir(dir));
  const n = it.next();
  if (!n.done) return { start, word, candidates: [], blocked: `${n.value.on}: ${n.value.what}` };
  const r = n.value;
  if (!r.ok) return { start, word, candidates: [] };
  const out: string[] = [];
  for (const e of r.value) {
    if (e.name === '.' || e.name === '..') { if (base !== '.' && base !== '..') continue; }
    if (!e.name.startsWith(base)) continue;
    if (!base.startsWith('.') && e.name.startsWith('.')) continue; // hidden unless asked for
    let dirEntry = e.type === DT_DIR;
    if (e.type === DT_UNKNOWN) {
      const st = os.lstat(`${dirPart || './'}${e.name}`);
      dirEntry = 'ok' in st && st.ok ? isDir(st.value.mode) : false;
    }
    out.push(`${dirPart}${e.name}${dirEntry ? '/' : ''}`);
  }
  return { start, word, candidates: out.sort() };
}
