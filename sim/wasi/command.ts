// `run PATH [ARGS…]`: run the WASI binary found at PATH in the machine's own filesystem (issue 6 §4),
// as a shell command of the guest terminal and of scenario scripts. The file is read through the
// kernel like any other (for a program kept under the 9p mount, that read is 9P traffic too).
import { O_RDONLY } from '../host/constants.ts';
import { utf8Decode } from '../host/bytes.ts';
import type { Ctx } from '../shell/context.ts';
import { strerror } from '../shell/context.ts';
import { sys, type Job } from '../shell/job.ts';
import type { CommandFn } from '../shell/shell.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import { runWasi, type RunOptions } from './runner.ts';
import type { WasiMachine } from './sys.ts';

export interface RunCommandOptions {
  /** The process the program runs as: the terminal's own (same credentials and kernel). */
  machine(ctx: Ctx): WasiMachine;
  recorder?: TraceRecorder;
  limits?: RunOptions['limits'];
  preopens?: string[];
  /** Largest program accepted, bytes. */
  maxBytes?: number;
}

function* readProgram(ctx: Ctx, path: string, max: number): Job<Uint8Array | string> {
  const fd = yield* sys(ctx.os.open(path, O_RDONLY, 0));
  if (!fd.ok) return `run: ${path}: ${strerror(fd.errno)}`;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const r = yield* sys(ctx.os.read(fd.value, 65536));
    if (!r.ok) { ctx.os.close(fd.value); return `run: ${path}: ${strerror(r.errno)}`; }
    if (r.value.length === 0) break;
    size += r.value.length;
    if (size > max) { ctx.os.close(fd.value); return `run: ${path}: program larger than ${max} bytes`; }
    chunks.push(r.value);
  }
  ctx.os.close(fd.value);
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

export function wasiRunCommand(opts: RunCommandOptions): CommandFn {
  return function* run(ctx: Ctx, argv: string[]): Job<number> {
    const [path, ...args] = argv;
    if (!path) { ctx.err('run: usage: run PATH [ARGS...]\n'); return 2; }
    const program = yield* readProgram(ctx, path, opts.maxBytes ?? 16 << 20);
    if (typeof program === 'string') { ctx.err(`${program}\n`); return 127; }
    const r = runWasi(opts.machine(ctx), program, {
      args: [path, ...args],
      ...(opts.recorder ? { recorder: opts.recorder } : {}),
      ...(opts.limits ? { limits: opts.limits } : {}),
      preopens: opts.preopens ?? ['/'],
      // wasi-libc starts in '/'; the shipped programs chdir to $PWD (public/guests/src/common.h).
      env: [`PWD=${ctx.os.getcwd()}`, 'HOME=/root'],
    });
    ctx.out(utf8Decode(r.stdout));
    ctx.err(utf8Decode(r.stderr));
    return r.exit;
  };
}
