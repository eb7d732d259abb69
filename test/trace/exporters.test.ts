// Golden outputs for the text and Mermaid exporters on the small sample trace (test/trace/sample.ts).
// The expected text was read line by line against the sample: causal indentation, arrows, errno
// names, creds (real/effective/saved/fs), caps (0x080000db = the helper's seven), escaping.
import { describe, expect, it } from 'vitest';
import { escapeMermaid, exportMermaid, exportText, formatTime } from '../../sim/trace/index.ts';
import { sampleTrace } from './sample.ts';

const TEXT = `[0.000000000] #1 libvirt   socketpair: socketpair(AF_UNIX, SOCK_STREAM) = [21, 22] fds 21=helper end, 22=QEMU end
[0.000001000] #2 helper   start pid 7 virtfs-proxy-h ["virtfs-proxy-helper", "-f", "21", "-p", "/srv/export", "-n"]
[0.000002000] #3 guest   stat(pathname="/mnt/pub") = 0
[0.000003000]   #4 guest → qemu   Twalk tag=1 fid=0 newfid=1 wnames=["pub"]
[0.000004000]     #5 qemu → helper   T_LSTAT path="//pub\\0" (len 6, NUL counted)
[0.000005000]       #6 helper → host   lstat(pathname="//pub") = 0  [pid 7 virtfs-proxy-h uid 0/0/0/0 gid 0/0/0/0 groups - caps eff=chown,dac_override,fowner,fsetid,setgid,setuid,mknod root /srv/export cwd /]
[0.000006000]     #7 helper → qemu   reply to T_LSTAT status=0
[0.000007000]     #8 qemu   NOTE quirk:utime-nsec-slot: T_UTIME sends atime nsec in the mtime slot; #<a>; b (proxy-protocol.md §5.1)
[0.000008000]   #9 qemu → guest   Rwalk tag=1 wqids=[{type dir version 0 path 3}]
[0.000009000]   #10 guest → qemu   Tlopen tag=2 fid=1 flags=0x0 (RDONLY)
[0.000010000]     #11 helper → host   openat(dirfd="AT_FDCWD", pathname="/pub/secret", flags="O_RDONLY") = -1 EACCES  [pid 7 virtfs-proxy-h uid 0/1000/0/1000 gid 0/100/0/100 groups 100 caps eff=none prm=chown,dac_override,fowner,fsetid,setgid,setuid,mknod root /srv/export cwd /]
[0.000011000]   #12 qemu → guest   Rlerror tag=2 ecode=13 (EACCES)
[0.000012000] #13 helper   exit pid 7 virtfs-proxy-h status 0
`;

const MERMAID = `sequenceDiagram
  participant L as libvirt
  participant G as Guest
  participant Q as QEMU
  participant H as Helper
  participant K as Host kernel
  Note over L: #35;1 socketpair: socketpair(AF_UNIX, SOCK_STREAM) = [21, 22] fds 21=helper end, 22=QEMU end
  Note over H: #35;2 start pid 7 virtfs-proxy-h ["virtfs-proxy-helper", "-f", "21", "-p", "/srv/export", "-n"]
  Note over G: #35;3 stat(pathname="/mnt/pub") = 0
  G->>Q: #35;4 Twalk tag=1 fid=0 newfid=1 wnames=["pub"]
  Q->>H: #35;5 T_LSTAT path="//pub\\0" (len 6, NUL counted)
  H->>K: #35;6 lstat(pathname="//pub") = 0
  H-->>Q: #35;7 reply to T_LSTAT status=0
  Note over Q: #35;8 NOTE quirk:utime-nsec-slot: T_UTIME sends atime nsec in the mtime slot#59; #35;#lt;a#gt;#59; b (proxy-protocol.md §5.1)
  Q-->>G: #35;9 Rwalk tag=1 wqids=[{type dir version 0 path 3}]
  G->>Q: #35;10 Tlopen tag=2 fid=1 flags=0x0 (RDONLY)
  H->>K: #35;11 openat(dirfd="AT_FDCWD", pathname="/pub/secret", flags="O_RDONLY") = -1 EACCES
  Q-->>G: #35;12 Rlerror tag=2 ecode=13 (EACCES)
  Note over H: #35;13 exit pid 7 virtfs-proxy-h status 0
`;

describe('text exporter', () => {
  it('golden: causal indentation, arrows, creds and caps on syscalls', () => {
    expect(exportText(sampleTrace().events)).toBe(TEXT);
  });
  it('options: no time, no context, wider indent', () => {
    const lines = exportText(sampleTrace().events, { time: false, context: false, indent: 4 }).split('\n');
    expect(lines[5]).toBe('            #6 helper → host   lstat(pathname="//pub") = 0');
  });
  it('formats virtual time as seconds.nanoseconds', () => {
    expect(formatTime(0)).toBe('0.000000000');
    expect(formatTime(12_000_000_345)).toBe('12.000000345');
  });
});

describe('Mermaid exporter', () => {
  it('golden: participants in lane order, request/reply arrows, notes, escaped labels', () => {
    expect(exportMermaid(sampleTrace().events)).toBe(MERMAID);
  });
  it('escapes # ; < > in one pass and flattens newlines', () => {
    expect(escapeMermaid('a#b;c<d>e\nf')).toBe('a#35;b#59;c#lt;d#gt;e f');
  });
  it('without libvirt events there is no libvirt participant; labels can drop ids and be cut', () => {
    const ev = sampleTrace().events.filter((e) => e.lane !== 'libvirt');
    const m = exportMermaid(ev, { ids: false, maxLabel: 10, autonumber: true }).split('\n');
    expect(m.slice(0, 3)).toEqual(['sequenceDiagram', '  autonumber', '  participant G as Guest']);
    expect(m).toContain('  G->>Q: Twalk tag…');
  });
});

describe('one-line summaries of the remaining shapes', () => {
  it('wasi calls, signals, kills, blocked syscalls, malformed 9P, proxy fds and errors', async () => {
    const { TraceRecorder: R, summarizeEvent, arrowOf } = await import('../../sim/trace/index.ts');
    const { HELPER_CREDS, HELPER_CAPS } = await import('./sample.ts');
    const r = new R();
    const lines = [
      r.record({ kind: 'guest-call', lane: 'guest', api: 'wasi', name: 'path_open', args: { path: 'a', size: 5n, buf: Uint8Array.of(1, 2) }, errno: 2 }),
      r.record({ kind: 'process', lane: 'helper', action: 'signal', pid: 5, comm: 'virtfs-proxy-he', signal: 'SIGABRT' }),
      r.record({ kind: 'process', lane: 'helper', action: 'exit', pid: 5, comm: 'virtfs-proxy-he', signal: 'SIGABRT' }),
      r.syscall({ kind: 'syscall', lane: 'helper', pid: 5, comm: 'virtfs-proxy-he', creds: HELPER_CREDS, caps: HELPER_CAPS, root: '/', cwd: '/', name: 'openat', args: { path: '/fifo' }, blocked: { on: 'fifo-open-reader', what: '/fifo' } }),
      r.p9({ lane: 'guest', bytes: Uint8Array.of(7, 0, 0, 0, 0xff, 1, 0) }),
      r.proxy({ kind: 'proxy', lane: 'helper', to: 'qemu', direction: 'reply', requestType: 'T_OPEN', fields: { status: -13 }, errno: 13, bytes: new Uint8Array(0), fds: [{ fd: 9, refersTo: '/hello.txt (O_RDONLY)' }] }),
    ].map((e) => `${arrowOf(e)} | ${summarizeEvent(e)}`);
    expect(lines).toEqual([
      'guest | wasi path_open(path="a", size=5, buf=<2 bytes>) = -1 ENOENT',
      'helper | signal SIGABRT to pid 5 virtfs-proxy-he',
      'helper | exit pid 5 virtfs-proxy-he killed by SIGABRT',
      'helper → host | openat(path="/fifo") blocks on fifo-open-reader (/fifo)',
      'guest → qemu | malformed 7-byte message: type 255: type at byte 4: 255 is not a 9P2000.L message type',
      'helper → qemu | reply to T_OPEN status=-13 (EACCES) fds 9=/hello.txt (O_RDONLY)',
    ]);
  });
});

describe('Mermaid size limit', () => {
  it('maxEvents draws the first N and says how many were left out', () => {
    const m = exportMermaid(sampleTrace().events, { maxEvents: 2 }).trimEnd().split('\n');
    expect(m.slice(6)).toEqual([
      '  Note over L: #35;1 socketpair: socketpair(AF_UNIX, SOCK_STREAM) = [21, 22] fds 21=helper end, 22=QEMU end',
      '  Note over H: #35;2 start pid 7 virtfs-proxy-h ["virtfs-proxy-helper", "-f", "21", "-p", "/srv/export", "-n"]',
      '  Note over L,K: … 11 more events not drawn',
    ]);
  });
});

describe('text timestamps', () => {
  it('auto: shown when times differ, left out when the clock never moved', async () => {
    const { TraceRecorder: R } = await import('../../sim/trace/index.ts');
    const r = new R();
    r.note('qemu', 'a', 'one', 's');
    r.note('qemu', 'b', 'two', 's');
    expect(exportText(r.events)).toBe('#1 qemu   NOTE a: one (s)\n#2 qemu   NOTE b: two (s)\n');
    expect(exportText(r.events, { time: true }).startsWith('[0.000000000] #1')).toBe(true);
  });
});
