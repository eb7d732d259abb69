// Capability names for display (include/uapi/linux/capability.h numbering, CAP_LAST_CAP 40 as on
// Linux 5.9+). Display only: the semantics live in sim/host.

const NAMES = [
  'chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap',
  'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner',
  'sys_module', 'sys_rawio', 'sys_chroot', 'sys_ptrace', 'sys_pacct', 'sys_admin', 'sys_boot', 'sys_nice',
  'sys_resource', 'sys_time', 'sys_tty_config', 'mknod', 'lease', 'audit_write', 'audit_control', 'setfcap',
  'mac_override', 'mac_admin', 'syslog', 'wake_alarm', 'block_suspend', 'audit_read', 'perfmon', 'bpf',
  'checkpoint_restore',
] as const;

export const CAP_FULL = (1n << BigInt(NAMES.length)) - 1n;

/** `chown,dac_override` for a mask; `all` for every capability, `none` for 0, unknown bits as `cap45`. */
export function capList(mask: bigint): string {
  if (mask === 0n) return 'none';
  if ((mask & CAP_FULL) === CAP_FULL) {
    const extra = mask & ~CAP_FULL;
    return extra ? `all+0x${extra.toString(16)}` : 'all';
  }
  const out: string[] = [];
  for (let i = 0; i < 64; i++) if ((mask >> BigInt(i)) & 1n) out.push(NAMES[i] ?? `cap${i}`);
  return out.join(',');
}

/** /proc/PID/status style: 16 hex digits. */
export function capHex16(mask: bigint): string {
  return mask.toString(16).padStart(16, '0');
}
