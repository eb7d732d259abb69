// sim/proxy: the 9p proxy wire format shared by QEMU's proxy client and virtfs-proxy-helper.
// No I/O here (DESIGN.md §2): bytes in, typed values out, and the reverse.
export * from './constants.ts';
export * from './errors.ts';
export * from './marshal.ts';
export * from './requests.ts';
export * from './header.ts';
export * from './request-codec.ts';
export * from './stat.ts';
export * from './replies.ts';
export * from './describe.ts';
export * from './utf8.ts';
export * from './symbolic.ts';
