import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';

async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out.push(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err.push(s); return true; }) as typeof process.stderr.write;
  try {
    return { status: await main(argv), out: out.join(''), err: err.join('') };
  } finally { process.stdout.write = o; process.stderr.write = e; }
}

describe('virtfs-lab qemu-check', () => {
  it('prints the exact JSON verdict and exits 1 when QEMU refuses', async () => {
    const r = await run(['qemu-check', '--qemu-version', '7.2', '--json', '--', '-fsdev', 'proxy,id=f0,sock_fd=4,path=/x']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toEqual({ starts: false, exitCode: 1, stderr: "qemu-system-x86_64: -fsdev proxy,id=f0,sock_fd=4,path=/x: 'path' is invalid for fsdriver 'proxy'\n" });
  });
  it('exits 0 when it starts, and honours --peer', async () => {
    const args = ['-fsdev', 'proxy,id=f0,sock_fd=4', '-device', 'virtio-9p-pci,fsdev=f0,mount_tag=t'];
    const ok = await run(['qemu-check', '--qemu-version', '7.2', '--json', '--', ...args]);
    expect([ok.status, ok.out]).toEqual([0, '{"starts":true,"exitCode":null,"stderr":""}\n']);
    const none = await run(['qemu-check', '--qemu-version', '7.2', '--peer', 'none', '--', ...args]);
    expect(none.status).toBe(1);
    expect(none.out).toBe('qemu-system-x86_64: -device virtio-9p-pci,fsdev=f0,mount_tag=t: share path 4 does not exist\nQEMU 7.2: exits with status 1\n');
  });
  it('rejects bad usage with status 2 and a located message', async () => {
    expect((await run(['qemu-check', '--', '-S'])).err).toContain('--qemu-version is required');
    const bad = await run(['qemu-check', '--qemu-version', '7.2', '--peer', 'ghost', '--']);
    expect([bad.status, bad.err.split('\n')[0]]).toEqual([2, "virtfs-lab qemu-check: unknown peer 'ghost' (argument 4)"]);
    expect((await run(['qemu-check', '--qemu-version', 'x.y', '--', '-S'])).status).toBe(2);
  });
});
