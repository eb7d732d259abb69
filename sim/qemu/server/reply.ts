// Replies as handlers build them: a P9 message without its tag (the dispatcher copies the request's).
import type { P9Message } from '../../p9/messages.ts';
import { ERRNO } from '../../p9/errno.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type Reply = DistributiveOmit<P9Message, 'tag'>;

/** Rlerror with a positive errno (9p.c pdu_complete: `err = -len; … "d", err`). */
export function lerror(errno: number): Reply {
  return { kind: 'Rlerror', ecode: errno };
}

/** errno numbers the server code uses (Linux x86_64). */
export const E = { ...ERRNO, EMSGSIZE: 90, ENOBUFS: 105 } as const;
