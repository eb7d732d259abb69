// QEMU's proxy client against scripted peers (proxy-protocol.md §7.2–7.3, real-helper.md §5): a
// process on the host kernel holding the other end of QEMU's socket, answering with chosen bytes —
// the "fake peer" setups of the real-QEMU probes, and a compromised/crashing helper.
import { describe, it, expect } from 'vitest';
import { Kernel } from '../../sim/host/kernel.ts';
import { AF_UNIX, SOCK_STREAM } from '../../sim/host/constants.ts';
import { fullCaps } from '../../sim/host/caps.ts';
import { startQemu } from '../../sim/qemu/process/qemu.ts';
import { CollectingTrace } from '../../sim/qemu/server/trace-sink.ts';
import { encodeMessage, decodeMessage } from '../../sim/p9/codec.ts';
import type { P9Message } from '../../sim/p9/messages.ts';
import type { Req } from './world.ts';

const bytes = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!.map((x) => parseInt(x, 16)));
const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** A directory stat reply (ProxyStat of a 0755 dir), as the real helper sends for the realize T_LSTAT. */
const DIR_STAT = bytes('00000000 74000000' + '00fe000000000000 a6c0200000000000 0500000000000000 ed410000 00000000 00000000 '
  + '0000000000000000 0010000000000000 0010000000000000 0800000000000000 00105e5f00000000 c76b9f0600000000 '
  + '00f1536500000000 8ed73e0d00000000 00f1536500000000 8ed73e0d00000000');

/** Start QEMU 7.2 (or `version`) with sock_fd=3 connected to a peer that answers with `script`. */
function withPeer(script: (req: Uint8Array, n: number) => Uint8Array | 'close' | 'silent', version = '7.2') {
  const k = new Kernel();
  const peer = k.spawn({ comm: 'fakepeer', uid: 0, gid: 0, caps: fullCaps() });
  const sp = k.socketpair(peer, AF_UNIX, SOCK_STREAM, 0);
  if (!sp.ok) throw new Error(sp.errno);
  const [a, b] = sp.value;
  const qemuTask = k.fork(peer, 'qemu-system-x86');
  k.dup2(qemuTask, b, 3);
  for (const [fd] of qemuTask.files.entries()) if (fd !== 3) k.close(qemuTask, fd);
  k.close(peer, b);
  let n = 0;
  const got: Uint8Array[] = [];
  let closed = false;
  const runOthers = () => {
    if (closed) return false;
    const r = k.recvmsg(peer, a, 65544, {});
    if (!r.ok || !r.value.data.length) return false;
    got.push(r.value.data);
    const out = script(r.value.data, n++);
    if (out === 'silent') return false;
    if (out === 'close') { k.close(peer, a); closed = true; return true; }
    k.sendmsg(peer, a, out, {});
    return true;
  };
  const trace = new CollectingTrace();
  const q = startQemu({ kernel: k, task: qemuTask, version, args: ['-fsdev', 'proxy,id=f0,sock_fd=3', '-device', 'virtio-9p-pci,fsdev=f0,mount_tag=tag0'], trace, runOthers });
  return { k, q, got, trace };
}

describe('proxy client against scripted peers', () => {
  it('realize sends exactly 08000000 04000000 0200 2f00 and starts on a directory stat', () => {
    const { q, got } = withPeer(() => DIR_STAT);
    expect(q.status, q.stderr).toBe('running');
    expect(got.map(hex)).toEqual(['080000000400000002002f00']);
  });
  it('fake peer answering 00000000 03000000 616263: QEMU 7.2 aborts with the observed assert', () => {
    const { q } = withPeer(() => bytes('00000000 03000000 616263'));
    expect(q.status).toBe('aborted');
    expect(q.stderr).toBe("qemu-system-x86_64: ../../hw/9pfs/9p-proxy.c:241: v9fs_receive_response: Assertion `retval == 8 * 3 + 4 * 3 + 8 * 10' failed.\n");
  });
  it('fake peer answering T_ERROR -ENOENT: share path 3 does not exist', () => {
    const { q } = withPeer(() => bytes('01000000 04000000 feffffff'));
    expect([q.status, q.exitCode]).toEqual(['exited', 1]);
    expect(q.stderr).toBe('qemu-system-x86_64: -device virtio-9p-pci,fsdev=f0,mount_tag=tag0: share path 3 does not exist\n');
  });
  it('fake peer with a regular-file stat: share path 3 is not a directory', () => {
    const reg = DIR_STAT.slice();
    new DataView(reg.buffer).setUint32(8 + 24, 0o100644, true);
    const { q } = withPeer(() => reg);
    expect(q.stderr).toBe('qemu-system-x86_64: -device virtio-9p-pci,fsdev=f0,mount_tag=tag0: share path 3 is not a directory\n');
  });
  it('silent peer: QEMU hangs in realize', () => {
    const { q } = withPeer(() => 'silent');
    expect(q.status).toBe('hung');
  });

  const session = (script: (req: Uint8Array, n: number) => Uint8Array | 'close' | 'silent') => {
    const w = withPeer(script);
    expect(w.q.status, w.q.stderr).toBe('running');
    const t = w.q.transport();
    let tag = 1;
    const call = (m: Req) => decodeMessage(t.request(encodeMessage({ ...m, tag: tag++ } as P9Message)));
    return { ...w, call };
  };

  it('EOF while waiting for an fd reply: QEMU takes the byte count it wrote for the fd (noted)', () => {
    const w = session((req) => (hex(req).startsWith('02000000') ? 'close' : DIR_STAT));
    w.call({ kind: 'Tversion', msize: 8192, version: '9P2000.L' });
    w.call({ kind: 'Tattach', fid: 0, afid: 0xffffffff, uname: '', aname: '', n_uname: 0 } as never);
    w.call({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['f'] } as never);
    const sentBefore = w.got.length;
    // The directory stat makes Tlopen an opendir: T_OPEN "//f\0" O_DIRECTORY = 8 + 2 + 4 + 4 = 18 bytes.
    const o = w.call({ kind: 'Tlopen', fid: 1, flags: 0 } as never);
    expect(w.got.slice(sentBefore).map(hex)).toEqual(['08000000060000000400' + '2f2f6600', '02000000' + '0a000000' + '0400' + '2f2f6600' + '00000100']);
    expect(o.kind).toBe('Rlopen');
    const note = w.trace.events.find((e) => e.kind === 'note' && e.noteId === 'proxy:eof-fd-quirk');
    expect(note && note.kind === 'note' && note.text).toContain('uses 18 as the file descriptor');
    // The socket was not closed by that EOF path; the next request's read hits EOF → EIO for good.
    const g = w.call({ kind: 'Tgetattr', fid: 0, request_mask: 0x7ffn } as never);
    expect(g.kind === 'Rlerror' && g.ecode).toBe(5);
    expect(w.trace.events.some((e) => e.kind === 'note' && e.noteId === 'proxy:close-error')).toBe(true);
    const g2 = w.call({ kind: 'Tgetattr', fid: 0, request_mask: 0x7ffn } as never);
    expect(g2.kind === 'Rlerror' && g2.ecode).toBe(5);
    expect(w.trace.events.some((e) => e.kind === 'note' && e.noteId === 'proxy:eio-forever')).toBe(true);
  });

  it('a short LSTAT reply during a guest request aborts QEMU 7.2; the device then drops every request', () => {
    const w = session((_req, n) => (n === 0 ? DIR_STAT : bytes('00000000 03000000 616263')));
    w.call({ kind: 'Tversion', msize: 8192, version: '9P2000.L' });
    const r = w.q.transport().submit(encodeMessage({ kind: 'Tattach', tag: 2, fid: 0, afid: 0xffffffff, uname: '', aname: '', n_uname: 0 }));
    expect(r.state).toBe('dropped');
    expect(w.q.status).toBe('aborted');
    expect(w.q.transport().submit(encodeMessage({ kind: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000.L' })).state).toBe('dropped');
  });

  it('pre-5.0 client: a status reply with size ≠ 4 is ENOBUFS and the stream desynchronises (no assert)', () => {
    const w = withPeer((req) => (hex(req).startsWith('05000000') ? bytes('00000000 08000000 00000000 00000000') : DIR_STAT), '4.0');
    const t = w.q.transport();
    t.call({ kind: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000.L' });
    t.call({ kind: 'Tattach', tag: 1, fid: 0, afid: 0xffffffff, uname: '', aname: '', n_uname: 0 });
    const r = t.call({ kind: 'Tmkdir', tag: 1, dfid: 0, name: 'd', mode: 0o755, gid: 0 });
    expect(r.kind === 'Rlerror' && r.ecode).toBe(105);
    expect(w.trace.events.some((e) => e.kind === 'note' && e.noteId === 'proxy:status-size-desync')).toBe(true);
  });
});
