// Where the QEMU side reports what it does. The lab connects this to the sim/trace recorder; unit
// tests may use the collecting sink. Kept as a narrow interface so sim/qemu does not depend on the
// recorder's internals (DESIGN.md: each layer talks only to its neighbours).
import type { P9Message } from '../../p9/messages.ts';

export interface ProxyFrameInfo {
  readonly direction: 'request' | 'reply';
  /** T_LSTAT, … for requests; the request type the reply answers for replies. */
  readonly type: number;
  readonly typeName: string;
  readonly bytes: Uint8Array;
  /** Decoded fields for display (strings, numbers, bigints). */
  readonly fields?: Record<string, unknown>;
  /** For fd replies: the fd numbers installed in QEMU and what each refers to. */
  readonly fds?: readonly { fd: number; refersTo?: string }[];
}

export interface QemuTraceSink {
  /** A 9P message entering (T) or leaving (R) the server. Returns the event id. */
  p9(direction: 'request' | 'reply', msg: P9Message, bytes: Uint8Array): number | undefined;
  /** A proxy frame QEMU sent or received. */
  proxy(frame: ProxyFrameInfo): number | undefined;
  /** A labelled quirk or finding, with its source citation. */
  note(id: string, text: string, source: string): number | undefined;
  /** Run `fn` with `cause` as the cause of every event recorded inside it. */
  withCause<T>(cause: number | undefined, fn: () => T): T;
}

/** A sink that records nothing (library use without a trace). */
export const NULL_TRACE: QemuTraceSink = {
  p9: () => undefined,
  proxy: () => undefined,
  note: () => undefined,
  withCause: (_c, fn) => fn(),
};

/** A sink that keeps plain records; for tests and the CLI before a recorder is attached. */
export class CollectingTrace implements QemuTraceSink {
  readonly events: ({ id: number; cause?: number } & (
    | { kind: 'p9'; direction: 'request' | 'reply'; msg: P9Message; bytes: Uint8Array }
    | { kind: 'proxy'; frame: ProxyFrameInfo }
    | { kind: 'note'; noteId: string; text: string; source: string }
  ))[] = [];
  private next = 1;
  private causes: (number | undefined)[] = [];

  private cause(): number | undefined {
    return this.causes.length ? this.causes[this.causes.length - 1] : undefined;
  }
  p9(direction: 'request' | 'reply', msg: P9Message, bytes: Uint8Array): number {
    const id = this.next++;
    this.events.push({ id, cause: this.cause(), kind: 'p9', direction, msg, bytes });
    return id;
  }
  proxy(frame: ProxyFrameInfo): number {
    const id = this.next++;
    this.events.push({ id, cause: this.cause(), kind: 'proxy', frame });
    return id;
  }
  note(noteId: string, text: string, source: string): number {
    const id = this.next++;
    this.events.push({ id, cause: this.cause(), kind: 'note', noteId, text, source });
    return id;
  }
  withCause<T>(cause: number | undefined, fn: () => T): T {
    this.causes.push(cause);
    try {
      return fn();
    } finally {
      this.causes.pop();
    }
  }
}
