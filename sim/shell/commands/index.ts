// The command table of the shell (builtins echo/true/false/setpriv live in shell.ts).
import type { CommandFn } from '../shell.ts';
import { chmod, chown, getfattr, setfattr } from './attrs.ts';
import { ln, mkdir, mkfifo, mknod, mv, rm, rmdir } from './dirs.ts';
import { cat, touch, truncate } from './files.ts';
import { cd, df, id, pwd, readlink, stat } from './info.ts';
import { ls } from './ls.ts';

export function attachCommands(): Record<string, CommandFn> {
  return { ls, cat, touch, truncate, mkdir, rmdir, rm, mv, ln, mknod, mkfifo, chmod, chown, getfattr, setfattr, stat, readlink, df, id, pwd, cd };
}
