// The acting process's credentials and capabilities as people read them (issue 5 §2: "credentials,
// capabilities and root directory of the acting process are visible on each syscall event"): uids
// and gids in credentials(7) order real/effective/saved/fs, capability sets by name as capabilities(7)
// spells them (cap_chown …), with the /proc/PID/status hex beside — raw 64-bit masks say nothing to a
// learner watching the helper drop to CAP_DAC_OVERRIDE|CAP_FOWNER… No DOM: unit-tested in Node.
import { capHex16, capList } from '../../../sim/trace/caps.ts';
import type { CapState, Creds } from '../../../sim/trace/event.ts';

export function formatCreds(c: Creds): string {
  const ids = (v: readonly number[]) => v.join('/');
  return `uid ${ids(c.uid)} · gid ${ids(c.gid)} (real/effective/saved/fs) · groups ${c.groups.length ? c.groups.join(',') : 'none'}`;
}

export function formatCaps(c: CapState): { set: string; names: string; hex: string }[] {
  const sets: [string, bigint | undefined][] = [
    ['effective', c.effective], ['permitted', c.permitted], ['inheritable', c.inheritable], ['bounding', c.bounding], ['ambient', c.ambient],
  ];
  return sets.filter((s): s is [string, bigint] => s[1] !== undefined).map(([set, mask]) => ({ set, names: capList(BigInt(mask)), hex: capHex16(BigInt(mask)) }));
}
