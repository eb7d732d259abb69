// The simulated proxy round trip, timed: QEMU-side encode → write on the socketpair → the simulated
// helper decodes and makes the kernel call → reply (and SCM_RIGHTS fd) → client decode. The mix is the
// one bench/proxy_client.c drives the real helper with (lstat, open + fd, mkdir, symlink, rename,
// remove ×2), with QEMU's path shapes (fid paths "//name\0", built names "//name", §3.2).
// usage: tsx bench/sim-roundtrip.ts ROUNDS   → one JSON line
import { Kernel } from '../sim/host/kernel.ts';
import { fullCaps } from '../sim/host/caps.ts';
import { AF_UNIX, O_WRONLY, O_CREAT, SOCK_STREAM } from '../sim/host/constants.ts';
import { decodeReply, encodeRequestInto, fidPath, type RequestName } from '../sim/proxy/index.ts';
import { launchHelper } from '../sim/helper/launch.ts';

const rounds = Number(process.argv[2] ?? 20000);
const k = new Kernel({ seed: 1 });
const qemu = k.spawn({ comm: 'qemu', uid: 0, gid: 0, caps: fullCaps(), umask: 0o022 });
for (const d of ['/srv', '/srv/export']) k.mkdir(qemu, d, 0o755);
const f = k.open(qemu, '/srv/export/file.txt', O_WRONLY | O_CREAT, 0o644);
if (!f.ok) throw new Error(f.errno);
k.write(qemu, f.value, new TextEncoder().encode('hello proxy\n'));
k.close(qemu, f.value);
const sp = k.socketpair(qemu, AF_UNIX, SOCK_STREAM);
if (!sp.ok) throw new Error(sp.errno);
const [sock, theirs] = sp.value;
const { helper } = launchHelper(k, { parent: qemu, argv: ['virtfs-proxy-helper', '-n', '-p', '/srv/export', '-f', String(theirs)], keepFds: [theirs] });
k.close(qemu, theirs);

// QEMU keeps each fid's V9fsPath as bytes (built once at walk time); built names are sprintf'd per call.
const FILE = fidPath('//file.txt');
// QEMU marshals every request into one reused 65544-byte out-buffer (v9fs_request, §2.3).
const OUT = new Uint8Array(65544);
const IN = new Uint8Array(65544);
const IN_VIEW = new DataView(IN.buffer);
const mix: [RequestName, () => number][] = [
  ['T_LSTAT', () => encodeRequestInto(OUT, 'T_LSTAT', { path: FILE })],
  ['T_OPEN', () => encodeRequestInto(OUT, 'T_OPEN', { path: FILE, flags: 0 })],
  ['T_MKDIR', () => encodeRequestInto(OUT, 'T_MKDIR', { uid: 0, gid: 0, path: '//d', mode: 0o755 })],
  ['T_SYMLINK', () => encodeRequestInto(OUT, 'T_SYMLINK', { uid: 0, gid: 0, oldpath: 'file.txt', path: '//l' })],
  ['T_RENAME', () => encodeRequestInto(OUT, 'T_RENAME', { oldpath: '//l', path: '//m' })],
  ['T_REMOVE', () => encodeRequestInto(OUT, 'T_REMOVE', { path: '//m' })],
  ['T_REMOVE', () => encodeRequestInto(OUT, 'T_REMOVE', { path: '//d' })],
];

function roundTrip(name: RequestName, build: () => number): void {
  const n = build();
  const w = k.write(qemu, sock, OUT.subarray(0, n));
  if (!w.ok) throw new Error(`write ${w.errno}`);
  helper.run();
  if (name === 'T_OPEN') {
    const r = k.recvmsg(qemu, sock, 4, { maxFds: 1 });
    if (!r.ok) throw new Error(`recv ${r.errno}`);
    const d = decodeReply(name, r.value.data, 1, false);
    if (!d.ok) throw new Error(`${name} failed`);
    for (const fd of r.value.fds) k.close(qemu, fd);
    return;
  }
  // v9fs_receive_response: header, then payload, both into the reused in-buffer (in_iovec, §2.3).
  const h = k.recvmsg(qemu, sock, 8);
  if (!h.ok) throw new Error(`recv ${h.errno}`);
  IN.set(h.value.data);
  const size = IN_VIEW.getUint32(4, true);
  const p = k.recvmsg(qemu, sock, size);
  if (!p.ok) throw new Error(`recv ${p.errno}`);
  IN.set(p.value.data, 8);
  const all = IN.subarray(0, 8 + size);
  const d = decodeReply(name, all, 1, false);
  if (!d.ok) throw new Error(`${name}: errno ${'errno' in d ? d.errno : '?'}`);
}

// warm-up (JIT), then the timed run
for (let i = 0; i < 2000; i++) for (const [n, b] of mix) roundTrip(n, b);
// Wall time and CPU time: the machine may be shared, and CPU time (user + system of this process,
// which is client, helper and kernel at once) is what one round trip costs.
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < rounds; i++) for (const [n, b] of mix) roundTrip(n, b);
const secs = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
const cpu = (cu.user + cu.system) / 1e6;
const requests = rounds * mix.length;
console.log(JSON.stringify({
  rounds, requests, seconds: Number(secs.toFixed(6)), rate: Number((requests / secs).toFixed(1)),
  cpu_seconds: Number(cpu.toFixed(6)), cpu_rate: Number((requests / cpu).toFixed(1)), helper_requests: helper.requests,
}));
