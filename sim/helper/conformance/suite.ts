// The proxy-conformance/1 suite format (vectors/FORMAT.md), typed, with validation that names the
// offending JSON location. Any suite in this format must replay — the public one and hidden ones.

import type { TreeEntry as FormatTreeEntry, TreeEntryType } from '../../host/tree.ts';
import type { Timespec } from '../../host/clock.ts';

export type TimeSpec = Timespec;
export type TreeType = TreeEntryType;

/** FORMAT.md tree entry (sim/host/tree.ts, the one definition); paths here are relative to the export. */
export type TreeEntry = FormatTreeEntry & { path: string };

export interface ExportRoot {
  mode: number; uid: number; gid: number;
  atime?: TimeSpec; mtime?: TimeSpec;
  xattrs?: Record<string, string | { b64: string }>;
}

export interface OutsideEntry extends Omit<TreeEntry, 'path'> {
  path: string;
  decoy?: boolean;
  note?: string;
}

export interface Mask { field: string; offset: number; length: number; separator?: number }

export interface ClientAction {
  op: 'shutdown_wr' | 'wait' | 'host_open_nonblock_writer' | string;
  ms?: number;
  expect_no_reply?: boolean;
  when?: string;
  path?: string;
}

export interface FdInfo {
  kind: string;
  mode: number;
  uid: number;
  gid: number;
  o_flags: number;
  accmode: string;
  o_path: boolean;
  host_path: string;
  content?: string;
  content_b64?: string;
  listing?: string[];
}

export interface Step {
  id: string;
  seq: number;
  request_type: string;
  request_hex: string;
  chunks?: { hex: string; delay_ms?: number }[];
  client_actions?: ClientAction[];
  reader: 'fd' | 'framed' | 'raw';
  response_hex: string;
  recv_status: string | null;
  result?: string;
  fd_received?: boolean;
  fd_info?: FdInfo | FdInfo[];
  fd_actions?: { op: string; data_hex?: string }[];
  masks?: { volatile?: Mask[]; fs_dependent?: Mask[]; unordered?: Mask[] };
  helper_alive_after: boolean;
  helper_exit?: { returncode: number; signal: string | null };
  stderr?: string;
  quirk?: string;
  response_complete?: boolean;
  response_length?: number;
  timeout_ms?: number;
}

export interface CliRun { argv: string[]; returncode: number; stdout?: string; stderr: string; note?: string }

export interface Session {
  id: string;
  group?: string;
  kind?: 'wire' | 'cli' | 'observations';
  quirk?: string;
  description?: string;
  export_fs: 'ext4' | 'tmpfs';
  transport?: 'fd' | 'socket';
  helper_argv?: string[];
  export_root: ExportRoot;
  tree: TreeEntry[];
  outside?: OutsideEntry[];
  outside_must_not_exist?: { path: string; verified_absent?: boolean }[];
  steps: Step[];
  end?: { helper_exit_after_close?: { returncode: number; killed: boolean }; stderr_total?: string };
  cli_runs?: CliRun[];
}

export interface Suite {
  format: 'proxy-conformance/1';
  suite?: string;
  sessions: Session[];
  [k: string]: unknown;
}

export class SuiteFormatError extends Error {
  static readonly code = 'SuiteFormatError' as const;
  readonly code = SuiteFormatError.code;
  constructor(readonly data: { pointer: string; reason: string }) {
    super(`${data.pointer || '/'}: ${data.reason}`);
    this.name = 'SuiteFormatError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function need(cond: boolean, pointer: string, reason: string): void {
  if (!cond) throw new SuiteFormatError({ pointer, reason });
}

/** Checks the shape the replay relies on; the first problem is reported with its JSON pointer. */
export function validateSuite(v: unknown): Suite {
  need(isObj(v), '', 'suite must be a JSON object');
  const s = v as Record<string, unknown>;
  need(s.format === 'proxy-conformance/1', '/format', `expected "proxy-conformance/1", got ${JSON.stringify(s.format)}`);
  need(Array.isArray(s.sessions), '/sessions', 'must be an array');
  (s.sessions as unknown[]).forEach((ses, i) => {
    const p = `/sessions/${i}`;
    need(isObj(ses), p, 'must be an object');
    const o = ses as Record<string, unknown>;
    need(typeof o.id === 'string', `${p}/id`, 'must be a string');
    const kind = o.kind ?? 'wire';
    if (kind === 'wire') {
      need(Array.isArray(o.helper_argv), `${p}/helper_argv`, 'must be an array of strings');
      need(isObj(o.export_root), `${p}/export_root`, 'must be an object');
      need(Array.isArray(o.tree), `${p}/tree`, 'must be an array');
      need(Array.isArray(o.steps), `${p}/steps`, 'must be an array');
      (o.steps as unknown[]).forEach((st, j) => {
        const q = `${p}/steps/${j}`;
        need(isObj(st), q, 'must be an object');
        const t = st as Record<string, unknown>;
        need(typeof t.id === 'string', `${q}/id`, 'must be a string');
        need(typeof t.request_hex === 'string' && /^([0-9a-f]{2})*$/i.test(t.request_hex), `${q}/request_hex`, 'must be a hex string');
        need(typeof t.response_hex === 'string' && /^([0-9a-f]{2})*$/i.test(t.response_hex), `${q}/response_hex`, 'must be a hex string');
        need(t.reader === 'fd' || t.reader === 'framed' || t.reader === 'raw', `${q}/reader`, 'must be fd, framed or raw');
      });
    } else if (kind === 'cli') {
      need(Array.isArray(o.cli_runs), `${p}/cli_runs`, 'must be an array');
    }
  });
  return v as Suite;
}
