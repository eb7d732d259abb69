// V9fsState (hw/9pfs/9p.h): one virtio-9p device's server state — the driver, the negotiated msize
// and dialect, the fid table, the root's identity for `..` handling, and the version flags.
import type { QemuFeatures, QemuVersion } from '../versions.ts';
import type { FileOperations } from '../fsdev/file-ops.ts';
import type { Stat } from '../../host/types.ts';
import type { Qid } from '../../p9/messages.ts';
import { FidTable } from './fid.ts';
import type { QemuTraceSink } from './trace-sink.ts';

export interface V9fsState {
  readonly tag: string;
  readonly driver: FileOperations;
  readonly features: QemuFeatures;
  /** The modelled QEMU version (flags in `features`; exact numbers for boundaries versions.ts lacks). */
  readonly qv: QemuVersion;
  readonly fids: FidTable;
  /** Negotiated at Tversion (9p.c keeps the client's value). */
  msize: number;
  /** Set by Tversion: '9P2000.L', '9P2000.u' or undefined (unknown → nothing works). */
  proto?: '9P2000.L' | '9P2000.u';
  /** s->root_qid (2.7 – 6.x `..` check) and s->root_st (7.x), filled at Tattach. */
  rootQid?: Qid;
  rootSt?: Stat;
  /** s->dev_id: st_dev of the export root at realize (stat_to_qid warns when it differs). */
  devId?: number;
  readonly trace: QemuTraceSink;
  /** QEMU's stderr (error_report_once lines, warnings). */
  readonly stderr: (line: string) => void;
  /** error_report_once / warn_report_once bookkeeping. */
  readonly reportedOnce: Set<string>;
}

export function reportOnce(s: V9fsState, key: string, line: string): void {
  if (s.reportedOnce.has(key)) return;
  s.reportedOnce.add(key);
  s.stderr(line);
}

/** `v >= a.b.c` for boundaries that versions.ts has no flag for (each use cites its source). */
export function atLeast(s: V9fsState, major: number, minor: number, micro = 0): boolean {
  const v = s.qv;
  return (v.major - major || v.minor - minor || v.micro - micro) >= 0;
}
