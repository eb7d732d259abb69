// The few WebAssembly JS-API entry points the runner uses. sim/ is compiled without the DOM lib,
// which is where TypeScript declares `WebAssembly`; the engine provides it in Node, workers and pages.
export interface WasmGlobal { value: bigint | number }
export interface WasmMemory { readonly buffer: ArrayBuffer }
export interface WasmInstance { readonly exports: Record<string, unknown> }
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Module_imports(module: object): { module: string; name: string; kind: string }[];
}

export function wasmApi(): WasmApi {
  const W = (globalThis as unknown as { WebAssembly?: Record<string, unknown> }).WebAssembly;
  if (!W) throw new Error('this JavaScript engine has no WebAssembly');
  const Module = W['Module'] as WasmApi['Module'] & { imports(m: object): { module: string; name: string; kind: string }[] };
  return {
    Module,
    Instance: W['Instance'] as WasmApi['Instance'],
    Module_imports: (m) => Module.imports(m),
  };
}

/** A trap (RuntimeError) as opposed to an exception thrown by the host side. */
export function isTrap(e: unknown): e is Error {
  const W = (globalThis as unknown as { WebAssembly?: { RuntimeError?: new () => Error } }).WebAssembly;
  return !!W?.RuntimeError && e instanceof W.RuntimeError;
}
