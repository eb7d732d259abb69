// virtfs-lab qemu-check --qemu-version V [--peer P] [--json] -- ARGS…
// One QEMU command line's verdict under the simulated QEMU V (sim/qemu/options). Exit status 0 only
// if it starts; 1 if QEMU would not start; 2 for a usage error or something the model does not cover.
import type { Command } from '../command.ts';
import { checkQemuCommandLine, PEERS, QemuNotModelledError, type Peer } from '../../sim/qemu/options/index.ts';
import { UnknownQemuVersionError } from '../../sim/qemu/versions.ts';

const USAGE = `usage: virtfs-lab qemu-check --qemu-version V [--peer ${PEERS.join('|')}] [--json] -- ARGS…\n`;

export const command: Command = async (argv) => {
  let version: string | undefined;
  let peer: Peer = 'helper';
  let json = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { i++; break; }
    if (a === '--json') json = true;
    else if (a === '--qemu-version' || a === '--peer') {
      const val = argv[++i];
      if (val === undefined) { process.stderr.write(`virtfs-lab qemu-check: ${a} needs a value\n${USAGE}`); return 2; }
      if (a === '--qemu-version') version = val;
      else if ((PEERS as readonly string[]).includes(val)) peer = val as Peer;
      else { process.stderr.write(`virtfs-lab qemu-check: unknown peer '${val}' (argument ${i + 1})\n${USAGE}`); return 2; }
    } else if (a === '--help' || a === '-h') { process.stdout.write(USAGE); return 0; }
    else { process.stderr.write(`virtfs-lab qemu-check: unexpected '${a}' (argument ${i + 1}); put QEMU's arguments after --\n${USAGE}`); return 2; }
  }
  if (version === undefined) { process.stderr.write(`virtfs-lab qemu-check: --qemu-version is required\n${USAGE}`); return 2; }
  const args = argv.slice(i);
  try {
    const v = checkQemuCommandLine(args, { version, peer });
    if (json) process.stdout.write(`${JSON.stringify({ starts: v.starts, exitCode: v.exitCode, stderr: v.stderr })}\n`);
    else {
      process.stdout.write(v.stderr);
      process.stdout.write(v.starts ? `QEMU ${version}: starts\n`
        : v.exitCode === null ? `QEMU ${version}: does not start (killed by a signal or hung in realize)\n`
        : `QEMU ${version}: exits with status ${v.exitCode}\n`);
    }
    return v.starts ? 0 : 1;
  } catch (e) {
    if (e instanceof UnknownQemuVersionError || e instanceof QemuNotModelledError) {
      process.stderr.write(`virtfs-lab qemu-check: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
};
