// The simulation's Web Worker (DESIGN.md §5: the page stays responsive whatever the simulator does).
// Started by client.ts with `new Worker(new URL('./plan.worker.ts', import.meta.url), { type: 'module' })`.
import { handleSimRequest } from './handle.ts';
import type { SimRequest } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (ev: MessageEvent<SimRequest>) => {
  scope.postMessage(await handleSimRequest(ev.data));
};
