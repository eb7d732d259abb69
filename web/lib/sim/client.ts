// The page's side of the simulation: a transport (transports.ts: the worker, or in-page when no worker
// can start) plus request ids. No DOM types here, so the logic is unit-tested in Node. `LatestPlanner` keeps at most one plan request in flight and only the newest one
// waiting, and drops every reply that is not for the newest request — typing fast never shows an
// older plan after a newer one (style.md §4.2: "request ids; stale replies dropped").
import type { PlanOptions, PlanResult } from '../../../sim/libvirt/index.ts';
import type { SimReply, SimRequest } from './protocol.ts';

export interface SimTransport {
  post(req: SimRequest): void;
  onReply(listener: (reply: SimReply) => void): void;
  /** 'worker' or 'page': shown in the status bar, so a reader knows where the simulation ran. */
  readonly where: 'worker' | 'page';
  /** The transport itself broke (e.g. the worker script failed to load): every pending request fails. */
  onFailure?(listener: (message: string) => void): void;
  dispose(): void;
}

/** Omit that distributes over a union (plain Omit would collapse SimRequest's variants). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export type PlanOutcome =
  | { kind: 'plan'; xml: string; opts: PlanOptions; result: PlanResult }
  | { kind: 'crash'; xml: string; opts: PlanOptions; message: string };

export class SimClient {
  #nextId = 1;
  readonly #waiting = new Map<number, (reply: SimReply) => void>();
  readonly #transport: SimTransport;
  constructor(transport: SimTransport) {
    this.#transport = transport;
    transport.onReply((reply) => {
      const resolve = this.#waiting.get(reply.id);
      if (!resolve) return; // not ours, or already answered
      this.#waiting.delete(reply.id);
      resolve(reply);
    });
    transport.onFailure?.((message) => {
      for (const [id, resolve] of this.#waiting) resolve({ id, kind: 'crash', message });
      this.#waiting.clear();
    });
  }
  get where(): 'worker' | 'page' { return this.#transport.where; }
  request(req: WithoutId<SimRequest>): Promise<SimReply> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#transport.post({ ...req, id } as SimRequest);
    });
  }
  dispose(): void { this.#transport.dispose(); this.#waiting.clear(); }
}

/**
 * Runs the newest job only: at most one request in flight, submissions overtaken while it runs are
 * never sent, and a result that arrives after a newer submission is dropped. `onResult` sees only
 * results for the newest submission.
 */
export class LatestOnly<Job, Result> {
  #inFlight = false;
  #queued: Job | null = null;
  #generation = 0;
  /** Results dropped as stale: shown nowhere, counted for the tests. */
  dropped = 0;
  constructor(private readonly run: (job: Job) => Promise<Result>, private readonly onResult: (job: Job, r: Result) => void) {}

  submit(job: Job): void {
    this.#generation++;
    this.#queued = job;
    if (!this.#inFlight) this.#pump();
  }

  #pump(): void {
    const job = this.#queued;
    if (job === null) return;
    this.#queued = null;
    this.#inFlight = true;
    const generation = this.#generation;
    void this.run(job).then((r) => {
      this.#inFlight = false;
      if (generation !== this.#generation) this.dropped++;
      else this.onResult(job, r);
      this.#pump();
    });
  }
}

/** Plans the newest (xml, options) only (LatestOnly over `plan` requests). */
export class LatestPlanner {
  readonly #latest: LatestOnly<{ xml: string; opts: PlanOptions }, SimReply>;
  constructor(client: SimClient, onOutcome: (o: PlanOutcome) => void) {
    this.#latest = new LatestOnly(
      (job) => client.request({ kind: 'plan', xml: job.xml, opts: job.opts }),
      (job, reply) => {
        if (reply.kind === 'plan') onOutcome({ kind: 'plan', xml: job.xml, opts: job.opts, result: reply.result });
        else if (reply.kind === 'crash') onOutcome({ kind: 'crash', xml: job.xml, opts: job.opts, message: reply.message });
      },
    );
  }
  get dropped(): number { return this.#latest.dropped; }
  submit(xml: string, opts: PlanOptions): void { this.#latest.submit({ xml, opts }); }
}
