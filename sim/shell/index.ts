// sim/shell: the usual commands over any kernel instance's syscalls (DESIGN.md §2 `shell/`).
export { Shell, type CommandFn, type CommandResult } from './shell.ts';
export { KernelOs, mapSys, type KernelOsOptions } from './kernel-os.ts';
export type { ShellOs, DirEntry, Ids, MountInfo, TimeArg } from './os.ts';
export { parseLine, ShellSyntaxError, type CommandList, type SimpleCommand, type Redirect } from './parse.ts';
export { sys, runNow, type Job, type Pause } from './job.ts';
export { modeString, lsLong, statFormat, statDefault, fileTypeName, type StatView } from './format.ts';
