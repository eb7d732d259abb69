// Differential test of FIFO semantics against the real Linux kernel: non-blocking opens (ENXIO for
// a writer without readers), O_RDWR, reads (data, EOF without writers, EAGAIN with writers), writes
// (EPIPE without readers), with several open file descriptions at once. Blocking opens are covered
// by unit tests (the real oracle would hang), and so are reads on blocking descriptors.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL, assertPresent, haveReal, inCI } from '../support/real-components.ts';
import { Kernel, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY } from '../../sim/host/index.ts';

const ORACLE = path.join(__dirname, 'oracle', 'linux-ipc.py');
type Step = ['open', string, number] | ['read', string, number] | ['write', string, string] | ['close', string];
const nameArb = fc.constantFrom('x', 'y', 'z');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.tuple(fc.constant('open' as const), nameArb, fc.constantFrom(O_RDONLY | O_NONBLOCK, O_WRONLY | O_NONBLOCK, O_RDWR | O_NONBLOCK)), weight: 3 },
  { arbitrary: fc.tuple(fc.constant('read' as const), nameArb, fc.integer({ min: 1, max: 6 })), weight: 3 },
  { arbitrary: fc.tuple(fc.constant('write' as const), nameArb, fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => Buffer.from(b).toString('hex'))), weight: 3 },
  { arbitrary: fc.tuple(fc.constant('close' as const), nameArb), weight: 3 },
) as fc.Arbitrary<Step>;

function simRun(steps: Step[]): string[] {
  const k = new Kernel();
  const t = k.init;
  k.mknod(t, '/p', 0o10644);
  const fds = new Map<string, number>();
  return steps.map((st) => {
    const [op, name] = st;
    if (op === 'open') {
      if (fds.has(name)) return 'busy';
      const r = k.open(t, '/p', st[2]);
      if (!r.ok) return r.errno;
      fds.set(name, r.value);
      return 'ok';
    }
    const fd = fds.get(name);
    if (fd === undefined) return 'EBADF';
    if (op === 'read') { const r = k.read(t, fd, st[2]); return r.ok ? 'ok:' + Buffer.from(r.value).toString('hex') : r.errno; }
    if (op === 'write') { const r = k.write(t, fd, Buffer.from(st[2], 'hex')); return r.ok ? `ok:${r.value}` : r.errno; }
    fds.delete(name);
    const r = k.close(t, fd);
    return r.ok ? 'ok' : r.errno;
  });
}

const canRun = process.platform === 'linux' && haveReal(REAL.python3);
if (!canRun && !inCI) console.warn('\n!!! SKIPPING differential-fifos: needs Linux and python3\n');

describe.skipIf(!canRun)('differential: FIFOs vs this machine\'s Linux', () => {
  let dir = '';
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtfs-lab-fifo-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('agrees on every open, read, write and close', () => {
    assertPresent(REAL.python3);
    const seqs = fc.sample(fc.array(stepArb, { minLength: 5, maxLength: 25 }), { seed: 0xf1f0, numRuns: 400 });
    const res = spawnSync(REAL.python3.path, [ORACLE], { input: JSON.stringify({ fifo: path.join(dir, 'p'), fifo_sequences: seqs }), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000, killSignal: 'SIGKILL' });
    if (res.status !== 0) throw new Error('oracle failed: ' + res.stderr);
    const real = JSON.parse(res.stdout) as string[][];
    const kinds = new Map<string, number>();
    let compared = 0;
    seqs.forEach((steps, i) => {
      const sim = simRun(steps);
      steps.forEach((st, j) => {
        const want = real[i]![j]!;
        if (sim[j] !== want) throw new Error(`sequence ${i} step ${j}\n${steps.slice(0, j + 1).map((x, n) => JSON.stringify(x) + ' real=' + real[i]![n] + ' sim=' + sim[n]).join('\n')}`);
        compared++;
        const key = `${st[0]}:${want === 'ok:' ? 'EOF' : want.split(':')[0]}`;
        kinds.set(key, (kinds.get(key) ?? 0) + 1);
      });
    });
    console.log(`differential FIFOs vs Linux: ${seqs.length} sequences, ${compared} steps; ${[...kinds].sort().map(([k, n]) => `${k}=${n}`).join(' ')}`);
    for (const k of ['open:ENXIO', 'read:EAGAIN', 'read:EOF', 'write:EPIPE', 'read:ok']) expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
  });
});
