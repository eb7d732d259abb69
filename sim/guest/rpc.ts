// The guest's view of one 9P exchange. A request either gets its reply, or the server side is stuck
// (e.g. the proxy helper blocked in open() on a FIFO, scenarios.md §4 dos/fifo-open-freezes-helper):
// then `resume()` asks again after other actors ran, and yields the reply once it exists.
import type { P9Message } from '../p9/index.ts';

/** A request without its tag: the client assigns tags. */
export type P9Request = P9Message extends infer M ? (M extends { tag: number } ? Omit<M, 'tag'> : never) : never;

export type RpcOutcome =
  | { kind: 'reply'; reply: P9Message }
  | { kind: 'blocked'; what: string; resume(): RpcOutcome }
  /** The transport itself failed (QEMU gone): Linux's client then fails the syscall with this errno. */
  | { kind: 'dead'; errno: number; why: string };

export interface P9Rpc {
  rpc(req: P9Request): RpcOutcome;
}

/** The virtio-9p request queue as the guest driver sees it (sim/qemu/server/transport.ts shape). */
export type QueueExchange =
  | { readonly state: 'replied'; readonly tag: number; readonly reply: Uint8Array }
  | { readonly state: 'blocked'; readonly tag: number; readonly wait: { readonly on: string; readonly what: string } }
  | { readonly state: 'dropped'; readonly tag: number; readonly reason: string };

export interface VirtioQueue {
  submit(bytes: Uint8Array): QueueExchange;
  poll(): QueueExchange[];
}
