// sim/wasi: real WebAssembly (WASI preview1) programs as guest processes (issue 6).
export { runWasi, DEFAULT_LIMITS, EXIT_CPU_LIMIT, EXIT_TRAP, EXIT_NOT_EXECUTABLE, type RunOptions, type RunResult } from './runner.ts';
export { instrument, FUEL_EXPORT, GROW_FAILED_EXPORT, type Limits } from './instrument.ts';
export { resolveBeneath, type Beneath, type Resolution } from './resolve.ts';
export { GuestSys, type WasiMachine } from './sys.ts';
export { WasmFormatError } from './leb128.ts';
export { wasiErrno, wasiErrnoName, WASI_ENOTCAPABLE } from './errno.ts';
export { wasiRunCommand, type RunCommandOptions } from './command.ts';
