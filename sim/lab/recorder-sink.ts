// QEMU's trace reports (sim/qemu/server/trace-sink.ts) recorded into the one event model
// (sim/trace): 9P messages in lane guest/qemu, proxy frames qemu ⇄ helper, notes in lane qemu.
import type { TraceRecorder } from '../trace/recorder.ts';
import type { QemuTraceSink, ProxyFrameInfo } from '../qemu/server/trace-sink.ts';
import type { P9Message } from '../p9/messages.ts';

export class RecorderSink implements QemuTraceSink {
  constructor(readonly recorder: TraceRecorder) {}

  p9(direction: 'request' | 'reply', msg: P9Message, bytes: Uint8Array): number {
    return this.recorder.p9({ lane: direction === 'request' ? 'guest' : 'qemu', bytes, message: msg }).id;
  }

  proxy(f: ProxyFrameInfo): number {
    const fields: Record<string, unknown> = { ...(f.fields ?? {}) };
    const ev = this.recorder.proxy({
      kind: 'proxy',
      lane: f.direction === 'request' ? 'qemu' : 'helper',
      to: f.direction === 'request' ? 'helper' : 'qemu',
      direction: f.direction,
      requestType: f.typeName,
      typeNumber: f.type,
      fields,
      bytes: f.bytes,
      ...(f.fds && f.fds.length ? { fds: f.fds.map((x) => ({ fd: x.fd, refersTo: x.refersTo ?? `fd ${x.fd}` })) } : {}),
      ...(typeof fields.status === 'number' && (fields.status as number) < 0 ? { errno: -(fields.status as number) } : {}),
      ...(typeof fields.data === 'number' && (fields.data as number) < 0 ? { errno: -(fields.data as number) } : {}),
    });
    return ev.id;
  }

  note(id: string, text: string, source: string): number {
    const severity = id.startsWith('quirk:') || id.startsWith('proxy:') ? 'quirk' : id.startsWith('leak:') || id.startsWith('escape') ? 'finding' : 'info';
    return this.recorder.note('qemu', id, text, source, severity).id;
  }

  withCause<T>(cause: number | undefined, fn: () => T): T {
    return this.recorder.withCause(cause ?? this.recorder.currentCause(), fn);
  }
}
