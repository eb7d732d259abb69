// QEMU's side of the proxy protocol (hw/9pfs/9p-proxy.c v9fs_request, v9fs_receivefd,
// v9fs_receive_status, v9fs_receive_response, socket_read): one request at a time under a mutex,
// replies read from the socket with the version's checks, fds taken from SCM_RIGHTS.
//
// Quirks reproduced and labelled in the trace (proxy-protocol.md §5.1, §6.2, §7.2, §7.3):
// - any transport failure closes the socket for good: EIO for every later request (no reconnect);
// - EOF while waiting for an fd reply returns the byte count just written as if it were an fd;
// - 5.x+ asserts reply sizes (116/88/8, status 4) and aborts QEMU; older clients desync instead;
// - the T_UTIME nanosecond slot and the statfs fsid half (in driver.ts, where the data is built).
import type { Libc } from '../../process/libc.ts';
import type { QemuFeatures } from '../../versions.ts';
import type { QemuTraceSink } from '../../server/trace-sink.ts';
import { type Co, sys, wait } from '../../server/coroutine.ts';
import { ERRNO } from '../../../host/errno.ts';
import {
  encodeRequest, describeRequest, REQUESTS, WireReader, readProxyStat, readProxyStatFS,
  PROXY_HDR_SZ, PROXY_MAX_IO_SZ, T_ERROR, V9FS_FD_VALID, ProxyEncodeError,
  type RequestName, type RequestArgs, type ProxyStat, type ProxyStatFS,
} from '../../../proxy/index.ts';

const EIO = 5;
const ENOBUFS = 105;
const ENFILE = 23;

/** QEMU died on an assert (glibc `__assert_fail` → abort(), SIGABRT). */
export class QemuAbortError extends Error {
  static readonly code = 'QemuAbort' as const;
  readonly code = QemuAbortError.code;
  constructor(readonly stderrLine: string) {
    super(stderrLine);
    this.name = 'QemuAbortError';
  }
}

export type ProxyResponse =
  | { kind: 'none' }
  | { kind: 'stat'; stat: ProxyStat }
  | { kind: 'statfs'; statfs: ProxyStatFS }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'generation'; generation: bigint };

export interface ProxyResult {
  /** retval of v9fs_request: ≥ 0 (an fd for T_OPEN/T_CREATE, else 0 or a length) or -errno. */
  retval: number;
  response: ProxyResponse;
}

/** The assert texts of the 5.x+ client (glibc format; line 241 observed for the LSTAT one on 7.2.22). */
const ASSERTS: Partial<Record<RequestName | 'status' | 'error', string>> = {
  T_LSTAT: "../../hw/9pfs/9p-proxy.c:241: v9fs_receive_response: Assertion `retval == 8 * 3 + 4 * 3 + 8 * 10' failed.",
  T_STATFS: "../../hw/9pfs/9p-proxy.c: v9fs_receive_response: Assertion `retval == 8 * 11' failed.",
  T_GETVERSION: "../../hw/9pfs/9p-proxy.c: v9fs_receive_response: Assertion `retval == 8' failed.",
  error: "../../hw/9pfs/9p-proxy.c: v9fs_receive_response: Assertion `ret == 4' failed.",
  status: "../../hw/9pfs/9p-proxy.c: v9fs_receive_status: Assertion `retval == 4' failed.",
};

export class ProxyClient {
  private locked = false;
  /** Trace id of the request frame being answered: the helper's work hangs under it. */
  private frameId: number | undefined;
  /** -1 after close_error: every request fails with EIO from then on. */
  sockfd: number;

  constructor(
    private readonly libc: Libc,
    sockfd: number,
    private readonly features: QemuFeatures,
    private readonly trace: QemuTraceSink,
    /** QEMU's stderr, for the assert line before abort(). */
    private readonly stderr: (line: string) => void,
  ) {
    this.sockfd = sockfd;
  }

  /** v9fs_request: marshal, write, read the reply in the request's shape. */
  *request<N extends RequestName>(name: N, args: RequestArgs<N>): Co<ProxyResult> {
    // qemu_mutex_lock(&proxy->mutex): one outstanding request (proxy-protocol.md §1).
    while (this.locked) yield wait('proxy-mutex', `another coroutine's ${name} holds the proxy mutex`);
    this.locked = true;
    try {
      return yield* this.locked_request(name, args);
    } finally {
      this.locked = false;
    }
  }

  private *locked_request<N extends RequestName>(name: N, args: RequestArgs<N>): Co<ProxyResult> {
    const none: ProxyResponse = { kind: 'none' };
    if (this.sockfd === -1) {
      this.trace.note('proxy:eio-forever', `${name} not sent: the proxy socket was closed after an earlier transport error; QEMU never reconnects → EIO`, 'hw/9pfs/9p-proxy.c v9fs_request; proxy-protocol.md §7.3');
      return { retval: -EIO, response: none };
    }
    let frame: Uint8Array;
    try {
      frame = encodeRequest(name, args);
    } catch (e) {
      // proxy_marshal past the 65544-byte out-buffer: -ENOBUFS, nothing sent (§2.3).
      if (e instanceof ProxyEncodeError) return { retval: -ENOBUFS, response: none };
      throw e;
    }
    const d = describeRequest(frame);
    this.frameId = this.trace.proxy({ direction: 'request', type: REQUESTS[name].code, typeName: name, bytes: frame, fields: Object.fromEntries(d.fields.map((f) => [f.name, f.display])) });
    // qemu_write_full
    const w = yield* sys(this.libc.sendmsg(this.sockfd, frame));
    if (!w.ok || w.value !== frame.length) return this.closeError(name, w.ok ? 'short write' : `write: ${w.errno}`);
    const written = w.value;

    const spec = REQUESTS[name];
    if (spec.reply === 'fd') return yield* this.receiveFd(name, written);
    const sizeArg = (args as { size?: number }).size;
    if (spec.reply === 'status' || ((name === 'T_LGETXATTR' || name === 'T_LLISTXATTR') && !sizeArg)) {
      return yield* this.receiveStatus(name);
    }
    return yield* this.receiveResponse(name);
  }

  private closeError(name: string, why: string): ProxyResult {
    this.libc.close(this.sockfd);
    this.sockfd = -1;
    this.trace.note('proxy:close-error', `${name}: ${why} → QEMU closes the proxy socket (close_error) and answers EIO; every later request fails with EIO (no reconnect)`, 'hw/9pfs/9p-proxy.c v9fs_request close_error; proxy-protocol.md §7.3');
    return { retval: -EIO, response: { kind: 'none' } };
  }

  /** socket_read: read exactly `size` bytes; EOF → -EIO. */
  private *socketRead(size: number): Co<Uint8Array | number> {
    const out = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const r = yield* sys(this.libc.recvmsg(this.sockfd, size - got, 0), this.frameId);
      if (!r.ok) return -ERRNO[r.errno];
      if (r.value.data.length === 0) return -EIO;
      out.set(r.value.data, got);
      got += r.value.data.length;
    }
    return out;
  }

  private abort(key: keyof typeof ASSERTS, name: string): never {
    const line = `qemu-system-x86_64: ${ASSERTS[key] ?? `v9fs_receive_response: assertion failed for ${name}`}`;
    this.stderr(line);
    this.trace.note('proxy:assert-abort', `${name}: reply size check failed → QEMU aborts (SIGABRT)`, 'hw/9pfs/9p-proxy.c (5.x+ asserts); real-helper.md §5 (observed on QEMU 7.2.22)');
    throw new QemuAbortError(line);
  }

  /** v9fs_receivefd (T_OPEN, T_CREATE): a 4-byte word, and the fd as SCM_RIGHTS when it is INT_MAX. */
  private *receiveFd(name: RequestName, written: number): Co<ProxyResult> {
    const none: ProxyResponse = { kind: 'none' };
    const r = yield* sys(this.libc.recvmsg(this.sockfd, 4, 1), this.frameId);
    if (!r.ok) return this.closeError(name, `recvmsg: ${r.errno}`);
    if (r.value.data.length === 0) {
      // retval <= 0 → v9fs_receivefd returns 0 without touching *status, which still holds the
      // byte count qemu_write_full returned: proxy_open takes it for an fd.
      this.trace.proxy({ direction: 'reply', type: REQUESTS[name].code, typeName: name, bytes: new Uint8Array(0), fields: { eof: true } });
      this.trace.note('proxy:eof-fd-quirk', `${name}: EOF while waiting for the fd reply; v9fs_receivefd leaves the status at ${written} (bytes just written), so QEMU uses ${written} as the file descriptor`, 'hw/9pfs/9p-proxy.c v9fs_receivefd; proxy-protocol.md §7.3');
      return { retval: written, response: none };
    }
    const data = new Uint8Array(4);
    data.set(r.value.data.subarray(0, 4));
    if (r.value.data.length < 4) {
      // A short recvmsg is not handled: the rest of `data` is whatever was on the stack (0 here).
      this.trace.note('proxy:short-fd-reply', `${name}: only ${r.value.data.length} of 4 bytes received; the missing bytes are uninitialised stack in QEMU (0 in the simulator)`, 'hw/9pfs/9p-proxy.c v9fs_receivefd; proxy-protocol.md §7.3');
    }
    const word = new DataView(data.buffer).getInt32(0, true);
    const fds = r.value.fds;
    this.trace.proxy({ direction: 'reply', type: REQUESTS[name].code, typeName: name, bytes: r.value.data, fields: { data: word }, fds: fds.map((fd) => ({ fd })) });
    if (word !== V9FS_FD_VALID) {
      for (const fd of fds) this.libc.close(fd);
      return { retval: word, response: none };
    }
    if (fds.length) {
      for (const extra of fds.slice(1)) this.libc.close(extra);
      return { retval: fds[0]!, response: none };
    }
    // "Ancillary data sent but not received"
    return { retval: -ENFILE, response: none };
  }

  /** v9fs_receive_status: header, then exactly header.size bytes, one `d`. */
  private *receiveStatus(name: RequestName): Co<ProxyResult> {
    const none: ProxyResponse = { kind: 'none' };
    const hdr = yield* this.socketRead(PROXY_HDR_SZ);
    if (typeof hdr === 'number') return this.closeError(name, hdr === -EIO ? 'EOF from the helper' : `read: errno ${-hdr}`);
    const hv = new DataView(hdr.buffer);
    const size = hv.getUint32(4, true);
    if (!this.features.clientReplySizeAsserts && size !== 4) {
      // 1.x – ≈3.x: "if (header.size != sizeof(int)) return -ENOBUFS" without reading the payload:
      // the unread bytes desynchronise every later reply.
      this.trace.proxy({ direction: 'reply', type: REQUESTS[name].code, typeName: name, bytes: hdr });
      this.trace.note('proxy:status-size-desync', `${name}: status reply with size ${size} ≠ 4 → ENOBUFS, payload left unread (stream desynchronised)`, 'hw/9pfs/9p-proxy.c v9fs_receive_status (pre-5.x); proxy-protocol.md §7.2');
      return { retval: -ENOBUFS, response: none };
    }
    const body = yield* this.socketRead(size);
    if (typeof body === 'number') return this.closeError(name, body === -EIO ? 'EOF from the helper' : `read: errno ${-body}`);
    const all = concat(hdr, body);
    this.trace.proxy({ direction: 'reply', type: REQUESTS[name].code, typeName: name, bytes: all, fields: { type: hv.getUint32(0, true), size, status: size >= 4 ? new DataView(body.buffer).getInt32(0, true) : undefined } });
    if (size < 4) this.abort('status', name);
    // header.type is ignored: the sign of the value decides (§7.2).
    return { retval: new DataView(body.buffer).getInt32(0, true), response: none };
  }

  /** v9fs_receive_response: header; oversize → drain and ENOBUFS; T_ERROR → `d`; else by request type. */
  private *receiveResponse(name: RequestName): Co<ProxyResult> {
    const none: ProxyResponse = { kind: 'none' };
    const hdr = yield* this.socketRead(PROXY_HDR_SZ);
    if (typeof hdr === 'number') return this.closeError(name, hdr === -EIO ? 'EOF from the helper' : `read: errno ${-hdr}`);
    const hv = new DataView(hdr.buffer);
    const type = hv.getUint32(0, true);
    const size = hv.getUint32(4, true);
    if (size > PROXY_MAX_IO_SZ) {
      for (let left = size; left > 0;) {
        const n = Math.min(PROXY_MAX_IO_SZ, left);
        const r = yield* this.socketRead(n);
        if (typeof r === 'number') return this.closeError(name, 'EOF while draining an oversize reply');
        left -= n;
      }
      this.trace.note('proxy:oversize-reply', `${name}: reply size ${size} > 65536 read and discarded → ENOBUFS`, 'hw/9pfs/9p-proxy.c v9fs_receive_response');
      return { retval: -ENOBUFS, response: none };
    }
    const body = yield* this.socketRead(size);
    if (typeof body === 'number') return this.closeError(name, body === -EIO ? 'EOF from the helper' : `read: errno ${-body}`);
    const all = concat(hdr, body);
    const r = new WireReader(all, PROXY_HDR_SZ, all.length, REQUESTS[name].code, `${name} reply`);
    const asserts = this.features.clientReplySizeAsserts;
    const frame = (fields: Record<string, unknown>) => this.trace.proxy({ direction: 'reply', type: REQUESTS[name].code, typeName: name, bytes: all, fields: { type, size, ...fields } });
    if (type === T_ERROR) {
      if (size < 4) {
        frame({});
        if (asserts) this.abort('error', name);
        return { retval: -ENOBUFS, response: none };
      }
      const st = r.u32('status') | 0;
      frame({ status: st });
      return { retval: st, response: none };
    }
    // Any other type counts as success; the payload is decoded by the request type (§7.2).
    try {
      switch (name) {
        case 'T_LSTAT': {
          if (asserts && size !== 116) { frame({}); this.abort('T_LSTAT', name); }
          const stat = readProxyStat(r);
          frame({ stat });
          return { retval: 0, response: { kind: 'stat', stat } };
        }
        case 'T_STATFS': {
          if (asserts && size !== 88) { frame({}); this.abort('T_STATFS', name); }
          const statfs = readProxyStatFS(r);
          frame({ statfs });
          return { retval: 0, response: { kind: 'statfs', statfs } };
        }
        case 'T_GETVERSION': {
          if (asserts && size !== 8) { frame({}); this.abort('T_GETVERSION', name); }
          const generation = r.u64('generation');
          frame({ generation });
          return { retval: 0, response: { kind: 'generation', generation } };
        }
        default: {
          // READLINK (strcpy) and LGETXATTR/LLISTXATTR (memcpy): the status stays 0 (§5.3).
          const bytes = r.str('value');
          frame({ value: bytes });
          return { retval: 0, response: { kind: 'bytes', bytes } };
        }
      }
    } catch (e) {
      if (e instanceof QemuAbortError) throw e;
      // Pre-assert clients: the unmarshal error becomes the status.
      frame({});
      return { retval: -ENOBUFS, response: none };
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
}
