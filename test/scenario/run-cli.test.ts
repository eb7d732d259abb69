// `virtfs-lab run` as a user runs it (bin/virtfs-lab.mjs through tsx): the --json contract, exit
// statuses, trace exports, located errors for a broken scenario file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'vlab-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/virtfs-lab.mjs', 'run', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('virtfs-lab run', () => {
  it('--json on a preset: ok, the launch plan, one result per script line, the trace', () => {
    const r = cli('public/presets/mknod--host-device.json', '--json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.launch.helper).toEqual(['/usr/lib/qemu/virtfs-proxy-helper', '-n', '-f', '24', '-p', '/srv/export']);
    expect(doc.launch.qemu).toContain('proxy,id=fsdev-fs0,sock_fd=25');
    expect(doc.results.map((x: { command: string }) => x.command)).toEqual(['9p mknod 0 disk 060600 8 0', '9p walk 0 7 disk', '9p lopen 7 O_RDONLY', '9p read 7 0 512', 'ls -l /srv/export/disk']);
    // QEMU 7.2 = 7.2.22: the helper refuses to open the device node (CVE-2023-2861 fix).
    expect(doc.results[2]).toMatchObject({ exit: 1, stdout: 'Rlerror ENXIO (6): No such device or address\n', stderr: '' });
    expect(doc.results[4].stdout).toMatch(/^brw------- 1 root root 8, 0 .* \/srv\/export\/disk\n$/);
    const kinds = new Set(doc.trace.map((e: { kind: string }) => e.kind));
    for (const k of ['launch', 'guest-call', 'p9', 'proxy', 'syscall']) expect(kinds.has(k), k).toBe(true);
    const mknod = doc.trace.find((e: { kind: string; msgType?: string }) => e.kind === 'p9' && e.msgType === 'Tmknod');
    expect(mknod.bytes).toMatch(/^[0-9a-f]+$/);
  });

  it('a launch QEMU refuses: ok:false with its message, exit 1', () => {
    const r = cli('public/presets/launch--leftover-path-on-qemu-7.2.json', '--json');
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error.message).toBe("qemu-system-x86_64: -fsdev proxy,id=fsdev-fs0,sock_fd=25,path=/srv/export: 'path' is invalid for fsdriver 'proxy'");
  });

  it('a failing guest command is not a failure of run; --cell checks a preset row', () => {
    const r = cli('public/presets/walk--symlink-escape.json', '--cell', 'P (QEMU 7.2)');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Rlerror ENOENT (2): No such file or directory\n[exit 1]');
    expect(r.stdout).toContain('expectations of "P (QEMU 7.2)" met');
    expect(cli('public/presets/walk--symlink-escape.json', '--cell', '99').status).toBe(2);
  });

  it('writes traces as pcapng, Mermaid, text and JSON', () => {
    for (const [fmt, check] of [
      ['pcapng', (b: Buffer) => expect(b.readUInt32LE(0)).toBe(0x0a0d0d0a)],
      ['mermaid', (b: Buffer) => expect(b.toString()).toMatch(/^sequenceDiagram/)],
      ['text', (b: Buffer) => expect(b.toString()).toContain('Tsymlink')],
      ['json', (b: Buffer) => expect(JSON.parse(b.toString()).format).toBe('virtfs-lab-trace/1')],
    ] as const) {
      const out = join(dir, `t.${fmt}`);
      const r = cli('public/presets/walk--symlink-escape.json', '--trace', fmt, '--out', out);
      expect(r.status, r.stderr).toBe(0);
      check(readFileSync(out));
    }
  });

  it('--explore groups every racer placement by outcome', () => {
    const r = cli('public/presets/race--swap-dir-for-symlink-shell.json', '--cell', '0', '--explore', '--json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.placements).toBeGreaterThan(10);
    const outs = doc.outcomes.map((o: { results: { stdout: string }[] }) => o.results[0]!.stdout);
    expect(outs).toContain('root:x:0:0:root:/root:/bin/bash\n');
    expect(outs).toContain('decoy\n');
    expect(cli('public/presets/walk--symlink-escape.json', '--explore').status).toBe(1);
  });

  it('reports a broken scenario file with JSON pointers, and bad usage with status 2', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify({ version: 1, title: 't', host: { export: '/srv/export', tree: [] }, guest: { mount: 'mnt', uid: 0, gid: 0, script: [] }, domain: '<domain/>', era: '2.0', variant: 'corrected', qemu: '7.2' }));
    const r = cli(f, '--json');
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.issues.map((i: { pointer: string }) => i.pointer)).toEqual(expect.arrayContaining(['/domain', '/era', '/guest/mount']));
    expect(cli().status).toBe(2);
    expect(cli(f, '--trace', 'svg', '--out', 'x').status).toBe(2);
  });
});
