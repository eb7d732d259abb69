// Launch a libvirt launch plan (sim/libvirt planLaunch): libvirtd's socketpair per proxy filesystem
// at the plan's fd numbers, the helper argv as the plan says (which may name a binary the host does
// not have: the exec then fails unseen, libvirt.md §4.4), and QEMU's whole command line.
import type { PlanResult } from '../libvirt/types.ts';
import { launchLab, type Lab, type LabOptions, type LaunchSpec } from './lab.ts';

export class PlanNotLaunchableError extends Error {
  static readonly code = 'PlanNotLaunchable' as const;
  readonly code = PlanNotLaunchableError.code;
  constructor(readonly data: { message: string }) {
    super(`libvirt refused the domain: ${data.message}`);
    this.name = 'PlanNotLaunchableError';
  }
}

/** The LaunchSpec a successful plan describes. */
export function specFromPlan(plan: PlanResult): LaunchSpec {
  if (!plan.ok) throw new PlanNotLaunchableError({ message: plan.error.message });
  const proxies = plan.socketpairs.map((sp, i) => ({ helper: plan.helpers[i] ?? [], helperFd: sp.helperFd, qemuFd: sp.qemuFd }));
  return { qemu: plan.qemu, proxies };
}

/** Carry out a plan on the host in `o.kernel`; QEMU's version is the plan's unless given. */
export function launchFromPlan(plan: PlanResult, o: Omit<LabOptions, 'qemuVersion'> & { qemuVersion?: string }): Lab {
  const spec = specFromPlan(plan);
  const version = o.qemuVersion ?? (plan.ok ? plan.qemuVersion : '7.2');
  return launchLab(spec, { ...o, qemuVersion: version });
}
