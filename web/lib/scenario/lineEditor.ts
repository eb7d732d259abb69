// The guest terminal's line editor, without the terminal: what each keystroke xterm.js reports
// (onData) does to the line, and what to echo. History with ↑/↓ (readline's previous/next-history:
// the line being typed is kept as a draft), Ctrl+C (abandon the line, `^C`), Ctrl+U (erase it),
// Backspace, and the insertion of a Tab completion (sim/shell/complete.ts). The cursor stays at the
// end of the line (←/→ are ignored). `\0PROMPT` in an echo stands for the prompt, which the
// terminal component colours. No DOM: unit-tested in Node.
import { commonPrefix, type Completion } from '../../../sim/shell/complete.ts';

export interface EditResult {
  /** What to write to the terminal. */
  echo?: string;
  /** The line was submitted with Enter. */
  submit?: string;
}

const PROMPT = '\0PROMPT';
const BELL = '\x07';
const HISTORY_MAX = 500;

export class LineEditor {
  line = '';
  #past: string[] = [];
  /** While browsing the history: the index shown; -1 while editing a new line. */
  #at = -1;
  #draft = '';

  /** A command that was run (typed here or earlier): the newest history entry, once in a row. */
  remember(command: string): void {
    if (command.trim() !== '' && this.#past.at(-1) !== command) this.#past.push(command);
    if (this.#past.length > HISTORY_MAX) this.#past.shift();
    this.#at = -1;
  }

  input(data: string): EditResult {
    let echo = '';
    for (let i = 0; i < data.length; i++) {
      const ch = data[i]!;
      if (ch === '\x1b') {
        // CSI / SS3 sequences: ESC [ A, ESC O A (application cursor mode), ESC [ 1 ; 5 C …
        const m = /^\x1b(?:\[[0-9;]*|O)([A-Za-z~])/.exec(data.slice(i));
        if (!m) continue;
        i += m[0].length - 1;
        if (m[1] === 'A') echo += this.#browse(-1);
        else if (m[1] === 'B') echo += this.#browse(+1);
        continue;
      }
      if (ch === '\r') {
        const submit = this.line;
        this.line = '';
        this.#at = -1;
        return { echo: `${echo}\r\n`, submit };
      }
      if (ch === '\x7f' || ch === '\b') {
        if (this.line.length) {
          const last = [...this.line].at(-1)!;
          this.line = this.line.slice(0, -last.length);
          echo += '\b \b';
        }
      } else if (ch === '\x03') {
        this.line = '';
        this.#at = -1;
        echo += `^C\r\n${PROMPT}`;
      } else if (ch === '\x15') {
        echo += this.#replace('');
      } else if (ch >= ' ') {
        this.line += ch;
        echo += ch;
      }
    }
    return echo ? { echo } : {};
  }

  /** Insert a completion of the current line (it must still be the line it was asked for). */
  applyCompletion(c: Completion & { line?: string }): EditResult {
    if (c.line !== undefined && c.line !== this.line) return {};
    if (this.line.slice(c.start) !== c.word) return {};
    if (c.blocked) return { echo: `\r\n\x1b[33m[completion blocked: ${c.blocked}]\x1b[0m\r\n${PROMPT}${this.line}` };
    if (c.candidates.length === 0) return { echo: BELL };
    const only = c.candidates.length === 1 ? c.candidates[0]! : null;
    const target = only !== null ? (only.endsWith('/') ? only : `${only} `) : commonPrefix(c.candidates);
    if (target.length > c.word.length && target.startsWith(c.word)) {
      const add = target.slice(c.word.length);
      this.line += add;
      return { echo: add };
    }
    // Nothing to add: show the candidates under the line, then the line again (readline's list).
    return { echo: `\r\n${c.candidates.join('  ')}\r\n${PROMPT}${this.line}` };
  }

  #browse(dir: -1 | 1): string {
    const n = this.#past.length;
    if (n === 0) return BELL;
    if (dir === -1) {
      if (this.#at === -1) { this.#draft = this.line; this.#at = n - 1; }
      else if (this.#at > 0) this.#at--;
      else return BELL;
      return this.#replace(this.#past[this.#at]!);
    }
    if (this.#at === -1) return BELL;
    if (this.#at < n - 1) { this.#at++; return this.#replace(this.#past[this.#at]!); }
    this.#at = -1;
    return this.#replace(this.#draft);
  }

  /** Show `text` as the line: clear the terminal row, prompt, text. */
  #replace(text: string): string {
    this.line = text;
    return `\x1b[2K\r${PROMPT}${text}`;
  }
}
