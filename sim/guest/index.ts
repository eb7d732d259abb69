// sim/guest: the guest machine — its kernel, v9fs, the 9P client and the raw 9P console.
export { GuestMachine, GUEST_ROOT_TREE, type GuestOptions } from './machine.ts';
export { V9fsSuper, V9fsInode, V9FS_MAGIC } from './v9fs.ts';
export { V9fsSession, V9fsWouldBlock, DEFAULT_MSIZE } from './session.ts';
export { P9Client, FIRST_KERNEL_FID } from './client.ts';
export { runConsole, buildConsoleRequest, formatConsoleReply, parseMode, parseDotlFlags, CONSOLE_USAGE, ConsoleUsageError, type ConsoleResult } from './console.ts';
export type { P9Rpc, P9Request, RpcOutcome, VirtioQueue, QueueExchange } from './rpc.ts';
