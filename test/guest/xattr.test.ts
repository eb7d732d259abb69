// Extended attributes from the guest shell over v9fs (Txattrwalk/Txattrcreate + clunk), on the host
// file through the proxy helper; getfattr/setfattr texts of attr 2.5.1.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/validate.ts';
import { runScenario } from '../../sim/scenario/run.ts';

const DOMAIN = (driver: string) => `<domain type='qemu'><name>g</name><memory unit='KiB'>219136</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator><filesystem type='mount' accessmode='passthrough'><driver type='${driver}'/><source dir='/srv/share'/><target dir='data'/></filesystem></devices></domain>`;

describe.each(['proxy', 'path'])('xattrs through %s', (driver) => {
  it('lists, sets, reads and removes user.* attributes of a host file', () => {
    const r = runScenario(parseScenario({
      version: 1, title: 'xattr', era: '0.10.2', variant: 'corrected', qemu: '7.2', domain: DOMAIN(driver),
      host: { export: '/srv/share', tree: [
        { path: '/srv/share', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
        { path: '/srv/share/f', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'x\n', xattrs: { 'user.from_host': 'h' } },
      ] },
      guest: { mount: '/mnt', uid: 0, gid: 0, tree: [], script: [
        'cd /mnt', 'getfattr -d f', 'setfattr -n user.k -v hello f', 'getfattr -n user.k f', 'getfattr -n user.nope f',
        'setfattr -x user.k f', 'getfattr -d f', 'host: getfattr -d /srv/share/f', '9p xattrwalk 0 5 user.nope',
      ] },
    }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const o = r.results.map((x) => [x.exit, x.stdout, x.stderr]);
    expect(o[1]).toEqual([0, '# file: f\nuser.from_host="h"\n\n', '']);
    expect(o[2]).toEqual([0, '', '']);
    expect(o[3]).toEqual([0, '# file: f\nuser.k="hello"\n\n', '']);
    expect(o[4]).toEqual([1, '', 'f: user.nope: No such attribute\n']);
    expect(o[6]).toEqual([0, '# file: f\nuser.from_host="h"\n\n', '']);
    expect(o[7]).toEqual([0, '# file: srv/share/f\nuser.from_host="h"\n\n', "getfattr: Removing leading '/' from absolute path names\n"]);
    expect(o[8]).toEqual([1, 'Rlerror ENODATA (61): No data available\n', '']);
  });
});
