// The scenario file (format version 1): what a trainer writes and what the playground shares.
// Contract: issue 4 §3 (the scenario file). Tree entries reuse the entry format of
// /work/shared/vectors/FORMAT.md ("Tree entry"), with ABSOLUTE paths instead of export-relative ones.

import type { TreeEntry as FormatTreeEntry, TreeEntryType } from '../host/tree.ts';
import type { Timespec as HostTimespec } from '../host/clock.ts';

export type Era = '0.10.2' | '9.0';
export type Variant = 'as-posted' | 'corrected';

export type EntryType = TreeEntryType;
export type Timespec = HostTimespec;

/**
 * A FORMAT.md tree entry (sim/host/tree.ts, the one definition), with an absolute `path` required.
 * Device entries carry `rdev` and what reading the device returns as `content`/`content_b64`.
 */
export type TreeEntry = FormatTreeEntry & { path: string };

export interface HostSpec {
  /** The exported directory; must equal the `<source dir>` of the domain's first `<filesystem>`. */
  export: string;
  tree: TreeEntry[];
}

export interface GuestSpec {
  /** Where the guest mounts the first filesystem's tag (default /mnt). */
  mount: string;
  /** Who runs the guest script (a line can switch with `as UID[:GID] CMD`). */
  uid: number;
  gid: number;
  /** Extra entries for the guest's own root filesystem. */
  tree: TreeEntry[];
  /** Shell lines. `host: CMD` runs on the host as root; `racer: host: CMD` is the second actor's step. */
  script: string[];
}

/** Where the racer's steps run: after the main actor's N-th host syscall (1-based), counted over the run. */
export interface RaceSpec { afterHostSyscall: number }

/** Expected outcome of one command (index into guest.script) for a preset's matrix entry. */
export interface ExpectResult {
  line: number;
  exit?: number;
  stdout?: string;
  stdoutIncludes?: string;
  /** A regular expression (JavaScript syntax) the stdout must match. */
  stdoutMatches?: string;
  stderr?: string;
  stderrIncludes?: string;
  /** The command did not complete (blocked, e.g. the FIFO open freezing the helper). */
  blocked?: boolean;
}

/** Expected state of a host object after the run. */
export interface ExpectHost {
  path: string;
  exists?: boolean;
  content?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  type?: EntryType;
}

/** One driver/version cell of a preset's expectation table (scenarios.md's rows). */
export interface MatrixCell {
  label: string;
  driver: 'local' | 'proxy';
  qemu: string;
  era?: Era;
  variant?: Variant;
  /** Extra `<filesystem>` children/attributes are not rewritten; only the driver type is. */
  launch?: 'ok' | 'refused';
  /** Where the racer runs in this cell (driver and version change how many host syscalls happen). */
  race?: RaceSpec;
  /** With launch 'refused': a substring of the error (libvirt's or QEMU's text). */
  errorIncludes?: string;
  results?: ExpectResult[];
  host?: ExpectHost[];
  /** Free text: the scenarios.md row this cell reproduces. */
  note?: string;
}

export interface Scenario {
  version: 1;
  title: string;
  id?: string;
  description?: string;
  host: HostSpec;
  guest: GuestSpec;
  domain: string;
  era: Era;
  variant: Variant;
  qemu: string;
  race?: RaceSpec;
  /** Presets only: expected outcome per driver/version. */
  matrix?: MatrixCell[];
  /** Free-form provenance (scenarios.md section, CVE). */
  source?: string;
}
