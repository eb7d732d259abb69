// A small hand-made trace touching every event kind, shaped like proxy-protocol.md §14's Twalk row.
import { TraceRecorder, type Creds, type CapState } from '../../sim/trace/index.ts';

export const HELPER_CREDS: Creds = { uid: [0, 0, 0, 0], gid: [0, 0, 0, 0], groups: [] };
// CAP_CHOWN|DAC_OVERRIDE|FOWNER|FSETID|SETGID|SETUID|MKNOD = 0x080000db (proxy-protocol.md §11.5)
export const HELPER_CAPS: CapState = { effective: 0x080000dbn, permitted: 0x080000dbn, inheritable: 0n, bounding: 0n, ambient: 0n };

export function sampleTrace(): TraceRecorder {
  const r = new TraceRecorder({ tickNs: 1000 });
  r.record({ kind: 'launch', lane: 'libvirt', step: 'socketpair', text: 'socketpair(AF_UNIX, SOCK_STREAM) = [21, 22]', fds: [{ fd: 21, refersTo: 'helper end' }, { fd: 22, refersTo: 'QEMU end' }] });
  r.record({ kind: 'process', lane: 'helper', action: 'start', pid: 7, comm: 'virtfs-proxy-h', argv: ['virtfs-proxy-helper', '-f', '21', '-p', '/srv/export', '-n'] });
  const call = r.record({ kind: 'guest-call', lane: 'guest', api: 'syscall', name: 'stat', args: { pathname: '/mnt/pub' }, result: 0 });
  r.withCause(call.id, () => {
    const walk = r.p9({ lane: 'guest', message: { kind: 'Twalk', tag: 1, fid: 0, newfid: 1, wnames: ['pub'] } });
    r.withCause(walk.id, () => {
      // T_LSTAT (type 8) "//pub\0": header type[4] size[4], then len[2] + 6 bytes (NUL counted), as
      // the lab's T_LSTAT "/\0" frame 08000000 04000000 0200 2f00; fields as the proxy describer shows them.
      const req = r.proxy({ kind: 'proxy', lane: 'qemu', to: 'helper', direction: 'request', requestType: 'T_LSTAT', typeNumber: 8, fields: { 'header.type': '8 (T_LSTAT)', 'header.size': '8', path: '"//pub\\0" (len 6, NUL counted)' }, bytes: Uint8Array.from([8, 0, 0, 0, 8, 0, 0, 0, 6, 0, 0x2f, 0x2f, 0x70, 0x75, 0x62, 0]) });
      r.withCause(req.id, () => {
        r.syscall({ kind: 'syscall', lane: 'helper', pid: 7, comm: 'virtfs-proxy-h', creds: HELPER_CREDS, caps: HELPER_CAPS, root: '/srv/export', cwd: '/', name: 'lstat', args: { pathname: '//pub' }, result: 0 });
      });
      r.proxy({ kind: 'proxy', lane: 'helper', to: 'qemu', direction: 'reply', requestType: 'T_LSTAT', fields: { status: 0 }, bytes: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]) });
      r.note('qemu', 'quirk:utime-nsec-slot', 'T_UTIME sends atime nsec in the mtime slot; #<a>; b', 'proxy-protocol.md §5.1', 'quirk');
    });
    r.p9({ lane: 'qemu', message: { kind: 'Rwalk', tag: 1, wqids: [{ type: 0x80, version: 0, path: 3n }] } });
    const open = r.p9({ lane: 'guest', message: { kind: 'Tlopen', tag: 2, fid: 1, flags: 0 } });
    r.withCause(open.id, () => {
      r.syscall({ kind: 'syscall', lane: 'helper', pid: 7, comm: 'virtfs-proxy-h', creds: { uid: [0, 1000, 0, 1000], gid: [0, 100, 0, 100], groups: [100] }, caps: { effective: 0n, permitted: 0x080000dbn, inheritable: 0n }, root: '/srv/export', cwd: '/', name: 'openat', args: { dirfd: 'AT_FDCWD', pathname: '/pub/secret', flags: 'O_RDONLY' }, errno: 13 });
    });
    r.p9({ lane: 'qemu', message: { kind: 'Rlerror', tag: 2, ecode: 13 } });
  });
  r.record({ kind: 'process', lane: 'helper', action: 'exit', pid: 7, comm: 'virtfs-proxy-h', status: 0 });
  return r;
}
