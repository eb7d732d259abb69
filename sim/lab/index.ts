// The assembled system: host kernel + libvirtd's launch + helper + QEMU (see lab.ts).
export * from './lab.ts';
export * from './launch-specs.ts';
export { RecorderSink } from './recorder-sink.ts';
export * from './plan.ts';
