// The virtfs-lab library: the simulator's public entry points, importable from Node, a Web Worker
// and the page alike (no DOM, no Node built-ins anywhere under sim/).
// Each layer re-exports its public functions here as it lands.
export {};
export * from './qemu/versions.ts';
// Namespaced: p9 and host both define ERRNO/errnoName/Dirent, which a flat export * would make ambiguous.
export * as p9 from './p9/index.ts';
export * as qemuOptions from './qemu/options/index.ts';
export * from './libvirt/index.ts';
// Namespaced: host's CapName (Linux capabilities) clashes with libvirt's CapName (QEMU caps).
export * as host from './host/index.ts';
export * as trace from './trace/index.ts';
export * as proxy from './proxy/index.ts';
export * as helper from './helper/index.ts';
export * as qemu from './qemu/server/index.ts';
export * as lab from './lab/index.ts';
export * as wasi from './wasi/index.ts';
export * as shell from './shell/index.ts';
export * as guest from './guest/index.ts';
export * as scenario from './scenario/index.ts';
