// virtfs-lab command-line entry: one module per subcommand under cli/commands/.
// Each subcommand returns the process exit status (0 only on success).
import type { Command } from './command.ts';

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  // argv: domain XML → launch plan (issue 2); qemu-check: one QEMU command line's verdict.
  // conformance: replay a proxy-conformance suite against the simulated helper (issue 3).
  // run: run a scenario end to end (issue 4).
  'qemu-check': () => import('./commands/qemu-check.ts'),
  argv: () => import('./commands/argv.ts'),
  conformance: () => import('./commands/conformance.ts'),
  run: () => import('./commands/run.ts'),
};

export function usage(): string {
  const names = Object.keys(COMMANDS).sort();
  return `usage: virtfs-lab <command> [options]\ncommands: ${names.join(', ') || '(none)'}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`virtfs-lab: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  const { command } = await load();
  return command(rest);
}
