// Capabilities (include/uapi/linux/capability.h) as 64-bit masks in a bigint.
// Semantics of uid transitions: capabilities(7) "Effect of user ID changes on capabilities" and
// security/commoncap.c cap_task_fix_setuid.

export const CAP = {
  CHOWN: 0, DAC_OVERRIDE: 1, DAC_READ_SEARCH: 2, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7,
  SETPCAP: 8, LINUX_IMMUTABLE: 9, NET_BIND_SERVICE: 10, NET_BROADCAST: 11, NET_ADMIN: 12, NET_RAW: 13,
  IPC_LOCK: 14, IPC_OWNER: 15, SYS_MODULE: 16, SYS_RAWIO: 17, SYS_CHROOT: 18, SYS_PTRACE: 19,
  SYS_PACCT: 20, SYS_ADMIN: 21, SYS_BOOT: 22, SYS_NICE: 23, SYS_RESOURCE: 24, SYS_TIME: 25,
  SYS_TTY_CONFIG: 26, MKNOD: 27, LEASE: 28, AUDIT_WRITE: 29, AUDIT_CONTROL: 30, SETFCAP: 31,
  MAC_OVERRIDE: 32, MAC_ADMIN: 33, SYSLOG: 34, WAKE_ALARM: 35, BLOCK_SUSPEND: 36, AUDIT_READ: 37,
  PERFMON: 38, BPF: 39, CHECKPOINT_RESTORE: 40,
} as const;
export type CapName = keyof typeof CAP;

export const CAP_LAST_CAP = 40;
/** Every capability this kernel knows (what root starts with: CapEff 000001ffffffffff). */
export const CAP_FULL_SET = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;
export const CAP_EMPTY_SET = 0n;

/** 1n << c for every capability number, built once (perf: capable() runs on every permission check;
 * a BigInt shift allocates). */
const CAP_BITS: readonly bigint[] = Array.from({ length: 64 }, (_, i) => 1n << BigInt(i));
export const capBit = (c: number): bigint => CAP_BITS[c] ?? 1n << BigInt(c);
export const capMask = (...names: CapName[]): bigint =>
  names.reduce((m, n) => m | capBit(CAP[n]), 0n);

/** CAP_FS_SET (include/linux/capability.h): dropped from / raised into the effective set when the
 * fsuid moves away from / back to 0 (cap_task_fix_setuid LSM_SETID_FS). */
export const CAP_FS_SET = capMask(
  'CHOWN', 'MKNOD', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'MAC_OVERRIDE', 'LINUX_IMMUTABLE',
);

/** The helper's kept set (proxy-protocol.md §11.5): 0x080000db. */
export const HELPER_CAPS = capMask('CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'SETGID', 'SETUID', 'MKNOD');

export interface CapSets {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  bounding: bigint;
  ambient: bigint;
}

export function fullCaps(): CapSets {
  return { effective: CAP_FULL_SET, permitted: CAP_FULL_SET, inheritable: 0n, bounding: CAP_FULL_SET, ambient: 0n };
}
export function noCaps(): CapSets {
  return { effective: 0n, permitted: 0n, inheritable: 0n, bounding: CAP_FULL_SET, ambient: 0n };
}

/** /proc/PID/status style: 16 hex digits. */
export function capHex(mask: bigint): string {
  return mask.toString(16).padStart(16, '0');
}

/** Names of the capabilities in a mask, lowest first. */
export function capNames(mask: bigint): CapName[] {
  return (Object.entries(CAP) as [CapName, number][]).filter(([, b]) => (mask & capBit(b)) !== 0n).map(([n]) => n);
}
