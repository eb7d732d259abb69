// QEMU's 9P2000.L server, its fsdev drivers and QEMU as a process (public API; see README.md).
export * from './transport.ts';
export type { Co, Wait } from './coroutine.ts';
export type { QemuTraceSink, ProxyFrameInfo } from './trace-sink.ts';
export { NULL_TRACE, CollectingTrace } from './trace-sink.ts';
export type { V9fsState } from './state.ts';
export { FidTable, type V9fsFid, type FidType } from './fid.ts';
export { statToQid, blksizeToIounit, P9_IOHDRSZ } from './qid.ts';
export type { FileOperations, FsResult, V9fsPath, FsCred, SecurityModel, ExportFlags } from '../fsdev/file-ops.ts';
export { ProxyDriver } from '../fsdev/proxy/driver.ts';
export { ProxyClient, QemuAbortError } from '../fsdev/proxy/client.ts';
export { HardenedLocalDriver, SPECIAL_FILE_LINE } from '../fsdev/local/hardened.ts';
export { NaiveLocalDriver } from '../fsdev/local/naive.ts';
export { QemuProcess, startQemu, type QemuStartOptions, type QemuDevice, type QemuStatus } from '../process/qemu.ts';
export type { Libc } from '../process/libc.ts';
export { KernelLibc } from '../process/kernel-libc.ts';
