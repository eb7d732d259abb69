// Reading the recorded conformance suite (read-only fixture) for profile checks.
import { readFileSync } from 'node:fs';

export interface VStep { id: string; request_type: string; response_hex: string; result: string }
export interface VSession { id: string; export_fs: string; export_root: Record<string, unknown>; tree: unknown[]; steps: VStep[] }

let cache: { sessions: VSession[] } | undefined;
export function suite(): { sessions: VSession[] } {
  cache ??= JSON.parse(readFileSync('/work/shared/vectors/proxy-conformance-public.json', 'utf8')) as { sessions: VSession[] };
  return cache;
}

export function step(session: string, id: string): VStep {
  const s = suite().sessions.find((x) => x.id === session);
  const st = s?.steps.find((x) => x.id === id);
  if (!st) throw new Error(`no step ${session}/${id}`);
  return st;
}

/** Decode a ProxyStat reply by hand (proxy-protocol.md §6.1: 8-byte header, then "qqqdddqqqqqqqqqq"). */
export function decodeStat(hex: string): Record<string, bigint> {
  const b = Buffer.from(hex, 'hex');
  const q = (o: number): bigint => b.readBigUInt64LE(8 + o);
  const d = (o: number): bigint => BigInt(b.readUInt32LE(8 + o));
  return {
    dev: q(0), ino: q(8), nlink: q(16), mode: d(24), uid: d(28), gid: d(32), rdev: q(36), size: q(44),
    blksize: q(52), blocks: q(60), atime_sec: q(68), atime_nsec: q(76), mtime_sec: q(84), mtime_nsec: q(92),
  };
}

/** Decode a ProxyStatFS reply (§6.2: "qqqqqqqqqqq"). */
export function decodeStatfs(hex: string): Record<string, bigint> {
  const b = Buffer.from(hex, 'hex');
  const names = ['type', 'bsize', 'blocks', 'bfree', 'bavail', 'files', 'ffree', 'fsid0', 'fsid1', 'namelen', 'frsize'];
  const out: Record<string, bigint> = {};
  names.forEach((n, i) => { out[n] = b.readBigUInt64LE(8 + 8 * i); });
  return out;
}
