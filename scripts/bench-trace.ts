// Trace budget check (DESIGN.md §5: "100,000 trace events: recorded in well under a second, held in
// under 100 MB"). Not a test: it prints measurements. Run:
//   node --expose-gc --import tsx scripts/bench-trace.ts
// The workload mirrors a proxy metadata run: per guest operation a 9P request, two proxy frames, a
// helper syscall with creds/caps, and the 9P reply (5 events), all with real encoded bytes.
import { performance } from 'node:perf_hooks';
import { encodeMessage } from '../sim/p9/index.ts';
import { exportJson, exportPcapng, exportText, filterEvents, importCapture, importJson, parseFilter, TraceRecorder } from '../sim/trace/index.ts';

const N = 100_000;
const gc = (globalThis as { gc?: () => void }).gc;
const mem = () => { gc?.(); gc?.(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };

const creds = { uid: [0, 0, 0, 0] as [number, number, number, number], gid: [0, 0, 0, 0] as [number, number, number, number], groups: [] };
const caps = { effective: 0x080000dbn, permitted: 0x080000dbn, inheritable: 0n };
const lstatReq = Uint8Array.from([6, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 0x2f, 0x2f, 0x70, 0x75, 0x62]);
const lstatRep = new Uint8Array(8 + 116);

// Inputs are built before the clock starts: the budget is about the recorder, not about the
// simulation producing the events (QEMU's server encodes its replies anyway and hands the recorder
// both the message and its bytes, see sim/qemu/server/trace-sink.ts).
type Step = (r: TraceRecorder) => void;
function workload(n: number, rawGuestBytes: boolean): Step[] {
  const steps: Step[] = [];
  for (let i = 0; steps.length < n; i++) {
    const tag = i & 0x7fff;
    const name = `f${i & 0xfff}`;
    const walk = { kind: 'Twalk' as const, tag, fid: 0, newfid: 1 + (i & 0xff), wnames: ['pub', name] };
    const walkBytes = encodeMessage(walk);
    const rwalk = { kind: 'Rwalk' as const, tag, wqids: [{ type: 0x80, version: 0, path: 3n }, { type: 0, version: 0, path: BigInt(100 + (i & 0xfff)) }] };
    const rwalkBytes = encodeMessage(rwalk);
    const proxyReq = { kind: 'proxy' as const, lane: 'qemu' as const, to: 'helper' as const, direction: 'request' as const, requestType: 'T_LSTAT', fields: { path: `//pub/${name}` }, bytes: lstatReq.slice() };
    const sys = { kind: 'syscall' as const, lane: 'helper' as const, pid: 7, comm: 'virtfs-proxy-h', creds, caps, root: '/srv/export', cwd: '/', name: 'lstat', args: { pathname: `//pub/${name}` }, result: 0 };
    const proxyRep = { kind: 'proxy' as const, lane: 'helper' as const, to: 'qemu' as const, direction: 'reply' as const, requestType: 'T_LSTAT', fields: { status: 0 }, bytes: lstatRep.slice() };
    steps.push((r) => {
      const req = rawGuestBytes ? r.p9({ lane: 'guest', bytes: walkBytes }) : r.p9({ lane: 'guest', bytes: walkBytes, message: walk });
      r.withCause(req.id, () => {
        const p = r.proxy(proxyReq);
        r.withCause(p.id, () => r.syscall(sys));
        r.proxy(proxyRep);
      });
      r.p9({ lane: 'qemu', message: rwalk, bytes: rwalkBytes });
    });
  }
  return steps.slice(0, n / 5);
}

function run(steps: Step[]): { rec: TraceRecorder; wallMs: number; cpuMs: number } {
  const rec = new TraceRecorder({ tickNs: 1000 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const s of steps) s(rec);
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { rec, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

run(workload(20_000, true)); // warm-up (JIT)
const rawSteps = workload(N, true);
const raw = run(rawSteps);
rawSteps.length = 0;
const before = mem();
const steps = workload(N, false);
const { rec, wallMs: recordMs, cpuMs: recordCpuMs } = run(steps);
steps.length = 0;
const heldBytes = mem() - before;

const time = <T>(fn: () => T): [T, number] => { const s = performance.now(); const v = fn(); return [v, performance.now() - s]; };
const [json, jsonMs] = time(() => exportJson(rec.events));
const [text, textMs] = time(() => exportText(rec.events));
const [pcap, pcapMs] = time(() => exportPcapng(rec.events));
const [, importJsonMs] = time(() => importJson(json));
const [imported, importPcapMs] = time(() => importCapture(pcap));
const [hits, filterMs] = time(() => filterEvents(rec.events, parseFilter('lane:helper kind:syscall path:f12')));
const [, textFilterMs] = time(() => filterEvents(rec.events, parseFilter('f4095')));

const result = {
  events: rec.size,
  recordMs: Math.round(recordMs), recordCpuMs: Math.round(recordCpuMs),
  rawGuestBytesRecordMs: Math.round(raw.wallMs), rawGuestBytesCpuMs: Math.round(raw.cpuMs),
  heldMB: +(heldBytes / 2 ** 20).toFixed(1),
  gc: gc ? 'forced' : 'unavailable (run with --expose-gc)',
  exportJsonMs: Math.round(jsonMs), jsonMB: +(json.length / 2 ** 20).toFixed(1),
  exportTextMs: Math.round(textMs), textMB: +(text.length / 2 ** 20).toFixed(1),
  exportPcapngMs: Math.round(pcapMs), pcapngMB: +(pcap.length / 2 ** 20).toFixed(1),
  importJsonMs: Math.round(importJsonMs), importPcapngMs: Math.round(importPcapMs), importedP9: imported.events.length,
  filterMs: Math.round(filterMs), filterHits: hits.length, textFilterFirstMs: Math.round(textFilterMs),
};
console.log(`trace: ${result.events} events recorded in ${result.recordMs} ms wall / ${result.recordCpuMs} ms CPU, held in ${result.heldMB} MB (budget: < 1000 ms, < 100 MB; gc ${result.gc})`);
console.log(`trace: with every guest request decoded from raw bytes: ${result.rawGuestBytesRecordMs} ms wall / ${result.rawGuestBytesCpuMs} ms CPU`);
console.log(`trace: export JSON ${result.exportJsonMs} ms (${result.jsonMB} MB), text ${result.exportTextMs} ms (${result.textMB} MB), pcapng ${result.exportPcapngMs} ms (${result.pcapngMB} MB); filter ${result.filterMs} ms, first text filter ${result.textFilterFirstMs} ms`);
console.log(`trace: import JSON ${result.importJsonMs} ms, import pcapng ${result.importPcapngMs} ms (${result.importedP9} 9P messages)`);
console.log(JSON.stringify({ bench: 'trace', ...result }));
