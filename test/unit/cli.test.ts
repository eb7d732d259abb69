import { describe, expect, it } from 'vitest';
import { main, usage } from '../../cli/main.ts';

describe('cli dispatcher', () => {
  it('rejects an unknown command with status 2', async () => {
    const err: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => { err.push(s); return true; }) as typeof process.stderr.write;
    try {
      expect(await main(['no-such-command'])).toBe(2);
    } finally { process.stderr.write = orig; }
    expect(err.join('')).toContain("unknown command 'no-such-command'");
    expect(usage()).toMatch(/^usage: virtfs-lab/);
  });
});
