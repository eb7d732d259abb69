// Read a trace file the user picked and parse it in the trace-file worker (the page's thread only
// receives the events, in slices), or in the page when no worker can start (file://, a CSP without
// worker-src). Times go to the Performance timeline (`virtfs-lab:trace-file-*` measures) so the
// end-to-end suite can report them.
import { checkTraceFileSize, parseTraceFile, type TraceFileReply, type TraceFileResult } from './traceFile.ts';
import type { TraceEvent } from '../../../sim/trace/event.ts';

export interface TraceFileTiming {
  /** File → ArrayBuffer. */
  readMs: number;
  /** Parse and validation (in the worker, or in the page). */
  parseMs: number;
  /** From picking the file to all events in the page. */
  totalMs: number;
  where: 'worker' | 'page';
}

function inWorker(name: string, buffer: ArrayBuffer): Promise<{ result: TraceFileResult; parseMs: number }> | null {
  let worker: Worker;
  try {
    if (typeof Worker !== 'function') return null;
    worker = new Worker(new URL('./traceFile.worker.ts', import.meta.url), { type: 'module', name: 'virtfs-lab-trace-file' });
  } catch {
    return null;
  }
  return new Promise((resolve, reject) => {
    const events: TraceEvent[] = [];
    worker.onmessage = (ev: MessageEvent<TraceFileReply>) => {
      const m = ev.data;
      if (m.kind === 'slice') { for (const e of m.events) events.push(e); return; }
      worker.terminate();
      resolve({ result: m.result.ok ? { ...m.result, events } : m.result, parseMs: m.parseMs });
    };
    worker.onerror = (ev) => { worker.terminate(); reject(new Error(ev.message || 'the trace-file worker failed')); };
    worker.postMessage({ name, buffer }, [buffer]);
  });
}

/** Read and parse `file`; never throws for a bad file (the result says what is wrong). */
export async function openTraceFile(file: File): Promise<{ result: TraceFileResult; timing: TraceFileTiming | null }> {
  const tooBig = checkTraceFileSize(file.name, file.size);
  if (tooBig) return { result: tooBig, timing: null };
  const t0 = performance.now();
  const buffer = await file.arrayBuffer();
  const t1 = performance.now();
  let out: { result: TraceFileResult; parseMs: number } | null = null;
  let where: TraceFileTiming['where'] = 'worker';
  // The buffer is transferred to the worker: keep a copy for the page's fallback only if the worker
  // fails to start (an error event before any reply), which costs a second read of the file.
  const viaWorker = inWorker(file.name, buffer);
  if (viaWorker) {
    try {
      out = await viaWorker;
    } catch {
      out = null;
    }
  }
  if (!out) {
    where = 'page';
    const bytes = new Uint8Array(viaWorker ? await file.arrayBuffer() : buffer);
    const p0 = performance.now();
    const result = parseTraceFile(file.name, bytes);
    out = { result, parseMs: performance.now() - p0 };
  }
  const t2 = performance.now();
  performance.measure('virtfs-lab:trace-file-read', { start: t0, end: t1 });
  performance.measure('virtfs-lab:trace-file-open', { start: t0, end: t2, detail: { parseMs: out.parseMs, where } });
  return { result: out.result, timing: { readMs: t1 - t0, parseMs: out.parseMs, totalMs: t2 - t0, where } };
}
