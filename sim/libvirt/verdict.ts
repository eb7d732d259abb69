// Would that QEMU accept the generated command line? The answer comes from the QEMU option model
// (sim/qemu/options, issue 2 §3), which reproduces QEMU's option parsing and realize-time checks.
// `peer` says what answers on the proxy socket: the helper (if it was really started) or nobody.

import { checkQemuCommandLine, QemuNotModelledError } from '../qemu/options/index.ts';
import type { Note, Verdict } from './types.ts';

export function qemuVerdict(args: string[], version: string, peer: 'helper' | 'none', notes: Note[]): Verdict {
  try {
    return checkQemuCommandLine(args, { version, peer });
  } catch (e) {
    if (e instanceof QemuNotModelledError) {
      notes.push({ id: 'verdict-not-modelled', kind: 'warning', source: 'sim/qemu/options', text: `The QEMU model cannot judge this command line: ${e.message}` });
      return { starts: false, exitCode: null, stderr: '' };
    }
    throw e;
  }
}
