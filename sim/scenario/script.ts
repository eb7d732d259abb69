// Script lines: who runs them. `host: CMD` runs in a root shell on the host; `racer: host: CMD` is
// the second actor's step, which the scheduler may place between any two host syscalls of the
// other actors (RaceSpec); a plain line runs in the guest's terminal. A trailing `&` (parsed by the
// shell) makes the line a background job that may stay parked while later lines run.
import { parseLine, ShellSyntaxError } from '../shell/parse.ts';

export type ActorName = 'guest' | 'host' | 'racer';

export interface ScriptLine {
  /** Index in guest.script. */
  index: number;
  actor: ActorName;
  /** The command text without the actor prefix. */
  text: string;
  background: boolean;
  /** Syntax error found up front (the line still runs and fails with the shell's message). */
  syntaxError?: string;
}

export function classifyLine(raw: string, index: number): ScriptLine {
  let text = raw.trim();
  let actor: ActorName = 'guest';
  if (/^racer:\s*/.test(text)) {
    actor = 'racer';
    text = text.replace(/^racer:\s*/, '');
    text = text.replace(/^host:\s*/, '');
  } else if (/^host:\s*/.test(text)) {
    actor = 'host';
    text = text.replace(/^host:\s*/, '');
  }
  let background = false;
  let syntaxError: string | undefined;
  try {
    background = parseLine(text).background;
  } catch (e) {
    if (e instanceof ShellSyntaxError) syntaxError = e.message; else throw e;
  }
  return { index, actor, text, background, ...(syntaxError ? { syntaxError } : {}) };
}
