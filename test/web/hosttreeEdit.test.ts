// Host edits from the host-tree panel (web/lib/hosttree/hostEdit.ts) on a real simulated kernel, and
// in a scenario session (web/lib/sim/scenarioSession.ts): applied as the host's root, refused with
// the kernel's errno, kept across a restart (a deterministic replay).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { applyHostEdit, readHostFile } from '../../web/lib/hosttree/hostEdit.ts';
import { hostEdit, hostRead, openScenario, restartScenario } from '../../web/lib/sim/scenarioSession.ts';
import { presetInputs } from '../../web/lib/presets/presets.ts';
import { Kernel, unwrap } from '../../sim/host/index.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('applyHostEdit', () => {
  it('writes, replaces, makes directories and deletes as root; refusals carry errno and strerror', () => {
    const k = new Kernel({ rootFs: 'ext4', seed: 1 });
    unwrap(k.mkdir(k.init, '/srv', 0o755));
    expect(applyHostEdit(k, { op: 'mkdir', path: '/srv/d' })).toEqual({ ok: true });
    expect(applyHostEdit(k, { op: 'mkdir', path: '/srv/d' })).toEqual({ ok: false, errno: 'EEXIST', message: 'mkdir /srv/d: mkdir: EEXIST (File exists)' });
    expect(applyHostEdit(k, { op: 'write', path: '/srv/d/f', content: enc('one two') })).toEqual({ ok: true });
    expect(applyHostEdit(k, { op: 'write', path: '/srv/d/f', content: enc('3') })).toEqual({ ok: true });
    const st = unwrap(k.stat(k.init, '/srv/d/f'));
    expect([st.size, st.mode & 0o7777, st.uid]).toEqual([1, 0o644, 0]);
    expect(applyHostEdit(k, { op: 'write', path: '/srv/d', content: enc('x') })).toMatchObject({ ok: false, errno: 'EISDIR' });
    expect(applyHostEdit(k, { op: 'delete', path: '/srv/d' })).toMatchObject({ ok: false, errno: 'ENOTEMPTY', message: 'delete /srv/d: rmdir: ENOTEMPTY (Directory not empty)' });
    expect(applyHostEdit(k, { op: 'write', path: '/nope/f', content: enc('x') })).toMatchObject({ ok: false, errno: 'ENOENT' });
    expect(applyHostEdit(k, { op: 'delete', path: 'rel' })).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(applyHostEdit(k, { op: 'delete', path: '/srv/d/f' })).toEqual({ ok: true });
    expect(applyHostEdit(k, { op: 'delete', path: '/srv/d' })).toEqual({ ok: true });
    expect(k.lstat(k.init, '/srv/d')).toMatchObject({ ok: false, errno: 'ENOENT' });
    expect(readHostFile(k, '/srv/d')).toEqual({ ok: false, message: 'read /srv/d: ENOENT (No such file or directory)' });
    expect(readHostFile(k, '/srv')).toMatchObject({ ok: false, message: 'read /srv: EISDIR (Is a directory)' });
    const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
    expect(applyHostEdit(k, { op: 'write', path: '/srv/big', content: big })).toEqual({ ok: true });
    expect(readHostFile(k, '/srv/big')).toEqual({ ok: true, bytes: big });
    // A read changes nothing: no syscall record (so a watchdog replay, which does not replay reads, matches).
    let records = 0;
    k.observe(() => { records++; });
    expect(readHostFile(k, '/srv/big').ok).toBe(true);
    expect(records).toBe(0);
    expect(applyHostEdit(k, { op: 'mkdir', path: '/srv/e' }).ok).toBe(true);
    expect(records).toBe(1);
  });
});

describe('host edits in a scenario session', () => {
  it('show in the snapshot, are kept by a restart, and a refused one changes nothing', () => {
    const file = 'walk--symlink-escape.json';
    const raw = readFileSync(new URL(`../../public/presets/${file}`, import.meta.url), 'utf8');
    const opened = openScenario(raw, presetInputs(JSON.parse(raw), file));
    if (!opened.ok) throw new Error(opened.message);
    const r = hostEdit(opened.snapshot.session, { op: 'write', path: '/srv/export/notes.txt', content: enc('hi\n') });
    if (!r.ok) throw new Error(r.message);
    expect(r.snapshot.host.find((n) => n.path === 'srv/export/notes.txt')).toMatchObject({ type: 'file', size: 3, mode: 0o644, uid: 0, gid: 0 });
    const bad = hostEdit(r.snapshot.session, { op: 'mkdir', path: '/srv/export/notes.txt' });
    expect(bad).toEqual({ ok: false, message: 'mkdir /srv/export/notes.txt: mkdir: EEXIST (File exists)' });
    const again = restartScenario(r.snapshot.session);
    if (!again.ok) throw new Error(again.message);
    expect(again.snapshot.results.every((x) => x === null)).toBe(true);
    expect(again.snapshot.host.find((n) => n.path === 'srv/export/notes.txt')).toMatchObject({ size: 3 });
    expect(hostRead(again.snapshot.session, '/srv/export/notes.txt')).toEqual({ ok: true, bytes: enc('hi\n') });
    // Deterministic: a second restart gives the same host and trace.
    const third = restartScenario(again.snapshot.session);
    expect(third.ok && third.snapshot.host).toEqual(again.snapshot.host);
    expect(third.ok && third.snapshot.trace.length).toBe(again.snapshot.trace.length);
  });
});
