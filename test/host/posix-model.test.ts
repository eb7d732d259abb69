// Property test: rename/link/unlink/rmdir (with mkdir/create to build trees) against a reference
// table of POSIX/Linux rules, written independently of the kernel as a plain path→node map.
//
//  op      | check, in order                                                        | errno
//  --------|-------------------------------------------------------------------------|-----------
//  any     | a leading component missing / not a directory                          | ENOENT / ENOTDIR
//  link    | source missing; target exists; target has a trailing slash; source dir | ENOENT; EEXIST; ENOENT; EPERM
//  unlink  | missing; trailing slash (dir EISDIR, else ENOTDIR); directory          | ENOENT; …; EISDIR
//  rmdir   | missing; not a directory; not empty                                    | ENOENT; ENOTDIR; ENOTEMPTY
//  rename  | source missing; non-dir source with a trailing slash on either side;   | ENOENT; ENOTDIR;
//          | target inside source; target an ancestor of source; same inode (no-op);| EINVAL; ENOTEMPTY; ok;
//          | dir over non-dir; non-dir over dir; over a non-empty dir               | ENOTDIR; EISDIR; ENOTEMPTY
//  mkdir   | exists                                                                 | EEXIST
//  create  | trailing slash (checked first: checked on Linux 6.x); exists (O_EXCL)   | EISDIR; EEXIST
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel, O_CREAT, O_EXCL, O_WRONLY, dumpTree } from '../../sim/host/index.ts';

interface MNode { type: 'dir' | 'file'; id: number }
class Model {
  nodes = new Map<string, MNode>([['', { type: 'dir', id: 0 }]]);
  private next = 1;
  private split(p: string): { comps: string[]; slash: boolean } {
    return { comps: p.split('/').filter(Boolean), slash: p.endsWith('/') };
  }
  private parentErr(comps: string[]): string | null {
    for (let i = 1; i < comps.length; i++) {
      const n = this.nodes.get(comps.slice(0, i).join('/'));
      if (!n) return 'ENOENT';
      if (n.type !== 'dir') return 'ENOTDIR';
    }
    return null;
  }
  private children(p: string): string[] {
    return [...this.nodes.keys()].filter((k) => k !== p && k.startsWith(p === '' ? '' : p + '/') && !k.slice(p === '' ? 0 : p.length + 1).includes('/'));
  }
  mkdir(p: string): string {
    const { comps } = this.split(p);
    const e = this.parentErr(comps); if (e) return e;
    const k = comps.join('/');
    if (this.nodes.has(k)) return 'EEXIST';
    this.nodes.set(k, { type: 'dir', id: this.next++ });
    return 'ok';
  }
  create(p: string): string {
    const { comps, slash } = this.split(p);
    const e = this.parentErr(comps); if (e) return e;
    const k = comps.join('/');
    if (slash) return 'EISDIR';
    if (this.nodes.has(k)) return 'EEXIST';
    this.nodes.set(k, { type: 'file', id: this.next++ });
    return 'ok';
  }
  link(a: string, b: string): string {
    const A = this.split(a); const B = this.split(b);
    let e = this.parentErr(A.comps); if (e) return e;
    const src = this.nodes.get(A.comps.join('/'));
    if (!src) return 'ENOENT';
    if (A.slash && src.type !== 'dir') return 'ENOTDIR';
    e = this.parentErr(B.comps); if (e) return e;
    const bk = B.comps.join('/');
    if (this.nodes.has(bk)) return 'EEXIST';
    if (B.slash) return 'ENOENT';
    if (src.type === 'dir') return 'EPERM';
    this.nodes.set(bk, src);
    return 'ok';
  }
  unlink(p: string): string {
    const { comps, slash } = this.split(p);
    const e = this.parentErr(comps); if (e) return e;
    const k = comps.join('/');
    const n = this.nodes.get(k);
    if (!n) return 'ENOENT';
    if (slash) return n.type === 'dir' ? 'EISDIR' : 'ENOTDIR';
    if (n.type === 'dir') return 'EISDIR';
    this.nodes.delete(k);
    return 'ok';
  }
  rmdir(p: string): string {
    const { comps } = this.split(p);
    const e = this.parentErr(comps); if (e) return e;
    const k = comps.join('/');
    const n = this.nodes.get(k);
    if (!n) return 'ENOENT';
    if (n.type !== 'dir') return 'ENOTDIR';
    if (this.children(k).length) return 'ENOTEMPTY';
    this.nodes.delete(k);
    return 'ok';
  }
  rename(a: string, b: string): string {
    const A = this.split(a); const B = this.split(b);
    let e = this.parentErr(A.comps); if (e) return e;
    e = this.parentErr(B.comps); if (e) return e;
    const ak = A.comps.join('/'); const bk = B.comps.join('/');
    const src = this.nodes.get(ak);
    if (!src) return 'ENOENT';
    if (src.type !== 'dir' && (A.slash || B.slash)) return 'ENOTDIR';
    if (bk.startsWith(ak + '/')) return 'EINVAL';
    const dst = this.nodes.get(bk);
    if (dst && ak.startsWith(bk + '/')) return 'ENOTEMPTY';
    if (dst && dst === src) return 'ok';
    if (dst) {
      if (src.type === 'dir' && dst.type !== 'dir') return 'ENOTDIR';
      if (src.type !== 'dir' && dst.type === 'dir') return 'EISDIR';
      if (dst.type === 'dir' && this.children(bk).length) return 'ENOTEMPTY';
    }
    if (ak === bk) return 'ok';
    const moved = [...this.nodes].filter(([k]) => k === ak || k.startsWith(ak + '/'));
    for (const [k] of moved) this.nodes.delete(k);
    this.nodes.delete(bk);
    for (const [k, n] of moved) this.nodes.set(bk + k.slice(ak.length), n);
    return 'ok';
  }
  /** path → [type, group id of the first path with the same node] */
  listing(): [string, string, string][] {
    const first = new Map<MNode, string>();
    return [...this.nodes.keys()].sort().map((k) => {
      const n = this.nodes.get(k)!;
      if (!first.has(n)) first.set(n, k);
      return [k, n.type, first.get(n)!];
    });
  }
}

const comp = fc.constantFrom('a', 'b', 'c');
const pathArb = fc.tuple(fc.array(comp, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.integer({ min: 0, max: 5 }))
  .map(([c, _unused, slash]) => c.join('/') + (slash === 0 ? '/' : ''));
type Op = ['mkdir' | 'create' | 'unlink' | 'rmdir', string] | ['link' | 'rename', string, string];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(fc.constantFrom('mkdir' as const, 'create' as const, 'unlink' as const, 'rmdir' as const), pathArb),
  fc.tuple(fc.constantFrom('link' as const, 'rename' as const), pathArb, pathArb),
) as fc.Arbitrary<Op>;

describe('rename/link/unlink/rmdir against the POSIX rules table', () => {
  it('every result and the final namespace match the reference model', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 60 }), (ops) => {
        const k = new Kernel();
        const t = k.spawn({ comm: 'p' });
        k.mkdir(k.init, '/r', 0o755);
        k.chdir(t, '/r');
        const m = new Model();
        for (const op of ops) {
          let sim: string;
          let ref: string;
          switch (op[0]) {
            case 'mkdir': { const r = k.mkdir(t, op[1], 0o755); sim = r.ok ? 'ok' : r.errno; ref = m.mkdir(op[1]); break; }
            case 'create': { const r = k.open(t, op[1], O_CREAT | O_EXCL | O_WRONLY, 0o644); if (r.ok) k.close(t, r.value); sim = r.ok ? 'ok' : r.errno; ref = m.create(op[1]); break; }
            case 'unlink': { const r = k.unlink(t, op[1]); sim = r.ok ? 'ok' : r.errno; ref = m.unlink(op[1]); break; }
            case 'rmdir': { const r = k.rmdir(t, op[1]); sim = r.ok ? 'ok' : r.errno; ref = m.rmdir(op[1]); break; }
            case 'link': { const r = k.link(t, op[1], op[2]); sim = r.ok ? 'ok' : r.errno; ref = m.link(op[1], op[2]); break; }
            case 'rename': { const r = k.rename(t, op[1], op[2]); sim = r.ok ? 'ok' : r.errno; ref = m.rename(op[1], op[2]); break; }
          }
          compared++;
          expect([op, sim]).toEqual([op, ref]);
        }
        const first = new Map<number, string>();
        const simList = dumpTree(k, '/r').map((n) => {
          if (!first.has(n.ino)) first.set(n.ino, n.path);
          return [n.path, n.type, first.get(n.ino)!];
        });
        expect(simList).toEqual(m.listing());
        // nlink: 2 + subdirectories for directories, the number of names for files.
        for (const n of dumpTree(k, '/r')) {
          const names = m.listing().filter((x) => x[2] === (first.get(n.ino) ?? n.path)).length;
          const subdirs = m.listing().filter(([p, ty]) => ty === 'dir' && p !== n.path && p.startsWith(n.path === '' ? '' : n.path + '/') && !p.slice(n.path === '' ? 0 : n.path.length + 1).includes('/')).length;
          expect([n.path, n.nlink]).toEqual([n.path, n.type === 'dir' ? 2 + subdirs : names]);
        }
      }),
      { seed: 0x9051, numRuns: 500 },
    );
    expect(compared).toBeGreaterThan(5000);
  });
});
