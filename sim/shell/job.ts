// Shell commands are generators: every syscall goes through `sys()`, which parks the command while
// the kernel says the call would sleep (a FIFO open without a peer, a 9P request stuck behind a
// frozen proxy helper). The scheduler resumes parked commands after other actors ran, so a command
// really is suspended mid-way, as a blocked Linux task is — nothing is re-run or faked.
import { isBlocked, type Err, type Ok, type SysResult } from '../host/result.ts';

/** Why a command is parked (for the terminal and the trace). */
export interface Pause {
  readonly on: string;
  readonly what: string;
}

export type Job<T> = Generator<Pause, T, void>;

export function* sys<T>(r: SysResult<T>): Job<Ok<T> | Err> {
  let cur = r;
  while (isBlocked(cur)) {
    yield { on: cur.blocked.on, what: cur.blocked.what };
    cur = cur.resume();
  }
  return cur as Ok<T> | Err;
}

/** Run a job that must not block (tests, the UI's synchronous helpers); throws if it parks. */
export function runNow<T>(job: Job<T>): T {
  const r = job.next();
  if (!r.done) throw new Error(`would block: ${r.value.on}: ${r.value.what}`);
  return r.value;
}
