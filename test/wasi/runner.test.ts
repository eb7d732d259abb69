// The WASI bridge on a plain kernel instance (no 9p): what the shim's calls become, the limits, the
// confinement and the trace. The same bridge over the guest's v9fs mount is tested in test/guest.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Kernel, O_CREAT, O_WRONLY, unwrap } from '../../sim/host/index.ts';
import { TraceRecorder } from '../../sim/trace/index.ts';
import { EXIT_CPU_LIMIT, EXIT_NOT_EXECUTABLE, EXIT_TRAP, runWasi, type RunOptions } from '../../sim/wasi/index.ts';

const prog = (name: string) => readFileSync(`test/wasi/programs/${name}.wasm`);
const guest = (name: string) => readFileSync(`public/guests/${name}.wasm`);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function machine() {
  const kernel = new Kernel({ rootFs: 'ext4' });
  const proc = kernel.spawn({ comm: 'wasi' });
  unwrap(kernel.mkdir(proc, '/mnt', 0o755));
  const fd = unwrap(kernel.open(proc, '/mnt/hello.txt', O_CREAT | O_WRONLY, 0o644));
  unwrap(kernel.write(proc, fd, new TextEncoder().encode('hello\n')));
  unwrap(kernel.close(proc, fd));
  return { kernel, proc };
}

function run(m: ReturnType<typeof machine>, bytes: Uint8Array, args: string[], extra: Partial<RunOptions> = {}) {
  const r = runWasi(m, bytes, { args, ...extra });
  return { ...r, out: text(r.stdout), err: text(r.stderr) };
}

describe('WASI programs on a kernel instance', () => {
  it('runs the stack.md fsdemo probe: symlinks, readlink, rename, sizes (shim filestat offsets fixed)', () => {
    const m = machine();
    const r = run(m, prog('fsdemo'), ['fsdemo', '/mnt']);
    expect(r.exit).toBe(3);
    expect(r.err).toBe('');
    expect(r.out).toBe([
      'before:', '  hello.txt', 'hello.txt: hello', 'sub/link -> ../hello.txt', 'via link: hello',
      'renamed.txt: 4 bytes', 'after:', '  hello.txt', '  sub', '  renamed.txt', '',
    ].join('\n'));
    // The program's effects are real kernel state.
    expect(unwrap(m.kernel.lstat(m.proc, '/mnt/renamed.txt')).size).toBe(4);
    expect(m.kernel.lstat(m.proc, '/mnt/sub/link').ok).toBe(false);
  });

  it('gives the lowest free descriptor, as POSIX does (the shim only appends)', () => {
    const r = run(machine(), prog('fdnum'), ['fdnum', '/mnt']);
    // fds 0-2 stdio, 3 the preopen '/': a=4, b=5, close a, c=4.
    expect(r.out).toBe('4 5 4\n');
  });

  it('stops a program that never makes a call, deterministically, and the kernel stays usable', () => {
    const m = machine();
    const a = run(m, prog('spin'), ['spin'], { limits: { fuel: 5_000_000n } });
    expect(a.exit).toBe(EXIT_CPU_LIMIT);
    expect(a.stoppedBy).toBe('cpu-limit');
    expect(a.err).toBe('virtfs-lab: spin stopped: CPU limit (5000000 loop iterations) reached\n');
    const b = run(m, guest('cat'), ['cat', '/mnt/hello.txt']);
    expect(b).toMatchObject({ exit: 0, out: 'hello\n' });
  });

  it('stops a program that grows memory without bound at the memory cap', () => {
    const r = run(machine(), prog('grow'), ['grow'], { limits: { memoryBytes: 8 * 1024 * 1024 } });
    expect(r.exit).toBe(EXIT_TRAP);
    expect(r.stoppedBy).toBe('memory-limit');
    expect(r.err).toMatch(/^grow: malloc failed after [4-7] MiB \([4-7] blocks\)\nvirtfs-lab: grow stopped: memory limit \(8 MiB\) reached/);
  });

  it('refuses what is not a WASI command with a clear message', () => {
    const r = run(machine(), new TextEncoder().encode('#!/bin/sh\necho hi\n'), ['script']);
    expect(r.exit).toBe(EXIT_NOT_EXECUTABLE);
    expect(r.err).toBe('script: cannot execute: not a WebAssembly module (bad magic) (at byte 0 of the module)\n');
  });

  it('confines paths to the preopened directory: `..` above it and absolute symlinks are ENOTCAPABLE', () => {
    const m = machine();
    unwrap(m.kernel.symlink(m.proc, '/', '/mnt/esc'));
    unwrap(m.kernel.symlink(m.proc, '../..', '/mnt/up'));
    const cat = (path: string) => run(m, guest('cat'), ['cat', path], { preopens: ['/mnt'] });
    expect(cat('/mnt/hello.txt')).toMatchObject({ exit: 0, out: 'hello\n' });
    expect(cat('/mnt/esc/mnt/hello.txt').err).toBe('cat: /mnt/esc/mnt/hello.txt: Capabilities insufficient\n');
    expect(cat('/mnt/up/mnt/hello.txt').err).toBe('cat: /mnt/up/mnt/hello.txt: Capabilities insufficient\n');
    expect(cat('/mnt/../mnt/hello.txt').err).toBe('cat: /mnt/../mnt/hello.txt: Capabilities insufficient\n');
    // Creating an absolute symlink is allowed: it is only data (wasmtime#6166).
    expect(run(m, guest('ln'), ['ln', '-s', '/etc/passwd', '/mnt/abs'], { preopens: ['/mnt'] }).exit).toBe(0);
    expect(text(unwrap(m.kernel.readlink(m.proc, '/mnt/abs', 100)))).toBe('/etc/passwd');
  });

  it('records every WASI call on the guest lane, with the syscalls it caused linked to it', () => {
    const m = machine();
    const recorder = new TraceRecorder();
    const seen: string[] = [];
    const stop = m.kernel.observe((s) => {
      recorder.record({ kind: 'syscall', lane: 'guest', pid: s.pid, comm: s.comm, name: s.syscall, args: {}, creds: { uid: [0, 0, 0, 0], gid: [0, 0, 0, 0], groups: [] }, caps: { effective: 0n, permitted: 0n, inheritable: 0n }, root: s.root, cwd: s.cwd });
      seen.push(s.syscall);
    });
    const r = run(m, guest('cat'), ['cat', '/mnt/hello.txt'], { recorder });
    stop();
    expect(r.out).toBe('hello\n');
    const calls = recorder.events.filter((e) => e.kind === 'guest-call');
    expect(calls.length).toBe(r.calls);
    const open = calls.find((e) => e.kind === 'guest-call' && e.name === 'path_open');
    expect(open).toMatchObject({ api: 'wasi', lane: 'guest', args: { fd: 3, path: 'mnt/hello.txt' }, result: 'ESUCCESS' });
    const caused = recorder.events.filter((e) => e.cause === open!.id && e.kind === 'syscall').map((e) => (e as { name: string }).name);
    // mnt: O_PATH open + fstat; hello.txt: O_PATH open + fstat (is it a link?), close; the open itself; release mnt.
    expect(caused).toEqual(['openat', 'fstat', 'openat', 'fstat', 'close', 'openat', 'close']);
    expect(seen).toContain('read');
  });
});
