// `virtfs-lab run` with WASI programs in the script: the shipped programs are in every scenario's
// guest under /guests (issue 6 §4), and their results are ordinary result lines.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

describe('virtfs-lab run with WASI guest programs', () => {
  it('runs the escape prober and ls/cat from /guests over proxy (QEMU 7.2)', () => {
    const out = execFileSync('./bin/virtfs-lab.mjs', ['run', 'test/wasi/scenarios/escape-prober-proxy.json', '--json'], { encoding: 'utf8' });
    const r = JSON.parse(out) as { ok: boolean; results: { command: string; exit: number; stdout: string; stderr: string }[]; trace: { kind: string; api?: string; name?: string }[] };
    expect(r.ok).toBe(true);
    expect(r.results.map((x) => [x.command, x.exit])).toEqual([
      ['run /guests/ls.wasm -l /mnt', 0], ['run /guests/escape.wasm /mnt', 0], ['run /guests/cat.wasm /mnt/hello.txt', 0],
    ]);
    expect(r.results[0]!.stdout).toBe('- 1 6 1700000000 hello.txt\n');
    // A normal guest resolves `..` and symlinks in its own namespace: it reaches the GUEST's
    // /etc/shadow, never the host's; absolute and escaping links are refused by the WASI layer.
    const prober = r.results[1]!.stdout;
    expect(prober).toContain('GUESTHASH');
    expect(prober).not.toContain('HOSTHASH');
    expect(prober).toMatch(/symlink-to-root\s+\/mnt\/\.escape-root\/etc\/shadow\s+refused: Capabilities insufficient/);
    expect(r.results[2]!.stdout).toBe('hello\n');
    expect(r.trace.filter((e) => e.kind === 'guest-call' && e.api === 'wasi').length).toBeGreaterThan(50);
  });
});
