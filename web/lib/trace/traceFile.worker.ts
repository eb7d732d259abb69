// The trace-file worker: parses and validates a trace file off the page's thread (a 100,000-event
// JSON trace takes about a second), then sends the events back in slices (traceFile.ts).
// Started by openTraceFile.ts, one per file, terminated when the file is read.
import { traceFileReplies } from './traceFile.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (ev: MessageEvent<{ name: string; buffer: ArrayBuffer }>) => {
  for (const reply of traceFileReplies(ev.data.name, new Uint8Array(ev.data.buffer), () => performance.now())) scope.postMessage(reply);
};
