// Differential test of AF_UNIX stream semantics against the real Linux kernel: random sends (with
// and without SCM_RIGHTS fds), receives with limited room for fds, shutdowns and closes on a
// non-blocking socketpair; received fds share the file offset with the sender's description.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL, assertPresent, haveReal, inCI } from '../support/real-components.ts';
import { AF_UNIX, Kernel, MSG_CTRUNC, O_RDONLY, SOCK_NONBLOCK, SOCK_STREAM } from '../../sim/host/index.ts';

const ORACLE = path.join(__dirname, 'oracle', 'linux-ipc.py');
const CONTENT = '0123456789abcdefghij';
type Step = ['send', string, string, number] | ['recv', string, number, number] | ['shutdown', string, number] | ['close', string] | ['readfd', number, number];
const side = fc.constantFrom('a', 'b');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.tuple(fc.constant('send' as const), side, fc.uint8Array({ minLength: 0, maxLength: 6 }).map((b) => Buffer.from(b).toString('hex')), fc.constantFrom(0, 0, 1, 2)), weight: 5 },
  { arbitrary: fc.tuple(fc.constant('recv' as const), side, fc.integer({ min: 0, max: 9 }), fc.constantFrom(0, 1, 2)), weight: 5 },
  fc.tuple(fc.constant('shutdown' as const), side, fc.constantFrom(0, 1, 2)),
  fc.tuple(fc.constant('close' as const), side),
  { arbitrary: fc.tuple(fc.constant('readfd' as const), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 })), weight: 2 },
) as fc.Arbitrary<Step>;

function simRun(steps: Step[]): string[] {
  const k = new Kernel();
  const t = k.init;
  k.mkdir(t, '/d', 0o755);
  const w = k.open(t, '/d/f', 0o101, 0o644);
  if (!w.ok) throw new Error('setup');
  k.write(t, w.value, new TextEncoder().encode(CONTENT));
  k.close(t, w.value);
  const pair = k.socketpair(t, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK);
  const f = k.open(t, '/d/f', O_RDONLY);
  if (!pair.ok || !f.ok) throw new Error('setup');
  const ends: Record<string, number | null> = { a: pair.value[0], b: pair.value[1] };
  const got: number[] = [];
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  return steps.map((st) => {
    const E = (r: { ok: boolean; errno?: string }): string => r.errno ?? '?';
    switch (st[0]) {
      case 'send': {
        const fd = ends[st[1]];
        if (fd === null) return 'EBADF';
        const r = k.sendmsg(t, fd!, Buffer.from(st[2], 'hex'), { fds: Array(st[3]).fill(f.value) });
        return r.ok ? `ok:${r.value}` : E(r);
      }
      case 'recv': {
        const fd = ends[st[1]];
        if (fd === null) return 'EBADF';
        const r = k.recvmsg(t, fd!, st[2], { maxFds: st[3] });
        if (!r.ok) return E(r);
        got.push(...r.value.fds);
        return `ok:${hex(r.value.data)}:${r.value.fds.length}:${r.value.msgFlags & MSG_CTRUNC ? 1 : 0}`;
      }
      case 'shutdown': {
        const fd = ends[st[1]];
        if (fd === null) return 'EBADF';
        const r = k.shutdown(t, fd!, st[2]);
        return r.ok ? 'ok' : E(r);
      }
      case 'close': {
        const fd = ends[st[1]];
        if (fd === null) return 'EBADF';
        ends[st[1]] = null;
        const r = k.close(t, fd!);
        return r.ok ? 'ok' : E(r);
      }
      case 'readfd': {
        if (st[1] >= got.length) return 'none';
        const r = k.read(t, got[st[1]]!, st[2]);
        return r.ok ? `ok:${hex(r.value)}` : E(r);
      }
    }
    return '?';
  });
}

const canRun = process.platform === 'linux' && haveReal(REAL.python3);
if (!canRun && !inCI) console.warn('\n!!! SKIPPING differential-sockets: needs Linux and python3\n');

describe.skipIf(!canRun)('differential: AF_UNIX stream sockets vs this machine\'s Linux', () => {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtfs-lab-ipc-'));
    fs.writeFileSync(path.join(dir, 'f'), CONTENT);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('agrees on every send, receive (bytes, fds, MSG_CTRUNC), shutdown, close and shared offset', () => {
    assertPresent(REAL.python3);
    const sequences = fc.sample(fc.array(stepArb, { minLength: 5, maxLength: 30 }), { seed: 0x50c7, numRuns: 400 });
    const res = spawnSync(REAL.python3.path, [ORACLE], { input: JSON.stringify({ file: path.join(dir, 'f'), sequences }), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000, killSignal: 'SIGKILL' });
    if (res.status !== 0) throw new Error('oracle failed: ' + res.stderr);
    const real = JSON.parse(res.stdout) as string[][];
    let compared = 0;
    const kinds = new Map<string, number>();
    sequences.forEach((steps, i) => {
      const sim = simRun(steps);
      steps.forEach((st, j) => {
        const want = real[i]![j]!;
        if (sim[j] !== want) throw new Error(`sequence ${i} step ${j}: sim ${sim[j]} real ${want}\n${steps.slice(0, j + 1).map((x, n) => JSON.stringify(x) + " real=" + real[i]![n] + " sim=" + sim[n]).join("\n")}`);
        compared++;
        const key = `${st[0]}:${want.split(':')[0]}`;
        kinds.set(key, (kinds.get(key) ?? 0) + 1);
      });
    });
    console.log(`differential sockets vs Linux: ${sequences.length} sequences, ${compared} steps; ${[...kinds].sort().map(([k, n]) => `${k}=${n}`).join(' ')}`);
    for (const k of ['send:EPIPE', 'recv:ECONNRESET', 'recv:EAGAIN', 'readfd:ok']) expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
  });
});
