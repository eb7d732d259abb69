// What changes in virtfs-proxy-helper between QEMU versions, derived from the shared version model
// (sim/qemu/versions.ts). Each flag cites proxy-protocol.md §15 / §10 / §11.
import { qemuVersion, type QemuVersion } from '../qemu/versions.ts';

export interface HelperBehaviour {
  /** The QEMU version the helper belongs to, e.g. "7.2.22". */
  version: string;
  /** 1.1–9.1 ship a helper (§15); 9.2 removed it. */
  exists: boolean;
  /** usage() prints basename(argv[0]) (≈2.x+); 1.x printed argv[0] (§11.1). */
  usageBasename: boolean;
  /**
   * ≈2.x+: chroot then chdir("/"), statfs("/") after chroot, sun_path length check, listener closed after
   * accept. 1.x: statfs(path) first, chdir("/") *then* chroot — the cwd stays outside the root (§11.3).
   */
  modernStartup: boolean;
  /** 1.x: readlink(path, buf, size) — off by one; later size - 1 (§5.2). */
  readlinkFullSize: boolean;
  /** setfsuid/setfsgid + libcap (< 5.0) or setresuid/setresgid + libcap-ng (5.0+) (§10.2, §10.4). */
  credSwitch: 'setfsuid-libcap' | 'setresuid-libcap-ng';
  /**
   * The process has a second thread (QEMU's RCU thread) that capng_apply never touches, so glibc's
   * set*id broadcast aborts once the main thread lost CAP_SETGID/CAP_SETUID (§10.3; observed 7.2.22,
   * inferred for every libcap-ng helper).
   */
  rcuThread: boolean;
  /** CVE-2023-2861: open_regular() refuses special files with -ENXIO (7.2.4+, 8.0.3+, 8.1; §5.5). */
  openRegular: boolean;
  /** 8.1+: the deprecation NOTE on stderr before option parsing (§11.2). */
  deprecationNote: boolean;
}

export function helperBehaviour(version: string | QemuVersion = '7.2.22'): HelperBehaviour {
  const v = typeof version === 'string' ? qemuVersion(version) : version;
  const f = v.features;
  return {
    version: v.id,
    exists: f.proxyDriver,
    usageBasename: f.helperModernStartup,
    modernStartup: f.helperModernStartup,
    readlinkFullSize: f.helperReadlinkOffByOne,
    credSwitch: f.helperCredSwitch,
    rcuThread: f.helperCapQuirkUid0Gid,
    openRegular: f.cve2023_2861Fix,
    deprecationNote: f.proxyDeprecationWarning,
  };
}
