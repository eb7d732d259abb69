// Public types of the libvirt layer (the contract of issue 2 §2; extended, never narrowed).

import type { Era, LegacyRelease, Variant } from './era.ts';
import type { WordOrigin } from './qemu/argv-builder.ts';

export type { Era, LegacyRelease, Variant, WordOrigin };

export interface PlanOptions {
  era: Era;
  /** 0.10.2 era only: the proxy patch as posted, or the corrected variant (libvirt.md §4.5). */
  variant: Variant;
  /** QEMU version for the version-based capability model and the verdict, e.g. "1.2.0", "7.2.22". */
  qemuVersion?: string;
  /** Text of a `-help` output (fixtures/qemu-help/…); wins over qemuVersion for capabilities. */
  qemuHelp?: string;
  /** Overrides `<emulator>`. */
  emulator?: string;
  /** Corrected variant: where the helper is looked up (default Debian's /usr/lib/qemu). */
  helperDir?: string;
  /** Extension: the 2012 release within the era (command-line shape outside filesystems; QMP probing). */
  legacyRelease?: LegacyRelease;
  /**
   * Extension: who builds the command line. 'libvirtd' is a real daemon (default for 0.10.2);
   * 'domxml-to-native' (default for 9.0, the oracle of fixtures/libvirt-9.0-oracle) is
   * `virsh domxml-to-native` with an embed root; 'xml2argv-test' reproduces libvirt's test harness
   * (its env, monitor path and fixed caps) so the fs9p golden files compare word for word.
   */
  host?: 'libvirtd' | 'xml2argv-test' | 'domxml-to-native';
  /** Extension: the embed root of `qemu:///embed?root=DIR` (9.0, host 'domxml-to-native'; default
   *  the placeholder 'EMBED_ROOT' used by the recorded fixtures). */
  embedRoot?: string;
  /** Extension: the lowest free fd of the process building the command line: libvirtd's socketpair for
   *  the proxy patch (default 24, libvirt.md §4.3); virsh's tap fds in 9.0 domxml-to-native (default 5). */
  firstFreeFd?: number;
  /** Extension: where the helper binary really is on the simulated host (default: from the QEMU version). */
  helperInstalledAt?: string;
}

export interface Note {
  id: string;
  kind: 'finding' | 'difference' | 'info' | 'warning';
  text: string;
  source: string;
}

export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
  /** UTF-16 offsets in the XML. */
  from: number;
  to: number;
}

export interface SocketPair {
  alias: string;
  helperFd: number;
  qemuFd: number;
}

export interface Verdict {
  starts: boolean;
  exitCode: number | null;
  stderr: string;
}

export type PlanResult =
  | {
    ok: true;
    era: Era;
    variant: Variant;
    qemuVersion: string;
    caps: string[];
    socketpairs: SocketPair[];
    /** The first helper's argv (null without a proxy filesystem). */
    helper: string[] | null;
    /** Every helper, one per proxy filesystem. */
    helpers: string[][];
    /** The whole QEMU command line: the program, then its arguments (no environment). */
    qemu: string[];
    /** Extension: the environment libvirt sets for QEMU (`NAME=value`), in libvirt's order. */
    env: string[];
    verdict: Verdict;
    notes: Note[];
    origins: WordOrigin[];
    diagnostics: Diagnostic[];
  }
  | { ok: false; error: { message: string; line?: number; column?: number }; diagnostics: Diagnostic[]; notes: Note[] };
