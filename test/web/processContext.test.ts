// Credentials and capabilities of the acting process, as the event detail shows them.
import { describe, expect, it } from 'vitest';
import { formatCaps, formatCreds } from '../../web/lib/trace/processContext.ts';
import { CAP_FULL } from '../../sim/trace/caps.ts';

describe('process context', () => {
  it('credentials in credentials(7) order, groups listed', () => {
    expect(formatCreds({ uid: [0, 64055, 0, 64055], gid: [0, 0, 0, 0], groups: [] })).toBe('uid 0/64055/0/64055 · gid 0/0/0/0 (real/effective/saved/fs) · groups none');
    expect(formatCreds({ uid: [1000, 1000, 1000, 1000], gid: [1000, 1000, 1000, 1000], groups: [6, 1000] })).toContain('groups 6,1000');
  });
  it("capability sets by name with /proc/PID/status hex: the 7.2 helper's set after capng_apply", () => {
    // CAP_CHOWN, DAC_OVERRIDE, FOWNER, FSETID, SETGID, SETUID, MKNOD (virtfs-proxy-helper.c init_capabilities).
    const kept = 0x80000dbn;
    const rows = formatCaps({ effective: kept, permitted: kept, inheritable: 0n, bounding: CAP_FULL });
    expect(rows).toEqual([
      { set: 'effective', names: 'chown,dac_override,fowner,fsetid,setgid,setuid,mknod', hex: '00000000080000db' },
      { set: 'permitted', names: 'chown,dac_override,fowner,fsetid,setgid,setuid,mknod', hex: '00000000080000db' },
      { set: 'inheritable', names: 'none', hex: '0000000000000000' },
      { set: 'bounding', names: 'all', hex: '000001ffffffffff' },
    ]);
  });
});
