// Carrying out the launch plan on the simulated host (runs in the worker): the host kernel gets each
// <source dir> of the domain as an empty root-owned directory — the only host setup this page has —
// then sim/lab does what libvirtd, the helper and QEMU do at start (socketpair, fork/exec, helper
// start-up in its chroot, QEMU's option parsing and realize with its proxy exchange), recording
// every step, frame and host syscall on one trace. No guest runs here: guest traffic comes with
// scenario runs.
import { Kernel } from '../../../sim/host/kernel.ts';
import { loadTree, type TreeEntry } from '../../../sim/host/tree.ts';
import { launchFromPlan } from '../../../sim/lab/plan.ts';
import { planLaunch, parseFilesystems, type PlanOptions } from '../../../sim/libvirt/index.ts';
import { TraceRecorder } from '../../../sim/trace/recorder.ts';
import { modelledCostNs } from '../../../sim/trace/cost.ts';
import type { TraceEvent } from '../../../sim/trace/event.ts';

export type LaunchTraceResult =
  | { ok: true; events: TraceEvent[]; hostDirs: string[]; qemuStatus: string; stderr: { helper: string; qemu: string } }
  | { ok: false; message: string };

/** Every directory on the way to each absolute source dir, parents first (`mkdir -p`). */
export function sourceDirEntries(sources: readonly string[]): TreeEntry[] {
  const seen = new Set<string>();
  const out: TreeEntry[] = [];
  for (const src of sources) {
    if (!src.startsWith('/')) continue; // a relative dir is passed on unchanged by libvirt; nothing to create
    let path = '';
    for (const part of src.split('/').filter(Boolean)) {
      path = path ? `${path}/${part}` : part;
      if (seen.has(path)) continue;
      seen.add(path);
      out.push({ path, type: 'dir', mode: 0o755, uid: 0, gid: 0 });
    }
  }
  return out;
}

export function launchTrace(xml: string, opts: PlanOptions): LaunchTraceResult {
  const plan = planLaunch(xml, opts);
  if (!plan.ok) return { ok: false, message: plan.error.message };
  const hostDirs = parseFilesystems(xml, opts.era).map((fs) => fs.src).filter((s): s is string => typeof s === 'string');
  const kernel = new Kernel({ name: 'host', rootFs: 'ext4', seed: 1 });
  loadTree(kernel, '/', sourceDirEntries(hostDirs));
  const recorder = new TraceRecorder({ cost: modelledCostNs });
  const lab = launchFromPlan(plan, { kernel, recorder, qemuVersion: plan.qemuVersion, seed: 1 });
  return { ok: true, events: [...recorder.events], hostDirs, qemuStatus: lab.qemu.status, stderr: { helper: lab.stderr.helper, qemu: lab.qemu.stderr } };
}
