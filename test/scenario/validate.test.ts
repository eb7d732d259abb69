import { describe, expect, it } from 'vitest';
import { parseScenario, validateScenario, makedev } from '../../sim/scenario/validate.ts';
import { ScenarioError } from '../../sim/scenario/errors.ts';

const DOMAIN = `<domain type='qemu'><name>g</name><devices><filesystem type='mount' accessmode='passthrough'><driver type='proxy'/><source dir='/srv/export'/><target dir='share'/></filesystem></devices></domain>`;

function base(): Record<string, unknown> {
  return {
    version: 1,
    title: 't',
    host: { export: '/srv/export', tree: [{ path: '/srv/export', type: 'dir', mode: 0o755, uid: 0, gid: 0 }] },
    guest: { mount: '/mnt', uid: 0, gid: 0, tree: [], script: ['ls /mnt'] },
    domain: DOMAIN,
    era: '0.10.2',
    variant: 'corrected',
    qemu: '7.2.0',
  };
}

describe('scenario validation', () => {
  it('accepts a minimal scenario', () => {
    const s = parseScenario(JSON.stringify(base()));
    expect(s.guest.script).toEqual(['ls /mnt']);
    expect(s.era).toBe('0.10.2');
  });

  it('locates every problem by JSON pointer', () => {
    const s = base();
    (s.host as { tree: unknown[] }).tree.push(
      { path: 'relative', type: 'file', mode: 0o644, uid: 0, gid: 0 },
      { path: '/srv/export/dev', type: 'blockdev', mode: 0o600, uid: 0, gid: 0 },
      { path: '/srv/export/l', type: 'symlink', mode: 0o777, uid: 0, gid: 0 },
      { path: '/srv/export/f', type: 'file', mode: 0o10000, uid: -1, gid: 0, colour: 'red' },
    );
    s.era = '1.0';
    s.qemu = 'latest';
    (s.guest as Record<string, unknown>).script = ['ok', 3];
    const issues = validateScenario(s);
    const ptrs = issues.map((i) => i.pointer);
    expect(ptrs).toEqual(expect.arrayContaining([
      '/era', '/qemu', '/host/tree/1/path', '/host/tree/2/rdev', '/host/tree/3/target',
      '/host/tree/4/mode', '/host/tree/4/uid', '/host/tree/4/colour', '/guest/script/1',
    ]));
    expect(issues.find((i) => i.pointer === '/era')!.message).toContain('"1.0"');
  });

  it('reports script lines the shell would refuse, with the column', () => {
    const s = base();
    (s.guest as Record<string, unknown>).script = ['ls /mnt', "9p lcreate 3 drop O_WRONLY|O_TRUNC 0644", 'racer: mv a b'];
    expect(validateScenario(s)).toEqual([
      { pointer: '/guest/script/1', message: `syntax error at column 27: '|' is not supported by this shell (no pipes, subshells or command substitution) in "9p lcreate 3 drop O_WRONLY|O_TRUNC 0644"` },
      { pointer: '/guest/script/2', message: 'a racer step runs on the host: write "racer: host: CMD"' },
    ]);
  });

  it('checks that host.export is the first filesystem source', () => {
    const s = base();
    (s.host as Record<string, unknown>).export = '/srv/other';
    expect(validateScenario(s)).toEqual([{ pointer: '/host/export', message: `"/srv/other" differs from the first <filesystem>'s <source dir='/srv/export'/>` }]);
  });

  it('reports JSON syntax errors with line and column', () => {
    let e: unknown;
    try { parseScenario('{\n  "version": 1,\n  "title": oops\n}'); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(ScenarioError);
    const i = (e as ScenarioError).issues[0]!;
    expect([i.line, i.column]).toEqual([3, 12]);
  });

  it('rejects unknown versions and checks rdev against major/minor', () => {
    expect(validateScenario({ ...base(), version: 2 })[0]!.message).toMatch(/unsupported version 2/);
    expect(makedev(8, 0)).toBe(0x800);
    expect(makedev(1, 3)).toBe(0x103);
    const s = base();
    (s.host as { tree: unknown[] }).tree.push({ path: '/dev/sda', type: 'blockdev', mode: 0o660, uid: 0, gid: 6, rdev: 0x801, rdev_major: 8, rdev_minor: 0 });
    expect(validateScenario(s).map((i) => i.pointer)).toEqual(['/host/tree/1/rdev']);
  });
});
