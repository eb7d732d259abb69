// sim/p9: the 9P2000.L wire format, shared by the guest's v9fs client and QEMU's 9p server.
export * from './constants.ts';
export * from './errno.ts';
export * from './openflags.ts';
export * from './utf8.ts';
export * from './errors.ts';
export * from './messages.ts';
export * from './codec.ts';
export * from './frames.ts';
