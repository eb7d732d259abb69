// Property: a chrooted process never resolves a path to an inode outside its root, whatever the
// mix of '..', absolute paths, and symlinks (absolute, relative, chained, looping) — and its
// namespace changes never touch anything outside.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel, O_CREAT, O_WRONLY, dumpTree } from '../../sim/host/index.ts';

const comp = fc.constantFrom('a', 'b', 'l1', 'l2', '..', '.', 'etc', 'secret', 'jail');
const pathArb = fc.tuple(fc.boolean(), fc.array(comp, { minLength: 0, maxLength: 6 }), fc.boolean())
  .map(([abs, c, slash]) => (abs ? '/' : '') + c.join('/') + (slash ? '/' : ''))
  .filter((p) => p.length > 0);

describe('chroot containment', () => {
  it('resolution stays inside the root; changes stay inside the root', () => {
    let resolved = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'l1', 'l2', 'a/l1', 'b/l2'), pathArb), { minLength: 1, maxLength: 6 }),
        fc.array(pathArb, { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(fc.constantFrom('mkdir', 'create', 'rename', 'symlink', 'link', 'unlink'), pathArb, pathArb), { maxLength: 10 }),
        (links, lookups, changes) => {
          const k = new Kernel();
          const r = k.init;
          for (const d of ['/etc', '/jail', '/jail/a', '/jail/b', '/outside']) k.mkdir(r, d, 0o755);
          for (const f of ['/secret', '/etc/passwd', '/outside/f', '/jail/a/f']) k.open(r, f, O_CREAT | O_WRONLY, 0o644);
          for (const [name, target] of links) k.symlink(r, target, '/jail/' + name);
          const inside = new Set(dumpTree(k, '/jail').map((n) => n.ino));
          const before = JSON.stringify(dumpTree(k, '/').filter((n) => !n.path.startsWith('jail')));
          const h = k.spawn({ comm: 'helper' });
          k.chroot(h, '/jail');
          k.chdir(h, '/');
          for (const p of lookups) {
            for (const follow of [true, false]) {
              const loc = k.resolve(h, p, follow);
              if (loc.ok) {
                resolved++;
                expect([p, inside.has(loc.value.inode.ino)]).toEqual([p, true]);
              }
            }
          }
          for (const [op, a, b] of changes) {
            if (op === 'mkdir') k.mkdir(h, a, 0o755);
            else if (op === 'create') k.open(h, a, O_CREAT | O_WRONLY, 0o644);
            else if (op === 'rename') k.rename(h, a, b);
            else if (op === 'symlink') k.symlink(h, b, a);
            else if (op === 'link') k.link(h, a, b);
            else k.unlink(h, a);
          }
          const after = JSON.stringify(dumpTree(k, '/').filter((n) => !n.path.startsWith('jail')));
          expect(after).toBe(before);
        },
      ),
      { seed: 0xc400, numRuns: 600 },
    );
    expect(resolved).toBeGreaterThan(1000);
  });
});
