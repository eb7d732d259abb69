// Fuzzing the simulated helper (fast-check, fixed seeds) and the containment property:
// - random and mutated single frames: no uncaught exception, and the reaction proxy-protocol.md §8
//   prescribes (wait for the rest / exit 0 without reply / -ENOBUFS in the request's shape / a reply of
//   the request's shape / SIGTRAP for negative sizes / sleeping on a FIFO);
// - random request sequences with escape attempts never touch anything outside the export, and every fd
//   the helper passes refers to an object inside it (device nodes excepted before the CVE-2023-2861
//   fix, since chroot does not contain device numbers, §11.8).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest, ProxyDecodeError, REQUESTS, requestName, type RequestName } from '../../sim/proxy/index.ts';
import { dumpTree } from '../../sim/host/tree.ts';
import { O_CREAT, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_RDWR, O_TRUNC, O_WRONLY, S_IFCHR, S_IFMT, S_IFBLK, makedev } from '../../sim/host/constants.ts';
import { startFd } from './harness.ts';

const SEED = 424242;
const names = Object.keys(REQUESTS) as RequestName[];
const PATHS = ['file.txt', 'subdir', 'subdir/inner.txt', 'link_inside', 'xattr_file', 'emptydir', '/', '', 'nope', 'null_dev'];

const fieldArb = (kind: string) =>
  kind === 's' ? fc.oneof(fc.constantFrom(...PATHS).map((p) => new TextEncoder().encode(p)), fc.uint8Array({ maxLength: 12 }))
    : kind === 'q' ? fc.oneof(fc.constantFrom(0n, 1n, 0x3fffffffn, (1n << 64n) - 1n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }))
      : fc.oneof(fc.constantFrom(0, 1, 0x41, 0o644, 0o100644, 1000, 0xffffffff, 0x80000000, 64), fc.integer({ min: 0, max: 0xffffffff }));

/** A single frame: a valid request (optionally mutated / resized) or raw header + bytes. */
const frameArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...names).chain((name) => fc.tuple(...REQUESTS[name].fields.map((f) => fieldArb(f.kind))).map((vals) => {
    const args: Record<string, unknown> = {};
    REQUESTS[name].fields.forEach((f, i) => { args[f.name] = vals[i]; });
    return encodeRequest(name, args as never);
  })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...names), fc.uint8Array({ maxLength: 24 })).map(([name, payload]) => {
    const out = new Uint8Array(8 + payload.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, REQUESTS[name].code, true);
    v.setUint32(4, payload.length, true);
    out.set(payload, 8);
    return out;
  }) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constantFrom(0xffffffff, 0x08000000)), fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(65536, 65537, 0xffffffff)), fc.uint8Array({ maxLength: 20 })).map(([type, size, payload]) => {
    const out = new Uint8Array(8 + payload.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, type, true);
    v.setUint32(4, size, true);
    out.set(payload, 8);
    return out;
  }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 7 }) },
);

function expectedReaction(b: Uint8Array): 'wait' | 'exit' | 'reply' {
  if (b.length < 8) return 'wait';
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const type = v.getUint32(0, true);
  const size = v.getUint32(4, true);
  if (size > 65536) return 'exit';
  if (b.length < 8 + size) return 'wait';
  if (!requestName(type)) return 'exit';
  return 'reply';
}

describe('helper fuzzing: one frame into a fresh helper (§8)', () => {
  it('reacts as §8 says, never throws', () => {
    let runs = 0;
    fc.assert(fc.property(frameArb, (b) => {
      runs++;
      const c = startFd();
      const r = c.send(b);
      const h = c.h.helper;
      const want = expectedReaction(b);
      if (want === 'wait') {
        expect(r.reply).toHaveLength(0);
        expect(h.alive).toBe(true);
        return;
      }
      if (want === 'exit') {
        expect(r.reply).toHaveLength(0);
        expect(h.exit).toEqual({ status: 0 });
        expect(c.stderr()).toBe('Started\nDone\n');
        return;
      }
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const name = requestName(v.getUint32(0, true))!;
      const frame = b.subarray(0, 8 + v.getUint32(4, true));
      let decodeError: ProxyDecodeError | undefined;
      try { decodeRequest(frame); } catch (e) { decodeError = e as ProxyDecodeError; }
      if (h.exit?.signal === 'SIGTRAP') {
        // g_malloc of a negative int size: READLINK / LGETXATTR / LLISTXATTR only (§5.2, §5.3)
        expect(['T_READLINK', 'T_LGETXATTR', 'T_LLISTXATTR']).toContain(name);
        return;
      }
      if (!h.alive) throw new Error(`helper died: ${JSON.stringify(h.exit)}`);
      if (r.reply.length === 0) {
        // only a blocking FIFO open can leave a complete request unanswered
        expect(h.waitingOn?.on).toMatch(/fifo/);
        return;
      }
      const shape = REQUESTS[name].reply;
      if (shape === 'fd') {
        expect(r.reply).toHaveLength(4);
        const word = new DataView(r.reply.buffer).getInt32(0, true);
        expect(r.fds).toHaveLength(word === 0x7fffffff ? 1 : 0);
        if (decodeError) expect(word).toBe(-105);
      } else {
        const rv = new DataView(r.reply.buffer);
        const type = rv.getUint32(0, true);
        const size = rv.getUint32(4, true);
        expect(r.reply.length).toBe(8 + size);
        expect([0, 1]).toContain(type);
        if (type === 1 || shape === 'status') expect(size).toBe(4);
        if (decodeError) {
          expect(type).toBe(1);
          expect(rv.getInt32(8, true)).toBe(-105);
        }
        if (!decodeError && shape === 'response' && type === 0 && name === 'T_LSTAT') expect(size).toBe(116);
        if (!decodeError && type === 0 && name === 'T_STATFS') expect(size).toBe(88);
      }
    }), { seed: SEED, numRuns: 400 });
    expect(runs).toBe(400);
  });
});

// ---------------------------------------------------------------- containment

const ESC = ['..', '../..', '../../..', '/..', '/../etc/passwd', '/etc', '/etc/passwd', '../../../etc/passwd', 'etc/passwd',
  'link_abs_root', 'link_abs_root/etc/passwd', 'link_dotdot_dir', 'link_dotdot_dir/etc', 'link_dotdot', 'link_abs_outside',
  '/tmp', '/tmp/vlab-conf', '../vlab-conf', 'n1', 'n2', 'n1/x', 'n2/etc/passwd', 'subdir/../../x', 'file.txt', '/', '.', ''];
const TARGETS = ['/', '..', '../..', '/etc', '/etc/passwd', '/tmp/vlab-conf', '../../tmp', 'file.txt', 'n1', '/dev/null'];
const pathArb = fc.constantFrom(...ESC);
const id = fc.constantFrom(0, 1000);

const reqArb = fc.oneof(
  fc.record({ p: pathArb, f: fc.constantFrom(0, O_RDWR, O_DIRECTORY, O_WRONLY | O_CREAT | O_TRUNC, O_PATH, O_NOFOLLOW, O_RDWR | O_CREAT) }).map(({ p, f }) => encodeRequest('T_OPEN', { path: p, flags: f })),
  fc.record({ p: pathArb, f: fc.constantFrom(O_WRONLY | O_CREAT, O_RDWR | O_CREAT | O_TRUNC), u: id, g: id }).map(({ p, f, u, g }) => encodeRequest('T_CREATE', { path: p, flags: f, mode: 0o644, uid: u, gid: g })),
  fc.record({ p: pathArb, u: id }).map(({ p, u }) => encodeRequest('T_MKDIR', { uid: u, gid: u, path: p, mode: 0o777 })),
  fc.record({ t: fc.constantFrom(...TARGETS), p: pathArb }).map(({ t, p }) => encodeRequest('T_SYMLINK', { uid: 0, gid: 0, oldpath: t, path: p })),
  fc.record({ a: pathArb, b: pathArb }).map(({ a, b }) => encodeRequest('T_LINK', { oldpath: a, path: b })),
  fc.record({ a: pathArb, b: pathArb }).map(({ a, b }) => encodeRequest('T_RENAME', { oldpath: a, path: b })),
  pathArb.map((p) => encodeRequest('T_REMOVE', { path: p })),
  pathArb.map((p) => encodeRequest('T_CHMOD', { path: p, mode: 0o4777 })),
  pathArb.map((p) => encodeRequest('T_CHOWN', { path: p, uid: 1000, gid: 1000 })),
  pathArb.map((p) => encodeRequest('T_TRUNCATE', { path: p, offset: 0n })),
  pathArb.map((p) => encodeRequest('T_UTIME', { path: p, atime_sec: 1n, atime_nsec: 0n, mtime_sec: 1n, mtime_nsec: 0n })),
  pathArb.map((p) => encodeRequest('T_LSETXATTR', { path: p, name: 'user.x', value: 'v', size: 1, flags: 0 })),
  pathArb.map((p) => encodeRequest('T_MKNOD', { uid: 0, gid: 0, path: p, mode: S_IFCHR | 0o666, rdev: makedev(1, 3) })),
  pathArb.map((p) => encodeRequest('T_GETVERSION', { path: p })),
);

function outsideSnapshot(c: ReturnType<typeof startFd>): string {
  // everything the host has outside the export: paths, types, modes, owners, sizes, times, targets
  return JSON.stringify(dumpTree(c.k, '/', { crossMounts: true }).filter((n) => !('/' + n.path).startsWith(c.export)).map((n) => ({ ...n, ctime: undefined, atime: undefined, rdev: n.rdev?.toString() })));
}

for (const version of ['7.2.22', '7.2.0']) {
  describe(`containment property (${version})`, () => {
    it('no request sequence reaches outside the export', () => {
      let steps = 0;
      fc.assert(fc.property(fc.array(reqArb, { minLength: 1, maxLength: 14 }), (seq) => {
        const c = startFd({ version });
        const before = outsideSnapshot(c);
        for (const req of seq) {
          const r = c.send(req);
          steps++;
          for (const fd of r.fds) {
            const p = c.k.fdPath(c.launcher, fd);
            const st = c.k.fstat(c.launcher, fd);
            const isDevice = st.ok && [S_IFCHR, S_IFBLK].includes(st.value.mode & S_IFMT);
            expect(p.ok).toBe(true);
            if (p.ok && !(p.value === c.export || p.value.startsWith(c.export + '/'))) {
              // chroot does not contain device numbers: only an unfixed helper may pass a device (§11.8)
              expect(version === '7.2.0' && isDevice).toBe(true);
            }
            if (isDevice) expect(version).toBe('7.2.0');
            c.k.close(c.launcher, fd);
          }
          if (!c.h.helper.alive || c.h.helper.waitingOn?.on !== 'recv') break;
        }
        expect(outsideSnapshot(c)).toBe(before);
      }), { seed: SEED + (version === '7.2.0' ? 1 : 0), numRuns: 250 });
      expect(steps).toBeGreaterThan(1000);
    });
  });
}

describe('the property is not vacuous', () => {
  it('finds the 1.x chdir-then-chroot escape: T_CHMOD ".." changes the host root (§11.3, inferred)', () => {
    const c = startFd({ version: '1.1' });
    const before = outsideSnapshot(c);
    c.send(encodeRequest('T_CHMOD', { path: '..', mode: 0o4777 }));
    expect(outsideSnapshot(c)).not.toBe(before);
    const st = c.k.lstat(c.launcher, '/');
    expect(st.ok && (st.value.mode & 0o7777).toString(8)).toBe('4777');
  });
});
