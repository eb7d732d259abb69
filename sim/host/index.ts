// sim/host — the simulated Linux kernel (README.md in this folder). Public API.
export * from './errno.ts';
export * from './result.ts';
export * from './constants.ts';
export * from './caps.ts';
export * from './clock.ts';
export * from './bytes.ts';
export * from './types.ts';
export * from './vfs.ts';
export * from './mount.ts';
export * from './profiles.ts';
export { MemFs, MemInode, type MemFsOptions } from './memory-fs.ts';
export { Process, FdTable, type FsContext, type FdEntry } from './process.ts';
export { OpenFile, type FileKind } from './file.ts';
export { UnixSocket } from './unix-socket.ts';
export { Pipe } from './pipe.ts';
export { type DeviceSpec, type DeviceKind } from './devices.ts';
export { Prng } from './prng.ts';
export {
  Kernel,
  type KernelOptions,
  type SpawnOptions,
  type SyscallRecord,
  type SyscallObserver,
  type ChangeEvent,
  type OpenFdInfo,
  type RecvResult,
  type UtimeSpec,
} from './kernel.ts';
export { loadTree, dumpTree, TreeLoadError, type TreeEntry, type TreeEntryType, type RootAttrs, type LoadTreeOptions, type TreeNode } from './tree.ts';
export { snapshotFs, restoreFs, SnapshotError, SNAPSHOT_FORMAT, type FsSnapshot, type InodeSnapshot } from './snapshot.ts';
export { base64Decode, base64Encode } from './base64.ts';
export * as credRules from './cred.ts';
export * as permRules from './perm.ts';
export { ProcFs, ProcInode, type ProcHost } from './procfs.ts';
