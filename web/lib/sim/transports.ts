// The transports between the page and the simulator: a module Web Worker (the normal case), or the
// page itself when no worker can start (file://, a CSP without worker-src). Both run the same handler.
import type { SimReply, SimRequest } from './protocol.ts';
import type { SimTransport } from './client.ts';

export class WorkerTransport implements SimTransport {
  readonly where = 'worker' as const;
  readonly #worker: Worker;
  constructor() {
    this.#worker = new Worker(new URL('./plan.worker.ts', import.meta.url), { type: 'module', name: 'virtfs-lab-sim' });
  }
  post(req: SimRequest): void { this.#worker.postMessage(req); }
  onReply(listener: (reply: SimReply) => void): void {
    this.#worker.addEventListener('message', (ev: MessageEvent<SimReply>) => listener(ev.data));
  }
  /** Worker-level failure (script failed to load): reported as a crash of every pending request. */
  onFailure(listener: (message: string) => void): void {
    this.#worker.addEventListener('error', (ev) => listener(ev.message || 'the simulation worker failed to start'));
  }
  dispose(): void { this.#worker.terminate(); }
}

/** In-page transport: the same handler, loaded lazily, answering asynchronously like the worker. */
export class PageTransport implements SimTransport {
  readonly where = 'page' as const;
  #listeners: ((reply: SimReply) => void)[] = [];
  #handler = import('./handle.ts');
  post(req: SimRequest): void {
    void this.#handler.then(async ({ handleSimRequest }) => {
      const reply = await handleSimRequest(req);
      for (const l of this.#listeners) l(reply);
    });
  }
  onReply(listener: (reply: SimReply) => void): void { this.#listeners.push(listener); }
  dispose(): void { this.#listeners = []; }
}

/**
 * The worker, falling back to the page when the worker cannot run: construction throws (file://, a
 * CSP without worker-src) or the worker script fails to load later (an `error` event). Requests not
 * yet answered are sent again to the page transport, so nothing the user asked for is lost; state
 * kept inside the worker (a scenario session) is gone and must be reopened.
 */
export class ResilientTransport implements SimTransport {
  #inner: SimTransport;
  readonly #pending = new Map<number, SimRequest>();
  readonly #listeners: ((reply: SimReply) => void)[] = [];

  constructor(private readonly onFallback: (reason: string) => void = () => {}) {
    let worker: WorkerTransport | null = null;
    try {
      if (typeof Worker === 'function') worker = new WorkerTransport();
    } catch {
      worker = null;
    }
    this.#inner = worker ?? new PageTransport();
    this.#wire(this.#inner);
    worker?.onFailure((message) => this.#fallBack(message));
  }

  get where(): 'worker' | 'page' { return this.#inner.where; }

  #wire(t: SimTransport): void {
    t.onReply((reply) => {
      if (t !== this.#inner) return; // a late reply from the abandoned transport
      this.#pending.delete(reply.id);
      for (const l of this.#listeners) l(reply);
    });
  }

  #fallBack(reason: string): void {
    if (this.#inner instanceof PageTransport) return;
    this.#inner.dispose();
    this.#inner = new PageTransport();
    this.#wire(this.#inner);
    this.onFallback(reason);
    for (const req of this.#pending.values()) this.#inner.post(req);
  }

  post(req: SimRequest): void {
    this.#pending.set(req.id, req);
    this.#inner.post(req);
  }
  onReply(listener: (reply: SimReply) => void): void { this.#listeners.push(listener); }
  dispose(): void { this.#inner.dispose(); this.#pending.clear(); }
}

/** A plain transport: the worker, or the page when no worker can be constructed (no fallback later). */
export function defaultTransport(): SimTransport {
  try {
    if (typeof Worker === 'function') return new WorkerTransport();
  } catch {
    // e.g. a page opened from file:// or a CSP forbidding workers: run in the page instead.
  }
  return new PageTransport();
}
